# SPDX-License-Identifier: GPL-2.0
#
# wdmisr top-level Makefile.
#
#   make            build wdm.ko and wdmisr.ko for KDIR, and the userspace tools
#   make tools      the userspace tools alone (wdmisr-read, wdmstat); make test-tools:
#                   the test and benchmark programs
#   make lint       checkpatch --strict, kernel-doc and sparse on the sources
#   make demo       boot the emulated test hardware and show data flowing
#   make check      every test; the last line is "N passed, N failed"
#   make soak       the long load and fault variants (tests/cases/soak-*),
#                   and every case on the debug kernel
#   make bench      the benchmarks in QEMU; writes bench/results/, prints the table
#   make kernels    build the modules against every installed header set
#   make deps       install the Debian packages the project needs (root), and
#                   fetch the guest kernels into ~/.cache/wdmisr/kernels/
#   make install    modules to /lib/modules/KVER/updates, wdmisr-read and
#                   wdmstat to PREFIX,
#                   the udev rule, the sysusers.d entry for the group wdmisr,
#                   a modprobe.d example and the porter's kit
#                   (wdm.h, wdf.h, wdm.ko's Module.symvers, wdm.mk; docs/porting.md)
#                   under PREFIX (DESTDIR stages it); make install-kit: the kit alone
#   make uninstall  remove exactly what install installed
#
# Modules are built out of tree in build/<kernel release>/, a copy of the
# kernel sources, so that builds for several kernels never clobber each other.

SHELL		:= /bin/bash
TOP		:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# The kernel to build against: KVER's build directory if KVER is given, else
# the running kernel's if there is one, else the newest installed Debian
# linux-headers-*-amd64 that is not PREEMPT_RT (by version, not as strings).
NEWEST_KDIR	 = $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
			grep -v -- '-rt-amd64$$' | sort -V | tail -n 1)
KDIR		?= $(strip $(if $(filter command line,$(origin KVER)),/lib/modules/$(KVER)/build,\
			$(or $(wildcard /lib/modules/$(shell uname -r)/build),$(NEWEST_KDIR))))
KVER		 = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
			$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
BUILD		 = $(TOP)/build/$(KVER)

# The release: MODULE_VERSION of the modules, wdmisr-read --version, and
# PACKAGE_VERSION in dkms.conf (tests/package-test.sh checks that one).
WDMISR_VERSION	:= 0.1.0
export WDMISR_VERSION

# An out-of-tree build does not read Kconfig: these stand for its answers.
KCONFIG_VALUES	?= CONFIG_WDM=m CONFIG_WDMISR=m
KBUILD_ARGS	?= W=1

# Where 'make install' puts things; DESTDIR stages them (no depmod, no group).
PREFIX		?= /usr/local
SYSCONFDIR	?= /etc
INSTALL		?= install
MODDIR		 = /lib/modules/$(KVER)/updates
DRIVER_MODULES	:= wdm wdmisr
# The udev rule and the sysusers.d entry: a package (DESTDIR) puts them
# where the distribution's files go, /usr/lib; a local install where the
# administrator's go, SYSCONFDIR.
UDEVRULESDIR	?= $(if $(DESTDIR),/usr/lib,$(SYSCONFDIR))/udev/rules.d
SYSUSERSDIR	?= $(if $(DESTDIR),/usr/lib,$(SYSCONFDIR))/sysusers.d
UDEV_RULE	 = $(UDEVRULESDIR)/60-wdmisr.rules
SYSUSERS_CONF	 = $(SYSUSERSDIR)/wdmisr.conf
MODPROBE_CONF	:= $(SYSCONFDIR)/modprobe.d/wdmisr.conf.example
# The porter's kit (docs/porting.md): the headers, wdm.ko's Module.symvers
# for this kernel (one per kernel release, so under KVER) and wdm.mk, which
# a driver's Kbuild includes; wdm.mk finds the rest relative to itself.
KIT_INCDIR	 = $(PREFIX)/include/wdm
KIT_SYMVERS	 = $(PREFIX)/lib/wdm/$(KVER)/Module.symvers
KIT_MK		 = $(PREFIX)/share/wdm/wdm.mk
KIT_FILES	 = $(KIT_INCDIR)/wdm.h $(KIT_INCDIR)/wdf.h $(KIT_INCDIR)/uapi/wdmisr.h $(KIT_SYMVERS) $(KIT_MK)
KIT_DIRS	 = $(KIT_INCDIR)/uapi $(KIT_INCDIR) $(dir $(KIT_SYMVERS)) \
		   $(PREFIX)/lib/wdm $(dir $(KIT_MK))

