#!/usr/bin/env bash
# bench.sh - `make bench`: the kernel's microbenchmarks (see tools/bench.py), then the Linux
# personality against a real Linux kernel (tools/linux-bench.py; `--kvm` adds KVM figures).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 tools/bench.py
exec python3 tools/linux-bench.py "$@"
