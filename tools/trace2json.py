#!/usr/bin/env python3
"""Convert Mica kernel trace events to the Chrome/Perfetto trace format.

Input: a boot log holding "trace-event: TSC TYPE CPU A B" lines (as the root
task's trace test prints them) and the kernel's "tsc: N.NNN MHz" line.
Output: JSON in the Trace Event Format, which chrome://tracing and
ui.perfetto.dev open: one track per CPU showing which thread ran when
(from the context-switch events), and instant events for system calls,
IPC, faults and interrupts.

Usage: trace2json.py LOG [OUT.json]    (OUT defaults to standard output)
"""
import json
import re
import sys

EVENT = re.compile(r"^trace-event: (\d+) (\d+) (\d+) (\d+) (\d+)\s*$", re.M)
TSC = re.compile(r"^tsc: (\d+)\.(\d+) MHz", re.M)
NAMES = {1: "switch", 2: "syscall", 3: "sysret", 4: "ipc send", 5: "ipc deliver",
         6: "fault", 7: "interrupt", 8: "lost events"}
SWITCH = 1


def parse(text):
    m = TSC.search(text)
    if not m:
        raise SystemExit("trace2json: no 'tsc: ... MHz' line in the log")
    mhz = int(m.group(1)) + int(m.group(2)) / 1000.0
    events = [tuple(int(x) for x in e.groups()) for e in EVENT.finditer(text)]
    return mhz, events


def convert(mhz, events):
    out = []
    if not events:
        return {"traceEvents": out, "displayTimeUnit": "ns"}
    t0 = min(e[0] for e in events)
    running = {}  # cpu -> (thread id, start in microseconds)
    for tsc, kind, cpu, a, b in sorted(events):
        us = (tsc - t0) / mhz
        if kind == SWITCH:
            if cpu in running:
                tid, start = running[cpu]
                out.append({"name": f"thread {tid}", "ph": "X", "ts": start, "dur": us - start,
                            "pid": 1, "tid": cpu})
            running[cpu] = (b, us)
            continue
        out.append({"name": NAMES.get(kind, f"event {kind}"), "ph": "i", "s": "t", "ts": us,
                    "pid": 1, "tid": cpu, "args": {"a": a, "b": b}})
    for cpu, (tid, start) in running.items():
        end = (max(e[0] for e in events) - t0) / mhz
        out.append({"name": f"thread {tid}", "ph": "X", "ts": start, "dur": end - start,
                    "pid": 1, "tid": cpu})
    out.append({"name": "process_name", "ph": "M", "pid": 1, "args": {"name": "Mica CPUs"}})
    return {"traceEvents": out, "displayTimeUnit": "ns"}


def main():
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    with open(sys.argv[1], errors="replace") as f:
        mhz, events = parse(f.read().replace("\r", ""))
    doc = convert(mhz, events)
    text = json.dumps(doc, indent=1)
    if len(sys.argv) == 3:
        with open(sys.argv[2], "w") as f:
            f.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
