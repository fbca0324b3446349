#!/usr/bin/env bash
# bench.sh - `make bench`: the kernel's microbenchmarks (see tools/bench.py).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 tools/bench.py "$@"
