# drivers/fbcon/build.mk - the framebuffer console, its font (generated from
# a Debian console font, never kept in the tree) and its system tests'
# ramdisks (included by the top-level Makefile after servers/rules.mk).

# The font: console-setup-linux's Lat15-Fixed16 (8x16 pixels, Latin-1), which
# tools/deps.sh installs; tools/psf2c.py turns it into C.
FBCON_PSF     := /usr/share/consolefonts/Lat15-Fixed16.psf.gz
FBCON_FONT_C  := $(BUILD)/gen/fbcon_font.c
$(FBCON_FONT_C): $(FBCON_PSF) tools/psf2c.py
	@mkdir -p $(dir $@)
	@echo "  PSF2C   $@"
	@python3 tools/psf2c.py $(FBCON_PSF) $@
$(BUILD)/user-obj/$(FBCON_FONT_C).o: UCFLAGS += -Idrivers/fbcon

FBCON_ELF  := $(BUILD)/drivers/fbcon.elf
FBCON_SRC  := drivers/fbcon/main.c drivers/fbcon/term.c drivers/fbcon/render.c \
              drivers/fbcon/bochs_vga.c $(FBCON_FONT_C) $(BUILD)/gen/console_server.c $(BUILD)/gen/kbd_client.c
FBCON_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(FBCON_SRC))
$(FBCON_OBJS): | $(IDL_HEADERS)
$(FBCON_ELF): $(ULIB_OBJS) $(FBCON_OBJS) lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# The test client: known text through the console interface, malformed requests.
FBCLIENT_ELF  := $(BUILD)/test-servers/fbclient.elf
FBCLIENT_SRC  := tests/servers/fbclient.c tests/servers/rawcall.c $(BUILD)/gen/console_client.c
FBCLIENT_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(FBCLIENT_SRC))
$(FBCLIENT_OBJS): | $(IDL_HEADERS)
$(FBCLIENT_ELF): $(ULIB_OBJS) $(FBCLIENT_OBJS) lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# The framebuffer console with the keyboard behind it, and the test client.
FBCON_TEST_BINS := $(FBCON_ELF) $(BUILD)/drivers/ps2kbd.elf $(FBCLIENT_ELF)
$(BUILD)/test-fbcon.cpio: $(INIT_ELF) tests/servers/fbcon.manifest $(FBCON_TEST_BINS)
	$(call mkinitrd,$@,tests/servers/fbcon.manifest,$(FBCON_TEST_BINS))
initrds: $(BUILD)/test-fbcon.cpio

# The same on QEMU's standard VGA under a direct boot, with the device manager.
FBCON_VGA_BINS := $(FBCON_TEST_BINS) $(DEVMGR_ELF)
$(BUILD)/test-fbcon-vga.cpio: $(INIT_ELF) tests/servers/fbcon-vga.manifest $(FBCON_VGA_BINS)
	$(call mkinitrd,$@,tests/servers/fbcon-vga.manifest,$(FBCON_VGA_BINS))
initrds: $(BUILD)/test-fbcon-vga.cpio
