#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: two edu devices on one shared INTx line and an ivshmem-doorbell
# with 8 MSI-X vectors, fed by tests/ivshmem-dev/ivshmem-dev at 10 records/s
# per ring. wdmisr-read prints the records as they arrive; the run shows
# each device's per-vector statistics. Then wdmisr lets the edu devices go
# (it keeps the ivshmem device) to the porter's example, examples/edu-wdm
# (built against the installed kit), which takes both edu devices on their
# MSIs: K interrupts each reach its ISR, DpcForIsr and work item; and to the
# KMDF example, examples/edu-kmdf, whose WDFINTERRUPT the framework
# connects: K interrupts each reach its EvtInterruptIsr and EvtInterruptDpc.
# Last, wdmisr takes the edu devices back on their shared line, K more
# interrupts each, and wdmstat shows how long each ISR and DPC of wdmisr's
# interrupt objects took, while they are still connected: the edu devices'
# and the ivshmem device's, whose counts wdmstat --json must match exactly.
# The run passes only if everything arrived.
# run-by: make demo
# qemu: -device edu,addr=3 -device edu,addr=7
# ivshmem: --vectors 8 --count 150 --rate 10 --slots 256
# timeout: 300

K=16
M=150
plan 30

load_wdm irq_mode=edu:intx || return
wdmisr-read --list

# The /dev node of the device at a BDF.
node_of() { basename /sys/bus/pci/devices/"$1"/wdmisr/wdmisr*; }

# proc_irq NAME: the IRQ whose line in /proc/interrupts lists the action NAME.
proc_irq() {
	awk -v n="$1" '{
		for (i = 2; i <= NF; i++) {
			f = $i
			sub(/,$/, "", f)
			if (f == n) { sub(/:$/, "", $1); print $1 }
		}
	}' /proc/interrupts
}

