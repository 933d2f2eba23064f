#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# INTx storm on the shared line: 100,000 edu raises split across the two
# devices on IRQ 11, back to back, 32 per device before the program reads
# (tests/progs/wdmisr-raise.c, storm). Each raise sets its own status bit, so
# raises that met in one ISR call arrive as one event with several bits:
# events + coalesced bits == raises, exactly, per device. Each driver's ISR
# ran once per interrupt of the line, TRUE once per event and FALSE for the
# rest; nothing dropped; the line has no more unhandled interrupts than
# genirq's deferred judgement of threaded handlers explains, never says
# "nobody cared" and is never disabled: afterwards one raise on each device
# is still one event. A raise of all 32 bits (0xffffffff) is an event, not
# a removed device: its status is acknowledged and the line stays quiet.
# qemu: -device edu,addr=3 -device edu,addr=7
# timeout: 240

R=${R:-100000}
plan 25

load_wdm irq_mode=intx || return
mapfile -t edu < <(find_dev 1234:11e8)
irq=$(dev_irq "${edu[0]}")
before=$(irq_count "$irq")

out=$(wdmisr-raise storm -n "$R" /dev/wdmisr0 /dev/wdmisr1 2>&1)
rc=$?
printf '%s\n' "$out"
check_eq "the storm program exits 0" 0 $rc
check_match "$R raises: events + coalesced bits == raises" \
	"^storm total raises=$R events=[0-9]+ coalesced=[0-9]+ exact$" "$out"
line=$(($(irq_count "$irq") - before))
note "IRQ $irq took $line interrupts for $R raises"
for n in 0 1; do
	events=$(printf '%s\n' "$out" | sed -n "s|^storm dev=/dev/wdmisr$n .* events=\([0-9]*\) .*|\1|p")
	check_match "wdmisr$n: $((R / 2)) raises accounted for exactly" \
		"^storm dev=/dev/wdmisr$n raises=$((R / 2)) events=[0-9]+ coalesced=[0-9]+ exact$" "$out"
	check_eq "wdmisr$n: the ISR ran once per interrupt of the line" "$line" \
		"$(vector_stat wdmisr$n 0 interrupts)"
	check_eq "wdmisr$n: TRUE once per event read, the rest FALSE" \
		"${events:-?} $((line - ${events:-0}))" \
		"$(vector_stat wdmisr$n 0 true) $(vector_stat wdmisr$n 0 false)"
	check_eq "wdmisr$n: every event queued, none dropped" "${events:-?} 0" \
		"$(vector_stat wdmisr$n 0 events) $(vector_stat wdmisr$n 0 dropped)"
done
unhandled=$(awk '$1 == "unhandled" { print $2 }' /proc/irq/"$irq"/spurious)
# genirq judges an interrupt whose handler woke its thread by whether the
# thread reported IRQ_HANDLED since the interrupt before: one that comes
# while the DPC thread of the last is still running (the raiser on the other
# CPU, or, force-threaded, any time) counts as unhandled. Only those can.
dpcs=$(($(vector_stat wdmisr0 0 dpc_queued) + $(vector_stat wdmisr1 0 dpc_queued)))
note "$unhandled of $line interrupts judged unhandled, $dpcs DPCs queued"
check_cmd "IRQ $irq: no more interrupts judged unhandled than DPCs were queued" \
	test "$unhandled" -le "$dpcs"
check_eq "no 'nobody cared', IRQ $irq never disabled" 0 \
	"$(dmesg | grep -cE 'nobody cared|Disabling IRQ')"
for n in 0 1; do
	check_eq "wdmisr$n: after the storm one raise is one event" 1 \
		"$(wdmisr-read -d /dev/wdmisr$n -n 1 --trigger --format json -t 5000 |
			edu_payloads_match)"
done

# All 32 status bits at once look like a removed device's all-ones read.
before=$(irq_count "$irq")
check_contains "a raise of 0xffffffff is one event carrying it" '"data":"ffffffff"}' \
	"$(wdmisr-read -n 1 --trigger --trigger-value 0xffffffff --format json -t 5000)"
check_eq "... acknowledged: IRQ $irq took exactly 1 interrupt" 1 \
	$(($(irq_count "$irq") - before))
check_eq "... and no new unhandled interrupt on IRQ $irq" "$unhandled" \
	"$(awk '$1 == "unhandled" { print $2 }' /proc/irq/"$irq"/spurious)"

# The storm watch reads a device's INTx status at the end of a run of calls
# its ISR answered alike: with storm_calls at 20, from the 5th on. 200 paced
# raises on wdmisr1 alone: its ISR says TRUE 200 times in a row, wdmisr0's
# FALSE 200 times in a row, and each device has let go of the line as its
# ISR returns: no storm.
before=$(irq_count "$irq")
false0=$(vector_stat wdmisr0 0 false)
echo 20 >/sys/module/wdm/parameters/storm_calls
check_cmd "200 paced raises on wdmisr1, storm_calls=20" \
	wdmisr-raise paced -n 200 /dev/wdmisr1
echo 10000 >/sys/module/wdm/parameters/storm_calls
check_eq "IRQ $irq took 200 interrupts, wdmisr0 said FALSE to each" "200 200" \
	"$(($(irq_count "$irq") - before)) $(($(vector_stat wdmisr0 0 false) - false0))"
check_eq "no interrupt storm reported" 0 "$(dmesg | grep -c 'interrupt storm on IRQ')"
check_eq "wdmisr0: after them one raise is one event" 1 \
	"$(wdmisr-read -d /dev/wdmisr0 -n 1 --trigger --format json -t 5000 | edu_payloads_match)"
unload_wdm
