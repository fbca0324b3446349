# servers/posix/build.mk - the posix server (servers/posix/), the Linux test
# programs (tests/linux/, built with musl-gcc) and the ramdisks that run them
# on Mica.  Included by the top-level Makefile after drivers/*/build.mk.

POSIX_ELF := $(BUILD)/posix.elf
POSIX_SRC := $(addprefix servers/posix/,main.c loader.c initstack.c regions.c usercopy.c \
               procmem.c runlist.c syscall_table.c sys_io.c sys_memory.c sys_process.c \
               sys_signal.c sys_time.c sys_random.c vfs.c fdtable.c sys_fd.c sys_fs.c \
               rootfs.c proctable.c sys_fork.c sys_exec.c sys_wait.c sys_kill.c sys_link.c devfs.c chardev.c procfs.c \
               pipe.c sys_pipe.c task.c block.c sys_thread.c sys_futex.c sys_resource.c poll.c sys_poll.c vdso.c \
               cred.c perm.c sys_cred.c sys_attr.c reclock.c sys_fifo.c \
               tty_ldisc.c tty.c sys_pgrp.c sigframe.c sigstate.c sigdeliver.c sys_alarm.c) \
             kernel/lib/cpio.c kernel/core/elf.c
POSIX_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(POSIX_SRC)) \
              $(BUILD)/user-obj/servers/posix/vdso_image.S.o \
              $(BUILD)/user-obj/$(BUILD)/gen/console_client.c.o \
              $(BUILD)/user-obj/$(BUILD)/gen/rtc_client.c.o
$(POSIX_OBJS): | $(IDL_HEADERS)
$(POSIX_ELF): $(ULIB_OBJS) $(POSIX_OBJS) lib/mica/user.ld
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# The vDSO (servers/posix/vdso/): a shared object without the C library or relocations, one
# read+execute segment (vdso.lds), its symbols in version LINUX_2.6 (vdso.map) with both hash
# tables, as C libraries look for them; its bytes go into the server (vdso_image.S).
POSIX_VDSO := $(BUILD)/posix-vdso.so
$(POSIX_VDSO): servers/posix/vdso/vdso.c servers/posix/vdso_data.h servers/posix/vdso/vdso.lds \
               servers/posix/vdso/vdso.map
	@mkdir -p $(dir $@)
	@echo "  VDSO    $@"
	@$(UCC) -std=c11 -O2 -Wall -Wextra -Werror -fPIC -fno-stack-protector -mgeneral-regs-only \
		-fno-asynchronous-unwind-tables -nostdlib -shared -Wl,-T,servers/posix/vdso/vdso.lds \
		-Wl,--version-script=servers/posix/vdso/vdso.map -Wl,--hash-style=both \
		-Wl,-soname=linux-vdso.so.1 -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack \
		-Wl,--no-undefined -Wl,--build-id=none -o $@ servers/posix/vdso/vdso.c
	@if readelf -r $@ | grep -q "^Relocation section"; then \
		echo "vdso: $@ has relocations" >&2; rm -f $@; exit 1; fi
$(BUILD)/user-obj/servers/posix/vdso_image.S.o: servers/posix/vdso_image.S $(POSIX_VDSO)
	@mkdir -p $(dir $@)
	@echo "  UAS     $<"
	@$(UCC) -D__ASSEMBLER__ -DVDSO_FILE='"$(POSIX_VDSO)"' -c $< -o $@

# Linux test programs (tests/linux/NAME.c -> build/linux/NAME), static with musl; hello also
# as a static-pie program (ET_DYN).  musl-gcc's -static-pie links the dynamic start file, so
# the static-pie one is linked by hand from musl's rcrt1.o (which relocates the program itself).
MUSL_GCC    := musl-gcc
MUSL_LIB    := /usr/lib/x86_64-linux-musl
LINUX_CFLAGS := -O2 -Wall -Wextra -Werror
LINUX_TESTS := hello args memory clock fault files fork exec kill pipe threads resource poll links devices procfs vdso \
               cred isolation locks fifo pgrp sleep tty waitid \
               signal sigfault sigchld alarm sigavx