# wdmstat_objects: one line per interrupt object of `wdmstat --json`: irq,
# name, ISR and DPC routine (their "symbol [module]" without the space),
# isr_calls, isr_true, isr_false, dpc_queued, dpc_run, then the sums of its
# isr_ns, dpc_ns and latency_ns histograms.
wdmstat_objects() {
	wdmstat --json | awk '
		function val(o, k,  v) {
			if (!match(o, "\"" k "\":(\"[^\"]*\"|[0-9]+|null)"))
				return "?"
			v = substr(o, RSTART + length(k) + 3, RLENGTH - length(k) - 3)
			gsub(/"| /, "", v)
			return v
		}
		function sum(o, k,  a, n, i, s) {
			if (!match(o, "\"" k "\":\\[[0-9,]*\\]"))
				return "?"
			n = split(substr(o, RSTART + length(k) + 4, RLENGTH - length(k) - 5), a, ",")
			for (i = 1; i <= n; i++)
				s += a[i]
			return s + 0
		}
		{
			s = $0
			while ((p = index(s, "{\"object\":")) > 0) {
				s = substr(s, p + 1)
				q = index(s, "{\"object\":")
				o = q ? substr(s, 1, q - 1) : s
				print val(o, "irq"), val(o, "name"), val(o, "isr"), val(o, "dpc"),
				      val(o, "isr_calls"), val(o, "isr_true"), val(o, "isr_false"),
				      val(o, "dpc_queued"), val(o, "dpc_run"), sum(o, "isr_ns"),
				      sum(o, "dpc_ns"), sum(o, "latency_ns")
			}
		}'
}

# dpcs_settled: in every interrupt object of wdm.ko, each DPC queued has run.
dpcs_settled() {
	awk '$1 == "dpc_queued" { q = $2 } $1 == "dpc_run" && $2 != q { bad = 1 }
		END { exit bad }' /sys/kernel/debug/wdm/interrupts/*/stats
}
mapfile -t edu < <(find_dev 1234:11e8)
iv=$(find_dev 1af4:1110)

for bdf in "${edu[@]}"; do
	n=$(node_of "$bdf")
	echo
	note "/dev/$n: edu $bdf, shared INTx line: $K interrupts, one at a time"
	out=$(wdmisr-read -d "/dev/$n" -n $K --trigger --format json -t 5000)
	printf '%s\n' "$out"
	check_eq "$n: $K events carrying the raised values 1..$K" $K \
		"$(printf '%s\n' "$out" | edu_payloads_match)"
done

n=$(node_of "$iv")
echo
note "/dev/$n: ivshmem $iv, 8 rings on 8 MSI-X vectors, $M records each, live"
wdmisr-read -d "/dev/$n" -n $((8 * M)) --format text -t 20000 | tee /tmp/iv.txt
check_eq "$n: $((8 * M)) records read" $((8 * M)) "$(grep -c '^ *[0-9]' /tmp/iv.txt)"
check_eq "$n: no gap in the sequence" 0 "$(grep -c '^# gap' /tmp/iv.txt)"
check_eq "$n: every vector delivered $M records, none malformed or dropped" 8 \
	"$(awk -v m=$M 'NR > 1 && $7 == m && $8 == 0 && $9 == 0' \
		/sys/kernel/debug/wdmisr/"$n"/stats | wc -l)"

echo
note "per-device, per-vector statistics"
for bdf in "${edu[@]}" "$iv"; do
	n=$(node_of "$bdf")
	echo "/dev/$n: $bdf $(cat /sys/class/wdmisr/"$n"/personality)," \
		"$(cat /sys/class/wdmisr/"$n"/irq_mode)"
	wdmisr-read -d "/dev/$n" --stats
done
for bdf in "${edu[@]}"; do
	n=$(node_of "$bdf")
	check_eq "$n: TRUE for its own $K, FALSE for the other device's $K" "$K $K" \
		"$(vector_stat "$n" 0 true) $(vector_stat "$n" 0 false)"
done
for bdf in "${edu[@]}"; do
	pci_unbind "$bdf"
done
check_eq "wdmisr lets the edu devices go and keeps the ivshmem device" "- - wdmisr" \
	"$(for bdf in "${edu[@]}" "$iv"; do d=$(pci_driver "$bdf"); echo "${d:--}"; done | xargs)"

echo
note "examples/edu-wdm (edu_wdm.ko, built against the installed kit) on the edu devices"
check_cmd "insmod edu_wdm.ko" insmod "$WDM_MODDIR/edu_wdm.ko"
for bdf in "${edu[@]}"; do
	ex=/sys/bus/pci/devices/$bdf/edu_wdm
	edu_raise_each "$bdf" $K "$ex/workitem_runs"
	echo "edu $bdf: $(cat "$ex/connect_version"), ID $(cat "$ex/id"):" \
		"ISR $(cat "$ex/isr_calls"), TRUE $(cat "$ex/claimed")," \
		"DpcForIsr $(cat "$ex/dpc_runs"), work item $(cat "$ex/workitem_runs")"
	check_eq "edu_wdm on $bdf: $K interrupts, each through ISR, DpcForIsr and work item" \
		"$K $K $K $K" \
		"$(cat "$ex/isr_calls" "$ex/claimed" "$ex/dpc_runs" "$ex/workitem_runs" | xargs)"
done
# The work item holds a module reference until just after its routine returns.
check_cmd "rmmod edu_wdm" wait_until 10 rmmod edu_wdm

echo
note "examples/edu-kmdf (edu_kmdf.ko, KMDF on the installed kit) on the edu devices"
check_cmd "insmod edu_kmdf.ko" insmod "$WDM_MODDIR/edu_kmdf.ko"
for bdf in "${edu[@]}"; do
	ex=/sys/bus/pci/devices/$bdf/edu_kmdf
	edu_raise_each "$bdf" $K "$ex/dpc_runs"
	echo "edu $bdf: WDFINTERRUPT on IRQ $(cat "$ex/vector"), ID $(cat "$ex/id"):" \
		"EvtInterruptIsr $(cat "$ex/isr_calls"), TRUE $(cat "$ex/claimed")," \
		"EvtInterruptDpc $(cat "$ex/dpc_runs")"
	check_eq "edu_kmdf on $bdf: $K interrupts, each through EvtInterruptIsr and EvtInterruptDpc" \
		"$K $K $K" "$(cat "$ex/isr_calls" "$ex/claimed" "$ex/dpc_runs" | xargs)"
done
echo "the framework's callbacks: $(xargs </sys/bus/pci/drivers/edu_kmdf/events)"
check_cmd "rmmod edu_kmdf" rmmod edu_kmdf

echo
note "wdmisr takes the edu devices back, shared INTx line: $K interrupts each"
for bdf in "${edu[@]}"; do
	pci_bind "$bdf" wdmisr
done
for bdf in "${edu[@]}"; do
	n=$(node_of "$bdf")
	check_eq "$n: $K events carrying the raised values 1..$K" $K \
		"$(wdmisr-read -d "/dev/$n" -n $K --trigger --format json -t 5000 |
			edu_payloads_match)"
