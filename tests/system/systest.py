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
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
KERNEL = os.path.join(BUILD, "mica.elf")
ROOTTASK = os.path.join(BUILD, "roottask.elf")
RESULT = re.compile(r"^(PASS|FAIL): kernel/\S+", re.M)
TEST_ISO = os.path.join(BUILD, "mica-test.iso")
FBCON_ISO = os.path.join(BUILD, "mica-test-fbcon.iso")
OVMF = "/usr/share/ovmf/OVMF.fd"
FBCON_PSF = "/usr/share/consolefonts/Lat15-Fixed16.psf.gz"  # as drivers/fbcon/build.mk

EXIT_PASS, EXIT_FAIL, EXIT_PANIC = 33, 35, 37
READY = re.compile(r"^mica: ready cpus=(\d+) mem=(\d+)MiB boot=(\d+)ms", re.M)
SELFTEST_SUMMARY = re.compile(r"^selftest: (\d+) passed, (\d+) failed", re.M)


class Case:
    def __init__(self, name, cmdline="", smp=2, mem=256, boot="pvh", exit_code=EXIT_PASS,
                 cpus=None, expect=(), forbid=(), timeout=60, selftest=False, roottask=False,
                 initrd=None, until=None, test_exit=True, qemu_extra=(), monitor=(), inputs=(),
                 dialog=(), check=None):
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
        # QEMU monitor commands (sendkey, screendump, ...): a list of (regex, [command, ...]);
        # each step's commands are given once its regex appeared (systems run `until` only).
        self.monitor = list(monitor)
        assert not self.monitor or until, "monitor steps need a system that runs until a line"
        # Typing on the serial line (with until=): (pattern, bytes) pairs; each bytes is
        # written to QEMU's stdin (-serial stdio) once its pattern has appeared, in order.
        self.inputs = list(inputs)
        # An expect-style dialog on the serial line (with until=): (pattern, bytes) pairs; each
        # bytes is typed once its pattern has appeared in what came AFTER the previous step's
        # bytes were typed (so a prompt seen earlier does not count again).
        self.dialog = list(dialog)
        self.check = check  # check(case, output): None, or why the case failed


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
                            r"init: portbug: restarted 2 times after a crash; giving up on it"],
                    forbid=[r"that must not happen"]))
    out.append(Case("supervisor-bad-manifest", exit_code=EXIT_FAIL,
                    initrd=os.path.join(BUILD, "test-bad.cpio"),
                    expect=[r"init: etc/manifest line 3: unknown option; no server started"]))
    out.append(Case("supervisor-missing-image", exit_code=EXIT_FAIL,
                    initrd=os.path.join(BUILD, "test-missing.cpio"),
                    expect=[r"init: ghost: no image: bin/ghost"]))
    out.append(Case("supervisor-service", exit_code=0, timeout=90,
                    initrd=os.path.join(BUILD, "test-svc.cpio"),
                    until=r"(?s)(?=.*init: nosvc exited)(?=.*init: svcbad exited)",
                    expect=[r"init: svc asks to restart counter", r"svcbad: 0 wrong answers",
                            r"init: counter ended: restart requested",
                            r"svc: restart counter: done", r"svc: restart counter: not allowed",
                            # the restart is under way when svc lists: 0 or 1 restarts
                            r"svc: counter +(running|restarting) +[01] +\d+",
                            r"svc: svc +(running|ended) +0 +\d+",
                            r"init: counter restarted on request"]))
    # Drivers.  The CMOS clock: QEMU's -rtc base= sets a known date; the driver prints it
    # (a few seconds may pass before it reads the clock), a client computes the same time.
    out.append(Case("rtc", exit_code=0, timeout=90, initrd=os.path.join(BUILD, "test-rtc.cpio"),
                    qemu_extra=["-rtc", "base=2024-02-29T12:34:56"],
                    until=r"init: rtcclient exited",
                    expect=[r"rtc: 2024-02-29 12:3[45]:\d\d UTC \(unix 170921\d{4}\)$",
                            r"rtcclient: wall clock 2024-02-29 12:3[45]:\d\d UTC",
                            r"rtcclient: consistent answers, 0 malformed requests answered wrongly"],
                    forbid=[r"init: rtc ended"]))
    # The PS/2 keyboard: keys typed through QEMU's monitor (sendkey) reach a client, with
    # Shift, Ctrl, Caps Lock and an arrow key; the driver has ports 0x60 and 0x64 only.
    keys = ["shift-h", "e", "l", "l", "o", "comma", "spc", "shift-w", "o", "r", "l", "d",
            "shift-1", "spc", "ctrl-c", "up", "caps_lock", "a", "caps_lock", "b", "ret"]
    out.append(Case("ps2kbd", exit_code=0, timeout=90,
                    initrd=os.path.join(BUILD, "test-ps2kbd.cpio"),
                    monitor=[(r"kbdclient: \d+ malformed requests answered wrongly; ready",
                              [f"sendkey {k}" for k in keys])],
                    until=r"init: kbdclient exited",
                    expect=[r"ps2kbd: keyboard ready",
                            r"kbdclient: 0 malformed requests answered wrongly",
                            r'kbdclient: read "Hello, World! \\x03\\x1b\[AAb\\x0d" in \d+ reads'],
                    forbid=[r"init: ps2kbd ended"]))
    # The framebuffer console on the framebuffer UEFI's GOP hands over through GRUB: known text
    # with escape sequences and a line typed on the keyboard and read through the console must
    # be on QEMU's screen exactly as the host draws it with the same font.
    shot = os.path.join(BUILD, "systest", "fbcon-uefi.ppm")
    out.append(Case("fbcon-uefi", boot="iso-uefi-fbcon", exit_code=0, timeout=150,
                    monitor=[(r"fbclient: \d+ malformed requests answered wrongly; ready",
                              [f"sendkey {k}" for k in FBCON_KEYS]),
                             (r"fbclient: screen written", [f"screendump {shot}"])],
                    until=r"fbclient: screen written",
                    expect=[r"booted via multiboot2",
                            r"fbcon: \d+x\d+ framebuffer at 0x[0-9a-f]+, 32 bits per pixel",
                            r"fbclient: 0 malformed requests answered wrongly",
                            r'fbclient: screen written \(0\), read "typed: Mica 4!"'],
                    forbid=[r"init: fbcon ended", r"init: ps2kbd ended"],
                    check=fbcon_screen))
    # The same on a direct boot, which hands over no framebuffer: the console sets a mode on
    # QEMU's standard VGA (PCI 1234:1111, Bochs VBE registers) itself.  A second console given
    # the edu device, which has no register BAR, says so and exits; a third with an optional
    # device that is not there (device=...?) is started without it and exits: nothing to drive.
    shot = os.path.join(BUILD, "systest", "fbcon-vga.ppm")
    out.append(Case("fbcon-vga", exit_code=0, timeout=150,
                    initrd=os.path.join(BUILD, "test-fbcon-vga.cpio"),
                    monitor=[(r"fbclient: \d+ malformed requests answered wrongly; ready",
                              [f"sendkey {k}" for k in FBCON_KEYS]),
                             (r"fbclient: screen written", [f"screendump {shot}"])],
                    until=r"fbclient: screen written",
                    expect=[r"devmgr: 00:01\.0 1234:1111 to fbcon: \d+ handles",
                            r"fbcon: 1024x768 framebuffer of the VGA \(Bochs VBE, dispi ID 0xb0c[2-5]\), "
                            r"32 bits per pixel: 128x48 characters of 8x16 pixels; input from the "
                            r"keyboard service",
                            r'fbcon: VGA: no "bar2" of device memory \(the register BAR; not QEMU\'s '
                            r'standard VGA\?\)',
                            r"init: wrongdev exited",
                            r"init: noscreen: no PCI device 1234:9999; starting it without one",
                            r"fbcon: no framebuffer \(the boot loader set up none\) and no VGA "
                            r"device; nothing to drive",
                            r"init: noscreen exited",
                            r"fbclient: 0 malformed requests answered wrongly",
                            r'fbclient: screen written \(0\), read "typed: Mica 4!"'],
                    forbid=[r"init: fbcon ended", r"init: ps2kbd ended", r"init: fbcon exited"],
                    check=fbcon_screen))
    out += serial_cases()
    out += system_cases()
    out += interactive_cases()
    out += linux_tty_cases()
    out += linux_cases()
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
    # The virtio-blk driver (drivers/virtio_blk) on the test disk image (tools/mkdisk.py), each
    # boot on a throw-away overlay (snapshot=on): reads of known sectors, writes, flush, bad
    # requests; a read-only disk; restarts at random moments and deliberate faults that lose
    # no request and no byte.
    out += vblk_cases()
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


