#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every test of the project, as `make check` runs it (after `make deps`):
#   1. build wdm.ko and wdmisr.ko with W=1 against every Debian header set
#      installed (6.1, 6.12, 6.12 PREEMPT_RT): a warning fails the build step;
#   2. build the userspace tools, run their unit tests and the device
#      process's self-test;
#   3. the KUnit suites on the KUnit kernel (scripts/kunit-kernel.sh, cached);
#   4. lint: checkpatch --strict, kernel-doc and sparse (scripts/lint.sh);
#   5. every integration case in tests/cases/ in QEMU, on every Debian kernel
#      whose headers are installed (6.1, 6.12, 6.12 PREEMPT_RT), booting the
#      guest kernel scripts/deps.sh cached, else /boot's; a case with a
#      "# run-by:" header (KUnit, demo, soak, bench) is left to what that
#      names; guests of steps 5 and 6 run WDM_CHECK_JOBS at a time (default:
#      one per CPU);
#   6. on the debug kernel (the KUnit kernel: KASAN, lockdep, kmemleak, ...),
#      one case per code path of the drivers, or every case with --debug-all;
#      any report fails the case;
#   7. packaging (tests/package-test.sh, root): dkms.conf, make install and
#      uninstall, the udev rule, the modprobe.d example, modinfo of the
#      modules, DKMS add/build/install/remove on every Debian kernel.
# Each step prints its results; the last line is "N passed, N failed", where
# a test is a KUnit case, a unit-test case, a guest check or a build step.
# Exit status 0 only if nothing failed.
#
# Usage: tests/check.sh [--only build|unit|kunit|lint|guest|debug|package]
#                       [--case NAME] [--kernel KVER|debug] [--debug-all]
# Logs: build/logs/check/ (each failure names its log and how to rerun it).
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TOP/scripts/lib/cache.sh"
LOGS=$TOP/build/logs/check
only=
cases=()
kernels=()
debug_all=0

while [ $# -gt 0 ]; do
	case $1 in
	--only) only=$2; shift ;;
	--case) cases+=("$2"); shift ;;
	--kernel) kernels+=("$2"); shift ;;
	--debug-all) debug_all=1 ;;
	-h|--help) awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	*) echo "check: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

mkdir -p "$LOGS"
passed=0
failed=0
failures=()	# one line per failed test, repeated at the end

# result ok|fail NAME [DETAIL]
result() {
	if [ "$1" = ok ]; then
		passed=$((passed + 1))
		echo "ok - $2"
	else
		failed=$((failed + 1))
		failures+=("$2")
		echo "not ok - $2${3:+ ($3)}"
	fi
}

# note_failures LOG PREFIX: remember LOG's "not ok" lines for the summary.
note_failures() {
	local line

	while read -r line; do
		failures+=("$2${line#*not ok - }")
	done < <(grep -E '(^|: )not ok - ' "$1" | grep -v '^WDMTEST: ')
}

# add_counts PASS FAIL: fold in the counts a runner reported itself.
add_counts() {
	passed=$((passed + $1))
	failed=$((failed + $2))
}

# step NAME LOG CMD...: one result for CMD's exit status.
step() {
	local name=$1 log=$2

	shift 2
	if "$@" >"$log" 2>&1; then
		result ok "$name"
		return 0
	fi
	result fail "$name" "log: $log; rerun: $*"
	tail -n 20 "$log" | sed 's/^/#   /'
	return 1
}

# counted NAME LOG CMD...: run a test program that ends with
# "N passed, N failed"; fold in its counts (or one failure if it has none).
counted() {
	local name=$1 log=$2 line p f

	shift 2
	"$@" >"$log" 2>&1
	local rc=$?
	grep -E '^(ok|not ok) ' "$log" | sed "s/^/$name: /"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		result fail "$name" "no result line (exit $rc); log: $log; rerun: $*"
		tail -n 20 "$log" | sed 's/^/#   /'
		return 1
	fi
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed*}
	add_counts "$p" "$f"
	note_failures "$log" "$name: "
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		result fail "$name" "exit status $rc; log: $log; rerun: $*"
	fi
	[ "$rc" -eq 0 ]
}

# runner NAME LOG CMD...: run a harness that prints "RESULT ... pass=N
# fail=M" lines (run-guest.sh, kunit-run.sh); fold in their counts.
runner() {
	local name=$1 log=$2

	shift 2
	"$@" >"$log" 2>&1
	fold_runner "$name" "$log" $? "$*"
}

