#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmarks of `make bench` (bench/guest.sh) with small N, so that
# their code cannot rot. Each checks that it counted exactly what it fired:
# dispatch, 1000 interrupts per variant (raw, shim, shim+DPC, shim+threaded
# DPC, two shared chains); latency, 100 rounds on an edu bound to wdmisr and 100 on one
# bound to uio_pci_generic, with the reader on each CPU; throughput, 4 runs
# of 500 records in each reader mode from the ivshmem producer through
# wdmisr and as many from /dev/zero; the read path alone, a 64-record queue
# filled twice by the held producer (8 records per ring per doorbell) and
# drained with read() and from the mapped ring; scaling, 1 and 64 MSI-X
# vectors. No time is checked.
# qemu: -device edu,addr=3 -device edu,addr=7
# ivshmem: --vectors 64 --rings 8 --count 516 --hold-after 500 --hold-step 8
# kmods: uio_pci_generic
# timeout: 300

. /bench/guest.sh
plan 47

load_wdm irq_mode=edu:msi || return
bench_load_module || return
bench_dispatch 1000 100
bench_latency 100 0 1
bench_throughput 500 4 0 8 500
check_cmd "rmmod wdmisr" rmmod wdmisr
check_cmd "insmod wdmisr.ko queue_len=64" insmod "$WDM_MODDIR/wdmisr.ko" queue_len=64
bench_drain 64 1 500 8
check_cmd "rmmod wdmisr" rmmod wdmisr
bench_scaling 2 64 1 64
check_cmd "rmmod wdm_bench" rmmod wdm_bench
check_cmd "rmmod wdm" rmmod wdm
