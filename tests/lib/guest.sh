#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Helpers for the test cases that run inside the QEMU guest. Sourced by the
# guest /init and by every tests/cases/NAME.sh before the case runs.
#
# Results: every check prints exactly one line on the console,
#   WDMTEST: ok - <text>          or          WDMTEST: not ok - <text>
# and /init ends with WDMTEST-DONE pass=N fail=M. Diagnostics are lines
# starting with "# ". Cases run under `set -uo pipefail` but not `set -e`:
# a failed check returns 1 and the case goes on unless it says `|| return`.
#
# A case file is a bash fragment. Its header comments tell the host what
# the guest needs (see tests/qemu/run-guest.sh):
#   # qemu: -device edu,addr=3 -device edu,addr=7   extra QEMU arguments
#   # ivshmem: --vectors 8 ...           start the device process
#                                        (tests/ivshmem-dev/), add the device
#   # kmods: uio uio_pci_generic         in-kernel modules to pack (modprobe)
#   # tools: trace-cmd perf              host programs to pack into /bin
#   # append: loglevel=7                 extra kernel command line
#   # timeout: 120                       seconds before the host kills QEMU
#   # run-by: make soak                  what runs it, if not tests/check.sh
#
# Checks:     ok, not_ok, skip, note, plan, check_eq, check_cmd, check_fail,
#             check_contains, check_match
# Modules:    have_wdm, load_wdm, unload_wdm, load_kmod, kmsg
# edu:        edu_raise_each, edu_check_acked
# PCI/IRQ:    hw_reg, msi_irq, find_dev, dev_irq, irq_count, irq_quiet, pci_cmd_bits,
#             pci_driver, pci_bind
# Misc:       wait_for, wait_value, waits_in, count_words
# wdmisr:     vector_stat, edu_payloads_match, wdmisr_info, wdmisr_node

# Where the image keeps the project's modules (see tests/qemu/mkinitramfs.sh).
WDM_MODDIR=/wdm/module
# shellcheck disable=SC2034 # for the cases
WDM_KUNITDIR=/wdm/kunit
WDMTEST_RESULTS=/tmp/wdmtest.results
WDMTEST_PLAN=/tmp/wdmtest.plan

# --- results -------------------------------------------------------------------

# _wdm_result STATUS TEXT: print one result line and record it.
_wdm_result() {
	echo "WDMTEST: $1 - $2"
	echo "$1" >>"$WDMTEST_RESULTS"
}

# ok TEXT / not_ok TEXT: record a result directly. not_ok returns 1.
ok() { _wdm_result ok "$*"; }
not_ok() { _wdm_result "not ok" "$*"; return 1; }

# skip TEXT REASON: a check that cannot run here; counts as passed (TAP SKIP).
skip() { _wdm_result ok "$1 # SKIP $2"; }

# note TEXT: a diagnostic line.
note() { echo "# $*"; }

# plan N: the case promises exactly N results; /init checks the count, so a
# case that stops early cannot pass by having run fewer checks.
plan() { echo "$1" >"$WDMTEST_PLAN"; }

# wdm_count STATUS: how many results had STATUS ("ok" or "not ok").
wdm_count() {
	[ -f "$WDMTEST_RESULTS" ] || { echo 0; return; }
	grep -cx "$1" "$WDMTEST_RESULTS"
}

# wdm_check_plan: compare the results recorded with the case's plan, if any.
wdm_check_plan() {
	local want got

	[ -f "$WDMTEST_PLAN" ] || return 0
	want=$(cat "$WDMTEST_PLAN")
	got=$(($(wdm_count ok) + $(wdm_count 'not ok')))
	[ "$want" = "$got" ] && return 0
	not_ok "plan: $want checks planned, $got ran"
}

# _wdm_show OUTPUT: indent command output as diagnostics.
_wdm_show() {
	[ -n "$1" ] && printf '%s\n' "$1" | tail -n 20 | sed 's/^/#   /'
	return 0
}

# check_eq NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1 (expected '$2', got '$3')"
	fi
}

# check_cmd NAME CMD...: CMD exits 0. Its output is shown when it fails.
check_cmd() {
	local name=$1 out rc

	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "$name"
	else
		not_ok "$name (exit status $rc: $*)"
		_wdm_show "$out"
		return 1
	fi
}

