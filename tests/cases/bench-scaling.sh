#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`, 4. scaling: 1, 2, 4 ... 64 MSI-X messages of an idle
# ivshmem-doorbell that no driver has, connected 20 times per variant
# (request_irq, request_threaded_irq, IoConnectInterruptEx), with 6400
# interrupts over them each time (bench/kmod/wdm_bench_scaling.c).
# run-by: make bench
# ivshmem: --vectors 64 --rings 1
# timeout: 1200

. /bench/guest.sh
plan 13

check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" || return
bench_load_module || return
bench_scaling 20 6400 1 2 4 8 16 32 64
check_cmd "rmmod wdm_bench" rmmod wdm_bench
check_cmd "rmmod wdm" rmmod wdm
