#!/usr/bin/env bash
# mkiso.sh KERNEL OUT.iso - a GRUB image that boots Mica through Multiboot2
# on BIOS and UEFI PCs (grub-mkrescue builds both boot paths into one ISO).
# Extra kernel options for the image: MICA_ISO_CMDLINE; a boot module (an
# initial ramdisk) to load with the kernel: MICA_ISO_MODULE.
set -euo pipefail
kernel=$1 out=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/mica.elf"
module=""
if [ -n "${MICA_ISO_MODULE:-}" ]; then
    cp "$MICA_ISO_MODULE" "$dir/boot/initrd"
    module="module2 /boot/initrd"
fi
cat > "$dir/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
insmod all_video
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry "Mica" {
    multiboot2 /boot/mica.elf ${MICA_ISO_CMDLINE:-}
    $module
    boot
}
CFG
grub-mkrescue -o "$out" "$dir" >/dev/null 2>&1 || {
    echo "mkiso: grub-mkrescue failed; run it by hand to see why:" >&2
    echo "  grub-mkrescue -o $out $dir" >&2
    exit 1
}
