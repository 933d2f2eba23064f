#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmarks of `make bench` (bench/guest.sh) with small N, so that
# their code cannot rot. Each checks that it counted exactly what it fired:
# dispatch, 1000 interrupts per variant (raw, shim, shim+DPC, shim+threaded
# DPC, two shared chains), and wdm.ko's histograms of it; latency, 100
# rounds on an edu bound to wdmisr and 100 on one bound to
# uio_pci_generic, with the reader on each CPU; throughput, 4 runs
# of 500 records in each reader mode from the ivshmem producer through
# wdmisr and as many from /dev/zero; scaling, 1 and 64 MSI-X vectors; the
# statistics' cost, one phase with wdm.ko as built and one with it built
# with WDM_STATS=0. No time is checked.
# qemu: -device edu,addr=3 -device edu,addr=7
# ivshmem: --vectors 64 --rings 8 --count 500
# kmods: uio_pci_generic
# timeout: 360

. /bench/guest.sh
plan 73

load_wdm irq_mode=edu:msi || return
bench_load_module || return
bench_dispatch 1000 100
bench_dispatch_histograms
bench_latency 100 0 1
bench_throughput 500 4 0 8 500
check_cmd "rmmod wdmisr" rmmod wdmisr
bench_scaling 2 64 1 64
check_cmd "rmmod wdm_bench" rmmod wdm_bench
check_cmd "rmmod wdm" rmmod wdm || return
bench_stats_cost 1000 100 1
