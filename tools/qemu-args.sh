#!/usr/bin/env bash
# qemu-args.sh ACCEL SMP MEM - the QEMU options every Mica boot uses:
# a q35 PC, `-cpu max` under TCG (modern features such as XSAVE and SMEP;
# Debian's QEMU 7.2 emulates neither PCID nor INVPCID nor the TSC-deadline
# timer, so the kernel's PCID path runs only under KVM on real hardware),
# or the host CPU under KVM, the isa-debug-exit
# device through which test boots report their verdict, and QEMU's "edu" PCI
# test device, whose message-signalled interrupts the kernel's tests use.
accel=${1:-tcg} smp=${2:-2} mem=${3:-512}
case "$accel" in
    tcg) cpu="max" ; acc="tcg,thread=multi" ;;
    kvm) cpu="host"; acc="kvm" ;;
    *) echo "qemu-args: unknown accelerator '$accel' (tcg or kvm)" >&2; exit 1 ;;
esac
echo "-machine q35 -accel $acc -cpu $cpu -smp $smp -m $mem -display none -no-reboot" \
     "-device isa-debug-exit,iobase=0xf4,iosize=0x04 -device edu"
