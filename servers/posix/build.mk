# servers/posix/build.mk - the posix server (servers/posix/), the Linux test
# programs (tests/linux/, built with musl-gcc) and the ramdisks that run them
# on Mica.  Included by the top-level Makefile after drivers/*/build.mk.

POSIX_ELF := $(BUILD)/posix.elf
POSIX_SRC := $(addprefix servers/posix/,main.c loader.c initstack.c regions.c usercopy.c \
               procmem.c runlist.c syscall_table.c sys_io.c sys_memory.c sys_process.c \
               sys_signal.c sys_time.c sys_random.c) \
             kernel/lib/cpio.c kernel/core/elf.c
POSIX_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(POSIX_SRC)) \
              $(BUILD)/user-obj/$(BUILD)/gen/console_client.c.o \
              $(BUILD)/user-obj/$(BUILD)/gen/rtc_client.c.o
$(POSIX_OBJS): | $(IDL_HEADERS)
$(POSIX_ELF): $(ULIB_OBJS) $(POSIX_OBJS) lib/mica/user.ld
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)