done
wait_until 5 dpcs_settled
objects=$(wdmstat_objects)
want=$(for bdf in "${edu[@]}"; do
		echo "$(proc_irq "wdm-intx($bdf)") wdm-intx($bdf)"
	done
	for k in $(seq 0 7); do
		echo "$(proc_irq "wdm-msix[$k]($iv)") wdm-msix[$k]($iv)"
	done)
check_eq "wdmstat --json: wdmisr's 10 interrupt objects, as /proc/interrupts names them" \
	"$(LC_ALL=C sort <<<"$want" | xargs)" \
	"$(awk '{ print $1, $2 }' <<<"$objects" | LC_ALL=C sort | xargs)"
for bdf in "${edu[@]}"; do
	n=$(node_of "$bdf")
	queued=$(vector_stat "$n" 0 dpc_queued)
	check_eq "wdm-intx($bdf): $((2 * K)) ISR calls, TRUE for its own $K, FALSE for the other's $K; a DPC run for each of the driver's $queued" \
		"wdmisr_edu_isr[wdmisr] wdmisr_dpc[wdmisr] $((2 * K)) $K $K $queued $queued" \
		"$(awk -v n="wdm-intx($bdf)" '$2 == n { print $3, $4, $5, $6, $7, $8, $9 }' \
			<<<"$objects")"
done
n=$(node_of "$iv")
check_eq "wdm-msix[0..7]($iv): each message's ISR calls, all TRUE, are the driver's interrupts on that vector; each DPC queued ran" \
	8 "$(for k in $(seq 0 7); do
		awk -v n="wdm-msix[$k]($iv)" -v i="$(vector_stat "$n" "$k" interrupts)" '
			$2 == n && $3 == "wdmisr_ivshmem_message_isr[wdmisr]" &&
			$4 == "wdmisr_dpc[wdmisr]" && $5 == i && $6 == i && $7 == 0 && $8 == $9' \
			<<<"$objects"
	done | wc -l)"
check_eq "in each object, isr_ns sums to its ISR calls, dpc_ns and latency_ns to its DPC runs" \
	10 "$(awk '$10 == $5 && $11 == $9 && $12 == $9' <<<"$objects" | wc -l)"
table=$(wdmstat)
check_eq "wdmstat: an ISR and a DPC row for each of the 10" "10 10" \
	"$(awk '{ k = $1 == "*" ? $2 : $1 } k == "ISR" { i++ } k == "DPC" { d++ }
		END { print i + 0, d + 0 }' <<<"$table")"

echo
note "wdmstat: how long each ISR and DPC of wdmisr's interrupt objects took"
printf '%s\n' "$table"
echo
check_cmd "rmmod wdmisr" rmmod wdmisr
check_cmd "rmmod wdm" rmmod wdm
