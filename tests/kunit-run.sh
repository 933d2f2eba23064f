#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the KUnit test modules on the KUnit kernel (scripts/kunit-kernel.sh)
# in QEMU, with two edu devices and an 8-vector ivshmem-doorbell attached,
# and gate on `kunit.py parse`.
#
# Usage: tests/kunit-run.sh [--kmod-dir DIR] [--no-build] [--timeout SEC]
#                           [--keep] [--verbose]
#   --kmod-dir DIR  modules from DIR (DIR/module/*/*.ko, DIR/kunit/*.ko)
#                   instead of building build/<kunit release>/
#   --no-build      use build/<kunit release>/ as it is; by default the
#                   modules are (re)built there first with
#                   make modules KDIR=<kunit tree> KCONFIG_VALUES=...=m
#   --timeout, --keep, --verbose   passed to tests/qemu/run-guest.sh
#
# The guest half is tests/cases/kunit.sh: it loads wdm.ko, then each
# kunit/*.ko, framing each module's run with WDMTEST-KUNIT-BEGIN/END marks
# in the kernel log. Here each module's block is cut out of the serial log,
# given a top-level "KTAP version 1" + "1..N" header (the kernel's own boot
# header would otherwise make kunit.py count 0 tests), saved as
# build/logs/kunit/<module>.ktap and parsed with the kunit.py of the KUnit
# kernel's source tree; its exit status is the gate.
#
# Output: "kunit MODULE: ok - SUITE.CASE" per KUnit case (parameters as
# SUITE.CASE.PARAM), the guest-level failures from run-guest.sh (module load,
# guest finished, kernel log clean), and
#   RESULT case=kunit kernel=kunit pass=N fail=M
# where N and M count KUnit cases; each failed guest-level check, and each
# module whose KTAP is missing or fails kunit.py parse without a failed
# case (a crash, missing results), adds one to M. Exit status 0 iff M=0.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TOP/tests/lib/host.sh"

kmod_dir=
build=1
guest_args=()

usage() {
	# The header comment, from line 3 to the first line that is not one.
	awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
	exit "${1:-0}"
}

msg() { echo "kunit-run: $*" >&2; }
die() { msg "$*"; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--kmod-dir) kmod_dir=$(readlink -f "$2"); shift ;;
	--no-build) build=0 ;;
	--timeout) guest_args+=(--timeout "$2"); shift ;;
	--keep|--verbose) guest_args+=("$1") ;;
	-h|--help) usage 0 ;;
	*) msg "unknown argument: $1"; usage 2 >&2 ;;
	esac
	shift
done

kdir=$("$TOP/scripts/kunit-kernel.sh" --print-dir)
release=$(cat "$kdir/include/config/kernel.release")
kunitpy=$kdir/tools/testing/kunit/kunit.py
[ -f "$kunitpy" ] || die "$kunitpy not found"

if [ -z "$kmod_dir" ]; then
	kmod_dir=$TOP/build/$release
	if [ "$build" = 1 ]; then
		msg "building the modules for $release"
		make -C "$TOP" --no-print-directory modules KDIR="$kdir" \
			KCONFIG_VALUES="CONFIG_WDM=m CONFIG_WDMISR=m CONFIG_WDM_KUNIT_TEST=m" >&2
	fi
	guest_args+=(--kmod-dir "$kmod_dir")
else
	guest_args+=(--kmod-dir "$kmod_dir")
fi
compgen -G "$kmod_dir/kunit/*.ko" >/dev/null || die "no KUnit modules in $kmod_dir/kunit/"

# This run's files are gathered in a directory of its own and published to
# build/logs/kunit/ at the end, so that runs at the same time do not mix.
publish=$TOP/build/logs/kunit
logdir=$(mktemp -d /tmp/wdmkunit.XXXXXX)
trap 'rm -rf "$logdir"' EXIT
log=$logdir/kunit.log

set +e
guest_out=$("$TOP/tests/qemu/run-guest.sh" --kernel "$kdir/arch/x86/boot/bzImage" \
	--kver kunit --case kunit --log "$log" "${guest_args[@]}")
guest_rc=$?
set -e

pass=0
fail=0

# ktap_blocks: from the console part of the log, the module blocks as
# "<module>\t<line>" pairs, kernel timestamps stripped.
ktap_blocks() {
	log_console "$log" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' | awk '
		/^WDMTEST-KUNIT-BEGIN / { mod = $2; next }
		/^WDMTEST-KUNIT-END / { mod = ""; next }
		mod != "" { print mod "\t" $0 }'
}

