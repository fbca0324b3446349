#!/usr/bin/env bash
# check-ksyms.sh PASS1 FINAL - the two kernel links must place every function
# at the same address, or the embedded symbol table would name wrong functions.
set -euo pipefail
if ! diff <(nm -n --defined-only "$1" | grep -i ' t ' | grep -v ksyms) \
          <(nm -n --defined-only "$2" | grep -i ' t ' | grep -v ksyms) >/dev/null; then
    echo "check-ksyms: function addresses moved between the two links" >&2
    exit 1
fi
