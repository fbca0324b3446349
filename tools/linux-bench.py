#!/usr/bin/env python3
"""make bench, second part: the Linux personality against a real Linux kernel.

The same static benchmark (tests/linux/bench.c, built with musl-gcc) runs
  - on Debian's Linux kernel: the vmlinuz of the `linux-image-amd64` package,
    downloaded with `apt-get download` and extracted with dpkg-deb into
    build/linux-kernel/ (nothing is installed), booted with an initramfs
    holding busybox-static, the benchmark and a tiny init script that runs it
    and powers off;
  - on Mica: the posix server runs it from its run list (build/linux-bench.cpio,
    tests/linux/bench.programs);
both in the same QEMU configuration (tools/qemu-args.sh: q35, -cpu max, 2 CPUs,
512 MiB; 1 CPU under icount, see SMP below).  Each boot is bounded in time.  Configurations: "tcg" (multi-threaded
TCG; times follow the host and are noisy), "icount" (single-threaded TCG with
`-icount shift=0,sleep=off`: the guest's TSC and clocks advance by one per
executed instruction, so the figures are repeatable instruction counts) and,
with --kvm and a usable /dev/kvm, "kvm".

Output: per benchmark and configuration the median time of one operation on
Mica and on Linux and the ratio Mica/Linux (lower is better for every figure),
then the same as `CONFIG/NAME MICA LINUX` lines for scripts.

Linux runs with `tsc=reliable` (see LINUX_CLOCK below).

Usage: linux-bench.py [--kvm] [--cpus N] [--linux-hpet] [--only tcg|icount|kvm ...]
"""
import argparse
import glob
import os
import re
import shutil
import stat
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
KERNEL_DIR = os.path.join(BUILD, "linux-kernel")
MICA = os.path.join(BUILD, "mica.elf")
MICA_INITRD = os.path.join(BUILD, "linux-bench.cpio")
BENCH = os.path.join(BUILD, "linux", "bench")
BENCH_EXIT = os.path.join(BUILD, "linux", "bench-exit")
BUSYBOX = "/bin/busybox"
LINE = re.compile(r"^lbench (\S+) (?:(\d+) ns (\d+) cycles|(n/a))\s*$", re.M)
MEM = "512"
# CPUs per configuration.  Under -icount, Debian's Linux 6.1 with -cpu max never brings up a
# second CPU in QEMU 7.2 (it waits for ever after "x86: Booting SMP configuration"), so the
# icount configuration runs both systems on one CPU.
SMP = {"tcg": "2", "icount": "1", "kvm": "2"}
# Under TCG Linux does not trust the emulated TSC and takes the HPET as its clock source, and its
# vDSO then cannot read the clock: every clock_gettime would be a system call and an HPET read.
# Mica's vDSO reads the TSC; `tsc=reliable` lets Linux's do the same, so that the two compare
# like with like.  (--linux-hpet: Linux's own choice.)
LINUX_CLOCK = "tsc=reliable"

# The initramfs's init: a busybox shell script.  The clock source is reported (Linux's vDSO
# reads the TSC only when the kernel trusts it), then the benchmark runs, then Linux powers off.
INIT = """#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox mount -t tmpfs tmpfs /tmp
echo "linux: clocksource $(/bin/busybox cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)"
/bin/bench /bin/bench-exit
/bin/busybox poweroff -f
"""


def say(msg):
    print(msg, flush=True)


# ---- The Linux kernel, from Debian's package ----

def kernel_package():
    """The versioned image package that linux-image-amd64 depends on."""
    out = subprocess.run(["apt-cache", "depends", "linux-image-amd64"], capture_output=True,
                         text=True, check=True).stdout
    m = re.search(r"Depends: (linux-image-\S+-amd64)", out)
    if not m:
        raise SystemExit("linux-bench: apt-cache does not know linux-image-amd64's kernel")
    return m.group(1)


