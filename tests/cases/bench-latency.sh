#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`, 2. latency to userspace: two edu devices, one driven by
# wdmisr, its twin by uio_pci_generic (INTx; it has no MSI); 10^4 rounds on
# each, interleaved (bench/wdm-bench-lat.c), for two pairs in turn: wdmisr
# on MSI against UIO on INTx (the pair as users would pick them; unfair,
# MSI needs no line to be masked and acknowledged), then, wdmisr.ko
# reloaded with irq_mode=edu:intx, both on INTx (the fair pair). Slots 3
# and 4 are on different PCI links (LNKC, LNKD) and ACPI routes them to
# different IRQs once the devices are enabled (tests/cases/smoke-boot.sh);
# the guest checks that each INTx line has one handler and one device.
# The fair pair is measured twice: wdmisr's DPCs threaded
# (threaded_dpc=1), then, reloaded with threaded_dpc=0 (its default but on
# PREEMPT_RT), in softirq as the interrupt exits, which wakes the reader
# without the irq thread's context switch. The unfair pair has threaded
# DPCs, as before.
# Both interrupts go to CPU 0; the reader runs there, then again on CPU 1.
# No MSI-against-MSI pair: UIO's PCI driver has no MSI, and vfio-pci would
# need VFIO no-IOMMU mode, which none of Debian's kernels is built with
# (bench/README.md).
# run-by: make bench
# qemu: -device edu,addr=3 -device edu,addr=4
# kmods: uio_pci_generic
# timeout: 1200

. /bench/guest.sh
plan 49

load_wdm irq_mode=edu:msi threaded_dpc=1 || return
bench_latency msi 10000 0 1
check_cmd "rmmod wdmisr" rmmod wdmisr || return
check_cmd "insmod wdmisr.ko irq_mode=edu:intx threaded_dpc=1" \
	insmod "$WDM_MODDIR/wdmisr.ko" irq_mode=edu:intx threaded_dpc=1 || return
bench_latency intx 10000 0 1
check_cmd "rmmod wdmisr" rmmod wdmisr || return
check_cmd "insmod wdmisr.ko irq_mode=edu:intx threaded_dpc=0" \
	insmod "$WDM_MODDIR/wdmisr.ko" irq_mode=edu:intx threaded_dpc=0 || return
bench_latency intx 10000 0 1
unload_wdm