# fold_runner NAME LOG STATUS CMD: fold in the results of a harness run that
# wrote LOG and exited with STATUS.
fold_runner() {
	local name=$1 log=$2 rc=$3 line p f got=0

	grep -E ': (ok|not ok) - ' "$log" | grep -v '^WDMTEST: '
	note_failures "$log" "$name: "
	while read -r line; do
		p=$(sed -n 's/.* pass=\([0-9]*\).*/\1/p' <<<"$line")
		f=$(sed -n 's/.* fail=\([0-9]*\).*/\1/p' <<<"$line")
		add_counts "${p:-0}" "${f:-0}"
		got=1
	done < <(grep -E '^RESULT ' "$log")
	if [ $got -eq 0 ]; then
		result fail "$name" "no RESULT line (exit $rc); log: $log; rerun: $4"
		tail -n 30 "$log" | sed 's/^/#   /'
		return 1
	fi
	if [ "$rc" -ne 0 ]; then
		grep -E '^(rerun|# rerun|reproduce)' "$log" | head -n 3
	fi
	return "$rc"
}

# Guest runs: each QEMU runs both vCPUs in one TCG thread, so one guest keeps
# one host CPU busy; JOBS guests (WDM_CHECK_JOBS, default: the number of
# CPUs) run at a time, each in its own work directory. Their results are
# reported in the order they were queued, as each completes.
JOBS=${WDM_CHECK_JOBS:-$(nproc)}
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "check: WDM_CHECK_JOBS must be a positive number" >&2; exit 2; }
job_names=()
job_logs=()
job_cmds=()

# queue_runner NAME LOG CMD...: a runner to start in run_queued.
queue_runner() {
	job_names+=("$1")
	job_logs+=("$2")
	shift 2
	job_cmds+=("$(printf '%q ' "$@")")
}

