#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host-side helpers for the QEMU test runner (tests/qemu/run-guest.sh) and for
# the per-case host checks, tests/cases/NAME.host.
#
# A NAME.host file is a bash fragment that run-guest.sh sources after QEMU
# has exited and the ivshmem device process has written its report. It sees
#   $LOG     the serial console log of the run (\r stripped)
#   $REPORT  the ivshmem device report (empty when the case has no ivshmem:)
#   $CASE    the case name, $KVER the kernel release, $LABEL the run's label
# and adds results with host_ok / host_not_ok / host_check_eq /
# compare_summary_report. They count exactly like the guest's WDMTEST lines.
#
# compare_summary_report LOG REPORT
#   The device process (tests/ivshmem-dev/) writes one line per ring,
#     ring K events E good G malformed B crc 0xC [more key value pairs]
#   and the guest prints, for the messages it read (e.g. from wdmisr-read),
#     summary msg=K events=E good=G malformed=B crc=0xC [more key=value]
#   anywhere on a console line (the last one per msg counts). For every ring
#   of the report the helper adds one result: ok when each of the keys in
#   $SUMMARY_KEYS (default "events good malformed crc") that the report
#   carries has the same value in the guest's summary (crc compared as a
#   number), not ok listing the differences otherwise. A summary for a msg
#   that the report does not have is a failure too, and so is an empty or
#   missing report. Returns 1 if any comparison failed.
#   Example NAME.host:   compare_summary_report "$LOG" "$REPORT"

# Kernel log lines that fail a run whatever the checks said.
WDM_BAD_LOG_PATTERNS=(
	'WARNING:' 'BUG:' 'nobody cared' 'lockdep' 'possible recursive locking'
	'inconsistent lock state' 'KASAN' 'UBSAN' 'Call Trace' 'Oops'
	'[Kk]ernel panic'
)
# Lines that match a pattern above but report no problem: the debug
# kernel's boot banner for RCU's lockdep checks.
WDM_BENIGN_LOG_PATTERNS=(
	'rcu:[[:space:]]+RCU lockdep checking is enabled\.$'
)

SUMMARY_KEYS=${SUMMARY_KEYS:-events good malformed crc}

# The guest kernels: wdm_guest_image REL, wdm_guest_moddir REL.
# shellcheck source=scripts/lib/cache.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/cache.sh"

# debian_612_kernel: "HEADERS-DIR RELEASE" of the newest Debian 6.12 kernel
# (not PREEMPT_RT) with its headers installed and a guest image (in the cache
# scripts/deps.sh fills, or in /boot); nothing when there is none. make demo
# and make bench boot it.
debian_612_kernel() {
	local d rel best=

	for d in /usr/src/linux-headers-6.12.*-amd64; do
		case $d in *-rt-amd64) continue ;; esac
		rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' \
			"$d/include/generated/utsrelease.h" 2>/dev/null)
		[ -n "$rel" ] || continue
		wdm_guest_image "$rel" >/dev/null || continue
		best=$(printf '%s\n%s\n' "$best" "$d $rel" | sort -V | tail -n 1)
	done
	[ -z "$best" ] || echo "$best"
}

# Where host results go; run-guest.sh sets it before sourcing NAME.host.
WDM_HOST_RESULTS=${WDM_HOST_RESULTS:-/dev/null}

# host_result STATUS TEXT
host_result() {
	echo "WDMTEST: $1 - $2" >>"$WDM_HOST_RESULTS"
}

host_ok() { host_result ok "$*"; }
host_not_ok() { host_result "not ok" "$*"; return 1; }

# host_check_eq NAME EXPECTED ACTUAL
host_check_eq() {
	if [ "$2" = "$3" ]; then
		host_ok "$1"
	else
		host_not_ok "$1 (expected '$2', got '$3')"
	fi
}

