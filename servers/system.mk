# servers/system.mk - the system `make run` boots: servers/system.manifest with the device
# manager, the drivers and the shell, in one initial ramdisk.  Included by the top-level
# Makefile after drivers/*/build.mk, whose images it packs.
SYSTEM_CPIO := $(BUILD)/system.cpio
SYSTEM_BINS := $(DEVMGR_ELF) $(SERIAL_ELF) $(RTC_ELF) $(PS2KBD_ELF) $(FBCON_ELF) $(VBLK_ELF) \
               $(VRNG_ELF) $(SHELL_ELF)
$(SYSTEM_CPIO): $(INIT_ELF) servers/system.manifest $(SYSTEM_BINS) $(POSIX_ROOT_FILES)
	$(call mkinitrd,$@,servers/system.manifest,$(SYSTEM_BINS),$(POSIX_ROOT))

# The devices `make run` adds to QEMU's (SYSTEM_DEVICES_DEPS: files they need): a virtio
# random-number generator and the system's disk, a 64 MiB image made once with known contents (tools/mkdisk.py) and then
# kept, so what is written to it stays; `make clean` starts it afresh.
SYSTEM_DISK := $(BUILD)/disk.img
SYSTEM_DEVICES := -drive file=$(SYSTEM_DISK),if=none,format=raw,id=d0 \
                  -device virtio-blk-pci,drive=d0,disable-legacy=on,serial=MICA-DISK \
                  -device virtio-rng-pci,disable-legacy=on
SYSTEM_DEVICES_DEPS := $(SYSTEM_DISK)
$(SYSTEM_DISK): | tools/mkdisk.py
	@echo "  DISK    $@"
	@python3 tools/mkdisk.py $@ 131072
all: $(SYSTEM_CPIO)

# The GRUB image for real PCs boots the same system (its module is the system ramdisk).
$(ISO): $(SYSTEM_CPIO)
$(ISO): export MICA_ISO_MODULE := $(SYSTEM_CPIO)
