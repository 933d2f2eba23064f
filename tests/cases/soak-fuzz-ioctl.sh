#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make soak: tests/cases/fuzz-ioctl.sh with 1,000,000 calls per run.
# run-by: make soak
# qemu: -device edu,addr=3 -device e1000,addr=8
# ivshmem: --vectors 8
# timeout: 1800

CALLS=1000000
. /tests/cases/fuzz-ioctl.sh
