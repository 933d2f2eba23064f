#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`, 2. latency to userspace: two edu devices, one driven by
# wdmisr (MSI), its twin by uio_pci_generic (INTx, alone on its line);
# 10^4 rounds on each, interleaved (bench/wdm-bench-lat.c). Both interrupts
# go to CPU 0; the reader runs there, then again on CPU 1.
# run-by: make bench
# qemu: -device edu,addr=3 -device edu,addr=7
# kmods: uio_pci_generic
# timeout: 1200

. /bench/guest.sh
plan 17

load_wdm irq_mode=edu:msi || return
bench_latency 10000 0 1
unload_wdm