# The framebuffer console's test: the screen QEMU shows must be exactly this text, drawn
# white on black with the console's font from the top left corner (tests/servers/fbclient.c).
FBCON_ROWS = {
    0: b"Mica framebuffer console",
    1: b"line 2: tab     here, backspace: ac",
    2: b"erased",
    3: b"     56789",
    5: b"         at row 6, column 10",
    7: b"Latin-1: \xe9\xe8\xfc\xdf",
    9: b"typed: Mica 4!",
}
FBCON_KEYS = ["shift-m", "i", "c", "a", "spc", "4", "shift-1", "ret"]


def read_ppm(path):
    """A binary PPM (P6, what QEMU's screendump writes): width, height, RGB bytes."""
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError(f"{path}: not an 8-bit binary PPM")
    return int(fields[1]), int(fields[2]), data[pos + 1:]


def fbcon_screen(case, text):
    """Compare every character cell of the screendump with the expected text."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import psf2c
    font = psf2c.load(FBCON_PSF)
    try:
        width, height, rgb = read_ppm(os.path.join(BUILD, "systest", case.name + ".ppm"))
    except (OSError, ValueError) as e:
        return f"no screendump: {e}"
    cols, rows = width // font.width, height // font.height
    glyphs, wrong = {}, []
    for row in range(rows):
        text = FBCON_ROWS.get(row, b"").ljust(cols)
        for col in range(cols):
            b = text[col]
            if b not in glyphs:
                glyphs[b] = psf2c.glyph_rows(font, b)
            for y, bits in enumerate(glyphs[b]):
                start = ((row * font.height + y) * width + col * font.width) * 3
                got = rgb[start:start + font.width * 3]
                want = b"".join(b"\xff\xff\xff" if on else b"\0\0\0" for on in bits)
                if got != want:
                    wrong.append((row, col))
                    break
    if wrong:
        return f"{len(wrong)} character cells differ from the expected text, first at " \
               f"(row, column) {wrong[:5]}"
    return None


SERIAL_PAYLOAD = 48  # letters per line of drivers/serial/tests/writer.c


def writer_line(i):
    """Line i of the serial driver's test client writer.c, without its newline."""
    return f"@{i:06d} " + "".join(chr(ord("a") + (i * 7 + k * 3) % 26) for k in range(SERIAL_PAYLOAD))


