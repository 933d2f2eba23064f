#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ioctl fuzzing (tests/progs/wdmisr-fuzz.c): random commands (valid ones, the
# driver's magic with any number, size and direction, valid ones with a bit
# flipped, and anything) with random arguments (NULL, unmapped, kernel,
# read-only, straddling a guard page, misaligned, random, good), from root
# and from uid 65534 without capabilities, on the edu, the ivshmem and a
# generic (e1000 bound with driver_override) node; one call in 8 maps the
# event ring instead (random offset, length, protection, shared or private),
# tries to grow and to unprotect what it mapped, and writes random consumer
# indices before a read(). Every result is one of the errnos documented for
# its call, every INFO and STATS output has zero
# reserved and padding bytes and nothing past its end, neither module logs
# anything during the runs, and each device still works afterwards. The seed
# is fixed (FUZZ_SEED) and printed, so a run can be repeated.
# qemu: -device edu,addr=3 -device e1000,addr=8
# ivshmem: --vectors 8
# timeout: 400

# make check: 100,000 calls per run; make soak: 1,000,000.
CALLS=${CALLS:-100000}
SEED=${FUZZ_SEED:-0x5eed}
plan 16

echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd

# fuzz LABEL USER NODE N: one fuzzer run of N calls, as root or nobody;
# one check that it found only documented errnos and good output.
fuzz() {
	local cmd="wdmisr-fuzz -d /dev/$3 -n $4 -s $SEED" out rc

	if [ "$2" = root ]; then
		out=$($cmd 2>&1)
	else
		out=$(su nobody -s /bin/sh -c "$cmd" 2>&1)
	fi
	rc=$?
	printf '%s\n' "$out"
	check_match "$1: $4 calls, only documented errnos, clean output (exit $rc)" \
		"^fuzz calls=$4 undocumented=0 bad_output=0$" "$out"
}

load_wdm dev_mode=0666 || return
gen=$(find_dev 8086:100e)
pci_bind "$gen" wdmisr
edu=$(wdmisr_node "$(find_dev 1234:11e8)")
iv=$(wdmisr_node "$(find_dev 1af4:1110)")
gen=$(wdmisr_node "$gen")
check_eq "personalities" "edu ivshmem generic" \
	"$(cat /sys/class/wdmisr/{"$edu","$iv","$gen"}/personality | xargs)"

lines=$(dmesg | wc -l)
fuzz "edu, root" root "$edu" "$CALLS"
fuzz "edu, uid 65534" nobody "$edu" "$CALLS"
fuzz "ivshmem, root" root "$iv" "$CALLS"
fuzz "ivshmem, uid 65534" nobody "$iv" "$CALLS"
fuzz "generic, root" root "$gen" "$CALLS"
fuzz "generic, uid 65534" nobody "$gen" "$CALLS"
# Not a line from the driver or the shim (a bad pattern anywhere fails the
# run anyway; crng and the like may still speak), except the shim's ISR and
# DPC timing warnings (isr_warn_us, dpc_warn_us), which under TCG come from
# the emulator's speed, not from what the fuzzer sent.
check_eq "the driver logged nothing while fuzzing" "" \
	"$(dmesg | tail -n +$((lines + 1)) | grep wdm | grep -Ev ' over (isr|dpc)_warn_us=')"

# Each device still works.
check_match "edu still works: 3 raises, each claimed by its ISR" "^paced .* raises=3 " \
	"$(wdmisr-raise paced -n 3 /dev/"$edu" 2>&1)"
before=$(vector_stat "$iv" 5 interrupts)
wdmisr-read -d /dev/"$iv" -n 1 --trigger --trigger-vector 5 -t 500 >/dev/null 2>&1
wait_stat "$iv" 5 interrupts $((before + 1)) 10
check_eq "ivshmem still works: a doorbell on vector 5 interrupts it" 1 \
	$(($(vector_stat "$iv" 5 interrupts) - before))
check_contains "generic: still EOPNOTSUPP for a raise" "Operation not supported" \
	"$(wdmisr-read -d /dev/"$gen" -n 1 --trigger -t 500 2>&1)"
pci_unbind "$(find_dev 8086:100e)"
unload_wdm
