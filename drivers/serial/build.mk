# drivers/serial/build.mk - the 16550 serial console driver (drivers/serial/),
# its test clients and the ramdisks of its system tests.  Included by the
# top-level Makefile after servers/rules.mk.

SERIAL_ELF  := $(BUILD)/drivers/serial.elf
SERIAL_SRC  := drivers/serial/main.c drivers/serial/uart16550.c drivers/serial/ring.c \
               drivers/serial/parked.c $(BUILD)/gen/console_server.c
SERIAL_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(SERIAL_SRC))
$(SERIAL_OBJS): | $(IDL_HEADERS)

$(SERIAL_ELF): $(ULIB_OBJS) $(SERIAL_OBJS) lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# Test clients (drivers/serial/tests/NAME.c -> build/serial-tests/NAME.elf), linked
# with the console and supervisor client stubs.
SERIAL_TESTS      := echo malformed writer
SERIAL_TEST_ELFS  := $(patsubst %,$(BUILD)/serial-tests/%.elf,$(SERIAL_TESTS))
SERIAL_TEST_OBJS  := $(patsubst %,$(BUILD)/user-obj/drivers/serial/tests/%.c.o,$(SERIAL_TESTS))
SERIAL_TEST_STUBS := $(BUILD)/user-obj/$(BUILD)/gen/console_client.c.o \
                     $(BUILD)/user-obj/$(BUILD)/gen/supervisor_client.c.o
$(SERIAL_TEST_OBJS): | $(IDL_HEADERS)

$(BUILD)/serial-tests/%.elf: $(ULIB_OBJS) $(BUILD)/user-obj/drivers/serial/tests/%.c.o \
                             $(SERIAL_TEST_STUBS) lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# One ramdisk per test manifest: build/serial-NAME.cpio from drivers/serial/tests/NAME.manifest.
SERIAL_MANIFESTS := $(wildcard drivers/serial/tests/*.manifest)
SERIAL_CPIOS     := $(patsubst drivers/serial/tests/%.manifest,$(BUILD)/serial-%.cpio,$(SERIAL_MANIFESTS))

$(BUILD)/serial-%.cpio: $(INIT_ELF) drivers/serial/tests/%.manifest $(SERIAL_ELF) $(SERIAL_TEST_ELFS)
	$(call mkinitrd,$@,drivers/serial/tests/$*.manifest,$(SERIAL_ELF) $(SERIAL_TEST_ELFS))

initrds: $(SERIAL_CPIOS)
initrds: $(SERIAL_TEST_ELFS)
