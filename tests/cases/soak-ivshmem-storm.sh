#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make soak: tests/cases/stress-ivshmem-storm.sh with 10,000,000 records,
# 1,250,000 on each of the 8 rings.
# run-by: make soak
# ivshmem: --vectors 8 --count 1250000 --slots 1024
# timeout: 1800

M=1250000
. /tests/cases/stress-ivshmem-storm.sh