def check_writer_lines(count):
    """A check that writer.c's `count` lines all arrived, complete and in order.

    The kernel's log shares COM1 with the driver: its lines (init's restart
    messages) may land between two bytes of a driver line and are taken out
    first.  A write the driver died with is re-issued, so a line may be
    preceded by a partial copy (on the same text line: the part after the
    last '@' counts) or repeated whole: at least once, never out of order.
    """
    def check(case, out):
        text = re.sub(r"(?:init|serial|writer|warning): [^\n]*\n", "", out.replace("\r", ""))
        seen = []
        for line in text.split("\n"):
            if "@" not in line:
                continue
            last = line[line.rindex("@"):]
            m = re.fullmatch(r"@(\d{6}) [a-z]+", last)
            if not m or last != writer_line(int(m.group(1))):
                return f"a damaged line: {line!r}"
            seen.append(int(m.group(1)))
        expect = 0
        for n in seen:
            if n == expect - 1:  # repeated whole after a restart
                continue
            if n != expect:
                return f"line {n} arrived where line {expect} belongs"
            expect += 1
        if expect != count:
            return f"{expect} of {count} lines arrived"
        return None
    return check


def serial_cases():
    """The 16550 serial console driver (drivers/serial/): echo, malformed messages,
    restarts while writing, deliberate faults.  One CPU where the driver's output is
    checked byte for byte, so that a kernel log line never splits inside a driver line."""
    out = []
    overflow = bytes(ord("a") + i % 26 for i in range(3000))
    out.append(Case("serial-echo", smp=2, exit_code=0, timeout=120,
                    initrd=os.path.join(BUILD, "serial-echo.cpio"), until=r"^echo: done",
                    inputs=[(r"^echo: ready for 3 lines",
                             b"hello world\nFIFO-sized? no: " + b"x" * 300 + b"\nbye\n"),
                            (r"^echo: not reading now; send 3000 bytes", overflow),
                            (r"^echo: ready again", b"again\n")],
                    expect=[r"^serial: COM1 at 0x3f8, irq 4, life 0, kernel log through the driver$",
                            r"^echo: HELLO WORLD \(11 bytes\)$",
                            r"^echo: FIFO-SIZED\? NO: X{300} \(316 bytes\)$",
                            r"^echo: BYE \(3 bytes\)$",
                            r"^echo: overflow: 3000 bytes sent, 1024 kept, 1976 dropped, 0 wrong: "
                            r"as expected$",
                            r"^echo: AGAIN \(5 bytes\)$", r"^echo: done \(0\)$"]))
    out.append(Case("serial-malformed", smp=2, exit_code=0, timeout=90,
                    initrd=os.path.join(BUILD, "serial-malformed.cpio"),
                    until=r"^init: malformed exited",
                    inputs=[(r"^malformed: \d+ passed", b"z")],
                    expect=[r"^malformed: 22 passed, 0 failed$",
                            r"^malformed: the driver still writes$",
                            r"^malformed: the waiting reader got 1 byte\(s\) 'z' \(0\)$"],
                    forbid=[r"WRONG", r"init: console ended"]))
    out.append(Case("serial-recover", smp=1, exit_code=0, timeout=300,
                    initrd=os.path.join(BUILD, "serial-recover.cpio"),
                    until=r"^writer: \d+ lines written",
                    expect=[r"^writer: 2000 lines written, 0 failed, \d+ calls repeated after a "
                            r"driver crash, 8 restarts asked$",
                            r"init: console ended: restart requested",
                            r"serial: COM1 at 0x3f8, irq 4, life 8"],
                    check=check_writer_lines(2000)))
    faults = [("null", r"page fault \(vector 14\) at rip 0x[0-9a-f]+, address 0$"),
              ("port", r"general protection fault \(vector 13\)")]
    for name, why in faults:
        out.append(Case(f"serial-fault-{name}", smp=1, exit_code=0, timeout=120,
                        initrd=os.path.join(BUILD, f"serial-fault-{name}.cpio"),
                        until=r"^writer: \d+ lines written",
                        expect=[rf"^serial: COM1 at 0x3f8, irq 4, life 0, args fault-{name}, kernel log through the driver$",
                                rf"^init: console ended: {why}",
                                r"^init: console restarted \(restart 1 of at most 2\)",
                                r"^serial: COM1 at 0x3f8, irq 4, life 1, args fault-",
                                r"^writer: 40 lines written, 0 failed, 1 calls repeated after a "
                                r"driver crash, 0 restarts asked$"],
                        forbid=[r"that must not happen"],
                        check=check_writer_lines(40)))
    return out


