# servers/posix/build.mk - the posix server (servers/posix/), the Linux test
# programs (tests/linux/, built with musl-gcc) and the ramdisks that run them
# on Mica.  Included by the top-level Makefile after drivers/*/build.mk.

POSIX_ELF := $(BUILD)/posix.elf
POSIX_SRC := $(addprefix servers/posix/,main.c loader.c initstack.c regions.c usercopy.c \
               procmem.c runlist.c syscall_table.c sys_io.c sys_memory.c sys_process.c \
               sys_signal.c sys_time.c sys_random.c vfs.c fdtable.c sys_fd.c sys_fs.c \
               rootfs.c proctable.c sys_fork.c sys_exec.c sys_wait.c sys_kill.c \
               pipe.c sys_pipe.c task.c block.c sys_thread.c sys_futex.c sys_resource.c poll.c sys_poll.c \
               sigframe.c sigstate.c sigdeliver.c sys_alarm.c) \
             kernel/lib/cpio.c kernel/core/elf.c
POSIX_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(POSIX_SRC)) \
              $(BUILD)/user-obj/$(BUILD)/gen/console_client.c.o \
              $(BUILD)/user-obj/$(BUILD)/gen/rtc_client.c.o
$(POSIX_OBJS): | $(IDL_HEADERS)
$(POSIX_ELF): $(ULIB_OBJS) $(POSIX_OBJS) lib/mica/user.ld
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# Linux test programs (tests/linux/NAME.c -> build/linux/NAME), static with musl; hello also
# as a static-pie program (ET_DYN).  musl-gcc's -static-pie links the dynamic start file, so
# the static-pie one is linked by hand from musl's rcrt1.o (which relocates the program itself).
MUSL_GCC    := musl-gcc
MUSL_LIB    := /usr/lib/x86_64-linux-musl
LINUX_CFLAGS := -O2 -Wall -Wextra -Werror
LINUX_TESTS := hello args memory clock fault files fork exec kill pipe threads resource poll \
               signal sigfault sigchld alarm
# A few also with glibc (gcc -static): its start-up, TLS and pthreads differ from musl's.
LINUX_GLIBC_TESTS := threads signal sigfault
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

# mklinuxrd OUT MANIFEST LIST NATIVE-IMAGES LINUX-PROGRAMS: a ramdisk like mkinitrd's, with the
# posix server's run list as etc/linux-programs, the Linux programs under bin/ and the test
# data (tests/linux/data) under data/.
define mklinuxrd
	@echo "  CPIO    $(1)"
	@rm -rf $(1).d && mkdir -p $(1).d/etc $(1).d/bin
	@cp $(INIT_ELF) $(1).d/init
	@cp $(2) $(1).d/etc/manifest
	@cp $(3) $(1).d/etc/linux-programs
	@for f in $(4); do cp $$f $(1).d/bin/$$(basename $$f .elf); done
	@for f in $(5); do cp $$f $(1).d/bin/; done
	@cp -r tests/linux/data $(1).d/data
	@cd $(1).d && find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../$(notdir $(1))
	@rm -rf $(1).d
endef

# The differential tests: each program of tests/linux/programs on Mica (and, in systest.py,
# on the host).
LINUX_NATIVE := $(SERIAL_ELF) $(RTC_ELF) $(POSIX_ELF)
LINUX_DATA := $(shell find tests/linux/data -type f)
$(BUILD)/linux-tests.cpio: $(INIT_ELF) tests/linux/linux.manifest tests/linux/programs $(LINUX_DATA) \
                           $(LINUX_NATIVE) $(LINUX_BINS)
	$(call mklinuxrd,$@,tests/linux/linux.manifest,tests/linux/programs,$(LINUX_NATIVE),$(LINUX_BINS))

# Debian's busybox-static, unmodified: how far it gets.
BUSYBOX := /bin/busybox
$(BUILD)/linux-busybox.cpio: $(INIT_ELF) tests/linux/linux.manifest tests/linux/busybox.programs $(LINUX_DATA) \
                             $(LINUX_NATIVE) $(BUSYBOX)
	$(call mklinuxrd,$@,tests/linux/linux.manifest,tests/linux/busybox.programs,$(LINUX_NATIVE),$(BUSYBOX))

# The robustness test: random system calls (Mica only).
$(BUILD)/linux/fuzz: tests/linux/fuzz.c
$(BUILD)/linux-fuzz.cpio: $(INIT_ELF) tests/linux/linux.manifest tests/linux/fuzz.programs \
                          $(LINUX_NATIVE) $(BUILD)/linux/fuzz $(BUILD)/linux/hello
	$(call mklinuxrd,$@,tests/linux/linux.manifest,tests/linux/fuzz.programs,$(LINUX_NATIVE),$(BUILD)/linux/fuzz $(BUILD)/linux/hello)

initrds: $(BUILD)/linux-tests.cpio $(BUILD)/linux-busybox.cpio $(BUILD)/linux-fuzz.cpio
