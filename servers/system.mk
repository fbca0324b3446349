# servers/system.mk - the system `make run` boots: servers/system.manifest with the device
# manager, the drivers, the posix server with Debian's busybox-static and its run list
# (servers/system.rc as etc/rc), and the native shell, in one initial ramdisk.  Included by the
# top-level Makefile after drivers/*/build.mk and servers/posix/build.mk, whose images it packs.
SYSTEM_CPIO := $(BUILD)/system.cpio
SYSTEM_BINS := $(DEVMGR_ELF) $(SERIAL_ELF) $(RTC_ELF) $(PS2KBD_ELF) $(FBCON_ELF) $(VBLK_ELF) \
               $(VRNG_ELF) $(SHELL_ELF) $(POSIX_ELF)

# mksystemrd OUT MANIFEST: mkinitrd's ramdisk of SYSTEM_BINS, with the posix server's root
# files (servers/posix/root), busybox with its applet links, and the run list.
define mksystemrd
	@echo "  CPIO    $(1)"
	@rm -rf $(1).d && mkdir -p $(1).d/etc $(1).d/bin
	@cp -r $(POSIX_ROOT)/. $(1).d/
	@cp $(INIT_ELF) $(1).d/init
	@cp $(2) $(1).d/etc/manifest
	@for f in $(SYSTEM_BINS); do cp $$f $(1).d/bin/$$(basename $$f .elf); done
	@cp $(BUSYBOX) $(1).d/bin/busybox
	@while read a; do [ -e "$(1).d/bin/$$a" ] || ln -s busybox "$(1).d/bin/$$a"; done < $(BUSYBOX_APPLETS)
	@cp servers/system.rc $(1).d/etc/rc
	@cd $(1).d && find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../$(notdir $(1))
	@rm -rf $(1).d
endef
$(SYSTEM_CPIO): $(INIT_ELF) servers/system.manifest servers/system.rc $(SYSTEM_BINS) $(BUSYBOX) \
                $(BUSYBOX_APPLETS) $(POSIX_ROOT_FILES)
	$(call mksystemrd,$@,servers/system.manifest)

# The same system with the native shell msh on the serial console in the posix server's place
# (the system test system-shell types msh's commands there).
SYSTEM_MSH_LINE := server msh     bin/msh     uses=console uses=devmgr uses=rtc uses=blk uses=rng admin
$(BUILD)/system-msh.manifest: servers/system.manifest servers/system.mk
	@mkdir -p $(dir $@)
	@sed 's|^server posix .*|$(SYSTEM_MSH_LINE)|' $< > $@
$(BUILD)/system-msh.cpio: $(INIT_ELF) $(BUILD)/system-msh.manifest servers/system.rc $(SYSTEM_BINS) \
                          $(BUSYBOX) $(BUSYBOX_APPLETS) $(POSIX_ROOT_FILES)
	$(call mksystemrd,$@,$(BUILD)/system-msh.manifest)
initrds: $(BUILD)/system-msh.cpio

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