def linux_kernel():
    """build/linux-kernel/vmlinuz, downloaded and extracted the first time (not installed)."""
    vmlinuz = os.path.join(KERNEL_DIR, "vmlinuz")
    if os.path.exists(vmlinuz):
        return vmlinuz
    os.makedirs(KERNEL_DIR, exist_ok=True)
    pkg = kernel_package()
    say(f"linux-bench: downloading {pkg} (apt-get download; not installed)")
    subprocess.run(["apt-get", "download", "-q", pkg], cwd=KERNEL_DIR, check=True,
                   stdout=subprocess.DEVNULL)
    deb = sorted(glob.glob(os.path.join(KERNEL_DIR, pkg + "_*.deb")))[-1]
    tree = os.path.join(KERNEL_DIR, "tree")
    subprocess.run(["dpkg-deb", "-x", deb, tree], check=True)
    image = sorted(glob.glob(os.path.join(tree, "boot", "vmlinuz-*")))[-1]
    shutil.copy(image, vmlinuz)
    with open(os.path.join(KERNEL_DIR, "version"), "w") as f:
        f.write(os.path.basename(image)[len("vmlinuz-"):] + "\n")
    shutil.rmtree(tree)
    os.remove(deb)
    return vmlinuz


# ---- The initramfs: a cpio archive in the "newc" format ----

def cpio_entry(name, mode, data=b"", rdev=(0, 0), ino=1):
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    head = b"070701" + b"".join(b"%08x" % v for v in fields)
    out = head + name.encode() + b"\0"
    out += b"\0" * (-len(out) % 4)
    out += data + b"\0" * (-len(data) % 4)
    return out