# Servers that write to the kernel's log.  Once the serial driver has taken the kernel's
# console (SYS_CONSOLE_TAKE), their lines come through it whole, between the shell's
# writes; a shell line written in several pieces (the hex dump of `read`) may still have
# a log line between its pieces.  So the check takes the log lines out first.
LOG_LINE = re.compile(r"(?:init|devmgr|serial|rtc|ps2kbd|fbcon|virtio-blk|virtio-rng|rng|warning): "
                      r"[^\n]*\n")


def shell_output(patterns):
    """A check of what the shell printed, once the servers' log lines are taken out."""
    def check(case, out):
        text = LOG_LINE.sub("", out.replace("\r", ""))
        for pattern in patterns:
            if not re.search(pattern, text, re.M):
                return f"the shell's output lacks /{pattern}/"
LINUX_BUILD = os.path.join(BUILD, "linux")
POSIX_REPORT = re.compile(r"^posix: pid (\d+) (?:exited with status (\d+)|killed by signal (\d+))$", re.M)


def read_run_list(path):
    """The command lines of a posix run list (servers/posix/runlist.h): (env, argv) pairs."""
    out = []
    for line in open(path):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        env = {}
        while "=" in words[0] and not words[0].startswith("="):
            name, value = words.pop(0).split("=", 1)
            env[name] = value
        out.append((env, words))
    return out