# log_console LOG: the serial log without the guest's dmesg dump.
log_console() {
	sed '/^WDMTEST-DMESG-BEGIN$/,/^WDMTEST-DMESG-END$/d' "$1"
}

# log_bad_lines LOG: lines of LOG that match WDM_BAD_LOG_PATTERNS (result
# lines, the guest's "# " diagnostics and WDM_BENIGN_LOG_PATTERNS excluded),
# each once (the guest's dmesg dump repeats what the console showed);
# nothing when the log is clean.
log_bad_lines() {
	local bad=() benign=(-e '^WDMTEST: ' -e '^# ') p

	for p in "${WDM_BAD_LOG_PATTERNS[@]}"; do
		bad+=(-e "$p")
	done
	for p in "${WDM_BENIGN_LOG_PATTERNS[@]}"; do
		benign+=(-e "$p")
	done
	grep -v -E "${benign[@]}" "$1" | grep -E "${bad[@]}" | awk '!seen[$0]++'
}

# case_header FILE KEY: the values of the "# KEY: ..." lines of a case file,
# one per line.
case_header() {
	sed -n "s/^# $2:[[:space:]]*//p" "$1"
}

# _summary_norm KEY VALUE: crc as 8 hex digits, anything else unchanged.
_summary_norm() {
	if [ "$1" = crc ] && [[ $2 =~ ^(0[xX])?[0-9a-fA-F]+$ ]]; then
		printf '0x%08x' "$((16#${2#0[xX]}))"
	else
		printf '%s' "$2"
	fi
}

# compare_summary_report LOG REPORT: see the header of this file.
compare_summary_report() {
	local log=$1 report=$2 kv k v ring key want got diff i rc=0
	local -a f
	local -A guest=() rings=()

	if [ -z "$report" ] || [ ! -s "$report" ]; then
		host_not_ok "ivshmem device report exists (${report:-none})"
		return 1
	fi
	while read -r -a f; do
		k=
		for kv in "${f[@]:1}"; do
			[ "${kv%%=*}" = msg ] && k=${kv#msg=}
		done
		[ -n "$k" ] || continue
		guest[$k]=1
		for kv in "${f[@]:1}"; do
			guest[$k,${kv%%=*}]=${kv#*=}
		done
	done < <(log_console "$log" | grep -oE 'summary msg=[0-9]+( [A-Za-z_]+=[^ ]+)*')

	while read -r -a f; do
		ring=${f[1]}
		rings[$ring]=1
		if [ -z "${guest[$ring]:-}" ]; then
			host_not_ok "ring $ring: guest printed a summary for msg=$ring"
			rc=1
			continue
		fi
		diff=
		want=
		for ((i = 2; i + 1 < ${#f[@]}; i += 2)); do
			key=${f[i]} v=${f[i + 1]}
			[[ " $SUMMARY_KEYS " == *" $key "* ]] || continue
			v=$(_summary_norm "$key" "$v")
			got=$(_summary_norm "$key" "${guest[$ring,$key]:-missing}")
			want+="${want:+ }$key=$v"
			[ "$v" = "$got" ] || diff+="${diff:+; }$key: device $v, guest $got"
		done
		if [ -z "$want" ]; then
			host_not_ok "ring $ring: report line carries none of: $SUMMARY_KEYS"
			rc=1
		elif [ -z "$diff" ]; then
			host_ok "ring $ring: guest summary matches the device report ($want)"
		else
			host_not_ok "ring $ring: guest summary differs from the device report ($diff)"
			rc=1
		fi
	done < <(grep -E '^ring [0-9]+( |$)' "$report")

	if [ ${#rings[@]} -eq 0 ]; then
		host_not_ok "ivshmem device report has ring lines ($report)"
		return 1
	fi
	for k in "${!guest[@]}"; do
		[[ $k == *,* ]] && continue
		[ -n "${rings[$k]:-}" ] && continue
		host_not_ok "msg=$k: guest summary has a ring in the device report"
		rc=1
	done
	return $rc
}