# check_fail NAME CMD...: CMD exits non-zero.
check_fail() {
	local name=$1 out rc

	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		ok "$name"
	else
		not_ok "$name (succeeded, expected failure: $*)"
		_wdm_show "$out"
		return 1
	fi
}

# check_contains NAME STRING TEXT: TEXT contains STRING (fixed string).
check_contains() {
	if grep -qF -- "$2" <<<"$3"; then
		ok "$1"
	else
		not_ok "$1 ('$2' not found)"
		_wdm_show "$3"
		return 1
	fi
}

# check_match NAME REGEX TEXT: a line of TEXT matches the extended REGEX.
check_match() {
	if grep -qE -- "$2" <<<"$3"; then
		ok "$1"
	else
		not_ok "$1 (no line matches /$2/)"
		_wdm_show "$3"
		return 1
	fi
}

# --- modules -------------------------------------------------------------------

# have_wdm: wdm.ko and wdmisr.ko are in the image (built for this kernel).
have_wdm() {
	[ -f "$WDM_MODDIR/wdm.ko" ] && [ -f "$WDM_MODDIR/wdmisr.ko" ]
}

# load_wdm [ARGS...]: insmod wdm.ko, then wdmisr.ko with ARGS. Two checks.
load_wdm() {
	check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" || return 1
	check_cmd "insmod wdmisr.ko${*:+ $*}" insmod "$WDM_MODDIR/wdmisr.ko" "$@"
}

# unload_wdm: rmmod wdmisr, then wdm. Two checks.
unload_wdm() {
	check_cmd "rmmod wdmisr" rmmod wdmisr || return 1
	check_cmd "rmmod wdm" rmmod wdm
}

# load_kmod NAME [ARGS...]: modprobe an in-kernel module packed with
# `# kmods:` (dependencies come along). One check.
load_kmod() {
	check_cmd "modprobe $*" modprobe "$@"
}

# kmsg TEXT: write TEXT into the kernel log, in order with kernel messages.
kmsg() {
	echo "<5>$*" >/dev/kmsg
}

# --- PCI and interrupts ----------------------------------------------------------