# A few also with glibc (gcc -static): its start-up, TLS and pthreads differ from musl's.
LINUX_GLIBC_TESTS := threads vdso signal sigfault sigavx
LINUX_BINS  := $(patsubst %,$(BUILD)/linux/%,$(LINUX_TESTS)) $(BUILD)/linux/hello-pie \
               $(patsubst %,$(BUILD)/linux/%-glibc,$(LINUX_GLIBC_TESTS))
$(BUILD)/linux/%-glibc: tests/linux/%.c
	@mkdir -p $(dir $@)
	@echo "  GLIBCC  $@"
	@gcc -static -pthread $(LINUX_CFLAGS) -o $@ $< -lm
$(BUILD)/linux/%: tests/linux/%.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@"
	@$(MUSL_GCC) -static $(LINUX_CFLAGS) -o $@ $<
$(BUILD)/linux/hello-pie: tests/linux/hello.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@ (static-pie)"
	@$(MUSL_GCC) -fPIE -static-pie -nostartfiles -nodefaultlibs -Wl,--no-dynamic-linker \
		$(LINUX_CFLAGS) -o $@ $(MUSL_LIB)/rcrt1.o $(MUSL_LIB)/crti.o $< $(MUSL_LIB)/libc.a -lgcc \
		$(MUSL_LIB)/crtn.o

# The files every ramdisk with a Linux personality has in its root (etc/passwd, etc/group,
# etc/hostname): servers/posix/root.
POSIX_ROOT := servers/posix/root
POSIX_ROOT_FILES := $(shell find $(POSIX_ROOT) -type f)

# The applets of Debian's busybox-static, one a line, from its own `busybox --list`: a
# ramdisk that has bin/busybox gets bin/NAME -> busybox for each (unless bin/NAME is there).
BUSYBOX := /bin/busybox
BUSYBOX_APPLETS := $(BUILD)/busybox.applets
$(BUSYBOX_APPLETS): $(BUSYBOX)
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@$(BUSYBOX) --list | grep -vx busybox > $@

# mklinuxrd OUT MANIFEST LIST NATIVE-IMAGES LINUX-PROGRAMS: a ramdisk like mkinitrd's, with the
# posix server's run list as etc/linux-programs, the Linux programs under bin/ (and busybox's
# applet links), the root files (servers/posix/root) and the test data (tests/linux/data)
# under data/.
define mklinuxrd
	@echo "  CPIO    $(1)"
	@rm -rf $(1).d && mkdir -p $(1).d/etc $(1).d/bin
	@cp -r $(POSIX_ROOT)/. $(1).d/
	@cp $(INIT_ELF) $(1).d/init
	@cp $(2) $(1).d/etc/manifest
	@cp $(3) $(1).d/etc/linux-programs
	@for f in $(4); do cp $$f $(1).d/bin/$$(basename $$f .elf); done
	@for f in $(5); do cp $$f $(1).d/bin/; done
	@if [ -e $(1).d/bin/busybox ]; then while read a; do \
		[ -e "$(1).d/bin/$$a" ] || ln -s busybox "$(1).d/bin/$$a"; done < $(BUSYBOX_APPLETS); fi
	@cp -r tests/linux/data $(1).d/data
	@cd $(1).d && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet > ../$(notdir $(1))
	@rm -rf $(1).d
endef

# The differential tests: each program of tests/linux/programs on Mica (and, in systest.py,
# on the host).
LINUX_NATIVE := $(SERIAL_ELF) $(RTC_ELF) $(POSIX_ELF)
LINUX_DATA := $(shell find tests/linux/data -type f)
$(BUILD)/linux-tests.cpio: $(INIT_ELF) tests/linux/linux.manifest tests/linux/programs $(LINUX_DATA) \
                           $(LINUX_NATIVE) $(LINUX_BINS) $(POSIX_ROOT_FILES)
	$(call mklinuxrd,$@,tests/linux/linux.manifest,tests/linux/programs,$(LINUX_NATIVE),$(LINUX_BINS))

