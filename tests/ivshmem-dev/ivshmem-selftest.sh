#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of ivshmem-dev without QEMU: ivshmem-selftest plays QEMU and the
# guest driver. Each case starts the server, runs the client, stops the server
# (SIGTERM, SIGINT, or the client hanging up) and compares the server's report
# with the client's view, plus the exact numbers the case must give.
#
# Prints "ok N - ..." / "not ok N - ..." per check, then "N passed, N failed".
# VALGRIND, if set, is put in front of every ivshmem-dev command.

set -u

here=$(cd "$(dirname "$0")" && pwd)
DEV=$here/ivshmem-dev
CLIENT=$here/ivshmem-selftest
VALGRIND=${VALGRIND:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/ivshmem-selftest.XXXXXX")

n=0
pass=0
fail=0
dev_pid=
cli_pid=

cleanup() {
	local p
	for p in $dev_pid $cli_pid; do
		kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	if [ "$fail" -eq 0 ]; then
		rm -rf "$work"
	else
		echo "# logs kept in $work" >&2
	fi
}
trap cleanup EXIT

check() {
	local desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
		pass=$((pass + 1))
	else
		echo "not ok $n - $desc"
		fail=$((fail + 1))
	fi
}

# ---- helpers ---------------------------------------------------------------

# wait_for TENTHS COMMAND...: retry COMMAND every 10 ms for TENTHS/10 s.
wait_for() {
	local i=$(($1 * 10))
	shift
	while ! "$@"; do
		i=$((i - 1))
		[ "$i" -gt 0 ] || return 1
		sleep 0.01
	done
}

alive() { kill -0 "$1" 2>/dev/null; }
# socket_up PATH PID [LOG]: PATH is a socket (and, if given, LOG says the
# server is listening: a stale socket at PATH looks the same), or PID died.
socket_up() {
	{ [ -S "$1" ] && { [ $# -lt 3 ] || grep -qs '^ivshmem-dev: listening' "$3"; }; } ||
		! alive "$2"
}
has_total() { grep -q '^total ' "$1" 2>/dev/null || ! alive "$2"; }
gone() { ! alive "$1"; }

# reap PID: wait up to 10 s for it to exit by itself; sets rc to its status.
# (Not in a subshell: only this shell can wait for its children.)
reap() {
	wait_for 100 gone "$1" || kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	rc=$?
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# run_case NAME STOP SERVER-ARGS... -- CLIENT-ARGS...
# STOP is TERM or INT (signal the server once the client printed its view,
# the client holding the connection) or hup (the client exits first).
# Sets dev_rc, cli_rc, elapsed (ms from client start to its view); files
# $work/NAME.{report,view,dev.err,client.err}.
run_case() {
	local name=$1 stop=$2 sargs=() cargs=() t0
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do sargs+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	cargs=("$@")
	sock=$work/$name.sock rep=$work/$name.report view=$work/$name.view
	dev_rc=255 cli_rc=255 elapsed=0
	$VALGRIND "$DEV" --socket "$sock" --report "$rep" "${sargs[@]}" \
		2>"$work/$name.dev.err" &
	dev_pid=$!
	if ! wait_for 200 socket_up "$sock" "$dev_pid" "$work/$name.dev.err" ||
	   ! alive "$dev_pid"; then
		reap "$dev_pid"
		dev_rc=$rc
		return
	fi
	t0=$(now_ms)
	if [ "$stop" = hup ]; then
		"$CLIENT" --socket "$sock" --until-file "$rep" "${cargs[@]}" \
			>"$view" 2>"$work/$name.client.err"
		cli_rc=$?
		elapsed=$(($(now_ms) - t0))
		reap "$dev_pid"
		dev_rc=$rc
		return
	fi
	"$CLIENT" --socket "$sock" --until-file "$rep" --hold "${cargs[@]}" \
		>"$view" 2>"$work/$name.client.err" &
	cli_pid=$!
	wait_for 300 has_total "$view" "$cli_pid"
	elapsed=$(($(now_ms) - t0))
	kill -"$stop" "$dev_pid" 2>/dev/null
	reap "$dev_pid"
	dev_rc=$rc
	reap "$cli_pid"
	cli_rc=$rc
}

# field FILE RING KEY: the value after KEY on "ring RING" (or "total" if
# RING is total).
field() {
	awk -v r="$2" -v key="$3" '
		(r == "total" && $1 == "total") || ($1 == "ring" && $2 == r) {
			for (i = 1; i < NF; i++) if ($i == key) { print $(i + 1); exit }
		}' "$1"
}

lines() { grep "^$2 " "$1" 2>/dev/null; }
same_rings() { [ -n "$(lines "$rep" ring)" ] && [ "$(lines "$rep" ring)" = "$(lines "$view" ring)" ]; }
same_total() { [ -n "$(lines "$rep" total)" ] && [ "$(lines "$rep" total)" = "$(lines "$view" total)" ]; }
is_zero() { [ "$1" -eq 0 ]; }

# all_consumed: every ring's published == consumed, and state done.
all_consumed() {
	[ "$(field "$rep" total state)" = "done" ] &&
		! awk '$1 == "ring" && $12 != $14 { bad = 1 } END { exit !bad }' "$rep"
}

# exact_rings M MALFORMED...: ring k has events M, malformed MALFORMED[k],
# good M - MALFORMED[k]; as many rings as MALFORMED values.
exact_rings() {
	local m=$1 k=0 b
	shift
	[ "$(lines "$rep" ring | wc -l)" -eq $# ] || return 1
	for b in "$@"; do
		[ "$(field "$rep" $k events)" = "$m" ] &&
			[ "$(field "$rep" $k malformed)" = "$b" ] &&
			[ "$(field "$rep" $k good)" = $((m - b)) ] || return 1
		k=$((k + 1))
	done
}

# per_ring KEY OP VALUE: every ring's KEY compares to VALUE with test's OP.
per_ring() {
	local k v
	for k in $(lines "$rep" ring | awk '{ print $2 }'); do
		v=$(field "$rep" "$k" "$1")
		test "$v" "$2" "$3" || return 1
	done
}

# backlog_is N: the client found N records waiting in every ring.
backlog_is() {
	[ "$(grep -c '^backlog ' "$view")" -gt 0 ] &&
		! awk -v n="$1" '$1 == "backlog" && $5 != n { bad = 1 } END { exit !bad }' "$view"
}

# common_checks NAME: exit codes, identical views, everything consumed.
common_checks() {
	check "$1: server exits 0" is_zero "$dev_rc"
	check "$1: client exits 0" is_zero "$cli_rc"
	check "$1: report and client view identical per ring" same_rings
	check "$1: report and client view identical in total" same_total
	check "$1: published == consumed for every ring, state done" all_consumed
}

zeros8=(0 0 0 0 0 0 0 0)

# ---- data cases --------------------------------------------------------------

run_case steady TERM --slots 16 --count 1000 -- --consume-delay-ms 50 --doorbells 5
common_checks steady
check "steady: 8 rings x 1000 events, all good" exact_rings 1000 "${zeros8[@]}"
check "steady: one signal per record (1000 per ring)" per_ring signals -eq 1000
check "steady: after 50 ms each full ring holds exactly 16 records" backlog_is 16
check "steady: 5 doorbells counted" test "$(field "$rep" total doorbells)" = 5

# Held after 40 records per ring; the client's 3 doorbells (rung before
# the hold, which counts them too) release 3 x 20 more: all 100.
run_case hold TERM --slots 16 --count 100 --hold-after 40 --hold-step 20 -- --doorbells 3
common_checks hold
check "hold: 8 rings x 100 events, all good" exact_rings 100 "${zeros8[@]}"

run_case burst INT --slots 64 --count 1000 --pattern burst --burst 16
common_checks burst
check "burst: 8 rings x 1000 events, all good" exact_rings 1000 "${zeros8[@]}"
check "burst: signals < records (< 1000 per ring)" per_ring signals -lt 1000
check "burst: at least 63 signals per ring (16 records each at most)" per_ring signals -ge 63

run_case batch TERM --slots 16 --count 500 --pattern burst --burst 8 -- --max-batch 3
common_checks "max-batch consumer"
check "max-batch consumer: 8 rings x 500 events, all good" exact_rings 500 "${zeros8[@]}"

run_case bad-seq TERM --rings 2 --vectors 2 --count 100 --bad seq@0:0 --bad seq@1:99 -- --vectors 2
common_checks "bad seq"
check "bad seq: 1 malformed per ring" exact_rings 100 1 1

run_case bad-len TERM --count 100 --bad 'len@*:40'
common_checks "bad len"
check "bad len: ring * gives 1 malformed in each of 8 rings" exact_rings 100 1 1 1 1 1 1 1 1

run_case bad-crc TERM --count 100 --bad crc@3:10 --bad crc@3:11 --bad crc@5:0 \
	--bad crc@6:50 --bad seq@6:50
common_checks "bad crc"
check "bad crc: 2 in ring 3, 1 in ring 5, seq+crc on one record counts once" \
	exact_rings 100 0 0 0 2 0 1 1 0

# The first jump comes due while the ring is full and the consumer is still
# asleep: the producer must wait for an empty ring before corrupting it.
run_case bad-jump TERM --rings 2 --vectors 2 --slots 16 --count 100 \
	--bad jump@1:16 --bad jump@1:60 -- --vectors 2 --consume-delay-ms 50
common_checks "jump"
check "jump: 100 events per ring, 2 corrupt-ring events in ring 1" exact_rings 100 0 2
check "jump: ring 1 head ends at 100 + 2 x (16 + 5 - 1) = 140" test "$(field "$rep" 1 published)" = 140
check "jump: ring 0 head ends at 100" test "$(field "$rep" 0 published)" = 100
check "jump: both rings held exactly 16 records before consuming" backlog_is 16

run_case rate TERM --rings 2 --vectors 2 --count 100 --rate 1000 --start-delay-ms 100 -- --vectors 2
common_checks "rate + start delay"
check "rate + start delay: 2 rings x 100 events" exact_rings 100 0 0
check "rate + start delay: took at least 100 + 99 ms (took $elapsed)" test "$elapsed" -ge 199

run_case hangup hup --rings 4 --vectors 4 --count 300 -- --vectors 4 --doorbells 2
common_checks "client hangs up first"
check "client hangs up first: 4 rings x 300 events" exact_rings 300 0 0 0 0
check "client hangs up first: 2 doorbells counted" test "$(field "$rep" total doorbells)" = 2

# far: head = tail + 2^31; back: head = tail - 1. Each is one corrupt-ring
# event, and the producer goes on from the new head.
run_case far-back TERM --rings 2 --vectors 2 --slots 16 --count 100 \
	--bad far@0:20 --bad back@1:30 -- --vectors 2
common_checks "far and back"
check "far and back: 100 events per ring, 1 corrupt-ring event in each" exact_rings 100 1 1
check "far: ring 0 head ends at 100 - 1 + 2^31" test "$(field "$rep" 0 published)" = 2147483747
check "back: ring 1 head ends at 100 - 1 - 1" test "$(field "$rep" 1 published)" = 98

# lifecycle LINE: the report's lifecycle line is exactly LINE.
lifecycle() { [ "$(lines "$rep" lifecycle)" = "lifecycle $1" ]; }

run_case restart TERM --rings 2 --vectors 2 --count 200 --restart-after 100 \
	--restart-ms 300 -- --vectors 2
common_checks restart
check "restart: 200 events per ring across the restart" exact_rings 200 0 0
check "restart: the report counts one restart" lifecycle "header_faults 0 restarts 1 spoiled 0 died 0"
check "restart: took at least the 300 ms of silence (took $elapsed)" test "$elapsed" -ge 300

run_case spoil TERM --rings 2 --vectors 2 --count 200 --spoil-header-after 50 -- --vectors 2
common_checks "spoilt header"
check "spoilt header: the consumer keeps its layout, 200 events per ring" exact_rings 200 0 0
check "spoilt header: the report says so" lifecycle "header_faults 0 restarts 0 spoiled 1 died 0"

run_case header-faults TERM --count 100 --header-faults magic,slots,ring_stride -- --fix-header
common_checks "header faults"
check "header faults: the client saw magic, slots, ring_stride in turn" \
	test "$(grep '^header invalid' "$view" | xargs)" = \
	"header invalid magic header invalid slots header invalid ring_stride"
check "header faults: then 8 rings x 100 events" exact_rings 100 "${zeros8[@]}"
check "header faults: 3 invalid headers, 3 doorbells" eval \
	'lifecycle "header_faults 3 restarts 0 spoiled 0 died 0" &&
	 test "$(field "$rep" total doorbells)" = 3'

# --die-after: the report, then SIGKILL, mid-stream.
run_case die hup --rings 2 --vectors 2 --count 100 --die-after 40 -- --vectors 2
check "die: the server is killed by SIGKILL (status 137)" test "$dev_rc" = 137
check "die: its report shows 40 per ring published, incomplete, died" eval \
	'per_ring published -eq 40 && test "$(field "$rep" total state)" = incomplete &&
	 lifecycle "header_faults 0 restarts 0 spoiled 0 died 1"'

# ---- header faults ---------------------------------------------------------

untouched() {
	[ "$(lines "$rep" total)" = \
	  "total events 0 good 0 malformed 0 published 0 consumed 0 signals 0 doorbells 0 state done" ] &&
		per_ring published -eq 0 && per_ring consumed -eq 0
}

for f in magic version nrings slots record_size ring_offset ring_stride; do
	run_case "header-$f" TERM --count 100 --bad-header "$f"
	check "bad header $f: client rejects field '$f', both exit 0" \
		test "$(cat "$view")" != "" -a "$(head -n 1 "$view")" = "header invalid $f" \
		-a "$dev_rc" = 0 -a "$cli_rc" = 0
	check "bad header $f: nothing published or consumed, totals identical" \
		eval 'untouched && same_total'
done

# ---- lifecycle ---------------------------------------------------------------

# SIGTERM before QEMU ever connects: a report, state incomplete, status 0.
rep=$work/early.report
"$DEV" --socket "$work/early.sock" --report "$rep" --count 10 2>/dev/null &
dev_pid=$!
wait_for 100 socket_up "$work/early.sock" "$dev_pid"
kill -TERM "$dev_pid"
reap "$dev_pid"
check "no client: SIGTERM gives status 0 and state incomplete" \
	test "$rc" = 0 -a "$(field "$rep" total state)" = incomplete

# A stale socket left by a killed server is replaced. (In a subshell, so that
# bash's notice about the killed job goes nowhere.)
(
	"$DEV" --socket "$work/stale.sock" >/dev/null 2>&1 &
	wait_for 100 socket_up "$work/stale.sock" $!
	kill -KILL $!
	wait $!
) 2>/dev/null
if [ -S "$work/stale.sock" ]; then
	run_case stale TERM --count 10
	check "a stale socket is replaced: client served, state done" \
		test "$dev_rc" = 0 -a "$cli_rc" = 0 -a "$(field "$rep" total state)" = "done"
else
	check "a killed server leaves a stale socket to replace" false
fi

echo precious >"$work/file.sock"
"$DEV" --socket "$work/file.sock" >/dev/null 2>&1
rc=$?
check "a regular file at the socket path is refused and kept" \
	test "$rc" -ne 0 -a "$(cat "$work/file.sock")" = precious

# ---- options -----------------------------------------------------------------

bad_opts=(
	"--slots 100" "--slots 8" "--shm-size 3000" "--vectors 0" "--rings 9"
	"--pattern wave" "--burst 0" "--bad foo@0:1" "--bad seq@8:1 --count 5"
	"--bad seq@0:5 --count 5" "--bad seq:0" "--bad-header ready"
	"--bad jump@0:1 --bad crc@*:1 --count 5" "--count -1" "--frobnicate"
	"--slots 65536 --rings 8"
	"--header-faults magic,magic" "--header-faults bogus" "--header-faults ,"
	"--header-faults magic --bad-header slots" "--restart-after 0 --count 10"
	"--restart-after 10 --count 10" "--die-after 11 --count 10"
	"--die-after 5 --restart-after 10 --count 20" "--spoil-header-after 0"
	"--bad far@0:1 --bad back@0:1 --count 5" "--restart-ms x"
	"--hold-after 5 --count 10" "--hold-step 5 --count 10"
	"--hold-after 10 --hold-step 5 --count 10"
	"--hold-after 5 --hold-step 5 --count 10 --die-after 8"
)
for a in "${bad_opts[@]}"; do
	# shellcheck disable=SC2086 # word splitting is wanted here
	"$DEV" --socket "$work/opt.sock" $a >/dev/null 2>"$work/opt.err"
	rc=$?
	check "rejects '$a' with status 2 and a message" test "$rc" = 2 -a -s "$work/opt.err"
done
"$DEV" --report x >/dev/null 2>&1
check "rejects a missing --socket with status 2" test $? = 2

help=$("$DEV" --help)
rc=$?
missing=
for o in socket shm-size vectors rings slots count pattern burst rate \
	start-delay-ms bad bad-header header-faults restart-after restart-ms \
	die-after spoil-header-after hold-after hold-step report help; do
	grep -q -- "--$o" <<<"$help" || missing="$missing $o"
done
check "--help exits 0 and documents every option${missing:+ (missing:$missing)}" \
	test "$rc" = 0 -a -z "$missing"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
