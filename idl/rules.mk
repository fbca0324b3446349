# idl/rules.mk - make rules for the interface definitions (docs/idl.md),
# included by the top-level Makefile.
#
# Every idl/NAME.idl becomes, through tools/idlgen.py,
#   $(BUILD)/gen/NAME_proto.h   labels, constants, message structs
#   $(BUILD)/gen/NAME_client.h  and NAME_client.c: one function per method
#   $(BUILD)/gen/NAME_server.h  and NAME_server.c: callbacks and NAME_dispatch()
# A native program that serves NAME lists $(BUILD)/gen/NAME_server.c among its
# sources; one that calls it lists $(BUILD)/gen/NAME_client.c.  Objects of its
# own files that include a generated header need $(IDL_HEADERS) as an
# order-only prerequisite, so the headers exist before the first compile:
#   $(MY_OBJS): | $(IDL_HEADERS)
#
# `make all` generates every interface and compiles all stubs once with the
# native programs' flags (idl-stubs), so an interface that does not compile is
# found before any server uses it.

IDLGEN      := tools/idlgen.py
IDL_ABI     := $(KDIR)/include/abi/mica/syscall.h
IDL_FILES   := $(sort $(wildcard idl/*.idl))
IDL_NAMES   := $(patsubst idl/%.idl,%,$(IDL_FILES))
IDL_SOURCES := $(foreach n,$(IDL_NAMES),$(BUILD)/gen/$(n)_client.c $(BUILD)/gen/$(n)_server.c)
IDL_HEADERS := $(foreach n,$(IDL_NAMES),$(addprefix $(BUILD)/gen/$(n)_,proto.h client.h server.h))
IDL_OBJS    := $(patsubst %,$(BUILD)/user-obj/%.o,$(IDL_SOURCES))

# Native programs find the generated headers (#include "blk_client.h").
UCFLAGS += -I$(BUILD)/gen

# One run of the generator writes all five files of an interface.
$(BUILD)/gen/%_proto.h $(BUILD)/gen/%_client.h $(BUILD)/gen/%_client.c \
$(BUILD)/gen/%_server.h $(BUILD)/gen/%_server.c: idl/%.idl $(IDLGEN) $(IDL_ABI)
	@echo "  IDL     $<"
	@python3 $(IDLGEN) --abi $(IDL_ABI) --out $(BUILD)/gen $<

# Generated files are results to keep and read, not intermediates to delete.
.SECONDARY: $(IDL_SOURCES) $(IDL_HEADERS)

# The generated sources include their own headers.
$(IDL_OBJS): | $(IDL_HEADERS)

# The root task runs the blk stubs over real IPC (user/roottask/tests_idl.c).
$(ROOTTASK): $(BUILD)/user-obj/$(BUILD)/gen/blk_client.c.o \
             $(BUILD)/user-obj/$(BUILD)/gen/blk_server.c.o
$(patsubst %,$(BUILD)/user-obj/%.o,$(ROOTTASK_SRC)): | $(IDL_HEADERS)

# Interfaces that may share an endpoint must not share labels: check them all.
$(BUILD)/gen/labels.ok: $(IDL_FILES) $(IDLGEN) $(IDL_ABI)
	@mkdir -p $(dir $@)
	@python3 $(IDLGEN) --abi $(IDL_ABI) --check $(IDL_FILES)
	@touch $@

idl-stubs: $(IDL_OBJS) $(BUILD)/gen/labels.ok

all: idl-stubs

.PHONY: idl-stubs