def linux_initramfs():
    """build/linux-bench-initramfs.cpio: init, busybox, the benchmark, /dev/console."""
    files = [("init", INIT.encode(), 0o755)]
    for src, dst in ((BUSYBOX, "bin/busybox"), (BENCH, "bin/bench"),
                     (BENCH_EXIT, "bin/bench-exit")):
        with open(src, "rb") as f:
            files.append((dst, f.read(), 0o755))
    out = b""
    ino = 1
    for d in ("bin", "dev", "proc", "sys", "tmp"):
        out += cpio_entry(d, stat.S_IFDIR | 0o755, ino=ino)
        ino += 1
    # The console the kernel opens for init's standard streams (char 5:1), made here
    # rather than with mknod, so no root is needed.
    out += cpio_entry("dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1), ino=ino)
    ino += 1
    for name, data, perm in files:
        out += cpio_entry(name, stat.S_IFREG | perm, data, ino=ino)
        ino += 1
    out += cpio_entry("TRAILER!!!", 0, ino=0)
    out += b"\0" * (-len(out) % 512)
    path = os.path.join(BUILD, "linux-bench-initramfs.cpio")
    with open(path, "wb") as f:
        f.write(out)
    return path


# ---- Boots ----

def qemu_base(accel):
    args = subprocess.run([os.path.join(ROOT, "tools", "qemu-args.sh"),
                           "kvm" if accel == "kvm" else "tcg", SMP[accel], MEM],
                          capture_output=True, text=True, check=True).stdout.split()
    if accel == "icount":  # one TCG thread: -icount needs it
        args[args.index("-accel") + 1] = "tcg,thread=single"
        args += ["-icount", "shift=0,sleep=off"]
    return ["qemu-system-x86_64"] + args + ["-serial", "stdio", "-monitor", "none"]


def boot(cmd, done, timeout):
    """Run QEMU until the line `done` appears (then stop it) or it exits; its output."""
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out, deadline = "", time.monotonic() + timeout
    os.set_blocking(p.stdout.fileno(), False)
    while time.monotonic() < deadline:
        chunk = p.stdout.read()
        if chunk:
            out += chunk.decode(errors="replace").replace("\r", "")
            if re.search(done, out, re.M):
                break
        elif p.poll() is not None:
            break
        else:
            time.sleep(0.2)
    if p.poll() is None:
        p.kill()
    p.wait()
    return out


def figures(out, who, config, log):
    with open(log, "w") as f:
        f.write(out)
    if not re.search(r"^lbench done", out, re.M):
        sys.stderr.write(out[-3000:])
        raise SystemExit(f"linux-bench: {who} under {config} did not finish (log: {log})")
    res = {}
    for m in LINE.finditer(out):
        res[m.group(1)] = None if m.group(4) else (int(m.group(2)), int(m.group(3)))
    return res


def run_linux(config, vmlinuz, initramfs):
    cmd = qemu_base(config) + ["-kernel", vmlinuz, "-initrd", initramfs, "-append",
                               "console=ttyS0 quiet panic=-1 rdinit=/init " + LINUX_CLOCK]
    out = boot(cmd, r"^lbench done", 1200)
    m = re.search(r"^linux: clocksource (\S*)", out, re.M)
    say(f"linux-bench: Linux under {config}: clock source {m.group(1) if m else '?'}")
    return figures(out, "Linux", config, os.path.join(BUILD, f"linux-bench-{config}-linux.log"))


def run_mica(config):
    cmd = qemu_base(config) + ["-kernel", MICA, "-initrd", MICA_INITRD, "-append", "loglevel=2"]
    out = boot(cmd, r"^(lbench done|posix: \d+ programs run)", 1200)
    return figures(out, "Mica", config, os.path.join(BUILD, f"linux-bench-{config}-mica.log"))


def kvm_usable():
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
        return True
    except OSError:
        return False


def cell(fig):
    return "n/a" if fig is None else str(fig[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kvm", action="store_true", help="also under KVM (if /dev/kvm works)")
    ap.add_argument("--only", nargs="*", choices=["tcg", "icount", "kvm"])
    ap.add_argument("--cpus", choices=["1", "2", "4"],
                    help="CPUs for every configuration (default: 2, 1 under icount)")
    ap.add_argument("--linux-hpet", action="store_true",
                    help="let Linux choose its clock source (the HPET under TCG)")
    opts = ap.parse_args()
    if opts.linux_hpet:
        global LINUX_CLOCK
        LINUX_CLOCK = ""
    if opts.cpus:
        for c in SMP:
            SMP[c] = opts.cpus
    configs = opts.only or ["tcg", "icount"] + (["kvm"] if opts.kvm else [])
    if "kvm" in configs and not kvm_usable():
        say("linux-bench: /dev/kvm is not usable here: no KVM figures")
        configs.remove("kvm")
    for f in (MICA, MICA_INITRD, BENCH, BENCH_EXIT, BUSYBOX):
        if not os.path.exists(f):
            raise SystemExit(f"linux-bench: {f} is missing (make bench builds it)")
    vmlinuz = linux_kernel()
    with open(os.path.join(KERNEL_DIR, "version")) as f:
        version = f.read().strip()
    initramfs = linux_initramfs()
    results = {}
    for c in list(configs):
        say(f"linux-bench: {c}: booting Linux {version}, then Mica")
        try:
            results[c] = (run_mica(c), run_linux(c, vmlinuz, initramfs))
        except SystemExit as e:
            if c != "kvm":
                raise
            say(f"{e}\nlinux-bench: KVM does not work here (see the log): no KVM figures")
            configs.remove(c)
    if not configs:
        raise SystemExit("linux-bench: no configuration ran")
    names = list(results[configs[0]][0])
    say("\nThe Linux personality against Linux " + version +
        " (median ns per operation; ratio = Mica/Linux; lower is better)")
    head = f"{'benchmark':16}"
    for c in configs:
        head += f" {c + ' Mica':>13} {c + ' Linux':>13} {'ratio':>7}"
    say(head)
    for n in names:
        row = f"{n:16}"
        for c in configs:
            mica, linux = results[c][0].get(n), results[c][1].get(n)
            ratio = f"{mica[0] / linux[0]:.1f}" if mica and linux and linux[0] else "-"
            row += f" {cell(mica):>13} {cell(linux):>13} {ratio:>7}"
        say(row)
    say("")
    for c in configs:
        for n in names:
            mica, linux = results[c][0].get(n), results[c][1].get(n)
            say(f"linux-bench/{c}/{n} {cell(mica)} {cell(linux)} ns")
            if mica and linux:
                say(f"linux-bench/{c}/{n}_cycles {mica[1]} {linux[1]} cycles")


if __name__ == "__main__":
    main()
