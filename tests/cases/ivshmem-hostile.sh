#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile shared memory beyond ivshmem-malformed (docs/DEVICE-SPEC.md,
# version 1).
# 1. Invalid headers: the device publishes one ready but invalid header per
#    field: magic, version, nrings, slots, record_size, ring_offset,
#    ring_stride. Without the magic the driver declines the device (not a
#    data device: -ENODEV, one log line with the magic it found); bound by
#    hand (driver_override), it takes it. Each probe reports exactly the
#    field that is wrong, once, and touches no ring. Between probes the driver is unbound and the case
#    rings the device's own doorbell (peer 0) through BAR0 with
#    wdmisr-mmio; the device then publishes the next header (ready 0,
#    then 1).
# 2. Then a valid header: records flow, with a head far past the tail
#    (head - tail = 2^31) on ring 1 and a head behind the tail (head = tail
#    - 1) on ring 2, each one malformed, corrupt-ring event; and once 50
#    records of every ring are taken, the device overwrites the header with
#    values that would put every ring and slot outside BAR2, ready left 1.
#    The driver keeps the layout it checked: every record arrives, in order
#    (the host compares each ring with the device's report).
# 3. Probed again, the driver finds that spoilt header and declines the
#    device; bound by hand, it reports the magic and leaves the rings alone.
# ivshmem: --vectors 8 --count 300 --slots 64 --header-faults magic,version,nrings,slots,record_size,ring_offset,ring_stride --bad far@1:100 --bad back@2:150 --spoil-header-after 50
# timeout: 300

M=300
N=$((8 * M))
fields=(magic version nrings slots record_size ring_offset ring_stride)
plan $((2 + 3 + 2 + 2 * (${#fields[@]} - 1) + 5 + 1 + 3 + 2 + 2))

bdf=$(find_dev 1af4:1110)
drv=/sys/bus/pci/drivers/wdmisr

# header: the 8 words of the shared-memory header, as wdmisr-mmio reads them.
header() {
	local i

	for i in 0 1 2 3 4 5 6 7; do
		wdmisr-mmio "$bdf" 2 $((4 * i))
	done | xargs
}

# next_header: ring the device's doorbell (peer 0, vector 0) and wait until
# it has published a different header, ready 1, read twice the same.
next_header() {
	local old new n=500

	old=$(header)
	wdmisr-mmio "$bdf" 0 "$(hw_reg IVSHMEM_REG_DOORBELL)" 0
	while [ $n -gt 0 ]; do
		new=$(header)
		if [ "$new" != "$old" ] && [ "${new##* }" = 0x00000001 ] &&
			[ "$(header)" = "$new" ]; then
			return 0
		fi
		n=$((n - 1))
		sleep 0.01
	done
	return 1
}

# invalid FIELD: how many times the log reported FIELD invalid.
invalid() {
	dmesg | grep -c "ivshmem: shared-memory header is ready but invalid: $1 = "
}

# declined MAGIC: how many times probe declined the device for MAGIC.
declined() {
	dmesg | grep -c "ivshmem: not a wdmisr data device (magic $1, "
}

load_wdm || return
check_eq "header 1 (magic 0x57444d51): the device is not bound" "" "$(pci_driver "$bdf")"
check_eq "... and probe said why, once" 1 "$(declined 0x57444d51)"
pci_bind "$bdf" wdmisr
echo >/sys/bus/pci/devices/"$bdf"/driver_override
node=$(wdmisr_node "$bdf")
check_eq "header 1: magic reported once" 1 "$(invalid magic)"
check_eq "header 1: no ring touched, no event" 0 \
	"$(awk 'NR > 1 { n += $7 + $9 } END { print n }' /sys/kernel/debug/wdmisr/"$node"/stats)"
for f in "${fields[@]:1}"; do
	pci_unbind "$bdf"
	check_cmd "unbound, the device publishes the next header ($f)" next_header
	echo "$bdf" >"$drv/bind"
	check_eq "header $f: reported once, by name, nothing else" "1 0" \
		"$(invalid "$f") $(awk 'NR > 1 { n += $7 + $9 } END { print n }' \
			/sys/kernel/debug/wdmisr/"$node"/stats)"
done

pci_unbind "$bdf"
check_cmd "unbound, the device publishes a valid header" next_header
echo "$bdf" >"$drv/bind"
out=$(wdmisr-read -d /dev/"$node" -n $N --format summary -t 20000)
printf '%s\n' "$out"
check_contains "all $N events: 2 malformed (far, back), none lost" \
	"summary total events=$N good=$((N - 2)) malformed=2 dropped=0 seq_gaps=0" "$out"
check_eq "every ring in order, the jumps included" 8 "$(printf '%s\n' "$out" | grep -c 'order=ok')"
check_eq "malformed counted on vectors 1 and 2" "0 1 1 0 0 0 0 0" \
	"$(for k in 0 1 2 3 4 5 6 7; do vector_stat "$node" $k malformed; done | xargs)"
check_eq "no new header report while bound" "1 1" "$(invalid magic) $(invalid ring_stride)"

pci_unbind "$bdf"
check_eq "the header was spoilt under the driver: magic now 0" 0x00000000 \
	"$(wdmisr-mmio "$bdf" 2 0)"
echo "$bdf" >"$drv/bind" 2>/dev/null
check_eq "probed again: the spoilt header is declined" "" "$(pci_driver "$bdf")"
check_eq "... once, with the magic it found" 1 "$(declined 0x00000000)"
pci_bind "$bdf" wdmisr
node=$(wdmisr_node "$bdf")
check_eq "bound by hand: the spoilt magic is reported" 2 "$(invalid magic)"
check_eq "... and no ring touched" 0 \
	"$(awk 'NR > 1 { n += $7 + $9 } END { print n }' /sys/kernel/debug/wdmisr/"$node"/stats)"
unload_wdm
