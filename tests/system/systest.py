#!/usr/bin/env python3
"""System tests: boot Mica in QEMU and check what it prints and how it exits.

Every boot is bounded in time and ends by itself: test boots pass `mica.exit`,
so the kernel leaves QEMU through the isa-debug-exit device with 33 (pass),
35 (self-test failed) or 37 (panic).  Each case prints one line,
"PASS: system/NAME" or "FAIL: system/NAME: why", which `make check` counts.
Logs of every boot are kept in build/systest/NAME.log.

Usage: systest.py [--jobs N] [--accel tcg|kvm] [NAME-FILTER ...]
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
KERNEL = os.path.join(BUILD, "mica.elf")
ROOTTASK = os.path.join(BUILD, "roottask.elf")
RESULT = re.compile(r"^(PASS|FAIL): kernel/\S+", re.M)
TEST_ISO = os.path.join(BUILD, "mica-test.iso")
OVMF = "/usr/share/ovmf/OVMF.fd"

EXIT_PASS, EXIT_FAIL, EXIT_PANIC = 33, 35, 37
READY = re.compile(r"^mica: ready cpus=(\d+) mem=(\d+)MiB boot=(\d+)ms", re.M)
SELFTEST_SUMMARY = re.compile(r"^selftest: (\d+) passed, (\d+) failed", re.M)


class Case:
    def __init__(self, name, cmdline="", smp=2, mem=256, boot="pvh", exit_code=EXIT_PASS,
                 cpus=None, expect=(), forbid=(), timeout=60, selftest=False, roottask=False,
                 initrd=None, until=None, test_exit=True, qemu_extra=()):
        self.name = name
        self.cmdline = cmdline
        self.smp = smp
        self.mem = mem
        self.boot = boot
        self.exit_code = exit_code
        self.cpus = smp if cpus is None else cpus
        self.expect = expect
        self.forbid = forbid
        self.timeout = timeout
        self.selftest = selftest
        self.roottask = roottask
        self.initrd = ROOTTASK if roottask else initrd
        self.until = until  # a system that keeps running: stop it once this line appeared
        self.test_exit = test_exit  # boot with mica.exit (leave QEMU through isa-debug-exit)
        self.qemu_extra = list(qemu_extra)  # more devices: disks, virtio-rng, ...


def cases():
    out = []
    # The boot matrix: 1, 2 and 4 CPUs with 64 MiB and 2 GiB, self-tests on every CPU.
    for smp in (1, 2, 4):
        for mem in (64, 2048):
            # A generous bound: on an overloaded host the ticket-lock self-test
            # (spinlock_contention) waits for each virtual CPU in turn.
            out.append(Case(f"boot-smp{smp}-{mem}m", "mica.selftest", smp=smp, mem=mem,
                            selftest=True, timeout=240))
    # The kernel's native interface, tested from user mode by the root task on 1, 2 and 4 CPUs.
    for smp in (1, 2, 4):
        out.append(Case(f"roottask-smp{smp}", "", smp=smp, mem=256, roottask=True, timeout=300,
                        expect=[r"roottask: \d+ passed, 0 failed",
                                r"debug_write_limits: a line of 1024 bytes, ending in END: {961}END\.$",
                                r"mica: halted by the root task \(verdict pass\)"]))
    # init, the supervisor: servers started from a manifest in a cpio ramdisk, restarted
    # when they crash (with the same endpoint: the client sees every call answered), given
    # up on after their restart limit; bad manifests and missing images are reported.
    for smp in (1, 2, 4):
        out.append(Case(f"supervisor-restart-smp{smp}", smp=smp, timeout=120,
                        initrd=os.path.join(BUILD, "test-restart.cpio"),
                        expect=[r"init: counter ended: page fault \(vector 14\) at rip 0x[0-9a-f]+, "
                                r"address 0$",
                                r"init: counter restarted \(restart 1 of at most 20\)",
                                r"client: 40 calls, 0 answered wrongly, [1-9]\d* repeated",
                                r"init: counter exited", r"init: client exited",
                                r"no server left to supervise \(0 of 2 failed\)"]))
    out.append(Case("supervisor-giveup", exit_code=EXIT_FAIL,
                    initrd=os.path.join(BUILD, "test-giveup.cpio"),
                    expect=[r"init: portbug ended: general protection fault \(vector 13\)",
                            r"init: portbug restarted \(restart 2 of at most 2\)",
                            r"init: portbug: restarted 2 times; giving up on it"],
                    forbid=[r"that must not happen"]))
    out.append(Case("supervisor-bad-manifest", exit_code=EXIT_FAIL,
                    initrd=os.path.join(BUILD, "test-bad.cpio"),
                    expect=[r"init: etc/manifest line 3: unknown option; no server started"]))
    out.append(Case("supervisor-missing-image", exit_code=EXIT_FAIL,
                    initrd=os.path.join(BUILD, "test-missing.cpio"),
                    expect=[r"init: ghost: no image: bin/ghost"]))
    out.append(Case("supervisor-service", exit_code=0, timeout=90,
                    initrd=os.path.join(BUILD, "test-svc.cpio"),
                    until=r"init: nosvc exited",
                    expect=[r"init: svc asks to restart counter",
                            r"init: counter ended: restart requested",
                            r"svc: restart counter: done", r"svc: restart counter: not allowed",
                            # the restart is under way when svc lists: 0 or 1 restarts
                            r"svc: counter +(running|restarting) +[01] +\d+",
                            r"svc: svc +(running|ended) +0 +\d+",
                            r"init: counter restarted \(restart 1 of at most 3\)"]))
    # Halting without mica.exit (as `make run` does): the other CPUs stop quietly.
    out.append(Case("halt-without-test-exit", exit_code=0, timeout=90, test_exit=False,
                    initrd=os.path.join(BUILD, "test-restart.cpio"),
                    until=r"mica: halted by the root task \(verdict pass\)",
                    forbid=[r"PANIC", r"EXCEPTION"]))
    # The device manager: PCI functions found through ECAM; QEMU's edu device handed to a
    # test driver (configuration space, registers, an MSI, DMA); lspci; bad requests.
    out.append(Case("devmgr-edu", exit_code=0, timeout=90,
                    initrd=os.path.join(BUILD, "test-edu.cpio"),
                    until=r"init: (edu|lspci|devmgr_bad) exited(.|\n)*init: (edu|lspci|devmgr_bad) "
                          r"exited(.|\n)*init: (edu|lspci|devmgr_bad) exited",
                    expect=[r"devmgr: \d+ PCI functions on buses 0-255",
                            r"devmgr: 00:03\.0 1234:11e8 class 00ff00 MSI$",
                            r"devmgr: 00:03\.0 1234:11e8 to edu: 4 handles, 1 MSI vectors",
                            r"edu: 0 checks failed", r"devmgr_bad: 0 wrong answers",
                            r"lspci: 00:03\.0  1234:11e8 00ff00 MSI  1 edu",
                            r"init: ghost: cannot get its devices: no such device"],
                    forbid=[r"FAILED", r"WRONG"]))
    # The virtio-rng driver (drivers/virtio_rng) on QEMU's virtio-rng-pci: random bytes that look
    # random, callers waiting for the device, malformed messages, the kernel's pool fed; the
    # driver restarted at random moments or crashing on purpose under a client that loses nothing.
    rng_dev = ["-device", "virtio-rng-pci,disable-legacy=on"]
    out.append(Case("vrng-functional", exit_code=0, timeout=120, qemu_extra=rng_dev,
                    initrd=os.path.join(BUILD, "test-rng-functional.cpio"),
                    until=r"init: rngtest exited",
                    expect=[r"entropy: pool seeded from (RDSEED|RDRAND|no CPU source)",
                            r"virtio-rng: ready \(life 0\): .* MSI-X on",
                            r"rng: fed the kernel 32 bytes \(it has taken \d+ bytes from user space\)",
                            r"rngtest: 64 KiB drawn: 256 of 256 byte values seen",
                            r"rngtest: 4 threads drew 65536 bytes at once, 0 requests failed",
                            r"rngtest: stats: \d+ requests, \d+ bytes to clients, \d+ from the "
                            r"device, [1-9]\d* fed to the kernel",
                            r"rngtest: \d+ checks, 0 failed", r"rngtest: done"],
                    forbid=[r"FAILED"]))
    out.append(Case("vrng-recover-kill", exit_code=0, timeout=240, qemu_extra=rng_dev,
                    initrd=os.path.join(BUILD, "test-rng-kill.cpio"),
                    until=r"init: rngrecover exited",
                    expect=[r"init: rng ended: restart requested",
                            r"rngrecover: \d+ KiB drawn in \d+ requests in \d+ ms; [1-9]\d* driver "
                            r"restarts asked, [1-9]\d* requests re-issued, 0 failed, 0 with a wrong "
                            r"count, 256 byte values seen",
                            r"rngrecover: every request completed with its count",
                            r"rngrecover: done"],
                    forbid=[r"FAILED"]))
    out.append(Case("vrng-fault-null", exit_code=0, timeout=240, qemu_extra=rng_dev,
                    initrd=os.path.join(BUILD, "test-rng-fault-null.cpio"),
                    until=r"init: rngrecover exited",
                    expect=[r"virtio-rng: deliberate fault at request 300",
                            r"init: rng ended: page fault \(vector 14\) at rip 0x[0-9a-f]+, address 0$",
                            r"init: rng restarted \(restart 1 of at most 3\)",
                            r"virtio-rng: ready \(life 1\)",
                            r"rngrecover: \d+ KiB drawn in \d+ requests in \d+ ms; 0 driver "
                            r"restarts asked, [1-9]\d* requests re-issued, 0 failed, 0 with a wrong "
                            r"count, 256 byte values seen",
                            r"rngrecover: done"],
                    forbid=[r"FAILED"]))
    out.append(Case("initrd-without-init", exit_code=EXIT_FAIL,
                    initrd=os.path.join(BUILD, "test-noinit.cpio"),
                    expect=[r"cpio archive without a usable init: no member called \"init\""]))
    # Real-PC boot paths: GRUB (Multiboot2) under SeaBIOS and under OVMF UEFI.
    out.append(Case("grub-bios", boot="iso-bios", smp=2, mem=256, selftest=True,
                    expect=[r"booted via multiboot2"]))
    out.append(Case("grub-uefi", boot="iso-uefi", smp=2, mem=256, selftest=True, timeout=120,
                    expect=[r"booted via multiboot2", r"XSDT tables"]))
    # Bad input: each a clear one-line reason, never a hang or a triple fault.
    panics = [
        ("too-little-memory", "", 8, r"PANIC on cpu 0: boot: not enough memory: \d+ KiB usable"),
        ("memmap-missing", "mica.inject=memmap-missing", 256,
         r"PANIC on cpu 0: boot: bad boot information: the boot loader gave no memory map"),
        ("memmap-corrupt", "mica.inject=memmap-corrupt", 256,
         r"PANIC on cpu 0: boot: bad boot information: entry wraps past 2\^64"),
        ("acpi-missing", "mica.inject=acpi-missing", 256, r"PANIC on cpu 0: ACPI: no RSDP found"),
        ("acpi-rsdp-checksum", "mica.inject=acpi-rsdp-checksum", 256,
         r"PANIC on cpu 0: ACPI: RSDP checksum mismatch"),
        ("acpi-root-checksum", "mica.inject=acpi-root-checksum", 256,
         r"PANIC on cpu 0: ACPI: (RSDT|XSDT) checksum mismatch"),
        ("acpi-madt-checksum", "mica.inject=acpi-madt-checksum", 256,
         r"PANIC on cpu 0: ACPI: MADT checksum mismatch"),
    ]
    for name, cmdline, mem, reason in panics:
        out.append(Case(name, cmdline, smp=1, mem=mem, exit_code=EXIT_PANIC, expect=[reason]))
    out.append(Case("memmap-corrupt-grub", boot="iso-bios-inject-memmap", smp=1, mem=256,
                    exit_code=EXIT_PANIC,
                    expect=[r"Booting .Mica",
                            r"PANIC on cpu 0: boot: bad boot information: entry wraps"]))
    # A corrupt HPET table is not fatal: the TSC is calibrated against the PIT instead.
    out.append(Case("acpi-hpet-checksum", "mica.inject=acpi-hpet-checksum mica.selftest", smp=2,
                    selftest=True,
                    expect=[r"warning: ACPI: HPET checksum mismatch, table ignored",
                            r"calibrated against the PIT"]))
    # A CPU that never answers its STARTUP IPI: a warning, and the others carry on.
    out.append(Case("ap-no-sipi", "mica.inject=ap-no-sipi mica.selftest", smp=4, cpus=3,
                    selftest=True,
                    expect=[r"warning: smp: cpu with APIC id \d+ did not answer its STARTUP IPI"]))
    # Exception reports: vector, error code, registers, CR2, symbolized backtrace; all CPUs stop.
    out.append(Case("fault-report", "mica.inject=fault", smp=2, exit_code=EXIT_PANIC,
                    expect=[r"EXCEPTION 14 \(page fault\) on cpu 0, error code 0x2",
                            r"rip 0x[0-9a-f]{16} <kernel_main\+0x[0-9a-f]+>",
                            r"cr2 0x0000000000000000", r"rax 0x[0-9a-f]{16}",
                            r"page fault: no page for write in kernel mode",
                            r"#1 +0x[0-9a-f]{16} kmain\+0x",
                            r"PANIC on cpu 0: unhandled exception 14 \(page fault\)"]))
    out.append(Case("fault-on-ap", "mica.inject=ap-fault", smp=4, exit_code=EXIT_PANIC,
                    expect=[r"EXCEPTION 14 \(page fault\) on cpu 3",
                            r"deliberate_fault\+0x",
                            r"PANIC on cpu 3: unhandled exception 14"]))
    out.append(Case("panic", "mica.inject=panic", smp=4, exit_code=EXIT_PANIC,
                    expect=[r"PANIC on cpu 0: inject: panic requested",
                            r"backtrace:\n +#0 +0x[0-9a-f]{16} \w+\+0x", r"mica: halted\."]))
    return out


def qemu_command(case, accel):
    args = subprocess.run([os.path.join(ROOT, "tools", "qemu-args.sh"), accel, str(case.smp),
                           str(case.mem)], check=True, capture_output=True, text=True).stdout.split()
    cmd = ["qemu-system-x86_64"] + args + ["-serial", "stdio", "-monitor", "none"] + case.qemu_extra
    cmdline = (("mica.exit " if case.test_exit else "") + case.cmdline).strip()
    if case.boot == "pvh":
        cmd += ["-kernel", KERNEL, "-append", cmdline]
        if case.initrd:
            cmd += ["-initrd", case.initrd]
    elif case.boot == "iso-bios":
        cmd += ["-cdrom", TEST_ISO]
    elif case.boot == "iso-bios-inject-memmap":
        cmd += ["-cdrom", os.path.join(BUILD, "mica-test-memmap.iso")]
    elif case.boot == "iso-uefi":
        cmd += ["-bios", OVMF, "-cdrom", TEST_ISO]
    return cmd


def check_output(case, code, out):
    if code != case.exit_code:
        return f"exit code {code}, expected {case.exit_code}"
    for pattern in case.expect:
        if not re.search(pattern, out, re.M):
            return f"output lacks /{pattern}/"
    for pattern in case.forbid:
        if re.search(pattern, out, re.M):
            return f"output has /{pattern}/"
    if case.exit_code == EXIT_PASS:
        m = READY.search(out)
        if not m:
            return "no 'mica: ready' line"
        cpus, mem = int(m.group(1)), int(m.group(2))
        if cpus != case.cpus:
            return f"ready line says cpus={cpus}, expected {case.cpus}"
        if not case.mem * 0.9 <= mem <= case.mem:
            return f"ready line says mem={mem}MiB for a {case.mem} MiB machine"
    if case.selftest:
        m = SELFTEST_SUMMARY.search(out)
        if not m or m.group(2) != "0" or m.group(1) == "0":
            return "self-tests did not all pass"
    return None


def run_until(case, accel):
    """Run a system that does not stop by itself until case.until appears; exit code 0 then."""
    p = subprocess.Popen(qemu_command(case, accel), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, deadline, pattern = b"", time.monotonic() + case.timeout, re.compile(case.until, re.M)
    os.set_blocking(p.stdout.fileno(), False)
    while time.monotonic() < deadline and p.poll() is None:
        chunk = p.stdout.read() or b""
        out += chunk
        if pattern.search(out.decode(errors="replace")):
            break
        time.sleep(0.1)
    done = pattern.search(out.decode(errors="replace")) is not None
    if done:  # what the system prints right after the line counts too
        time.sleep(1)
        out += p.stdout.read() or b""
    p.kill()
    p.wait()
    out += p.stdout.read() or b""
    text = out.decode(errors="replace").replace("\r\n", "\n")
    if not done:
        return text, f"/{case.until}/ did not appear within {case.timeout} s"
    return text, check_output(case, 0, text)


def run_case(case, accel):
    log = os.path.join(BUILD, "systest", case.name + ".log")
    start = time.monotonic()
    if case.until:
        out, why = run_until(case, accel)
        with open(log, "w") as f:
            f.write(out)
        return case, why, time.monotonic() - start, out
    try:
        p = subprocess.run(qemu_command(case, accel), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=case.timeout)
        code, out = p.returncode, p.stdout.decode(errors="replace").replace("\r\n", "\n")
        why = check_output(case, code, out)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace").replace("\r\n", "\n")
        why = f"timed out after {case.timeout} s (hang?)"
    with open(log, "w") as f:
        f.write(out)
    return case, why, time.monotonic() - start, out


def build_test_isos():
    env = dict(os.environ, MICA_ISO_CMDLINE="mica.exit mica.selftest")
    subprocess.run([os.path.join(ROOT, "tools", "mkiso.sh"), KERNEL, TEST_ISO], check=True,
                   env=env)
    env["MICA_ISO_CMDLINE"] = "mica.exit mica.inject=memmap-corrupt"
    subprocess.run([os.path.join(ROOT, "tools", "mkiso.sh"), KERNEL,
                    os.path.join(BUILD, "mica-test-memmap.iso")], check=True, env=env)


def check_trace_conversion(out):
    """The root task prints the kernel trace it recorded; it must convert to a usable trace."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import trace2json
    try:
        mhz, events = trace2json.parse(out)
        doc = json.loads(json.dumps(trace2json.convert(mhz, events)))
    except (SystemExit, ValueError) as e:
        return f"conversion failed: {e}"
    slices = [e for e in doc["traceEvents"] if e["ph"] == "X"]
    instants = [e for e in doc["traceEvents"] if e["ph"] == "i"]
    if not slices or not instants:
        return f"{len(slices)} thread slices and {len(instants)} instant events: too few"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--accel", default=os.environ.get("ACCEL", "tcg"))
    ap.add_argument("filters", nargs="*")
    opts = ap.parse_args()
    os.makedirs(os.path.join(BUILD, "systest"), exist_ok=True)
    selected = [c for c in cases() if not opts.filters or any(f in c.name for f in opts.filters)]
    if any(c.boot.startswith("iso") for c in selected):
        build_test_isos()
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        for case, why, secs, out in pool.map(lambda c: run_case(c, opts.accel), selected):
            if case.roottask and case.smp == 1:
                for m in RESULT.finditer(out):  # each user-mode test counts on its own
                    print(m.group(0), flush=True)
                trace_why = check_trace_conversion(out)
                print(f"{'PASS' if trace_why is None else 'FAIL'}: system/trace-to-chrome-json"
                      + (f": {trace_why}" if trace_why else ""), flush=True)
            if why is None:
                print(f"PASS: system/{case.name} ({secs:.1f} s)", flush=True)
                continue
            failed += 1
            print(f"FAIL: system/{case.name}: {why}", flush=True)
            for line in out.splitlines()[-25:]:
                print(f"    | {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
