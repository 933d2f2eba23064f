#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`, 1. dispatch cost: 10^6 interrupts per variant through a
# private irq domain, fired from hard-IRQ context in batches of 1000, the
# variants taking turns (bench/kmod/wdm_bench_dispatch.c); wdm.ko's
# histograms of that run's shim ISRs and DPCs. Then what the statistics
# cost: 3 phases of 150000 interrupts per variant with wdm.ko as built, 3
# with it built with WDM_STATS=0, taking turns.
# run-by: make bench
# timeout: 2400

. /bench/guest.sh
plan 108

check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" || return
bench_load_module || return
bench_dispatch 1000000 1000
bench_dispatch_histograms
bench_clock 1000000
check_cmd "rmmod wdm_bench" rmmod wdm_bench
check_cmd "rmmod wdm" rmmod wdm || return
bench_stats_cost 150000 1000 3
