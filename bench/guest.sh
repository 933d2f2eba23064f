#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The guest half of the benchmarks, sourced as /bench/guest.sh by
# tests/cases/bench-{dispatch,latency,throughput,scaling}.sh (`make bench`,
# large N) and by tests/cases/bench-smoke.sh (`make check`, small N).
#
# Every figure goes to the console as a line "WDMBENCH <scenario> key=value
# ...", which bench/run.sh collects from the serial log. Every function also
# checks, with the helpers of tests/lib/guest.sh, that the benchmark counted
# exactly what it fired; no check looks at a time.
#
#   bench_load_module [DIR]          2 checks: insmod wdm_bench.ko (after wdm.ko),
#                                    and handlers threaded on PREEMPT_RT only
#   bench_dispatch N BATCH [TAG]     9 checks
#   bench_dispatch_histograms        3 checks: wdm.ko's histograms of the last
#                                    bench_dispatch's shim ISRs and DPCs
#   bench_clock N                    1 check: the cost of local_clock()
#   bench_stats_cost N BATCH PAIRS   15 checks per phase, 2 x PAIRS phases
#                                    (no module of the project loaded)
#   bench_latency MODE ROUNDS CPU... 3 checks (MODE intx: 4), and 5 per CPU
#                                    the reader runs on (wdm.ko and wdmisr.ko
#                                    loaded with irq_mode=edu:MODE, msi or
#                                    intx; uio_pci_generic packed)
#   bench_throughput CHUNK CHUNKS SKIP RINGS PER_RING
#                                    5 checks (wdmisr.ko bound to the ivshmem,
#                                    whose producer makes RINGS x PER_RING =
#                                    CHUNK x CHUNKS records: --rings, --count)
#   bench_drain QUEUE RUNS BASE RINGS
#                                    5 checks (wdmisr.ko loaded with
#                                    queue_len=QUEUE, the ivshmem producer
#                                    holding at BASE records per ring, each
#                                    doorbell releasing QUEUE / RINGS more:
#                                    --hold-after BASE --hold-step QUEUE/RINGS,
#                                    --count BASE + 2 * RUNS * QUEUE / RINGS)
#   bench_scaling REPS FIRES N...    1 check, and 1 per N (the ivshmem unbound)

BENCH_DEBUGFS=/sys/kernel/debug/wdm_bench
# wdm.ko's statistics, when it is built with them.
BENCH_WDM_DEBUGFS=/sys/kernel/debug/wdm
# wdm.ko built with WDM_STATS=0, and wdm_bench.ko for it (bench/Makefile).
BENCH_NOSTATS_MODDIR=/wdm/nostats
# The result lines of the last bench_dispatch.
BENCH_DISPATCH_OUT=

# bench_emit TEXT: each line of TEXT as a result line.
bench_emit() {
	printf '%s\n' "$1" | sed -n 's/^./WDMBENCH &/p'
}

# bench_field KEY LINE: the value of KEY=value in LINE.
bench_field() {
	sed -n "/.* $1=\([^ ]*\).*/{s//\1/p;q}" <<<"$2"
}

# bench_node BDF: the wdmisr node (wdmisrN) of a PCI device.
bench_node() {
	ls "/sys/bus/pci/devices/$1/wdmisr" 2>/dev/null
}

# bench_load_module [DIR]: wdm_bench.ko from DIR (default $WDM_MODDIR),
# which holds the wdm.ko loaded.
bench_load_module() {
	local dir=${1:-$WDM_MODDIR} want=hard-IRQ

	check_cmd "insmod $dir/wdm_bench.ko" insmod "$dir/wdm_bench.ko" || return
	# Force-threaded handlers are fired one at a time (wdm_bench_fire()).
	[ "$(cat /sys/kernel/realtime 2>/dev/null)" = 1 ] && want=threaded
	check_contains "wdm_bench.ko finds the handlers $want" \
		"interrupt handlers are $want" "$(dmesg | grep 'wdm_bench: ready')"
}

# bench_run FILE ARGS: run a wdm_bench.ko benchmark; its lines on stdout.
bench_run() {
	echo "$2" >"$BENCH_DEBUGFS/$1" && cat "$BENCH_DEBUGFS/$1"
}

# --- 1. dispatch cost ------------------------------------------------------------

