#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`, 1. dispatch cost: 10^6 interrupts per variant through a
# private irq domain, fired from hard-IRQ context in batches of 1000, the
# variants taking turns (bench/kmod/wdm_bench_dispatch.c).
# run-by: make bench
# timeout: 1200

. /bench/guest.sh
plan 14

check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" || return
bench_load_module || return
bench_dispatch 1000000 1000
check_cmd "rmmod wdm_bench" rmmod wdm_bench
check_cmd "rmmod wdm" rmmod wdm
