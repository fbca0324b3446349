# drivers/rtc/build.mk - the CMOS real-time clock driver and its system test's
# ramdisk (included by the top-level Makefile after servers/rules.mk).

RTC_ELF  := $(BUILD)/drivers/rtc.elf
RTC_SRC  := drivers/rtc/main.c drivers/rtc/rtc_time.c $(BUILD)/gen/rtc_server.c
RTC_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(RTC_SRC))
$(RTC_OBJS): | $(IDL_HEADERS)
$(RTC_ELF): $(ULIB_OBJS) $(RTC_OBJS) lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

# The test client: asks for the time, sends malformed requests.
RTCCLIENT_ELF  := $(BUILD)/test-servers/rtcclient.elf
RTCCLIENT_SRC  := tests/servers/rtcclient.c tests/servers/rawcall.c drivers/rtc/rtc_time.c \
                  $(BUILD)/gen/rtc_client.c
RTCCLIENT_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(RTCCLIENT_SRC))
$(RTCCLIENT_OBJS): | $(IDL_HEADERS)
$(RTCCLIENT_ELF): $(ULIB_OBJS) $(RTCCLIENT_OBJS) lib/mica/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(KLD) $(ULDFLAGS) -o $@ $(filter %.o,$^)

$(BUILD)/test-rtc.cpio: $(INIT_ELF) tests/servers/rtc.manifest $(RTC_ELF) $(RTCCLIENT_ELF)
	$(call mkinitrd,$@,tests/servers/rtc.manifest,$(RTC_ELF) $(RTCCLIENT_ELF))
initrds: $(BUILD)/test-rtc.cpio
