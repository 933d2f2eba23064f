#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make soak: tests/cases/fault-cycles.sh with 50 unbind/bind and 50
# rmmod/insmod cycles.
# run-by: make soak
# qemu: -device edu,addr=3 -device edu,addr=7
# ivshmem: --vectors 8 --count 1000000 --rate 200 --slots 64
# timeout: 1800

CYCLES=50
. /tests/cases/fault-cycles.sh
