# Mica - top-level build.
#
#   make run     build, then boot Mica in QEMU: the shell on the serial console here
#   make check   build everything and run every test; ends "N passed, N failed"
#   make bench   benchmarks (figures, never pass/fail)
#   make debug   boot halted with a gdb stub; see docs/hacking.md
#   make iso     the GRUB image (BIOS and UEFI) for real PCs
#
# Variables: SMP (CPUs, default 2), MEM (MiB, default 512), ACCEL (tcg or kvm),
# CMDLINE (extra kernel command line).

BUILD   ?= build
.DEFAULT_GOAL := all
SMP     ?= 2
MEM     ?= 512
ACCEL   ?= tcg
CMDLINE ?=

KDIR    := kernel
ARCH    := $(KDIR)/arch/x86_64
KCC     := gcc
KLD     := ld
KCFLAGS := -std=c11 -ffreestanding -fno-pie -fno-pic -mno-red-zone -mcmodel=kernel \
           -mgeneral-regs-only -fno-stack-protector -fno-omit-frame-pointer \
           -fno-asynchronous-unwind-tables -fno-strict-aliasing -O2 -g \
           -Wall -Wextra -Werror -I$(KDIR)/include -I$(ARCH)/include -MMD -MP
KASFLAGS := -D__ASSEMBLER__ -I$(KDIR)/include -I$(ARCH)/include -MMD -MP -g
KLDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack -T $(ARCH)/linker.ld

KSRC_C := $(shell find $(KDIR) -name '*.c' | sort)
KSRC_S := $(shell find $(KDIR) -name '*.S' | sort)
KOBJS  := $(patsubst %.c,$(BUILD)/%.o,$(KSRC_C)) $(patsubst %.S,$(BUILD)/%.o,$(KSRC_S))
KERNEL := $(BUILD)/mica.elf
ISO    := $(BUILD)/mica.iso

# Native user programs: freestanding and static.  They are built with general
# registers only for now, like the kernel; the kernel does save each thread's
# FPU/SSE/AVX state, so programs that use those registers work too.
UCC      := gcc
UCFLAGS  := -std=c11 -ffreestanding -fno-pie -fno-pic -mgeneral-regs-only -fno-stack-protector \
            -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -O2 -g -Wall -Wextra -Werror \
            -I$(KDIR)/include -Ilib/mica -MMD -MP
ULDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack -T lib/mica/user.ld
ULIB_SRC := lib/mica/crt0.S lib/mica/syscall.S lib/mica/runtime.c lib/mica/server.c lib/mica/print.c \
            lib/mica/str.c lib/mica/clock.c lib/mica/heap_core.c lib/mica/malloc.c lib/mica/thread.c \
            lib/mica/waitq.c lib/mica/mutex.c lib/mica/cond.c lib/mica/sem.c lib/mica/once.c lib/mica/client.c \
            kernel/lib/format.c kernel/lib/string.c kernel/lib/sort.c \
            kernel/arch/x86_64/memops.S
ULIB_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(ULIB_SRC))
ROOTTASK_SRC := $(wildcard user/roottask/*.c)
ROOTTASK := $(BUILD)/roottask.elf

$(BUILD)/user-obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"
	@$(UCC) $(UCFLAGS) -c $< -o $@

$(BUILD)/user-obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  UAS     $<"
	@$(UCC) -D__ASSEMBLER__ -I$(KDIR)/include -c $< -o $@

$(ROOTTASK): $(ULIB_OBJS) $(patsubst %,$(BUILD)/user-obj/%.o,$(ROOTTASK_SRC)) lib/mica/user.ld
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

BENCH_TASK := $(BUILD)/bench.elf
$(BENCH_TASK): $(ULIB_OBJS) $(BUILD)/user-obj/user/bench/main.c.o lib/mica/user.ld
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

include idl/rules.mk
include servers/rules.mk
include $(sort $(wildcard drivers/*/build.mk))
include servers/posix/build.mk
include servers/system.mk

all: $(KERNEL) $(ROOTTASK) $(BENCH_TASK) $(ISO) initrds host-tests

