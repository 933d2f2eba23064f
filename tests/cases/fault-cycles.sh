#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unbind/bind and rmmod/insmod cycles, CYCLES of each, while interrupts
# fire and readers wait. Hardware: two edu devices on one shared INTx line
# (A, B) and an ivshmem-doorbell whose producer streams 200 records/s per
# ring. In every cycle `cat` is blocked in read() on A, wdmisr-read in
# poll() on B and on the ivshmem node, and wdmisr-raise raises on A and B
# every millisecond.
# - UNBIND cycles: the three devices are unbound (in a rotating order):
#   read() gets ENODEV, poll() the hang-up, the raises ENODEV; the nodes go,
#   and the shared line never says "nobody cared" (a raise left pending on
#   an unbound edu would hold it); bound again, each device gets its old
#   node name back (no minor, hence no device structure, was leaked).
# - RMMOD cycles: rmmod is refused while the readers hold the nodes (an
#   open file holds the module); they are then killed where they wait, and
#   rmmod goes through at once, with the ivshmem interrupts still coming: no
#   handler is left; insmod brings the same three nodes back.
# Afterwards every device works, nothing holds wdm.ko, kmemleak (where the
# kernel has it) finds no leak, and the kernel log is clean. Each check
# counts the cycles that passed.
# qemu: -device edu,addr=3 -device edu,addr=7
# ivshmem: --vectors 8 --count 1000000 --rate 200 --slots 64
# timeout: 600

# make check: 10 of each; make soak (tests/cases/soak-fault-cycles.sh): 50.
CYCLES=${CYCLES:-10}
plan 21

drv=/sys/bus/pci/drivers/wdmisr
mapfile -t edu < <(find_dev 1234:11e8)
iv=$(find_dev 1af4:1110)
devs=("${edu[0]}" "${edu[1]}" "$iv")
# Bound in bus order, as insmod probes them, they get the same minors.
mapfile -t bus_order < <(printf '%s\n' "${devs[@]}" | sort)

# nodes: the node of each device, in the order of devs.
nodes() {
	local d n

	for d in "${devs[@]}"; do
		n=$(wdmisr_node "$d")
		echo "${n:-none}"
	done | xargs
}

# start_load: the readers and the raiser, each waiting once started; sets
# pids and a, b, v (the nodes). False if one did not get going.
start_load() {
	read -r a b v <<<"$(nodes)"
	cat /dev/"$a" >/dev/null 2>/tmp/cat.err &
	pids=($!)
	wdmisr-read -d /dev/"$b" -f >/dev/null 2>/tmp/pollb.err &
	pids+=($!)
	wdmisr-read -d /dev/"$v" -f --format summary >/dev/null 2>/tmp/pollv.err &
	pids+=($!)
	wdmisr-raise loop /dev/"$a" /dev/"$b" >/tmp/raise.out 2>&1 &
	pids+=($!)
	wait_blocked "${pids[0]}" "$a" && wait_blocked "${pids[1]}" "$b" &&
		wait_blocked "${pids[2]}" "$v" && wait_blocked "${pids[3]}" "$a" "$b" && return
	show_load
	return 1
}

# show_load: what the readers and the raiser said, when a cycle failed.
show_load() {
	note "cycle $i: $(cat /tmp/cat.err /tmp/pollb.err /tmp/pollv.err /tmp/raise.out | xargs)"
}

# refused CMD...: CMD fails, and says the module is in use.
refused() {
	local out

	out=$("$@" 2>&1) && return 1
	grep -qE 'in use|Resource temporarily unavailable' <<<"$out"
}

# ok_if COUNTER CMD...: add one to COUNTER when CMD succeeds.
ok_if() {
	local -n counter=$1

	shift
	"$@" && counter=$((counter + 1))
}

