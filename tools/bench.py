#!/usr/bin/env python3
"""make bench: boot Mica with `mica.bench` and the benchmark root task, and print the figures;
then boot the block-device benchmark (tests/servers/blkbench.c) and print its figures.

Each configuration boots once and collects the kernel's "bench: NAME VALUE UNIT"
lines.  Configurations: plain TCG (cycles of the host's TSC, noisy) and TCG
with `-icount shift=0,sleep=off`, where the guest's TSC advances by one per
executed instruction, so the figures are repeatable instruction counts that
show the length of each path.  Output: a table for people, then the same
figures as `config/NAME VALUE UNIT` lines for scripts comparing runs.
"""
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "build", "mica.elf")
BENCH_TASK = os.path.join(ROOT, "build", "bench.elf")
BLK_CPIO = os.path.join(ROOT, "build", "test-blk-bench.cpio")
DISK = os.path.join(ROOT, "build", "disk-test.img")
LINE = re.compile(r"^bench: (\S+) (\S+) (\S+)\s*$", re.M)


def host_cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def boot(accel_opts, extra, smp=2, mem=256, timeout=300):
    cmd = ["qemu-system-x86_64", "-machine", "q35", "-accel", accel_opts, "-cpu", "max",
           "-smp", str(smp), "-m", str(mem), "-display", "none", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-serial", "stdio",
           "-monitor", "none", "-kernel", KERNEL, "-initrd", BENCH_TASK,
           "-append", "mica.exit mica.bench loglevel=2"]
    cmd += extra
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    out = p.stdout.decode(errors="replace")
    if p.returncode != 33 or "bench: done" not in out:
        sys.stderr.write(out[-2000:])
        raise SystemExit(f"bench: the {accel_opts} boot failed (exit {p.returncode})")
    figures = [(m.group(1), m.group(2), m.group(3)) for m in LINE.finditer(out.replace("\r", ""))
               if m.group(1) != "done"]
    return with_nanoseconds(figures)


def with_nanoseconds(figures):
    """Add NAME_ns for every NAME_cycles that the kernel did not convert itself."""
    hz = next((int(v) for k, v, _ in figures if k == "tsc_hz"), 0)
    names = {k for k, _, _ in figures}
    out = []
    for k, v, u in figures:
        out.append((k, v, u))
        base = k[:-len("_cycles")] if k.endswith("_cycles") else None
        if base and hz and base + "_ns" not in names:
            out.append((base + "_ns", str(int(v) * 1000000000 // hz), "ns"))
    return out


def boot_block(timeout=600):
    """The block figures: the supervisor, devmgr, the virtio-blk driver and tests/servers/blkbench.c
    on a throw-away overlay of the test disk.  The system keeps running: stop at "blkbench: done"."""
    cmd = ["qemu-system-x86_64", "-machine", "q35", "-accel", "tcg,thread=multi", "-cpu", "max",
           "-smp", "2", "-m", "256", "-display", "none", "-no-reboot", "-serial", "stdio",
           "-monitor", "none", "-kernel", KERNEL, "-initrd", BLK_CPIO, "-append", "loglevel=2",
           "-drive", f"file={DISK},if=none,format=raw,id=d0,snapshot=on",
           "-device", "virtio-blk-pci,drive=d0,disable-legacy=on"]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out, deadline = "", time.monotonic() + timeout
    for raw in p.stdout:  # line by line until the client says it is done
        out += raw.decode(errors="replace").replace("\r", "")
        if "blkbench: done" in out or time.monotonic() > deadline:
            break
    p.kill()
    p.wait()
    if "blkbench: done" not in out:
        sys.stderr.write(out[-2000:])
        raise SystemExit("bench: the block boot failed")
    return [(m.group(1), m.group(2), m.group(3)) for m in LINE.finditer(out)]


def main():
    configs = [
        ("tcg", "tcg,thread=multi", []),
        ("icount", "tcg,thread=single", ["-icount", "shift=0,sleep=off"]),
    ]
    print(f"host CPU: {host_cpu_model()}")
    print("guest CPU: QEMU -cpu max; page-table isolation (Meltdown mitigation): not used by Mica")
    results = {}
    for name, accel, extra in configs:
        results[name] = boot(accel, extra)
    names = [n for n, _, _ in results["tcg"]]
    print(f"\n{'figure':32} {'tcg':>14} {'icount':>14}  unit")
    for n in names:
        row = [dict((k, v) for k, v, _ in results[c]).get(n, "-") for c, _, _ in configs]
        unit = next(u for k, _, u in results["tcg"] if k == n)
        print(f"{n:32} {row[0]:>14} {row[1]:>14}  {unit}")
    # The block device: a virtio-blk disk served by the driver process (tcg only: under
    # -icount the disk's completion times would be counted in instructions, not time).
    block = boot_block()
    print(f"\n{'block figure (virtio-blk, tcg)':32} {'value':>14}  unit")
    for n, v, u in block:
        print(f"{n:32} {v:>14}  {u}")
    print()
    for c, _, _ in configs:
        for n, v, u in results[c]:
            print(f"{c}/{n} {v} {u}")
    for n, v, u in block:
        print(f"tcg/{n} {v} {u}")


if __name__ == "__main__":
    main()