# bench_dispatch N BATCH [TAG]: with TAG ("phase=P stats=S"), the result
# lines go out as "dispatch-phase TAG ..." instead of "dispatch ...", and the
# checks' names start with TAG.
bench_dispatch() {
	local n=$1 batch=$2 tag=${3:-} out line v want pre=

	[ -z "$tag" ] || pre="$tag: "
	BENCH_DISPATCH_OUT=
	out=$(bench_run dispatch "$n $batch")
	check_eq "${pre}dispatch: $n interrupts per variant in batches of $batch ran" 0 $? || return
	BENCH_DISPATCH_OUT=$out
	if [ -n "$tag" ]; then
		# shellcheck disable=SC2001 # at the start of each line only
		bench_emit "$(sed "s/^dispatch /dispatch-phase $tag /" <<<"$out")"
	else
		bench_emit "$out"
	fi
	for v in raw shim shim_dpc shim_tdpc raw_chain4 shim_chain4; do
		line=$(printf '%s\n' "$out" | grep " variant=$v ")
		want="$n 0"
		[[ $v == *chain4 ]] && want="$n $((3 * n))"
		check_eq "${pre}dispatch $v: $n fired, $n handled, declined by the others: ${want#* }" \
			"$want" "$(bench_field handled "$line") $(bench_field declined "$line")"
	done
	# Each interrupt queued a DPC of its own, which ran once, at its kind's
	# level: in softirq at DISPATCH_LEVEL, in the irq thread at PASSIVE_LEVEL.
	_bench_dpc_counts "$out" "$n" shim_dpc DPCs DISPATCH_LEVEL "$pre"
	_bench_dpc_counts "$out" "$n" shim_tdpc "threaded DPCs" PASSIVE_LEVEL "$pre"
}

# _bench_dpc_counts OUT N VARIANT WHAT LEVEL PREFIX: 1 check of a DPC
# variant's counts in the dispatch lines OUT.
_bench_dpc_counts() {
	local line

	line=$(printf '%s\n' "$1" | grep " variant=$3 ")
	check_eq "$6dispatch $3: $2 $4 queued, $2 run, none at another IRQL than $5" "$2 $2 0" \
		"$(bench_field dpc_queued "$line") $(bench_field dpc_runs "$line") $(bench_field dpc_wrong_irql "$line")"
}

