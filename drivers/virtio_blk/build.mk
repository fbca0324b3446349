# drivers/virtio_blk/build.mk - the virtio-blk driver, the virtio transport
# library it links (drivers/virtio/), its test clients and the ramdisks and
# disk images of its system tests and benchmark.  Included by the top-level
# Makefile after servers/rules.mk.

# The virtio library: any virtio driver links these objects.
VIRTIO_SRC  := drivers/virtio/virtq.c drivers/virtio/pci_caps.c drivers/virtio/transport.c
VIRTIO_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(VIRTIO_SRC))

VBLK_ELF  := $(BUILD)/drivers/virtio_blk.elf
VBLK_SRC  := drivers/virtio_blk/main.c drivers/virtio_blk/blkdev.c
VBLK_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(VBLK_SRC)) \
             $(BUILD)/user-obj/$(BUILD)/gen/blk_server.c.o
$(VBLK_OBJS): | $(IDL_HEADERS)
$(VBLK_ELF): $(ULIB_OBJS) $(VIRTIO_OBJS) $(VBLK_OBJS) lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# Test clients of the block protocol (tests/servers/blk*.c) link the client stubs,
# and the ones that restart the driver the supervisor's.
BLK_CLIENT_OBJS := $(BUILD)/user-obj/$(BUILD)/gen/blk_client.c.o \
                   $(BUILD)/user-obj/$(BUILD)/gen/supervisor_client.c.o
BLK_TESTS := blktest blkrecover blkbench
$(patsubst %,$(BUILD)/user-obj/tests/servers/%.c.o,$(BLK_TESTS) blkpattern): | $(IDL_HEADERS)
$(patsubst %,$(BUILD)/test-servers/%.elf,$(BLK_TESTS)): $(BUILD)/test-servers/%.elf: \
		$(ULIB_OBJS) $(BUILD)/user-obj/tests/servers/%.c.o \
		$(BUILD)/user-obj/tests/servers/blkpattern.c.o $(BUILD)/user-obj/tests/servers/tcheck.c.o \
		$(BLK_CLIENT_OBJS) lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# Disk images with known contents (tools/mkdisk.py), 32 MiB each.
$(BUILD)/disk-test.img: tools/mkdisk.py
	@echo "  DISK    $@"
	@python3 tools/mkdisk.py $@ 65536

# One ramdisk per test manifest: tests/servers/blk-NAME.manifest -> build/test-blk-NAME.cpio.
BLK_MANIFESTS := $(wildcard tests/servers/blk-*.manifest)
BLK_CPIOS     := $(patsubst tests/servers/%.manifest,$(BUILD)/test-%.cpio,$(BLK_MANIFESTS))
BLK_BINS      := $(DEVMGR_ELF) $(VBLK_ELF) $(patsubst %,$(BUILD)/test-servers/%.elf,$(BLK_TESTS))
$(BLK_CPIOS): $(BUILD)/test-%.cpio: $(INIT_ELF) tests/servers/%.manifest $(BLK_BINS)
	$(call mkinitrd,$@,tests/servers/$*.manifest,$(BLK_BINS))

initrds: $(BLK_CPIOS) $(BUILD)/disk-test.img

# make bench boots the block benchmark too (tools/bench.py, boot_block()).
bench: $(BUILD)/test-blk-bench.cpio $(BUILD)/disk-test.img
