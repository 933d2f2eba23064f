#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`, 3. throughput: the ivshmem producer (8 rings, a signal per
# record) -> wdmisr -> wdmisr-read (bench/wdm-bench-read.c), in 10 runs of
# 100000 records in each of two reader modes (JSON to /dev/null, and
# summary), each after a run of the same reader on /dev/zero. Each run's
# clock starts after 4096 records: the queue and the rings fill up while
# the reader is away. Then the read path alone: wdmisr reloaded with a
# 65536-record queue, which the producer (held after its 250000 records per
# ring, each doorbell releasing 8192 more) fills with no reader; in 5 runs,
# the same reader (summary mode) drains the queued records with read() and,
# after a second fill, from the mapped ring, each after a run on /dev/zero.
# run-by: make bench
# ivshmem: --vectors 8 --count 331920 --hold-after 250000 --hold-step 8192
# timeout: 1500

. /bench/guest.sh
plan 19

load_wdm || return
t0=$SECONDS
bench_throughput 100000 10 4096 8 250000
t1=$SECONDS
check_cmd "rmmod wdmisr" rmmod wdmisr
check_cmd "insmod wdmisr.ko queue_len=65536" insmod "$WDM_MODDIR/wdmisr.ko" queue_len=65536
bench_drain 65536 5 250000 8
note "end to end: $((t1 - t0)) s; the read path, queue pre-filled: $((SECONDS - t1)) s"
unload_wdm
