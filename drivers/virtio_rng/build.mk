# drivers/virtio_rng/build.mk - the virtio-rng driver, its test clients and
# the ramdisks of its system tests.  Included by the top-level Makefile after
# servers/rules.mk and drivers/virtio_blk/build.mk, whose $(VIRTIO_OBJS) (the
# virtio transport library, drivers/virtio/) it links.

VRNG_ELF  := $(BUILD)/drivers/virtio_rng.elf
VRNG_SRC  := drivers/virtio_rng/main.c drivers/virtio_rng/rngdev.c
VRNG_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(VRNG_SRC)) \
             $(BUILD)/user-obj/$(BUILD)/gen/rng_server.c.o
$(VRNG_OBJS): | $(IDL_HEADERS)
$(VRNG_ELF): $(ULIB_OBJS) $(VIRTIO_OBJS) $(VRNG_OBJS) lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# Test clients of the random-number protocol (tests/servers/rng*.c) link the
# client stubs, and the one that restarts the driver the supervisor's.
RNG_CLIENT_OBJS := $(BUILD)/user-obj/$(BUILD)/gen/rng_client.c.o \
                   $(BUILD)/user-obj/$(BUILD)/gen/supervisor_client.c.o
RNG_TESTS := rngtest rngrecover
$(patsubst %,$(BUILD)/user-obj/tests/servers/%.c.o,$(RNG_TESTS)): | $(IDL_HEADERS)
$(patsubst %,$(BUILD)/test-servers/%.elf,$(RNG_TESTS)): $(BUILD)/test-servers/%.elf: \
		$(ULIB_OBJS) $(BUILD)/user-obj/tests/servers/%.c.o \
		$(BUILD)/user-obj/tests/servers/tcheck.c.o $(RNG_CLIENT_OBJS) lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# One ramdisk per test manifest: tests/servers/rng-NAME.manifest -> build/test-rng-NAME.cpio.
RNG_MANIFESTS := $(wildcard tests/servers/rng-*.manifest)
RNG_CPIOS     := $(patsubst tests/servers/%.manifest,$(BUILD)/test-%.cpio,$(RNG_MANIFESTS))
RNG_BINS      := $(DEVMGR_ELF) $(VRNG_ELF) $(patsubst %,$(BUILD)/test-servers/%.elf,$(RNG_TESTS))
$(RNG_CPIOS): $(BUILD)/test-%.cpio: $(INIT_ELF) tests/servers/%.manifest $(RNG_BINS)
	$(call mkinitrd,$@,tests/servers/$*.manifest,$(RNG_BINS))

initrds: $(RNG_CPIOS)