# run_queued: run the queued runners, JOBS at a time, and fold in their
# results in queue order. A runner has finished when its LOG.status exists.
run_queued() {
	local i started=0 next=0 finished n=${#job_names[@]}

	for ((i = 0; i < n; i++)); do
		rm -f "${job_logs[i]}.status"
	done
	while [ "$next" -lt "$n" ]; do
		finished=$next
		for ((i = next; i < started; i++)); do
			[ ! -f "${job_logs[i]}.status" ] || finished=$((finished + 1))
		done
		while [ "$started" -lt "$n" ] && [ $((started - finished)) -lt "$JOBS" ]; do
			(
				eval "${job_cmds[started]}" >"${job_logs[started]}" 2>&1
				echo $? >"${job_logs[started]}.status.tmp"
				mv "${job_logs[started]}.status.tmp" "${job_logs[started]}.status"
			) &
			started=$((started + 1))
		done
		while [ "$next" -lt "$started" ] && [ -f "${job_logs[next]}.status" ]; do
			fold_runner "${job_names[next]}" "${job_logs[next]}" \
				"$(cat "${job_logs[next]}.status")" "${job_cmds[next]}"
			rm -f "${job_logs[next]}.status"
			next=$((next + 1))
		done
		# Polled once a second: a guest takes tens of seconds.
		[ "$next" -ge "$n" ] || sleep 1
	done
	job_names=()
	job_logs=()
	job_cmds=()
}

want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

# all_cases: the name of every integration case in tests/cases/, except those
# with a "# run-by:" header: tests/kunit-run.sh, make demo, make soak and
# make bench run them.
all_cases() {
	local f

	for f in "$TOP"/tests/cases/*.sh; do
		grep -q '^# run-by:' "$f" || basename "$f" .sh
	done
}

# The Debian kernels: every installed header set that has an image to boot,
# in the cache scripts/deps.sh fills or in /boot.
debian_kernels() {
	local d rel

	for d in /usr/src/linux-headers-*-amd64; do
		[ -d "$d" ] || continue
		rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' \
			"$d/include/generated/utsrelease.h" 2>/dev/null)
		[ -n "$rel" ] && wdm_guest_image "$rel" >/dev/null && echo "$d $rel"
	done
}

mapfile -t kernel_list < <(debian_kernels)
if [ ${#kernel_list[@]} -eq 0 ]; then
	result fail "Debian kernel headers installed, with a guest kernel for each" "run 'make deps'"
fi

# ---- 1. builds ---------------------------------------------------------------
if want build || want guest; then
	for k in "${kernel_list[@]}"; do
		kdir=${k% *}
		rel=${k#* }
		log=$LOGS/build-$rel.log
		if step "build wdm.ko and wdmisr.ko for $rel (W=1)" "$log" \
			make -C "$TOP" --no-print-directory modules KDIR="$kdir"; then
			if grep -q 'warning:' "$log"; then
				result fail "no compiler warnings for $rel" "see $log"
				grep 'warning:' "$log" | head -n 10 | sed 's/^/#   /'
			else
				result ok "no compiler warnings for $rel"
			fi
		fi
	done
	step "build the userspace tools and the test programs" "$LOGS/tools.log" \
		make -C "$TOP" --no-print-directory test-tools
fi

# ---- 2. userspace tests --------------------------------------------------------
if want unit; then
	make -C "$TOP" --no-print-directory test-tools >"$LOGS/tools.log" 2>&1
	counted "wdmisr-read unit tests" "$LOGS/userspace-test.log" \
		make -C "$TOP/userspace" --no-print-directory test
	counted "ivshmem-dev self-test" "$LOGS/ivshmem-selftest.log" \
		make -C "$TOP/tests" --no-print-directory selftest
fi

# ---- 3. KUnit --------------------------------------------------------------------
if want kunit; then
	runner "KUnit suites" "$LOGS/kunit.log" "$TOP/tests/kunit-run.sh"
fi

# ---- 4. lint --------------------------------------------------------------------
if want lint; then
	src=$("$TOP/scripts/kunit-kernel.sh" --print-dir 2>"$LOGS/lint-src.log" | tail -n 1)
	newest=${kernel_list[${#kernel_list[@]}-1]:-}
	step "checkpatch --strict, kernel-doc and sparse clean" "$LOGS/lint.log" \
		"$TOP/scripts/lint.sh" "$src" "${newest% *}"
fi

# ---- 5. integration tests in QEMU ------------------------------------------------
if want guest; then
	gcases=("${cases[@]}")
	[ ${#gcases[@]} -gt 0 ] || mapfile -t gcases < <(all_cases)
	for k in "${kernel_list[@]}"; do
		rel=${k#* }
		if [ ${#kernels[@]} -gt 0 ] && ! grep -qxF "$rel" < <(printf '%s\n' "${kernels[@]}"); then
			continue
		fi
		for c in "${gcases[@]}"; do
			queue_runner "$c on $rel" "$LOGS/guest-$rel-$c.log" \
				"$TOP/tests/qemu/run-guest.sh" --kernel "$rel" --case "$c"
		done
	done
fi

# ---- 6. the integration cases again, on the debug kernel -------------------------
# Under TCG the debug kernel takes a minute or two per case, so make check
# runs one case per code path of the drivers here, and --debug-all (make
# soak) every case.
debug_cases=(edu-shared-intx edu-msi edu-readers edu-unbind ivshmem-msix
	ivshmem-backpressure ivshmem-malformed generic-e1000 fault-cycles fuzz-ioctl
	bad-buffers trace-events edu-mmap)
# The KUnit kernel: KASAN, lockdep, DEBUG_ATOMIC_SLEEP, DEBUG_SHIRQ, kmemleak
# (the guest scans after each case). A case that needs a loadable module the
# debug kernel does not have built in is skipped, and says so.
if { [ -z "$only" ] || [ "$only" = debug ]; } &&
	{ [ ${#kernels[@]} -eq 0 ] || grep -qxF debug < <(printf '%s\n' "${kernels[@]}"); }; then
	dtree=$("$TOP/scripts/kunit-kernel.sh" --print-dir 2>"$LOGS/debug-kernel.log" | tail -n 1)
	drel=$(cat "$dtree/include/config/kernel.release" 2>/dev/null)
	if step "build the modules for the debug kernel ${drel:-?}" "$LOGS/build-debug.log" \
		make -C "$TOP" --no-print-directory modules KDIR="$dtree" \
		KCONFIG_VALUES="CONFIG_WDM=m CONFIG_WDMISR=m CONFIG_WDM_KUNIT_TEST=m"; then
		dcases=("${cases[@]}")
		if [ ${#dcases[@]} -eq 0 ] && [ "$debug_all" = 0 ]; then
			dcases=("${debug_cases[@]}")
		elif [ ${#dcases[@]} -eq 0 ]; then
			mapfile -t dcases < <(all_cases)
		fi
		for c in "${dcases[@]}"; do
			missing=
			for m in $(sed -n 's/^# kmods:\(.*\)/\1/p' "$TOP/tests/cases/$c.sh"); do
				grep -q "/${m//_/[_-]}\.ko\$" "$dtree/modules.builtin" || missing+=" $m"
			done
			if [ -n "$missing" ]; then
				echo "# skip - $c on the debug kernel: needs module$missing, not built in"
				continue
			fi
			queue_runner "$c on the debug kernel" "$LOGS/guest-debug-$c.log" \
				"$TOP/tests/qemu/run-guest.sh" --kernel "$dtree/arch/x86/boot/bzImage" \
				--kver debug --kmod-dir "$TOP/build/$drel" --case "$c"
		done
	fi
fi

run_queued

# ---- 7. packaging ----------------------------------------------------------------
if want package; then
	counted "packaging" "$LOGS/package.log" "$TOP/tests/package-test.sh" \
		"${kernel_list[@]#* }"
fi

# The failures again, last, where a reader of the output's tail sees them.
if [ ${#failures[@]} -gt 0 ]; then
	echo
	echo "# failed (logs in $LOGS):"
	printf '#   %s\n' "${failures[@]:0:20}"
	[ ${#failures[@]} -le 20 ] || echo "#   ... and $((${#failures[@]} - 20)) more"
fi
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
