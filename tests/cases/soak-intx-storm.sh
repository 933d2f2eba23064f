#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make soak: tests/cases/stress-intx-storm.sh with 1,000,000 raises.
# run-by: make soak
# qemu: -device edu,addr=3 -device edu,addr=7
# timeout: 1200

R=1000000
. /tests/cases/stress-intx-storm.sh
