#!/usr/bin/env bash
# check.sh - everything `make check` runs, in order, ending with the line
# "N passed, N failed".  Each step prints PASS:/FAIL: lines; this script
# counts them.  Steps: build, code style, host unit tests, the symbol-table
# tool's own checks, and the system tests that boot Mica in QEMU.
set -uo pipefail
cd "$(dirname "$0")/.."
log=build/check.log
mkdir -p build
: > "$log"

step() { # step NAME COMMAND... : run, show and record its output
    echo "== $1"
    shift
    "$@" 2>&1 | tee -a "$log"
    return "${PIPESTATUS[0]}"
}

if step build make -j2 all; then
    echo "PASS: build/all" | tee -a "$log"
else
    echo "FAIL: build/all" | tee -a "$log"
fi

if [ -f build/mica.elf ]; then
    sources=$(git ls-files -co --exclude-standard -- '*.c' '*.h' 2>/dev/null || find kernel tests -name '*.[ch]')
    if step style clang-format --dry-run -Werror $sources; then
        echo "PASS: style/clang-format" | tee -a "$log"
    else
        echo "FAIL: style/clang-format (run 'make format')" | tee -a "$log"
    fi
    step host-unit-tests make -s -C tests/host run
    step mksyms python3 tools/mksyms.py --selftest
    step system-tests python3 tests/system/systest.py
fi

passed=$(grep -c '^PASS: ' "$log")
failed=$(grep -c '^FAIL: ' "$log")
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
