# SPDX-License-Identifier: GPL-2.0
#
# wdm.mk: build a Windows-style driver against the installed wdm.ko
# ('make install' puts this file in PREFIX/share/wdm/, docs/porting.md).
# A driver's Kbuild needs two lines:
#
#	include /usr/local/share/wdm/wdm.mk
#	obj-m += mydriver.o
#
# This file then adds the kit's headers to the include path (<wdm.h>,
# <uapi/wdmisr.h>) and wdm.ko's Module.symvers for the kernel being built
# for to KBUILD_EXTRA_SYMBOLS. Both are found relative to this file, so a
# kit staged with DESTDIR works from where it lies. Kbuild reads the file
# while compiling and again in modpost, where KBUILD_EXTRA_SYMBOLS counts;
# without the kit for that kernel ('make install KVER=...' of wdmisr)
# modpost stops, naming the missing Module.symvers.

WDM_KIT_PREFIX	:= $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/../..)
WDM_INCLUDE	:= $(WDM_KIT_PREFIX)/include/wdm
WDM_SYMVERS	:= $(WDM_KIT_PREFIX)/lib/wdm/$(KERNELRELEASE)/Module.symvers

ccflags-y		+= -I$(WDM_INCLUDE)
KBUILD_EXTRA_SYMBOLS	+= $(WDM_SYMVERS)
