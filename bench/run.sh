#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: build the modules and the guest programs for the Debian 6.12
# kernel (the modules include wdm.ko built with WDM_STATS=0, for the
# dispatch scenario's cost of the statistics; bench/Makefile), run each
# benchmark scenario in one QEMU boot of its own
# (tests/cases/bench-NAME.sh through tests/qemu/run-guest.sh), collect the
# guest's "WDMBENCH ..." lines into bench/results/data/NAME.txt, and write
# bench/results/results.md and the PNG plots (bench/report.sh). Prints the
# summary table at the end.
#
# Usage: bench/run.sh [--kernel KVER] [--case NAME]... [--no-build]
#   --kernel KVER  the guest kernel (default: the newest Debian 6.12, not
#                  PREEMPT_RT); its headers must be in
#                  /usr/src/linux-headers-KVER
#   --case NAME    run only this scenario (dispatch, latency, throughput,
#                  scaling; repeatable); the others keep their last data
#   --no-build     use the modules and programs as they are
#
# Exit status: 0 when every scenario ran and counted exactly what it fired
# (the guest's checks); the goals in the table are reported, not enforced.
# Logs: build/logs/bench/.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TOP/tests/lib/host.sh"

kernel=
cases=()
build=1
data=$TOP/bench/results/data
logs=$TOP/build/logs/bench

usage() {
	# The header comment, from line 3 to the first line that is not one.
	awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
	exit "${1:-0}"
}

msg() { echo "bench: $*" >&2; }

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift ;;
	--case) cases+=("$2"); shift ;;
	--no-build) build=0 ;;
	-h|--help) usage 0 ;;
	*) msg "unknown argument: $1"; usage 2 >&2 ;;
	esac
	shift
done
if [ -z "$kernel" ]; then
	read -r _ kernel < <(debian_612_kernel) || true
	[ -n "$kernel" ] || { msg "no Debian 6.12 kernel with headers and a guest image; run 'make deps'"; exit 2; }
fi
[ ${#cases[@]} -gt 0 ] || cases=(dispatch latency throughput scaling)
for c in "${cases[@]}"; do
	[ -f "$TOP/tests/cases/bench-$c.sh" ] || { msg "no scenario $c (tests/cases/bench-$c.sh)"; exit 2; }
done
mkdir -p "$data" "$logs"

if [ "$build" = 1 ]; then
	kdir=/usr/src/linux-headers-$kernel
	[ -d "$kdir" ] || { msg "no $kdir; run 'make deps'"; exit 2; }
	msg "building the modules for $kernel and the tools (log: $logs/build.log)"
	if ! { make -C "$TOP" --no-print-directory modules KDIR="$kdir" &&
		make -C "$TOP" --no-print-directory test-tools; } >"$logs/build.log" 2>&1; then
		tail -n 20 "$logs/build.log" >&2
		exit 1
	fi
fi

# Spaces would split the meta line's values.
host_model=$(sed -n '/^model name[[:space:]]*: /{s///p;q}' /proc/cpuinfo | tr ' ' '_')
qemu=$(qemu-system-x86_64 --version | sed -n '1s/^QEMU emulator version \([^ ]*\).*/QEMU_\1/p')
failed=0
for c in "${cases[@]}"; do
	log=$logs/bench-$c.log
	msg "$c: one QEMU boot (log: $log)"
	if ! "$TOP/tests/qemu/run-guest.sh" --kernel "$kernel" --case "bench-$c" \
		--log "$log" >"$logs/bench-$c.run" 2>&1; then
		msg "$c: the run failed; its data are not kept"
		grep -E ': not ok - |^RESULT ' "$logs/bench-$c.run" >&2 || tail -n 20 "$logs/bench-$c.run" >&2
		failed=1
		continue
	fi
	{
		echo "meta case=$c kernel=$kernel date=$(date -u +%Y-%m-%dT%H:%MZ) command=make_bench qemu=$qemu host_cpus=$(nproc) host_model=$host_model"
		log_console "$log" | sed -n 's/^WDMBENCH //p'
	} >"$data/$c.txt.tmp"
	mv -f "$data/$c.txt.tmp" "$data/$c.txt"
done

"$TOP/bench/report.sh" --data "$data" --out "$TOP/bench/results"
echo
sed -n '/^| # /,/^$/p' "$TOP/bench/results/results.md"
echo "Details and plots: bench/results/results.md"
exit $failed
