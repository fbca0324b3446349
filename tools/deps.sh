#!/usr/bin/env bash
# deps.sh - install the Debian packages Mica's build, run and tests need,
# saying which ones it installs.  Does nothing when all are present.
set -euo pipefail

packages=(
    gcc make binutils python3 clang-format cpio
    qemu-system-x86 qemu-utils
    grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf
    console-setup-linux
    musl-tools busybox-static
    libc6-dev linux-libc-dev
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing missing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: installed ${missing[*]}"
