# servers/rules.mk - native servers, init (the supervisor) and the initial
# ramdisks they travel in.  Included by the top-level Makefile.
#
# A program is linked from its sources and the native runtime; an initial
# ramdisk is a newc cpio archive (GNU cpio) holding init, etc/manifest and
# the images the manifest names, under bin/.

INIT_ELF := $(BUILD)/init.elf
INIT_SRC := servers/init/main.c servers/init/manifest.c servers/init/spawn.c \
            kernel/lib/cpio.c kernel/core/elf.c

$(INIT_ELF): $(ULIB_OBJS) $(patsubst %,$(BUILD)/user-obj/%.o,$(INIT_SRC)) lib/mica/user.ld
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# Test servers (tests/servers/NAME.c -> build/test-servers/NAME.elf).
$(BUILD)/test-servers/%.elf: $(ULIB_OBJS) $(BUILD)/user-obj/tests/servers/%.c.o lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# mkinitrd OUT MANIFEST IMAGES...: stage init, the manifest and bin/<image> files, then archive.
define mkinitrd
	@echo "  CPIO    $(1)"
	@rm -rf $(1).d && mkdir -p $(1).d/etc $(1).d/bin
	@cp $(INIT_ELF) $(1).d/init
	@cp $(2) $(1).d/etc/manifest
	@for f in $(3); do cp $$f $(1).d/bin/$$(basename $$f .elf); done
	$(if $(4),@cp -r $(4)/. $(1).d/)
	@cd $(1).d && find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../$(notdir $(1))
	@rm -rf $(1).d
endef

TEST_RESTART_CPIO := $(BUILD)/test-restart.cpio
TEST_RESTART_BINS := $(BUILD)/test-servers/counter.elf $(BUILD)/test-servers/client.elf
$(TEST_RESTART_CPIO): $(INIT_ELF) tests/servers/restart.manifest $(TEST_RESTART_BINS)
	$(call mkinitrd,$@,tests/servers/restart.manifest,$(TEST_RESTART_BINS))

# Ramdisks for the other supervisor tests: the counter server alone, another manifest.
$(BUILD)/test-%.cpio: $(INIT_ELF) tests/servers/%.manifest $(BUILD)/test-servers/counter.elf
	$(call mkinitrd,$@,tests/servers/$*.manifest,$(BUILD)/test-servers/counter.elf)

# A ramdisk without init, which the kernel must refuse.
$(BUILD)/test-noinit.cpio: tests/servers/bad.manifest
	@echo "  CPIO    $@"
	@rm -rf $@.d && mkdir -p $@.d/etc && cp $< $@.d/etc/manifest
	@cd $@.d && find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../$(notdir $@)
	@rm -rf $@.d

initrds: $(TEST_RESTART_CPIO) $(BUILD)/test-giveup.cpio $(BUILD)/test-bad.cpio \
         $(BUILD)/test-missing.cpio $(BUILD)/test-noinit.cpio
.PHONY: initrds

# svc, the supervisor's command-line tool.
SVC_ELF := $(BUILD)/svc.elf
SVC_OBJS := $(BUILD)/user-obj/servers/svc/main.c.o $(BUILD)/user-obj/$(BUILD)/gen/supervisor_client.c.o
$(SVC_OBJS): | $(IDL_HEADERS)
$(SVC_ELF): $(ULIB_OBJS) $(SVC_OBJS) lib/mica/user.ld
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# init serves the supervisor protocol through the generated dispatcher.
INIT_OBJS_GEN := $(BUILD)/user-obj/$(BUILD)/gen/supervisor_server.c.o \
                 $(BUILD)/user-obj/$(BUILD)/gen/devmgr_client.c.o
$(patsubst %,$(BUILD)/user-obj/%.o,$(INIT_SRC)): | $(IDL_HEADERS)
$(INIT_ELF): $(INIT_OBJS_GEN)

# The supervisor-service system test: svc lists, restarts a server, lists again; svcbad sends
# the supervisor malformed requests.
$(BUILD)/user-obj/tests/servers/svcbad.c.o: | $(IDL_HEADERS)
$(BUILD)/test-servers/svcbad.elf: $(BUILD)/user-obj/tests/servers/rawcall.c.o \
                                  $(BUILD)/user-obj/$(BUILD)/gen/supervisor_client.c.o
SVC_TEST_BINS := $(BUILD)/test-servers/counter.elf $(SVC_ELF) $(BUILD)/test-servers/svcbad.elf
$(BUILD)/test-svc.cpio: $(INIT_ELF) tests/servers/svc.manifest $(SVC_TEST_BINS)
	$(call mkinitrd,$@,tests/servers/svc.manifest,$(SVC_TEST_BINS))
initrds: $(BUILD)/test-svc.cpio

# devmgr, the device manager: PCI enumeration and handing devices to drivers.
DEVMGR_ELF := $(BUILD)/devmgr.elf
DEVMGR_SRC := servers/devmgr/main.c servers/devmgr/pci.c servers/devmgr/msi.c
DEVMGR_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(DEVMGR_SRC)) \
               $(BUILD)/user-obj/$(BUILD)/gen/devmgr_server.c.o
$(DEVMGR_OBJS): | $(IDL_HEADERS)
$(DEVMGR_ELF): $(ULIB_OBJS) $(DEVMGR_OBJS) lib/mica/user.ld
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# lspci, the device manager's tool.
LSPCI_ELF := $(BUILD)/lspci.elf
LSPCI_OBJS := $(BUILD)/user-obj/servers/lspci/main.c.o $(BUILD)/user-obj/$(BUILD)/gen/devmgr_client.c.o
$(LSPCI_OBJS): | $(IDL_HEADERS)
$(LSPCI_ELF): $(ULIB_OBJS) $(LSPCI_OBJS) lib/mica/user.ld
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# The devmgr-edu system test: devmgr, a test driver for QEMU's edu device, lspci, bad requests.
$(BUILD)/user-obj/tests/servers/devmgr_bad.c.o: | $(IDL_HEADERS)
$(BUILD)/test-servers/devmgr_bad.elf: $(BUILD)/user-obj/$(BUILD)/gen/devmgr_client.c.o
EDU_BINS := $(DEVMGR_ELF) $(BUILD)/test-servers/edu.elf $(LSPCI_ELF) \
            $(BUILD)/test-servers/devmgr_bad.elf
$(BUILD)/test-edu.cpio: $(INIT_ELF) tests/servers/edu.manifest $(EDU_BINS)
	$(call mkinitrd,$@,tests/servers/edu.manifest,$(EDU_BINS))
initrds: $(BUILD)/test-edu.cpio

# msh, the native shell that `make run` lands in.
SHELL_ELF := $(BUILD)/msh.elf
SHELL_SRC := servers/shell/main.c servers/shell/commands.c drivers/rtc/rtc_time.c
SHELL_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(SHELL_SRC)) \
              $(patsubst %,$(BUILD)/user-obj/$(BUILD)/gen/%_client.c.o,console supervisor devmgr blk \
                                                                         rng rtc)
$(SHELL_OBJS): | $(IDL_HEADERS)
$(SHELL_ELF): $(ULIB_OBJS) $(SHELL_OBJS) lib/mica/user.ld
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)
all: $(SHELL_ELF)

