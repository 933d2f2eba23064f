#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmarks of `make bench` (bench/guest.sh) with small N, so that
# their code cannot rot. Each checks that it counted exactly what it fired:
# dispatch, 1000 interrupts per variant (raw, shim, shim+DPC, shim+threaded
# DPC, two shared chains), and wdm.ko's histograms of it; latency, 100
# rounds on an edu bound to wdmisr and 100 on one bound to
# uio_pci_generic, with the reader on each CPU, wdmisr on MSI and then
# (reloaded at the end, its DPCs threaded, not in softirq) on INTx,
# each device alone on its line (slots 3 and 4: bench-latency.sh);
# throughput, 4 runs of 500 records in each reader mode from the ivshmem
# producer through wdmisr and as many from /dev/zero; the read path
# alone, a 64-record queue filled twice by the held producer (8 records
# per ring per doorbell) and drained with read() and from the mapped
# ring; scaling, 1 and 64 MSI-X vectors; the statistics' cost, one phase
# with wdm.ko as built and one with it built with WDM_STATS=0. No time is
# checked.
# qemu: -device edu,addr=3 -device edu,addr=4
# ivshmem: --vectors 64 --rings 8 --count 516 --hold-after 500 --hold-step 8
# kmods: uio_pci_generic
# timeout: 420

. /bench/guest.sh
plan 97

load_wdm irq_mode=edu:msi || return
bench_load_module || return
bench_dispatch 1000 100
bench_dispatch_histograms
bench_clock 10000
bench_latency msi 100 0 1
bench_throughput 500 4 0 8 500
check_cmd "rmmod wdmisr" rmmod wdmisr
check_cmd "insmod wdmisr.ko queue_len=64" insmod "$WDM_MODDIR/wdmisr.ko" queue_len=64
bench_drain 64 1 500 8
check_cmd "rmmod wdmisr" rmmod wdmisr
bench_scaling 2 64 1 64
check_cmd "rmmod wdm_bench" rmmod wdm_bench
# The edu again, on INTx; the ivshmem, its producer done, stays unbound.
echo none >"/sys/bus/pci/devices/$(find_dev 1af4:1110)/driver_override"
# Its DPCs threaded this time (in softirq above, but on PREEMPT_RT).
check_cmd "insmod wdmisr.ko irq_mode=edu:intx threaded_dpc=1" \
	insmod "$WDM_MODDIR/wdmisr.ko" irq_mode=edu:intx threaded_dpc=1
bench_latency intx 100 0 1
check_cmd "rmmod wdmisr" rmmod wdmisr
check_cmd "rmmod wdm" rmmod wdm || return
bench_stats_cost 1000 100 1
