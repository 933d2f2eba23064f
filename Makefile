# SPDX-License-Identifier: GPL-2.0
#
# wdmisr top-level Makefile.
#
#   make            build wdm.ko and wdmisr.ko for KDIR, and the userspace tools
#   make demo       boot the emulated test hardware and show data flowing
#   make check      every test; the last line is "N passed, N failed"
#   make kernels    build the modules against every installed header set
#   make deps       install the Debian packages the project needs (root)
#
# Modules are built out of tree in build/<kernel release>/, a copy of the
# kernel sources, so that builds for several kernels never clobber each other.

SHELL		:= /bin/bash
TOP		:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# The kernel to build against: the running kernel's build directory if there
# is one, else the newest installed Debian linux-headers-*-amd64.
KDIR		?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),\
			$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
KVER		 = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
			$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
BUILD		 = $(TOP)/build/$(KVER)

# An out-of-tree build does not read Kconfig: these stand for its answers.
KCONFIG_VALUES	?= CONFIG_WDM=m CONFIG_WDMISR=m
KBUILD_ARGS	?= W=1

# Every installed header set, for 'make kernels'.
ALL_KDIRS	 = $(sort $(wildcard /usr/src/linux-headers-*-amd64))

.PHONY: all modules tools kernels deps demo check bench lint clean help

all: modules tools

help:
	@sed -n '3,11p' $(lastword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

# Copy the kernel sources into build/<release>/ and build them there.
modules:
	@test -d "$(KDIR)" || { echo "make: no kernel headers found (KDIR=$(KDIR)); run 'make deps'" >&2; exit 1; }
	@mkdir -p $(BUILD)
	@cp -ru $(TOP)/Kbuild $(TOP)/module $(TOP)/include $(TOP)/kunit $(BUILD)/
	$(MAKE) -C $(KDIR) M=$(BUILD) $(KCONFIG_VALUES) $(KBUILD_ARGS) modules

kernels:
	@test -n "$(ALL_KDIRS)" || { echo "make: no linux-headers-*-amd64 installed; run 'make deps'" >&2; exit 1; }
	@set -e; for k in $(ALL_KDIRS); do $(MAKE) --no-print-directory modules KDIR=$$k; done

tools:
	$(MAKE) -C $(TOP)/userspace
	$(MAKE) -C $(TOP)/tests tools

deps:
	@$(TOP)/scripts/deps.sh

demo: deps
	@$(TOP)/tests/demo.sh

check: deps
	@$(TOP)/tests/check.sh

clean:
	rm -rf $(TOP)/build
	$(MAKE) -C $(TOP)/userspace clean
	$(MAKE) -C $(TOP)/tests clean
