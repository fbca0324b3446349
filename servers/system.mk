# servers/system.mk - the system `make run` boots: servers/system.manifest with the device
# manager, the drivers and the shell, in one initial ramdisk.  Included by the top-level
# Makefile after drivers/*/build.mk, whose images it packs.
SYSTEM_CPIO := $(BUILD)/system.cpio
SYSTEM_BINS := $(DEVMGR_ELF) $(SERIAL_ELF) $(RTC_ELF) $(PS2KBD_ELF) $(FBCON_ELF) $(SHELL_ELF)
$(SYSTEM_CPIO): $(INIT_ELF) servers/system.manifest $(SYSTEM_BINS)
	$(call mkinitrd,$@,servers/system.manifest,$(SYSTEM_BINS))

# The devices `make run` adds to QEMU's (SYSTEM_DEVICES_DEPS: files they need).
SYSTEM_DEVICES :=
SYSTEM_DEVICES_DEPS :=
all: $(SYSTEM_CPIO)
