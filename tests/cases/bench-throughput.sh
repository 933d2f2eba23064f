#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`, 3. throughput: the ivshmem producer (8 rings, a signal per
# record) -> wdmisr -> wdmisr-read (bench/wdm-bench-read.c), in 10 runs of
# 100000 records in each of two reader modes (JSON to /dev/null, and
# summary), each after a run of the same reader on /dev/zero. Each run's
# clock starts after 4096 records: the queue and the rings fill up while
# the reader is away.
# run-by: make bench
# ivshmem: --vectors 8 --count 250000
# timeout: 1200

. /bench/guest.sh
plan 12

load_wdm || return
bench_throughput 100000 10 4096 8 250000
unload_wdm