# Only what leaks from here on counts.
[ -e /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak
load_wdm irq_mode=edu:intx || return
# The edu devices' shared line: rmmod frees it just after the raises on it
# stop, so it runs where the line is delivered, as pci_unbind does.
line=$(dev_irq "${edu[0]}")
first=$(nodes)
note "nodes: $first"

started=0 read_enodev=0 poll_hup=0 raise_enodev=0 gone=0 back=0
for i in $(seq "$CYCLES"); do
	ok_if started start_load
	for k in 0 1 2; do
		pci_unbind "${devs[(i + k) % 3]}"
	done
	wait "${pids[@]}"
	ok_if read_enodev grep -q 'No such device' /tmp/cat.err
	ok_if poll_hup test "$(grep -c 'device removed' /tmp/pollb.err /tmp/pollv.err |
		cut -d: -f2 | xargs)" = "1 1"
	ok_if raise_enodev test "$(grep -c 'ended=ENODEV' /tmp/raise.out)" = 2
	[ $read_enodev = $i ] && [ $poll_hup = $i ] && [ $raise_enodev = $i ] || show_load
	ok_if gone test -z "$(ls /sys/class/wdmisr/)"
	for d in "${bus_order[@]}"; do
		echo "$d" >"$drv/bind"
	done
	ok_if back test "$(nodes)" = "$first"
done
check_eq "unbind: the readers and the raiser were waiting in every cycle" "$CYCLES" $started
check_eq "unbind: read() got ENODEV in every cycle" "$CYCLES" $read_enodev
check_eq "unbind: both poll() readers saw the hang-up in every cycle" "$CYCLES" $poll_hup
check_eq "unbind: the raises on both edu devices ended with ENODEV in every cycle" \
	"$CYCLES" $raise_enodev
check_eq "unbind: no node left in any cycle" "$CYCLES" $gone
check_eq "unbind: bound again, the same node names in every cycle" "$CYCLES" $back

started=0 refused=0 held=0 unloaded=0 no_handler=0 back=0
for i in $(seq "$CYCLES"); do
	ok_if started start_load
	ok_if refused refused rmmod wdmisr
	ok_if held kill -0 "${pids[@]}"
	kill -KILL "${pids[@]}"
	wait "${pids[@]}" 2>/dev/null
	ok_if unloaded on_irq_cpu "$line" rmmod wdmisr
	ok_if no_handler test -z "$(grep wdm- /proc/interrupts)"
	insmod "$WDM_MODDIR/wdmisr.ko" irq_mode=edu:intx
	ok_if back test "$(nodes)" = "$first"
done
check_eq "rmmod: the readers and the raiser were waiting in every cycle" "$CYCLES" $started
check_eq "rmmod: refused while the readers hold the nodes, in every cycle" "$CYCLES" $refused
check_eq "rmmod: the readers were still there after the refusal, in every cycle" "$CYCLES" $held
check_eq "rmmod: went through once they were killed, in every cycle" "$CYCLES" $unloaded
check_eq "rmmod: no IRQ handler left behind in any cycle" "$CYCLES" $no_handler
check_eq "insmod: the same node names in every cycle" "$CYCLES" $back

read -r a b v <<<"$(nodes)"
for n in "$a" "$b"; do
	check_eq "$n still works: 3 raises, 3 events" 3 \
		"$(wdmisr-read -d /dev/"$n" -n 3 --trigger --format json -t 5000 | edu_payloads_match)"
done
out=$(wdmisr-read -d /dev/"$v" -n 800 --format summary -t 5000)
check_eq "ivshmem still delivers: 800 records, each ring in order" \
	"$(printf '%s\n' "$out" | grep -c '^summary msg=') 800" \
	"$(printf '%s\n' "$out" | grep -c 'order=ok') \
$(printf '%s\n' "$out" | sed -n 's/^summary total events=\([0-9]*\) .*/\1/p')"
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	check_eq "kmemleak: no unreferenced object" "" "$(cat /sys/kernel/debug/kmemleak)"
else
	skip "kmemleak: no unreferenced object" "this kernel has no kmemleak"
fi
unload_wdm
check_eq "nothing is left holding memory regions or handlers" "" \
	"$(grep -E 'wdm' /proc/interrupts /proc/iomem)"
