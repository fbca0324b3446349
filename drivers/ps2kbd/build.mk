# drivers/ps2kbd/build.mk - the PS/2 keyboard driver and its system test's
# ramdisk (included by the top-level Makefile after servers/rules.mk).

PS2KBD_ELF  := $(BUILD)/drivers/ps2kbd.elf
PS2KBD_SRC  := drivers/ps2kbd/main.c drivers/ps2kbd/i8042.c drivers/ps2kbd/scancode.c \
               $(BUILD)/gen/kbd_server.c
PS2KBD_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(PS2KBD_SRC))
$(PS2KBD_OBJS): | $(IDL_HEADERS)
$(PS2KBD_ELF): $(ULIB_OBJS) $(PS2KBD_OBJS) lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# The test client: malformed requests, then prints what is typed.
KBDCLIENT_ELF  := $(BUILD)/test-servers/kbdclient.elf
KBDCLIENT_SRC  := tests/servers/kbdclient.c tests/servers/rawcall.c $(BUILD)/gen/kbd_client.c
KBDCLIENT_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(KBDCLIENT_SRC))
$(KBDCLIENT_OBJS): | $(IDL_HEADERS)
$(KBDCLIENT_ELF): $(ULIB_OBJS) $(KBDCLIENT_OBJS) lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

$(BUILD)/test-ps2kbd.cpio: $(INIT_ELF) tests/servers/ps2kbd.manifest $(PS2KBD_ELF) $(KBDCLIENT_ELF)
	$(call mkinitrd,$@,tests/servers/ps2kbd.manifest,$(PS2KBD_ELF) $(KBDCLIENT_ELF))
initrds: $(BUILD)/test-ps2kbd.cpio