# Every installed header set, for 'make kernels'.
ALL_KDIRS	 = $(sort $(wildcard /usr/src/linux-headers-*-amd64))

.PHONY: all modules driver-modules example-modules tools test-tools kernels deps demo check soak \
	bench lint \
	clean help install install-kit install-kit-staged uninstall

all: modules tools

help:
	@awk 'NR > 4 && /^#$$/ { exit } NR >= 3 { sub(/^# ?/, ""); print }' $(lastword $(MAKEFILE_LIST))

# Copy the kernel sources into build/<release>/ and build wdm.ko and
# wdmisr.ko there: what DKMS and 'make install' build.
driver-modules:
	@test -d "$(KDIR)" || { echo "make: no kernel headers found (KDIR=$(KDIR)); run 'make deps'" >&2; exit 1; }
	@echo "make: building the modules for $(KVER) (KDIR=$(KDIR))"
	@mkdir -p $(BUILD)
	@cp -ru $(TOP)/Kbuild $(TOP)/module $(TOP)/include $(wildcard $(TOP)/kunit $(TOP)/testlib) $(BUILD)/
	$(MAKE) -C $(KDIR) M=$(BUILD) $(KCONFIG_VALUES) $(KBUILD_ARGS) modules

# The driver modules and the test modules.
modules: driver-modules
	$(MAKE) -C $(TOP)/tests --no-print-directory seed-module KDIR=$(KDIR) \
		BUILD=$(BUILD) KBUILD_ARGS="$(KBUILD_ARGS)"
	$(build_examples)
	$(MAKE) -C $(TOP)/bench --no-print-directory module KDIR=$(KDIR) \
		BUILD=$(BUILD) KBUILD_ARGS="$(KBUILD_ARGS)"

