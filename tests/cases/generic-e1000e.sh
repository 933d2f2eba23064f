#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The generic personality on messages: QEMU's e1000e (8086:10d3; MSI-X with
# 5 vectors, and MSI), bound with new_id; no e1000e driver in the guest.
# With IVAR (BAR0 + 0xE4) mapping the causes RXQ0, RXQ1, TXQ0 and TXQ1 to
# vectors 0..3 and IMS (0xD0) enabling them, writing a cause to ICS (0xC8)
# sends one message, and writing it to ICR (0xC0) clears it for the next.
# K raises per vector, each once the DPC of the one before has run: every
# vector's ISR was called exactly K times, all TRUE, with K events and K
# DPCs; the kernel counted K on each vector's IRQ; the unused vector 4 got
# nothing; the reader gets the 4K events in raise order, MessageID by
# MessageID, without payload. Then the same on MSI (irq_mode=generic:msi):
# K raises, K of everything.
# qemu: -device e1000e,addr=6,romfile=
# timeout: 240

K=16
plan 27

bdf=$(find_dev 8086:10d3)
drv=/sys/bus/pci/drivers/wdmisr

# vector_irq NODE K: the Linux IRQ of message K, from /proc/interrupts.
vector_irq() {
	awk -v name="wdm-$(cat "/sys/class/wdmisr/$1/irq_mode")[$2]($bdf)" \
		'$NF == name { sub(":", "", $1); print $1 }' /proc/interrupts
}

# raise NODE K CAUSE N: raise CAUSE, which the device sends as message K,
# N times, each once the DPC of the one before has run.
raise() {
	local i

	for i in $(seq "$4"); do
		wdmisr-mmio "$bdf" 0 0xC8 "$3"
		wdmisr-mmio "$bdf" 0 0xC0 "$3"
		for _ in $(seq 500); do
			[ "$(vector_stat "$1" "$2" dpc_run)" = "$i" ] && break
			sleep 0.01
		done
	done
}

# bind_generic MODE VECTORS: load wdmisr with irq_mode=generic:MODE and
# bind e1000e with new_id. Three checks.
bind_generic() {
	check_cmd "insmod wdmisr.ko irq_mode=generic:$1" \
		insmod "$WDM_MODDIR/wdmisr.ko" "irq_mode=generic:$1" || return
	echo 8086 10d3 >"$drv/new_id"
	check_eq "new_id: $bdf bound to wdmisr" wdmisr "$(pci_driver "$bdf")"
	node=$(wdmisr_node "$bdf")
	check_eq "generic, $1, CONNECT_MESSAGE_BASED, vectors: $2" \
		"generic $1 CONNECT_MESSAGE_BASED $2" \
		"$(cd "/sys/class/wdmisr/$node" && paste -d " " personality irq_mode connect_version vectors)"
}

# exact NODE K NAME: message K took exactly K interrupts, each claimed, each
# with one event and one DPC, as the kernel counted them. Two checks.
exact() {
	check_eq "$3: message $2 ISR: $K calls, $K TRUE, $K DPCs, $K events" \
		"$K $K 0 $K $K $K 0" "$(awk -v v="$2" '$1 == v { print $2, $3, $4, $5, $6, $7, $8 }' \
			"/sys/kernel/debug/wdmisr/$1/stats")"
	check_eq "$3: message $2: IRQ $(vector_irq "$1" "$2") took $K interrupts" "$K" \
		"$(irq_count "$(vector_irq "$1" "$2")")"
}

check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" || return
check_eq "no driver has e1000e at first" "" "$(pci_driver "$bdf")"

bind_generic msix 5
wdmisr-mmio "$bdf" 0 0xE4 0x000CBA98
wdmisr-mmio "$bdf" 0 0xD0 0x00F00000
for k in 0 1 2 3; do
	raise "$node" $k $((0x100000 << k)) $K
done
for k in 0 1 2 3; do
	exact "$node" $k MSI-X
done
check_eq "MSI-X: message 4, never raised, never called" 0 "$(vector_stat "$node" 4 interrupts)"
out=$(wdmisr-read -d "/dev/$node" -n $((4 * K)) --format json -t 5000 2>&1)
check_eq "MSI-X: the reader gets the $((4 * K)) events in raise order, K per message" \
	"$(for k in 0 1 2 3; do printf "$k%.0s" $(seq $K); done)" \
	"$(printf '%s\n' "$out" | sed -n 's/.*"msg":\([0-9]*\),.*/\1/p' | tr -d '\n')"
check_eq "MSI-X: all $((4 * K)) without payload, in sequence" \
	"$((4 * K)) $((4 * K - 1))" \
	"$(printf '%s\n' "$out" | grep -c '"len":0,"flags":0,"dropped":0,"data":""}') $(printf '%s\n' "$out" | tail -n 1 | sed -n 's/{"seq":\([0-9]*\),.*/\1/p')"
pci_unbind "$bdf"
check_eq "unbound" "" "$(pci_driver "$bdf")"
check_cmd "rmmod wdmisr" rmmod wdmisr

bind_generic msi 1
wdmisr-mmio "$bdf" 0 0xD0 0x00100000
raise "$node" 0 0x100000 $K
exact "$node" 0 MSI
check_eq "MSI: the reader gets the $K events" "$K" \
	"$(wdmisr-read -d "/dev/$node" -n $K --format json -t 5000 2>&1 |
		grep -c '"msg":0,.*"len":0,"flags":0,"dropped":0,"data":""}')"
pci_unbind "$bdf"
check_eq "unbound" "" "$(pci_driver "$bdf")"
unload_wdm