def run_on_host(env, argv, cwd):
    """Run a Linux test program on the host as the posix server runs it on Mica: the same
    argv (argv[0] included), only the given environment, stdout and stderr on one channel,
    in the scratch directory cwd (on Mica the programs run in /).  Its output and its end,
    in the words of the posix server's report."""
    exe = os.path.join(LINUX_BUILD, os.path.basename(argv[0]))
    if not os.path.exists(exe):  # not one of ours: the host's own (Debian's busybox-static)
        exe = argv[0]
    p = subprocess.run(argv, executable=exe, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    out = p.stdout.decode(errors="replace")
    if out and not out.endswith("\n"):
        out += "\n"  # the posix server starts its report on a line of its own
    end = f"killed by signal {-p.returncode}" if p.returncode < 0 else \
        f"exited with status {p.returncode}"
    return out, end


def mica_blocks(text):
    """Each run-list program's output on Mica, between the posix server's "pid N runs" and
    its report, in the order they ran: [(output, end)].  Lines of other servers and of the
    posix server's own notes ("posix: pid N: ...") are not the program's; the output of
    a program's children is its own."""
    blocks = []
    # The kernel's note on a killed thread goes straight to the UART and may land inside a
    # line the console driver is still sending: take it out wherever it is.
    text = re.sub(r"warning: thread \d+: [^\n]*: thread ended\n", "", text)
    starts = list(re.finditer(r"^posix: pid (\d+) runs .*\n", text, re.M))
    for m in starts:
        pid = int(m.group(1))
        end = re.compile(rf"^posix: pid {pid} (exited with status \d+|killed by signal \d+)$",
                         re.M).search(text, m.end())
        if not end:
            blocks.append(None)
            continue
        body = text[m.end():end.start()]
        lines = [l for l in body.splitlines(keepends=True)
                 if not re.match(r"(posix: pid \d+: |init: |rtc: |serial: )", l)]
        blocks.append(("".join(lines), end.group(1)))
    return blocks


def check_differential(run_list):
    """Every command line of the run list gives the same output and end on Mica and here.
    Here they run one after the other in one scratch directory holding a copy of
    tests/linux/data (the ramdisk has it as /data), as on Mica they share one file system."""
    def check(case, out):
        with tempfile.TemporaryDirectory(prefix="mica-linux-") as scratch:
            shutil.copytree(os.path.join(ROOT, "tests", "linux", "data"),
                            os.path.join(scratch, "data"))
            # The programs, as bin/NAME, for those that execute others by a relative path
            # (on Mica they run in /, and the ramdisk has them in /bin).
            shutil.copytree(LINUX_BUILD, os.path.join(scratch, "bin"))
            return compare(out, scratch)

    def compare(out, scratch):
        blocks = mica_blocks(out)
        for n, (env, argv) in enumerate(read_run_list(run_list), start=1):
            want, want_end = run_on_host(env, argv, scratch)
            if n > len(blocks) or blocks[n - 1] is None:
                return f"program {n} ({' '.join(argv)}) did not run to its end on Mica"
            got, got_end = blocks[n - 1]
            if got != want:
                return f"program {n} ({' '.join(argv)}): output differs: Mica {got!r}, " \
                       f"Linux {want!r}"
            if got_end != want_end:
                return f"program {n} ({' '.join(argv)}): Mica: {got_end}, Linux: {want_end}"
        return None
    return check


def run_list_length(path):
    """How many command lines a run list (servers/posix/runlist.h) has."""
    with open(path) as f:
        return sum(1 for line in f if line.strip() and not line.lstrip().startswith("#"))


def linux_cases():
    """The Linux personality (servers/posix/): static musl programs on Mica and on the host
    must print the same and end the same way (tests/linux/programs); so must Debian's
    busybox-static for the applets it can run already (tests/linux/busybox.programs)."""
    return [Case("linux-busybox", smp=2, exit_code=0, timeout=180,
                 initrd=os.path.join(BUILD, "linux-busybox.cpio"),
                 until=r"^posix: \d+ programs run",
                 expect=[r"^posix: %d programs run, 0 could not start$" % run_list_length(
                     os.path.join(ROOT, "tests", "linux", "busybox.programs"))],
                 forbid=[r"init: posix ended"],
                 check=check_differential(os.path.join(ROOT, "tests", "linux",
                                                       "busybox.programs"))),
            Case("linux-mica", smp=2, exit_code=0, timeout=300,
                 initrd=os.path.join(BUILD, "linux-mica.cpio"),
                 until=r"^posix: \d+ programs run",
                 expect=[r"^init: pid 1, parent 0$",
                         r"^orphan: my parent is now 1$",
                         r"^init reaped its child: exit status 3$",
                         r"^init reaped the orphan: exit status 7$",
                         r"^and then: -1 No child process$",
                         r"^fuzz: 60 children of 1500 calls each: \d+ ended, \d+ died of a signal, "
                         r"\d+ killed at the deadline$",
                         r"^hello, world$",
                         r"^posix: 3 programs run, 0 could not start$"],
                 forbid=[r"init: posix ended", r"PANIC", r"EXCEPTION", r"posix: receiving failed"]),
            Case("linux-programs", smp=2, exit_code=0, timeout=180,
                 initrd=os.path.join(BUILD, "linux-tests.cpio"),
                 until=r"^posix: \d+ programs run",
                 expect=[r"^posix: %d programs run, 0 could not start$" % run_list_length(
                     os.path.join(ROOT, "tests", "linux", "programs")),
                         r"^posix: pid \d+: unknown system calls \(number x times\): 1000 x1$",
                         r"^posix: pid \d+: page fault at rip 0x[0-9a-f]+, address 0$"],
                 forbid=[r"init: posix ended"],
                 check=check_differential(os.path.join(ROOT, "tests", "linux", "programs"))),
            # make bench's Linux benchmark (tests/linux/bench.c), each figure once: that it
            # runs to its end on Mica (its figures are not looked at; a figure is n/a only where
            # a device it needs is missing).
            Case("linux-bench-quick", smp=2, exit_code=0, timeout=180,
                 initrd=os.path.join(BUILD, "linux-bench-quick.cpio"),
                 until=r"^posix: \d+ programs run",
                 expect=[r"^lbench null_call \d+ ns \d+ cycles$",
                         r"^lbench fork_exec_wait \d+ ns \d+ cycles$",
                         r"^lbench ctxsw \d+ ns \d+ cycles$", r"^lbench done$",
                         r"^posix: pid 1 exited with status 0$",
                         r"^posix: 1 programs run, 0 could not start$"],
                 forbid=[r"init: posix ended"]),
            Case("linux-isolation", smp=2, exit_code=0, timeout=180,
                 initrd=os.path.join(BUILD, "linux-isolation.cpio"),
                 until=r"^posix: \d+ programs run",
                 expect=[r"^posix: 1 programs run, 0 could not start$"],
                 forbid=[r"init: posix ended"],
                 check=check_isolation)]


def check_isolation(case, out):
    """The isolation test starts as root (tests/linux/isolation.c): its output on Mica must
    be tests/linux/isolation.expected exactly, and, when these tests run as root here, what
    Linux prints too."""
    linux = os.path.join(ROOT, "tests", "linux")
    blocks = mica_blocks(out)
    if not blocks or blocks[0] is None:
        return "isolation did not run to its end on Mica"
    got, end = blocks[0]
    want = open(os.path.join(linux, "isolation.expected")).read()
    if got != want:
        return f"isolation: output differs: Mica {got!r}, expected {want!r}"
    if end != "exited with status 0":
        return f"isolation: Mica: {end}"
    if os.geteuid() != 0:
        return None  # Linux would refuse the setup to an ordinary user
    return check_differential(os.path.join(linux, "isolation.programs"))(case, out)


def system_cases():
    """The system `make run` boots (servers/system.manifest): the shell on the serial
    console answers commands typed on the serial line, through every service."""
    prompt = r"msh\$ $"
    steps = [b"help\r", b"servers\r", b"lspci\r", b"date\r", b"disk\r", b"read 7\r",
             b"restart disk\r", b"read 9\r", b"random 8\r", b"restart console\r",
             b"echo still herXY\x7f\x7fe\r", b"nosuch\r"]  # Delete erases XY
    inputs = [(r"Type `help` for the commands", steps[0])]
    # Each next command once one more prompt has appeared.
    inputs += [(rf"(?s)(msh\$ .*){{{i + 2}}}", step) for i, step in enumerate(steps[1:])]
    return [Case("system-shell", exit_code=0, timeout=120,
                 initrd=os.path.join(BUILD, "system-msh.cpio"),
                 qemu_extra=vblk_disk() + ["-device", "virtio-rng-pci,disable-legacy=on"],
                 until=r"nosuch: unknown command",
                 inputs=inputs,
                 expect=[r"init: disk restarted on request", r"init: console restarted on request",
                         # the second shell's screen: QEMU's VGA, as the direct boot has no
                         # framebuffer from a boot loader
                         r"fbcon: 1024x768 framebuffer of the VGA \(Bochs VBE"],
                 check=shell_output([
                     r"^  servers +the servers the supervisor runs",
                     r"^console +running +0 +\d+", r"^msh +running +0 +\d+",
                     r"^00:03\.0 1234:11e8 class 00ff00 -$", r"^00:\d\d\.0 1af4:1042 class 010000 disk$",
                     r"^00:01\.0 1234:1111 class 030000 screen$",
                     r"^disk: 65536 sectors of 512 bytes \(32 MiB\)", r"^restart disk: done$",
                     r"^restart console: done$",
                     r"^0000  4d 49 43 41 44 49 53 4b 07 00 00 00 00 00 00 00  MICADISK",
                     r"^0000  4d 49 43 41 44 49 53 4b 09 00 00 00 00 00 00 00  MICADISK",
                     r"^[0-9a-f]{16}$", r"^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC$",
                     r"^still here$"]),
                 forbid=[r"PANIC", r"init: \S+ ended: (?!restart requested)", r"init: \S+ exited",
                         r"init: \S+: cannot"])]


def interactive_cases():
    """The system `make run` boots (servers/system.manifest): Debian's busybox shell on the
    serial console, driven like a user at a terminal (the posix server's terminal,
    servers/posix/tty.c): commands, line editing with Delete and ^U, ^C interrupting a
    sleep, ^Z stopping one and fg continuing it, a background job and wait, and editing a
    file with vi."""
    prompt = r"# (?:\x1b\[6n)?$"  # busybox asks the terminal where the cursor is (ESC [6n)
    dialog = [(prompt, b"echo one two\r"),
              (r"^one two\n", b"echo abX\x7fc\r"),  # Delete erases the X
              (r"^abc\n", b"echo wrong\x15echo right\r"),  # ^U kills the line typed so far
              (r"^right\n", b"echo started; sleep 100\r"),
              (r"^started\n", b"\x03", 2),  # ^C: SIGINT for the sleep's process group
              (prompt, b"echo status $?\r"),
              (r"^status \d+\n", b"sleep 100\r"),
              (r"sleep 100\n", b"\x1a", 2),  # ^Z: SIGTSTP stops the job
              (r"Stopped", b"jobs\r"),
              (prompt, b"fg\r"),  # SIGCONT, and the job is in the foreground again
              (r"^sleep 100\n", b"\x03", 2),
              (prompt, b"echo status $?\r"),
              (r"^status \d+\n", b"sleep 1 & wait; echo waited\r"),  # wait needs SIGCHLD
              (r"^waited\n", b"sleep 2\r"),
              (r"sleep 2\n", b"echo typed ahead\r", 0.5),  # kept by the terminal meanwhile
              (r"^typed ahead\n(?:.*\n)*?[^\n]*# (?:\x1b\[6n)?$", b"vi /tmp/f\r"),
              (r"~", b"ihello from vi\x1b", 2),
              (r"- /tmp/f \[Modified\]", b":wq\r"),  # back in command mode, the text typed
              (prompt, b"cat /tmp/f; echo done\r"),
              (prompt, b"exit\r"),  # the shell, pid 1, ends: the run list is over
              (r"^posix: 1 programs run", b"\r")]  # a key lets the input thread go too
    return [Case("interactive", exit_code=0, timeout=240,
                 initrd=os.path.join(BUILD, "system.cpio"),
                 qemu_extra=vblk_disk() + ["-device", "virtio-rng-pci,disable-legacy=on"],
                 until=r"^init: posix exited$", dialog=dialog,
                 check=shell_output([r"^one two$", r"^abc$", r"^right$", r"^status 130$",
                                     r"^\[1\]\+ +Stopped +sleep 100$", r"^status 130$",
                                     r"^waited$", r"^typed ahead$",
                                     r"^hello from vi$", r"^done$"]),
                 expect=[r"^posix: pid 1 exited with status 0$"],
                 forbid=[r"PANIC", r"^wrong$", r"posix: pid 1 killed", r"init: posix ended"])]


def linux_tty_cases():
    """The terminal as a program sees it (tests/linux/tty.c): the harness types what each
    "tty: ..." line asks for; the program prints what its reads and ioctls gave."""
    dialog = [(r"^tty: type a line$", b"abc\x7fd\r"),
              (r"^tty: type a long line$", b"abcdefgh\r"),
              (r"^tty: type end of file$", b"\x04"),
              (r"^tty: type a secret$", b"pw\r"),
              (r"^tty: type five keys$", b"12345"),
              (r"^tty: type three keys$", b"xyz"),
              (r"^tty: press \^C$", b"\x03"),
              (r"^tty: type for the job$", b"kid\r")]
    lines = ["isatty(0): yes", "tcgetattr: 0", "ICANON, ECHO, ISIG, ICRNL: yes",
             "^C ^\\ ^Z ^D DEL ^U: yes",
             "tty: type a line", "abc\b \bd", "line: 4 [abd\\n]",
             "tty: type a long line", "abcdefgh", "first part: 4 [abcd]", "the rest: 5 [efgh\\n]",
             "tty: type end of file", "eof: 0 []",
             "tty: type a secret", "secret: 3 [pw\\n]",  # no echo between the two
             "tcsetattr raw, VMIN 5: 0", "tty: type five keys", "raw read: 5 [12345]",
             "VMIN 0, VTIME 3, nothing typed: 0 []", "VMIN 0, VTIME 0: 0 []",
             "tty: type three keys", "FIONREAD: 3", "raw read: 3 [xyz]",
             "O_NONBLOCK, nothing typed: Resource temporarily unavailable",
             "tcsetattr back to canonical: 0",
             "TIOCGWINSZ: 0", "window: 24 x 80", "TIOCSWINSZ: 0", "window: 40 x 100",
             "TCGETS to a bad pointer: Bad address", "TCSETS from a bad pointer: Bad address",
             "TIOCGWINSZ to a bad pointer: Bad address", "TIOCSPGRP from a bad pointer: Bad address",
             "FIONREAD to a bad pointer: Bad address", "an unknown ioctl: Not a tty",
             "TCFLSH with a bad queue: Invalid argument",
             "a session leader: yes", "the foreground group is mine: yes", "TIOCGSID: 0",
             "... my session: yes", "tcsetpgrp(-1): Invalid argument",
             "tcsetpgrp(child's group): 0", "the foreground group is the child's: yes",
             "a read from the background (SIGTTIN ignored): I/O error",
             "tty: press ^C", "^Cthe foreground job: killed by signal 2",  # ^C's echo
             "tcsetpgrp(mine) from the background: 0", "the foreground group is mine again: yes",
             "tty: type for the job", "kid", "the background job's read, once in the foreground: 4 [kid\\n]",
             "the job: exited 0", "tcsetpgrp(mine) again: 0",
             "child: TIOCSCTTY: Operation not permitted", "child: TIOCNOTTY: 0",
             "child: tcgetpgrp after TIOCNOTTY: Not a tty",  # musl's words for ENOTTY
             "new session: tcgetpgrp: Not a tty", "new session: tcsetpgrp: Not a tty",
             "new session: TIOCSCTTY of a terminal another session has: Operation not permitted",
             "tcsetpgrp(no such group): No such process",
             "ioctl(TCGETS) on a pipe: Not a tty", "tty: done"]

    def check(case, out):
        blocks = mica_blocks(out)
        if not blocks or blocks[0] is None:
            return "the program did not run to its end"
        got, end = blocks[0]
        want = "".join(l + "\n" for l in lines)
        if got != want:
            return f"the terminal session differs: got {got!r}, wanted {want!r}"
        return None if end == "exited with status 0" else f"the program {end}"
    return [Case("linux-tty", smp=2, exit_code=0, timeout=120,
                 initrd=os.path.join(BUILD, "linux-tty.cpio"), until=r"^posix: \d+ programs run",
                 dialog=dialog, forbid=[r"init: posix ended"], check=check)]


def vblk_disk(readonly=False):
    """QEMU options of a modern (virtio 1.x only) virtio-blk disk holding the test image."""
    ro = ",readonly=on" if readonly else ",snapshot=on"
    return ["-drive", f"file={os.path.join(BUILD, 'disk-test.img')},if=none,format=raw,id=d0{ro}",
            "-device", "virtio-blk-pci,drive=d0,disable-legacy=on,serial=MICA-TEST-DISK"]


def vblk_cases():
    ready = r"virtio-blk: ready \(life 0\): 65536 sectors of 512 bytes, read-(write|only)"
    out = []
    for name, readonly in (("rw", False), ("ro", True)):
        out.append(Case(f"vblk-{name}", exit_code=0, timeout=120, qemu_extra=vblk_disk(readonly),
                        initrd=os.path.join(BUILD, f"test-blk-{name}.cpio"),
                        until=r"blktest: done",
                        expect=[ready, r"devmgr: 00:\d\d\.0 1af4:1042 to vblk: \d+ handles",
                                r"blktest: disk of 65536 sectors, up to \d+ per request, read-"
                                + ("only" if readonly else "write"),
                                r"blktest: 8 threads made 480 requests at once, 0 wrong",
                                r"blktest: \d+ checks, 0 failed"],
                        forbid=[r"FAILED", r"init: vblk ended"]))
    recovered = [r"blkrecover: \d+ MiB written and read back in \d+ requests in \d+ ms; "
                 r"\d+ driver restarts asked, [1-9]\d* requests re-issued, 0 failed, 0 sectors wrong",
                 r"blkrecover: every request completed, every byte right",
                 r"virtio-blk: ready \(life [1-9]\d*\)"]
    out.append(Case("vblk-recover-kill", exit_code=0, timeout=400, qemu_extra=vblk_disk(),
                    initrd=os.path.join(BUILD, "test-blk-kill.cpio"), until=r"blkrecover: done",
                    expect=recovered + [r"init: vblk ended: restart requested"],
                    forbid=[r"FAILED", r"giving up"]))
    faults = [("null", r"init: vblk ended: page fault \(vector 14\)"),
              ("port", r"init: vblk ended: general protection fault \(vector 13\)")]
    for name, why in faults:
        out.append(Case(f"vblk-fault-{name}", exit_code=0, timeout=400, qemu_extra=vblk_disk(),
                        initrd=os.path.join(BUILD, f"test-blk-fault-{name}.cpio"),
                        until=r"blkrecover: done",
                        expect=recovered + [r"virtio-blk: deliberate fault after 40 requests", why,
                                            r"init: vblk restarted"],
                        forbid=[r"FAILED", r"giving up", r"that must not happen"]))
    return out


def qemu_command(case, accel):
    args = subprocess.run([os.path.join(ROOT, "tools", "qemu-args.sh"), accel, str(case.smp),
                           str(case.mem)], check=True, capture_output=True, text=True).stdout.split()
    monitor = f"unix:{monitor_path(case)},server=on,wait=off" if case.monitor else "none"
    cmd = ["qemu-system-x86_64"] + args + ["-serial", "stdio", "-monitor", monitor] + case.qemu_extra
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
    elif case.boot == "iso-uefi-fbcon":
        cmd += ["-bios", OVMF, "-cdrom", FBCON_ISO]
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
    if case.check:
        why = case.check(case, out)
        if why:
            return why
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


def monitor_path(case):
    return os.path.join(BUILD, "systest", case.name + ".monitor")


def monitor_commands(case, commands):
    """Give QEMU's human monitor the commands, each after the prompt of the one before."""
    def prompt(sock):
        seen = b""
        while not seen.endswith(b"(qemu) "):
            chunk = sock.recv(4096)
            if not chunk:
                raise OSError("the monitor closed the connection")
            seen += chunk
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(30)
        sock.connect(monitor_path(case))
        prompt(sock)
        for command in commands:
            sock.sendall(command.encode() + b"\n")
            prompt(sock)


def run_until(case, accel):
    """Run a system that does not stop by itself until case.until appears; exit code 0 then."""
    for stale in (monitor_path(case), os.path.join(BUILD, "systest", case.name + ".ppm")):
        if os.path.exists(stale):
            os.unlink(stale)
    p = subprocess.Popen(qemu_command(case, accel),
                         stdin=subprocess.PIPE if case.inputs or case.dialog else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, deadline, pattern = b"", time.monotonic() + case.timeout, re.compile(case.until, re.M)
    inputs = list(case.inputs)
    dialog, since = list(case.dialog), 0  # since: where the dialog's next pattern is looked for
    os.set_blocking(p.stdout.fileno(), False)
    steps = list(case.monitor)
    while time.monotonic() < deadline and p.poll() is None:
        chunk = p.stdout.read() or b""
        out += chunk
        text = out.decode(errors="replace").replace("\r\n", "\n")
        while steps and re.search(steps[0][0], text, re.M):
            monitor_commands(case, steps.pop(0)[1])
        if pattern.search(text):
            break
        while inputs and re.search(inputs[0][0], text, re.M):  # type what the system waits for
            p.stdin.write(inputs.pop(0)[1])
            p.stdin.flush()
        while dialog and re.search(dialog[0][0], text[since:], re.M):
            since = len(text)
            step = dialog.pop(0)
            if len(step) > 2:  # a pause before typing (a program must get going first)
                time.sleep(step[2])
            p.stdin.write(step[1])
            p.stdin.flush()
        time.sleep(0.1)
    done = pattern.search(out.decode(errors="replace").replace("\r\n", "\n")) is not None
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
    """Run one case: (case, why it failed or None, seconds, output).  Whatever goes wrong in
    the harness itself - a host program of a differential check that times out, say - is the
    case's failure, never a case that silently drops out of the count."""
    start = time.monotonic()
    try:
        return run_case_inner(case, accel)
    except Exception as e:  # noqa: BLE001 - every error of the harness is the case's failure
        return case, f"the harness failed: {e!r}", time.monotonic() - start, ""


def run_case_inner(case, accel):
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
    env["MICA_ISO_CMDLINE"] = "mica.exit"
    env["MICA_ISO_MODULE"] = os.path.join(BUILD, "test-fbcon.cpio")
    subprocess.run([os.path.join(ROOT, "tools", "mkiso.sh"), KERNEL, FBCON_ISO], check=True,
                   env=env)


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