# bench_dispatch_histograms: wdm.ko's histograms (ISR duration, DPC
# duration, ISR-to-DPC latency) of the interrupt objects of the last
# bench_dispatch's single shim ISRs, which stay connected until the next
# run, as "hist case=dispatch variant=V kind=K interrupts=N dpc_runs=D
# counts=C0,...,C31" lines, N and D counted by wdm_bench.ko. Each ISR
# histogram holds every interrupt of its variant, each DPC and latency
# histogram every DPC run. 3 checks.
bench_dispatch_histograms() {
	local v line irq n runs kind counts c sum totals
	local -a dirs

	for v in shim shim_dpc shim_tdpc; do
		line=$(printf '%s\n' "$BENCH_DISPATCH_OUT" | grep " variant=$v ")
		irq=$(bench_field irq "$line")
		n=$(bench_field handled "$line")
		runs=$(bench_field dpc_runs "$line")
		runs=${runs:-0}
		dirs=()
		[ -z "$irq" ] || dirs=("$BENCH_WDM_DEBUGFS/interrupts/$irq"-*/histograms)
		if [ ${#dirs[@]} -ne 1 ] || [ ! -f "${dirs[0]}" ]; then
			not_ok "dispatch $v: one object on IRQ ${irq:-?} in $BENCH_WDM_DEBUGFS/interrupts/"
			continue
		fi
		totals=
		while read -r kind counts; do
			echo "WDMBENCH hist case=dispatch variant=$v kind=$kind interrupts=$n dpc_runs=$runs counts=${counts// /,}"
			sum=0
			for c in $counts; do
				sum=$((sum + c))
			done
			totals+=" $kind=$sum"
		done <"${dirs[0]}"
		check_eq "dispatch $v: wdm.ko's histograms of IRQ $irq hold its $n interrupts and $runs DPC runs" \
			"isr_ns=$n dpc_ns=$runs latency_ns=$runs" "${totals# }"
	done
}

# bench_stats_cost N BATCH PAIRS: what wdm.ko's statistics cost. 2 x PAIRS
# phases of bench_dispatch N BATCH, wdm.ko and wdm_bench.ko loaded afresh
# for each: the build with statistics ($WDM_MODDIR) and the one with them
# compiled out ($BENCH_NOSTATS_MODDIR) take turns, with them first in odd
# pairs and without them first in even ones (1 0 0 1 1 0 ...), so that a
# steady drift of the host weighs on both alike. Each phase's lines go out
# tagged "phase=P stats=1|0". 15 checks per phase.
# bench_clock N: N local_clock() calls, the clock of wdm.ko's statistics;
# its cost per call goes out as "clock ...". One check.
bench_clock() {
	local out

	out=$(bench_run clock "$1")
	check_match "clock: $1 local_clock() calls timed" "^clock fn=local_clock calls=$1 " "$out"
	bench_emit "$out"
}

bench_stats_cost() {
	local n=$1 batch=$2 pairs=$3 p s dir want have

	for ((p = 1; p <= 2 * pairs; p++)); do
		s=$(((p % 2 + (p - 1) / 2) % 2))
		dir=$WDM_MODDIR want=yes
		[ "$s" = 1 ] || dir=$BENCH_NOSTATS_MODDIR want=no
		check_cmd "phase $p: insmod $dir/wdm.ko" insmod "$dir/wdm.ko" || return
		have=no
		[ -d "$BENCH_WDM_DEBUGFS/interrupts" ] && have=yes
		check_eq "phase $p: this wdm.ko keeps statistics ($BENCH_WDM_DEBUGFS/interrupts): $want" \
			"$want" "$have"
		bench_load_module "$dir" || return
		bench_dispatch "$n" "$batch" "phase=$p stats=$s"
		check_cmd "phase $p: rmmod wdm_bench" rmmod wdm_bench
		check_cmd "phase $p: rmmod wdm" rmmod wdm || return
	done
}

# --- 2. latency against UIO ------------------------------------------------------

# _bench_alone IRQ: "1 1" when IRQ has one handler (/sys/kernel/irq/IRQ/actions)
# and one PCI device with a driver reports it as its line (an unbound device
# was never enabled: its line is the firmware's, not routed).
_bench_alone() {
	local actions devs=0 d

	actions=$(cat "/sys/kernel/irq/$1/actions" 2>/dev/null)
	for d in /sys/bus/pci/devices/*; do
		[ -e "$d/driver" ] && [ "$(cat "$d/irq" 2>/dev/null)" = "$1" ] && devs=$((devs + 1))
	done
	echo "$(awk -F, '{ print NF }' <<<"$actions") $devs"
}

# bench_latency MODE ROUNDS CPU...: the first edu driven by wdmisr on MODE
# (msi or intx: wdmisr.ko loaded with irq_mode=edu:MODE), its twin bound to
# uio_pci_generic (INTx); ROUNDS rounds with the reader on each CPU. On
# INTx, each device must be alone on its line: checked. The data's pair is
# MODE-intx, or MODEsoft-intx when wdmisr.ko was loaded with threaded_dpc=0
# (its DPCs in softirq).
bench_latency() {
	local mode=$1 rounds=$2 w u node uio wirq uirq cpu alone=- pair
	local -a edu

	shift 2
	# wdmisr's DPCs: threaded (the default), or in softirq (threaded_dpc=0).
	pair=$mode-intx
	[ "$(cat /sys/module/wdmisr/parameters/threaded_dpc)" = N ] && pair=${mode}soft-intx
	mapfile -t edu < <(find_dev 1234:11e8)
	w=${edu[0]} u=${edu[1]}
	load_kmod uio_pci_generic || return
	pci_bind "$u" uio_pci_generic || return
	node=$(bench_node "$w")
	check_eq "$w: wdmisr drives it on $mode" "$mode" "$(cat "/sys/class/wdmisr/$node/irq_mode" 2>/dev/null)" ||
		return
	uio=$(ls "/sys/bus/pci/devices/$u/uio")
	wait_for "/dev/$uio" 5
	if [ "$mode" = msi ]; then
		wirq=$(msi_irq "$w")
	else
		wirq=$(dev_irq "$w")
	fi
	uirq=$(dev_irq "$u")
	if [ "$mode" = intx ]; then
		alone=yes
		check_eq "INTx: wdmisr's $w (IRQ $wirq) and UIO's $u (IRQ $uirq) each alone on its line: one handler, one device" \
			"1 1 1 1" "$(_bench_alone "$wirq") $(_bench_alone "$uirq")" || alone=no
	fi
	# Both interrupts on CPU 0; the reader where the caller says.
	echo 1 >"/proc/irq/$wirq/smp_affinity"
	echo 1 >"/proc/irq/$uirq/smp_affinity"
	for cpu in "$@"; do
		echo "WDMBENCH latency-config pair=$pair wdmisr=$w wdmisr_irq=$mode wdmisr_line=$wirq uio=$u uio_irq=intx uio_line=$uirq alone=$alone irq_cpu=0 reader_cpu=$cpu rounds=$rounds"
		_bench_latency_run "$rounds" "$cpu" "$node" "$uio" "$u" "$uirq" "$pair"
	done
}

# _bench_latency_run ROUNDS CPU NODE UIO UIO_BDF UIO_IRQ PAIR: one run, 5
# checks; its lines tagged with the reader's CPU and the PAIR of modes.
_bench_latency_run() {
	local rounds=$1 cpu=$2 node=$3 uio=$4 u=$5 uirq=$6 pair=$7 ubefore out rc

	wdmisr-read --reset-stats -d "/dev/$node" >/dev/null
	ubefore=$(irq_count "$uirq")
	out=$(wdm-bench-lat --wdmisr "/dev/$node" --uio "/dev/$uio" --rounds "$rounds" \
		--uio-pci "/sys/bus/pci/devices/$u" --cpu "$cpu")
	rc=$?
	bench_emit "$(printf '%s\n' "$out" | sed "s/\$/ reader_cpu=$cpu pair=$pair/")"
	check_eq "latency $pair, reader on CPU $cpu: wdm-bench-lat checked every round" 0 "$rc"
	check_eq "latency $pair wdmisr: $rounds records, each the raised value in sequence" "$rounds" \
		"$(bench_field ok "$(printf '%s\n' "$out" | grep '^latency path=wdmisr ')")"
	check_eq "latency $pair uio: $rounds wake-ups, the count up by one each" "$rounds" \
		"$(bench_field ok "$(printf '%s\n' "$out" | grep '^latency path=uio ')")"
	check_eq "latency $pair wdmisr: the ISR ran $rounds times, all TRUE" "$rounds $rounds" \
		"$(vector_stat "$node" 0 interrupts) $(vector_stat "$node" 0 true)"
	check_eq "latency $pair uio: IRQ $uirq took exactly $rounds interrupts" "$rounds" \
		$(($(irq_count "$uirq") - ubefore))
}

# --- 3. throughput -------------------------------------------------------------------

# _bench_read_run PATH FORMAT ARGS...: one wdm-bench-read run with
# --format FORMAT; its output (json: only its messages and its own line; the
# records go to /dev/null), and that line with "throughput path=PATH
# format=FORMAT" in front, on stdout.
_bench_read_run() {
	local path=$1 format=$2 out

	shift 2
	if [ "$format" = json ]; then
		out=$(wdm-bench-read "$@" --format json 2>&1 >/dev/null)
	else
		out=$(wdm-bench-read "$@" --format "$format" 2>&1)
	fi
	printf '%s\n' "$out"
	sed -n "s/^bench-read /throughput path=$path format=$format /p" <<<"$out"
}

# bench_throughput CHUNK CHUNKS SKIP RINGS PER_RING: CHUNKS runs, each
# reading CHUNK records four times, the two sources taking turns: /dev/zero
# and wdmisr with the records printed as JSON to /dev/null (the reader as
# users run it), then both with --format summary (no output per record:
# the kernel's share, and the order and CRC check of every record). The
# producer must make 2 * CHUNKS * CHUNK = RINGS * PER_RING records. 8
# checks.
bench_throughput() {
	local chunk=$1 chunks=$2 skip=$3 rings=$4 per_ring=$5 bdf node i f out
	local good=0 zero_ok=0 json_ok=0 cont_ok=1 nread=0 msg first last
	local -A next=()

	bdf=$(find_dev 1af4:1110)
	node=$(bench_node "$bdf")
	echo "WDMBENCH throughput-config chunk=$chunk chunks=$chunks skip=$skip rings=$rings record_size=88"
	for ((i = 1; i <= chunks; i++)); do
		for f in json summary; do
			out=$(_bench_read_run zero "$f" --zero --skip "$skip" -- -d /dev/zero -n "$chunk")
			bench_emit "$(grep '^throughput ' <<<"$out" | sed "s/\$/ chunk=$i/")"
			if grep -q "^bench-read status=0 .* records=$chunk " <<<"$out"; then
				zero_ok=$((zero_ok + 1))
			else
				printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
			fi

			# read(), as before the event ring could be mapped: these
			# figures stay comparable; bench_drain measures both.
			out=$(_bench_read_run wdmisr "$f" --skip "$skip" -- -d "/dev/$node" -n "$chunk" -t 20000 --no-mmap)
			bench_emit "$(grep '^throughput ' <<<"$out" | sed "s/\$/ chunk=$i/")"
			nread=$((nread + $(bench_field records "$(grep '^bench-read ' <<<"$out")")))
			if [ "$f" = json ]; then
				if grep -q "^bench-read status=0 .* records=$chunk " <<<"$out"; then
					json_ok=$((json_ok + 1))
				else
					printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
				fi
				continue
			fi
			if grep -q "^summary total events=$chunk good=$chunk malformed=0 dropped=0 seq_gaps=0$" <<<"$out" &&
				awk '/^summary msg=/ && !/ order=ok / { bad = 1 } END { exit bad }' <<<"$out"; then
				good=$((good + 1))
			else
				printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
			fi
			# Each ring goes on after where the last check left it (the
			# JSON run in between read some of it).
			while read -r msg first last; do
				[ "$first" -ge "${next[$msg]:-0}" ] || cont_ok=0
				next[$msg]=$((last + 1))
			done < <(sed -n 's/^summary msg=\([0-9]*\) .* first_src_seq=\([0-9]*\) last_src_seq=\([0-9]*\).*/\1 \2 \3/p' <<<"$out")
		done
	done
	# Since the driver was loaded: the records that waited for the reader too.
	echo "WDMBENCH throughput-driver interrupts=$(vector_stat "$node" all interrupts) events=$(vector_stat "$node" all events) dropped=$(vector_stat "$node" all dropped)"
	check_eq "throughput /dev/zero: $((2 * chunks)) runs of exactly $chunk records" $((2 * chunks)) "$zero_ok"
	check_eq "throughput wdmisr, JSON to /dev/null: $chunks runs of exactly $chunk records" "$chunks" "$json_ok"
	check_eq "throughput wdmisr, summary: $chunks runs of $chunk records, none lost, malformed or out of order" \
		"$chunks" "$good"
	check_eq "throughput wdmisr: each ring in order from one summary run to the next" 1 "$cont_ok"
	check_eq "throughput wdmisr: the driver queued exactly $((rings * per_ring)) events" \
		$((rings * per_ring)) "$(vector_stat "$node" all events)"
	check_eq "throughput wdmisr: the driver dropped none" 0 "$(vector_stat "$node" all dropped)"
	check_eq "throughput wdmisr: the driver found none malformed" 0 "$(vector_stat "$node" all malformed)"
	check_eq "throughput wdmisr: read every event, $((rings * per_ring))" $((rings * per_ring)) "$nread"
}

# --- 3b. the read path, queue pre-filled --------------------------------------------

# _bench_drain_fill BDF QUEUE: let the held producer fill a fresh event
# queue of QUEUE records, with no reader: unbind the ivshmem, ring its
# doorbell (peer 0), which releases QUEUE / RINGS more records of every
# ring, and bind it again; wait until the driver has queued all QUEUE. The
# node on stdout; true if the driver queued exactly QUEUE events, dropped
# none and found none malformed.
_bench_drain_fill() {
	local bdf=$1 queue=$2 node

	pci_unbind "$bdf"
	wdmisr-mmio "$bdf" 0 "$(hw_reg IVSHMEM_REG_DOORBELL)" 0 || return
	echo "$bdf" >/sys/bus/pci/drivers/wdmisr/bind
	node=$(bench_node "$bdf")
	[ -n "$node" ] || return
	echo "$node"
	wait_stat "$node" all events "$queue" 300 || return
	[ "$(vector_stat "$node" all events) $(vector_stat "$node" all dropped) $(vector_stat "$node" all malformed)" = "$queue 0 0" ]
}

# _bench_drain_ok OUT QUEUE RINGS FIRST: the summary run OUT read all QUEUE
# records, none malformed, dropped or out of order, RINGS rings of QUEUE /
# RINGS records each, every ring's src_seq FIRST to FIRST + QUEUE / RINGS -
# 1: exactly the records the producer released.
_bench_drain_ok() {
	local out=$1 queue=$2 rings=$3 first=$4 per=$(($2 / $3))

	grep -q "^summary total events=$queue good=$queue malformed=0 dropped=0 seq_gaps=0$" <<<"$out" &&
		[ "$(grep -c "^summary msg=[0-9]* events=$per good=$per malformed=0 order=ok .* first_src_seq=$first last_src_seq=$((first + per - 1))$" <<<"$out")" = "$rings" ]
}

# _bench_drain_read PATH READER RUN ARGS...: one wdm-bench-read run for
# bench_drain, --format summary, READER being read (--no-mmap) or ring; its
# output, and its result line as "drain path=PATH format=summary
# reader=READER run=RUN ...", on stdout.
_bench_drain_read() {
	local path=$1 m=$2 r=$3 out

	shift 3
	if [ "$m" = read ]; then
		out=$(wdm-bench-read "$@" --format summary --no-mmap 2>&1)
	else
		out=$(wdm-bench-read "$@" --format summary 2>&1)
	fi
	printf '%s\n' "$out"
	sed -n "s/^bench-read /drain path=$path format=summary reader=$m run=$r /p" <<<"$out"
}

# bench_drain QUEUE RUNS BASE RINGS: the kernel's read path alone. RUNS
# runs, each of two fills of the event queue (_bench_drain_fill), each
# drained by wdmisr-read --format summary after the same reader read QUEUE
# records from /dev/zero: with read() (--no-mmap), then from the mapped
# ring. The producer is held throughout a drain: no interrupt, no record
# is added while the clock runs. 5 checks.
bench_drain() {
	local queue=$1 runs=$2 base=$3 rings=$4 bdf node r m out want fill=0
	local fills_ok=0 zero_ok=0 after_ok=0
	local -A ok=([read]=0 [ring]=0)

	bdf=$(find_dev 1af4:1110)
	echo "WDMBENCH drain-config queue=$queue runs=$runs rings=$rings record_size=88"
	for ((r = 1; r <= runs; r++)); do
		for m in read ring; do
			if ! node=$(_bench_drain_fill "$bdf" "$queue"); then
				note "drain: fill $((fill + 1)) did not queue exactly $queue events: $(vector_stat "$node" all events) queued, $(vector_stat "$node" all dropped) dropped"
				break 2
			fi
			fills_ok=$((fills_ok + 1))
			out=$(_bench_drain_read zero "$m" "$r" --zero -- -d /dev/zero -n "$queue")
			bench_emit "$(grep '^drain ' <<<"$out")"
			grep -q "^bench-read status=0 .* records=$queue .* mode=read$" <<<"$out" &&
				zero_ok=$((zero_ok + 1))

			out=$(_bench_drain_read wdmisr "$m" "$r" -- -d "/dev/$node" -n "$queue" -t 20000)
			bench_emit "$(grep '^drain ' <<<"$out")"
			if grep -q "^bench-read status=0 .* records=$queue .* mode=$m$" <<<"$out" &&
				_bench_drain_ok "$out" "$queue" "$rings" $((base + fill * queue / rings)); then
				ok[$m]=$((ok[$m] + 1))
			else
				printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
			fi
			# Nothing came while the reader drained the queue.
			[ "$(vector_stat "$node" all events) $(vector_stat "$node" all dropped)" = "$queue 0" ] &&
				after_ok=$((after_ok + 1))
			fill=$((fill + 1))
		done
	done
	check_eq "drain: $((2 * runs)) fills of the queue, each exactly $queue events queued with no reader, none dropped or malformed" \
		$((2 * runs)) "$fills_ok"
	check_eq "drain /dev/zero: $((2 * runs)) runs of exactly $queue records" $((2 * runs)) "$zero_ok"
	check_eq "drain wdmisr, summary with read(): $runs runs of the $queue queued records, in order, none lost or malformed" \
		"$runs" "${ok[read]}"
	check_eq "drain wdmisr, summary from the mapped ring: $runs runs of the $queue queued records, in order, none lost or malformed" \
		"$runs" "${ok[ring]}"
	check_eq "drain: no event queued while the reader drained, none dropped" $((2 * runs)) "$after_ok"
}

# --- 4. scaling ------------------------------------------------------------------------

bench_scaling() {
	local reps=$1 fires=$2 n out line v bad want
	shift 2

	out=$(bench_run scaling "$reps $fires $*")
	check_eq "scaling: $* vectors, $reps times each, ran" 0 $? || return
	bench_emit "$out"
	for n in "$@"; do
		bad=
		want="$n $((reps * fires)) $((reps * fires / n)) $((reps * fires / n))"
		for v in raw raw_threaded shim; do
			line=$(printf '%s\n' "$out" | grep "^scaling vectors=$n variant=$v ")
			[ "$(bench_field connected "$line") $(bench_field handled "$line") $(bench_field per_vector_min "$line") $(bench_field per_vector_max "$line")" = "$want" ] ||
				bad+=" $v"
		done
		check_eq "scaling $n vectors: each variant connected $n and handled $((reps * fires / n)) on every vector" \
			"" "$bad"
	done
}