# json_cases JSON MODULE: one "ok - suite.case" / "not ok - ..." line per case.
json_cases() {
	python3 - "$1" "$2" <<'EOF'
import json, sys

def walk(group, path):
    for case in group.get("test_cases", []):
        name = ".".join(path + [case["name"] or "(no result line)"])
        status = case["status"]
        if status == "PASS":
            print(f"ok - {name}")
        elif status == "SKIP":
            # The guest has every device a suite needs: nothing may skip.
            print(f"not ok - {name} (SKIP in a guest that has the devices)")
        else:
            print(f"not ok - {name} ({status})")
    for sub in group.get("sub_groups", []):
        walk(sub, path + [sub["name"]])

with open(sys.argv[1]) as f:
    walk(json.load(f), [])
EOF
}

mapfile -t mods < <(ktap_blocks | cut -f1 | awk '!seen[$0]++')
for ko in "$kmod_dir"/kunit/*.ko; do
	name=$(basename "$ko" .ko)
	ktap=$logdir/$name.ktap
	body=$(ktap_blocks | awk -F'\t' -v m="$name" '$1 == m { sub(/^[^\t]*\t/, ""); print }' |
		grep -vE '^(KTAP version [0-9]+|TAP version [0-9]+|1\.\.[0-9]+)$' || true)
	# N: the module's own top-level plan if it printed one, else its suites.
	# awk reads to the end: leaving early would SIGPIPE the producer.
	n=$(ktap_blocks | awk -F'\t' -v m="$name" '!done && $1 == m && $2 ~ /^1\.\.[0-9]+$/ { sub(/^1\.\./, "", $2); print $2; done = 1 }')
	[ -n "$n" ] || n=$(printf '%s\n' "$body" | grep -cE '^    # Subtest: ' || true)
	if [ -z "$body" ] || [ "$n" = 0 ]; then
		echo "kunit $name: not ok - $name.ko printed KTAP (nothing between its marks)"
		fail=$((fail + 1))
		continue
	fi
	printf 'KTAP version 1\n1..%s\n%s\n' "$n" "$body" >"$ktap"
	parse_rc=0
	python3 "$kunitpy" parse --json="$logdir/$name.json" "$ktap" >"$logdir/$name.parse" 2>&1 ||
		parse_rc=$?
	failed_cases=0
	while read -r line; do
		echo "kunit $name: $line"
		case $line in
		ok*) pass=$((pass + 1)) ;;
		*) fail=$((fail + 1)); failed_cases=$((failed_cases + 1)) ;;
		esac
	done < <([ -s "$logdir/$name.json" ] && json_cases "$logdir/$name.json" "$name")
	if [ "$parse_rc" != 0 ]; then
		sed 's/^/#   /' "$logdir/$name.parse" | tail -n 40
		# A parse failure with no failed case (a crash, missing results)
		# still fails the run.
		if [ "$failed_cases" = 0 ]; then
			echo "kunit $name: not ok - kunit.py parse of $name.ktap (exit status $parse_rc)"
			fail=$((fail + 1))
		fi
	fi
done
for name in "${mods[@]}"; do
	[ -f "$kmod_dir/kunit/$name.ko" ] ||
		msg "a KTAP block for $name, which is not in $kmod_dir/kunit/"
done

# Guest-level checks (loads, guest finished, kernel log clean): show the
# failures, and count each as one failure.
while read -r line; do
	echo "${line/#kunit kunit:/kunit guest:}"
	fail=$((fail + 1))
done < <(printf '%s\n' "$guest_out" | grep -E '^kunit kunit: not ok - ' || true)
if [ "$guest_rc" != 0 ]; then
	printf '%s\n' "$guest_out" | sed -n '/^---- last 60 lines/,$p' | grep -v '^RESULT '
	# A failure that left no not-ok line still fails the run.
	grep -qE '^kunit kunit: not ok - ' <<<"$guest_out" || fail=$((fail + 1))
fi

mkdir -p "$publish"
rm -f "$publish"/*.ktap "$publish"/*.parse "$publish"/*.json
cp "$logdir"/* "$publish"/
msg "serial log, KTAP and kunit.py output in $publish/"
echo "RESULT case=kunit kernel=kunit pass=$pass fail=$fail"
[ "$fail" = 0 ]