# Debian's busybox-static, unmodified: how far it gets.
$(BUILD)/linux-busybox.cpio: $(INIT_ELF) tests/linux/linux.manifest tests/linux/busybox.programs $(LINUX_DATA) \
                             $(LINUX_NATIVE) $(BUSYBOX) $(BUSYBOX_APPLETS) $(POSIX_ROOT_FILES)
	$(call mklinuxrd,$@,tests/linux/linux.manifest,tests/linux/busybox.programs,$(LINUX_NATIVE),$(BUSYBOX))

# The isolation test (tests/linux/isolation.c): it starts as root, so it has a run list and a
# case of its own (systest.py's linux-isolation).
$(BUILD)/linux-isolation.cpio: $(INIT_ELF) tests/linux/linux.manifest tests/linux/isolation.programs \
                               $(LINUX_DATA) $(LINUX_NATIVE) $(LINUX_BINS) $(POSIX_ROOT_FILES)
	$(call mklinuxrd,$@,tests/linux/linux.manifest,tests/linux/isolation.programs,$(LINUX_NATIVE),$(LINUX_BINS))

# The benchmark (tests/linux/bench.c) and the tiny program its fork+execve figure executes:
# `make bench` runs it here and on a Debian Linux kernel (tools/linux-bench.py); make check
# runs it once, quickly, as a check that every benchmark completes (bench-quick.programs).
LINUX_BENCH_BINS := $(BUILD)/linux/bench $(BUILD)/linux/bench-exit
$(BUILD)/linux-bench.cpio: $(INIT_ELF) tests/linux/linux.manifest tests/linux/bench.programs \
                           $(LINUX_DATA) $(LINUX_NATIVE) $(LINUX_BENCH_BINS)
	$(call mklinuxrd,$@,tests/linux/linux.manifest,tests/linux/bench.programs,$(LINUX_NATIVE),$(LINUX_BENCH_BINS))
$(BUILD)/linux-bench-quick.cpio: $(INIT_ELF) tests/linux/linux.manifest tests/linux/bench-quick.programs \
                                 $(LINUX_DATA) $(LINUX_NATIVE) $(LINUX_BENCH_BINS)
	$(call mklinuxrd,$@,tests/linux/linux.manifest,tests/linux/bench-quick.programs,$(LINUX_NATIVE),$(LINUX_BENCH_BINS))

# Programs whose output only Mica can give: pid 1 as init; the robustness test (random system
# calls).
LINUX_MICA := $(BUILD)/linux/init $(BUILD)/linux/fuzz $(BUILD)/linux/hello
$(BUILD)/linux-mica.cpio: $(INIT_ELF) tests/linux/linux.manifest tests/linux/mica.programs \
                          $(LINUX_NATIVE) $(LINUX_MICA)
	$(call mklinuxrd,$@,tests/linux/linux.manifest,tests/linux/mica.programs,$(LINUX_NATIVE),$(LINUX_MICA))

# The terminal (tests/linux/tty.c), typed at by the system test linux-tty.
$(BUILD)/linux-tty.cpio: $(INIT_ELF) tests/linux/linux.manifest tests/linux/tty.programs $(LINUX_DATA) \
                         $(LINUX_NATIVE) $(BUILD)/linux/tty $(POSIX_ROOT_FILES)
	$(call mklinuxrd,$@,tests/linux/linux.manifest,tests/linux/tty.programs,$(LINUX_NATIVE),$(BUILD)/linux/tty)

initrds: $(BUILD)/linux-tty.cpio $(BUILD)/linux-tests.cpio $(BUILD)/linux-busybox.cpio $(BUILD)/linux-mica.cpio \
         $(BUILD)/linux-bench-quick.cpio $(BUILD)/linux-isolation.cpio