deps:
	@tools/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(KCC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(KCC) $(KASFLAGS) -c $< -o $@

# The kernel is linked twice: the first link yields the addresses of all
# functions, which tools/mksyms.py turns into the symbol table that the second
# link embeds for symbolized backtraces.  The table sits at the very end of the
# image, so no other address changes between the two links.
$(BUILD)/ksyms_table0.S:
	@mkdir -p $(BUILD)
	@python3 tools/mksyms.py < /dev/null > $@

$(BUILD)/ksyms_table%.o: $(BUILD)/ksyms_table%.S
	@$(KCC) $(KASFLAGS) -c $< -o $@

$(BUILD)/mica.pass1.elf: $(KOBJS) $(BUILD)/ksyms_table0.o $(ARCH)/linker.ld
	@echo "  LD      $@"
	@$(KLD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms_table0.o

$(BUILD)/ksyms_table1.S: $(BUILD)/mica.pass1.elf tools/mksyms.py
	@nm -n --defined-only $< | python3 tools/mksyms.py > $@

$(KERNEL): $(KOBJS) $(BUILD)/ksyms_table1.o $(ARCH)/linker.ld
	@echo "  LD      $@"
	@$(KLD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms_table1.o
	@tools/check-ksyms.sh $(BUILD)/mica.pass1.elf $@

$(ISO): $(KERNEL) tools/mkiso.sh
	@echo "  ISO     $@"
	@tools/mkiso.sh $(KERNEL) $@

kernel: $(KERNEL)
iso: $(ISO)

host-tests:
	$(MAKE) -C tests/host all

QEMU_ARGS = $(shell tools/qemu-args.sh $(ACCEL) $(SMP) $(MEM))
# GUI=1: QEMU shows the screen (its window; the console stays on this terminal).
RUN_QEMU_ARGS = $(if $(filter 1,$(GUI)),$(subst -display none,,$(QEMU_ARGS)),$(QEMU_ARGS))

run: deps $(KERNEL) $(SYSTEM_CPIO) $(SYSTEM_DEVICES_DEPS)
	@echo "Mica: booting in QEMU ($(ACCEL), $(SMP) CPUs, $(MEM) MiB). Leave with Ctrl-A X."
	qemu-system-x86_64 $(RUN_QEMU_ARGS) -kernel $(KERNEL) -initrd $(SYSTEM_CPIO) -append "$(CMDLINE)" \
		-serial mon:stdio $(SYSTEM_DEVICES)

# The kernel's own test suite, booted by hand (make check runs it too).
run-tests: deps $(KERNEL) $(ROOTTASK)
	qemu-system-x86_64 $(QEMU_ARGS) -kernel $(KERNEL) -initrd $(ROOTTASK) -append "$(CMDLINE)" -serial mon:stdio

run-iso: deps $(ISO)
	qemu-system-x86_64 $(RUN_QEMU_ARGS) -cdrom $(ISO) -serial mon:stdio

run-uefi: deps $(ISO)
	qemu-system-x86_64 $(RUN_QEMU_ARGS) -bios /usr/share/ovmf/OVMF.fd -cdrom $(ISO) -serial mon:stdio

debug: deps $(KERNEL)
	@echo "QEMU waits for gdb on localhost:1234; in another terminal run: gdb -x tools/gdbinit"
	qemu-system-x86_64 $(QEMU_ARGS) -kernel $(KERNEL) -append "$(CMDLINE)" -serial mon:stdio -s -S

format:
	clang-format -i $$(git ls-files -co --exclude-standard -- '*.c' '*.h')

check: deps
	@tools/check.sh

bench: deps $(KERNEL) $(BENCH_TASK) $(BUILD)/linux-bench.cpio
	@tools/bench.sh

clean:
	rm -rf $(BUILD)

.PHONY: all deps kernel iso host-tests run run-tests run-iso run-uefi debug format check bench clean

-include $(KOBJS:.o=.d) $(patsubst %.o,%.d,$(wildcard $(BUILD)/user-obj/*/*/*.o))