# hw_reg NAME: the value of NAME (EDU_REG_IRQ_RAISE, IVSHMEM_REG_DOORBELL, ...)
# in the device register headers, /include/hw/*.h as in the tree: the cases
# use the one definition the driver is built with.
hw_reg() {
	local v

	v=$(sed -n "s/^#define $1[[:space:]]\{1,\}\(0x[0-9a-fA-F]\{1,\}\).*/\1/p" \
		/include/hw/*.h)
	[ -n "$v" ] || { note "hw_reg: $1 is not defined in /include/hw/"; return 1; }
	echo "$v"
}

# find_dev VENDOR:DEVICE: the BDFs (dddd:bb:dd.f) of matching devices, sorted,
# one per line. IDs are hex, with or without 0x.
find_dev() {
	local vendor=${1%%:*} device=${1##*:} d

	vendor=0x${vendor#0x}
	device=0x${device#0x}
	for d in /sys/bus/pci/devices/*; do
		[ -e "$d/vendor" ] || continue
		[ "$(cat "$d/vendor")" = "${vendor,,}" ] || continue
		[ "$(cat "$d/device")" = "${device,,}" ] || continue
		basename "$d"
	done | LC_ALL=C sort
}

# dev_irq BDF: the device's legacy IRQ line as sysfs reports it.
dev_irq() {
	cat "/sys/bus/pci/devices/$1/irq"
}

# msi_irq BDF: the Linux IRQ of the device's first MSI.
msi_irq() {
	ls "/sys/bus/pci/devices/$1/msi_irqs" | head -n 1
}

# irq_count IRQ: interrupts taken on IRQ, summed over all CPUs.
irq_count() {
	awk -v irq="$1:" 'NR == 1 { ncpu = NF } $1 == irq {
		for (i = 2; i <= ncpu + 1; i++) n += $i; found = 1 }
		END { print found ? n : 0 }' /proc/interrupts
}

# irq_quiet IRQ: IRQ took no interrupt for half a second. For wait_until: a
# line that storms is quiet only once genirq has disabled it.
irq_quiet() {
	local n

	n=$(irq_count "$1")
	sleep 0.5
	[ "$(irq_count "$1")" = "$n" ]
}

# pci_cmd_bits BDF MASK: the bits MASK of BDF's COMMAND register, as 0x%x:
# pci_cmd_bits BDF 0x4 is 0x4 for a bus master, 0x0 otherwise; 0x400 is
# INTx-disable.
pci_cmd_bits() {
	printf '0x%x\n' $((0x$(setpci -s "$1" COMMAND) & $2))
}

# on_irq_cpu IRQ CMD...: run CMD on the CPU that IRQ is delivered to.
# free_irq() on an IOAPIC line spins until no CPU holds an interrupt of the
# line unacknowledged. Under single-threaded TCG (one host thread runs both
# vCPUs), a vCPU spinning there while the other vCPU holds one (from a device
# still on the line) kept the holder from running for 20 s: an RCU stall.
# Spinning on the holder's own CPU, free_irq() takes the interrupt between
# its tries.
on_irq_cpu() {
	local cpu

	cpu=$(cat "/proc/irq/$1/effective_affinity_list") ||
		{ note "IRQ $1: no CPU to run $2 on"; return 1; }
	shift
	taskset -c "$cpu" "$@"
}

# pci_driver BDF: the name of the driver bound to BDF, or nothing.
pci_driver() {
	local link=/sys/bus/pci/devices/$1/driver

	[ -e "$link" ] && basename "$(readlink "$link")"
	return 0
}

# pci_unbind BDF: unbind BDF from its driver, if it has one, on the CPU its
# interrupt line is delivered to (on_irq_cpu).
pci_unbind() {
	local dev=/sys/bus/pci/devices/$1

	[ -e "$dev/driver" ] || return 0
	# shellcheck disable=SC2016 # sh expands $1 and $2
	on_irq_cpu "$(dev_irq "$1")" \
		sh -c 'echo "$1" >"$2"' sh "$1" "$dev/driver/unbind"
}

# pci_bind BDF DRIVER: unbind BDF from its driver and bind it to DRIVER
# (driver_override). One check.
pci_bind() {
	local dev=/sys/bus/pci/devices/$1

	pci_unbind "$1"
	echo "$2" >"$dev/driver_override"
	echo "$1" >/sys/bus/pci/drivers_probe
	check_eq "$1 bound to $2" "$2" "$(pci_driver "$1")"
}

# --- misc --------------------------------------------------------------------

# wait_until TIMEOUT CMD...: run CMD every 10 ms until it succeeds; false if
# it has not after TIMEOUT seconds.
wait_until() {
	local end=$((SECONDS + $1))

	shift
	until "$@"; do
		[ $SECONDS -le $end ] || return 1
		sleep 0.01
	done
}

# wait_for PATH TIMEOUT: wait up to TIMEOUT seconds for PATH to exist.
wait_for() {
	wait_until "$2" test -e "$1"
}

# file_reads FILE VALUE: FILE reads VALUE.
file_reads() {
	[ "$(cat "$1")" = "$2" ]
}

# wait_value FILE VALUE TIMEOUT: wait up to TIMEOUT seconds for FILE to read
# VALUE.
wait_value() {
	wait_until "$3" file_reads "$1" "$2"
}

# has_open PID NODE...: PID has each /dev/NODE open. Shell builtins only, as
# in the two below: wait_blocked runs them often, and every process costs
# under TCG.
has_open() {
	local node f

	for node in "${@:2}"; do
		for f in /proc/"$1"/fd/*; do
			[ "$f" -ef /dev/"$node" ] && continue 2
		done
		return 1
	done
}

# sleeps_of PID VAR: set VAR to how often PID has gone to sleep (its voluntary
# context switches); false if PID is gone. The file is read in one go: a
# line-by-line read seeks back after each line, and /proc regenerates the
# text on a seek, so later lines could come from a newer, shifted copy.
sleeps_of() {
	local w k

	read -r -d '' -a w </proc/"$1"/status
	for ((k = 0; k + 1 < ${#w[@]}; k++)); do
		[ "${w[k]}" = voluntary_ctxt_switches: ] && printf -v "$2" %s "${w[k + 1]}" && return
	done
	return 1
}

# slept_since PID N: PID is asleep, or has gone to sleep since it had slept N
# times.
slept_since() {
	local stat n

	read -r -a stat </proc/"$1"/stat || return 1
	[ "${stat[2]}" = S ] && return
	sleeps_of "$1" n && [ "$n" -gt "$2" ]
}

# wait_blocked PID NODE...: wait until PID has each /dev/NODE open, then until
# it waits (in read(), poll() or between raises): it is asleep, or has slept
# since. A process the load keeps busy is seldom seen asleep, but it sleeps.
# Up to 20 s for each; on a timeout, notes what PID was doing.
wait_blocked() {
	local n

	wait_until 20 has_open "$@" && sleeps_of "$1" n &&
		wait_until 20 slept_since "$1" "$n" && return
	note "pid $1 not blocked on ${*:2} after ${n:-?} sleeps:" \
		"$(cut -d' ' -f1-3 /proc/"$1"/stat 2>&1), wchan $(cat /proc/"$1"/wchan 2>&1)," \
		"$(grep ctxt /proc/"$1"/status 2>&1 | xargs), fds: $(ls -l /proc/"$1"/fd 2>&1 | tr -s '\n' ' ')"
	return 1
}

# waits_in PID FUNCTION: PID sleeps in FUNCTION (its /proc/PID/wchan), e.g.
# handle_userfault.
waits_in() {
	[ "$(cat /proc/"$1"/wchan 2>/dev/null)" = "$2" ]
}

# count_words WORDS...: how many words (e.g. BDFs from find_dev).
count_words() {
	echo $#
}

# --- edu, driven by hand ---------------------------------------------------------

# edu_raise_each BDF N COUNTER: raise N interrupts on edu BDF, one at a
# time, each once the sysfs file COUNTER (DPC runs) has counted the last.
edu_raise_each() {
	local i

	for i in $(seq "$2"); do
		wdmisr-mmio "$1" 0 "$(hw_reg EDU_REG_IRQ_RAISE)" "$i"
		wait_value "$3" "$i" 10 || break
	done
}

# edu_check_acked BDF: one check: edu's interrupt status reads 0.
edu_check_acked() {
	check_eq "edu's interrupt status is acknowledged" 0x00000000 \
		"$(wdmisr-mmio "$1" 0 "$(hw_reg EDU_REG_IRQ_STATUS)")"
}

# --- wdmisr ------------------------------------------------------------------

# vector_stat NODE VECTOR COLUMN: one counter from /sys/kernel/debug/wdmisr/NODE/stats,
# COLUMN being interrupts, true, false, dpc_queued, dpc_run, events, dropped
# or malformed; VECTOR "all" sums it over every vector. Empty if there is no
# such vector or column.
vector_stat() {
	awk -v v="$2" -v col="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		c && (v == "all" || $1 == v) { n += $c; found = 1 }
		END { if (found) print n }' "/sys/kernel/debug/wdmisr/$1/stats"
}

# stat_at_least NODE VECTOR COLUMN MIN: that vector_stat counter is MIN or more.
stat_at_least() {
	[ "$(vector_stat "$1" "$2" "$3")" -ge "$4" ]
}

# wait_stat NODE VECTOR COLUMN MIN TIMEOUT: wait up to TIMEOUT seconds for
# that vector_stat counter to reach MIN (an interrupt or a DPC that comes
# a little after what caused it).
wait_stat() {
	wait_until "$5" stat_at_least "$1" "$2" "$3" "$4"
}

# edu_payloads_match: for `wdmisr-read --format json` lines on stdin, how
# many carry, in order, the value i (1, 2, ...) as a 4-byte little-endian
# payload: what `wdmisr-read --trigger` raised on an edu device.
edu_payloads_match() {
	awk '{
		i = NR
		want = sprintf("\"len\":4,\"flags\":0,\"dropped\":0,\"data\":\"%02x%02x%02x%02x\"}",
			       i % 256, int(i / 256) % 256, int(i / 65536) % 256,
			       int(i / 16777216) % 256)
		if (index($0, want)) n++
	} END { print n + 0 }'
}

# wdmisr_info NODE KEY: one field of `wdmisr-read --info -d /dev/NODE`.
wdmisr_info() {
	wdmisr-read --info -d "/dev/$1" | awk -v k="$2" '$1 == k { print $2 }'
}

# wdmisr_node BDF: the wdmisrN node of the device at BDF, or nothing.
wdmisr_node() {
	local n

	for n in /sys/bus/pci/devices/"$1"/wdmisr/wdmisr*; do
		[ -e "$n" ] && basename "$n"
	done
	return 0
}