# examples/*/ as a porter builds them: the kit installed for this kernel into
# the staging root build/<release>/kit (what 'make install-kit
# DESTDIR=build/<release>/kit' installs), each example copied to
# build/<release>/examples/NAME and built against that root alone (its Kbuild
# includes the staged wdm.mk).
KIT_STAGE	 = $(BUILD)/kit
EXAMPLES	:= $(notdir $(patsubst %/,%,$(dir $(wildcard $(TOP)/examples/*/Kbuild))))

define build_examples
	@rm -rf $(KIT_STAGE)
	@$(MAKE) --no-print-directory install-kit-staged KDIR=$(KDIR) \
		DESTDIR=$(KIT_STAGE) PREFIX=/usr/local >/dev/null
	@set -e; for e in $(EXAMPLES); do \
		rm -rf $(BUILD)/examples/$$e; mkdir -p $(BUILD)/examples/$$e; \
		cp $(TOP)/examples/$$e/Kbuild $(TOP)/examples/$$e/Makefile $(TOP)/examples/$$e/*.c \
			$(BUILD)/examples/$$e/; \
		$(MAKE) -C $(BUILD)/examples/$$e --no-print-directory KDIR=$(KDIR) \
			WDM_PREFIX=$(KIT_STAGE)/usr/local $(KBUILD_ARGS); \
	done
endef

example-modules: driver-modules
	$(build_examples)

# Internal: install-kit once the modules are built (build_examples).
install-kit-staged:
	$(install_kit)

kernels:
	@test -n "$(ALL_KDIRS)" || { echo "make: no linux-headers-*-amd64 installed; run 'make deps'" >&2; exit 1; }
	@set -e; for k in $(ALL_KDIRS); do $(MAKE) --no-print-directory modules KDIR=$$k; done

tools:
	$(MAKE) -C $(TOP)/userspace

# What the tests and benchmarks run besides the tools: the ivshmem device
# process, the guest's helpers, the benchmark programs.
test-tools: tools
	$(MAKE) -C $(TOP)/tests tools
	$(MAKE) -C $(TOP)/bench

lint: deps
	@$(TOP)/tests/check.sh --only lint

deps:
	@$(TOP)/scripts/deps.sh

demo: deps
	@$(TOP)/tests/demo.sh

check: deps
	@$(TOP)/tests/check.sh

# The guest cases of 'make check' with counts beyond what CI has time for.
SOAK_CASES	 = $(notdir $(basename $(wildcard $(TOP)/tests/cases/soak-*.sh)))
soak: deps
	@$(TOP)/tests/check.sh --only guest $(SOAK_CASES:%=--case %)
	@$(TOP)/tests/check.sh --only debug --debug-all

bench: deps
	@$(TOP)/bench/run.sh

install: driver-modules
	$(INSTALL) -d $(DESTDIR)$(MODDIR)
	$(INSTALL) -m 0644 $(foreach m,$(DRIVER_MODULES),$(BUILD)/module/$(m)/$(m).ko) $(DESTDIR)$(MODDIR)/
	$(MAKE) -C $(TOP)/userspace --no-print-directory install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	$(INSTALL) -D -m 0644 $(TOP)/packaging/udev/60-wdmisr.rules $(DESTDIR)$(UDEV_RULE)
	$(INSTALL) -D -m 0644 $(TOP)/packaging/sysusers.d/wdmisr.conf $(DESTDIR)$(SYSUSERS_CONF)
	$(INSTALL) -D -m 0644 $(TOP)/packaging/modprobe.d/wdmisr.conf $(DESTDIR)$(MODPROBE_CONF)
	$(install_kit)
ifeq ($(DESTDIR),)
	depmod -a $(KVER)
	getent group wdmisr >/dev/null || groupadd --system wdmisr
endif

# The porter's kit alone, part of 'make install'; 'make modules' stages it
# per kernel to build examples/ as a driver outside this tree is built.
define install_kit
	$(INSTALL) -D -m 0644 $(TOP)/include/wdm.h $(DESTDIR)$(KIT_INCDIR)/wdm.h
	$(INSTALL) -D -m 0644 $(TOP)/include/wdf.h $(DESTDIR)$(KIT_INCDIR)/wdf.h
	$(INSTALL) -D -m 0644 $(TOP)/include/uapi/wdmisr.h $(DESTDIR)$(KIT_INCDIR)/uapi/wdmisr.h
	$(INSTALL) -D -m 0644 $(BUILD)/Module.symvers $(DESTDIR)$(KIT_SYMVERS)
	$(INSTALL) -D -m 0644 $(TOP)/packaging/wdm.mk $(DESTDIR)$(KIT_MK)
endef

install-kit: driver-modules
	$(install_kit)

# The group stays: files may still belong to it.
uninstall:
	@test -n "$(KVER)" || { echo "make: no kernel release; set KVER or KDIR" >&2; exit 1; }
	rm -f $(DRIVER_MODULES:%=$(DESTDIR)$(MODDIR)/%.ko) $(DESTDIR)$(UDEV_RULE) \
		$(DESTDIR)$(SYSUSERS_CONF) $(DESTDIR)$(MODPROBE_CONF)
	rm -f $(KIT_FILES:%=$(DESTDIR)%)
	@for d in $(KIT_DIRS:%=$(DESTDIR)%); do \
		[ ! -d "$$d" ] || rmdir --ignore-fail-on-non-empty "$$d"; done
	$(MAKE) -C $(TOP)/userspace --no-print-directory uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
ifeq ($(DESTDIR),)
	depmod -a $(KVER)
endif

clean:
	rm -rf $(TOP)/build
	$(MAKE) -C $(TOP)/userspace clean
	$(MAKE) -C $(TOP)/tests clean
	$(MAKE) -C $(TOP)/bench clean
