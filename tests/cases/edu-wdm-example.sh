#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The porter's example, examples/edu-wdm/ (edu_wdm.ko): built on the host by
# 'make modules' from a copy outside the sources against the kit that 'make
# install-kit DESTDIR=build/<release>/kit' staged (wdm.h, wdm.ko's
# Module.symvers, wdm.mk) and nothing else; here loaded with wdm.ko alone
# underneath on an edu device, three times: on edu's INTx line (msi=0: the
# FallBackServiceRoutine EduInterruptService, CONNECT_LINE_BASED), on its MSI
# (EduInterruptMessageService, CONNECT_MESSAGE_BASED), and on the line again
# connected CONNECT_FULLY_SPECIFIED from the translated line descriptor
# (fully_specified=1). Each time:
#  - edu's ID register, read at start with READ_REGISTER_ULONG, is what the
#    register reads here (0x010000ed: edu 1.0, QEMU's docs/specs/edu.rst);
#  - the resources start saw are, in order, one memory range per memory BAR
#    (raw: the bus address in config space; translated: the CPU address in
#    sysfs; its length), the INTx line (the Linux IRQ, level-sensitive or
#    latched as the kernel set it up), and with msi=1 one message per MSI
#    message edu offers (its MSI capability's Multiple Message Capable);
#  - K interrupts raised one at a time by writing edu's raise register
#    (EDU_REG_IRQ_RAISE) with wdmisr-mmio, each once the work item queued by
#    the DpcForIsr of the one before has run: the ISR ran exactly K times and
#    returned TRUE K times (both read with KeSynchronizeExecution), the
#    DpcForIsr ran K times, the work item ran K times (a DPC finds it never
#    still queued, so no run covers two), the kernel counted exactly K
#    interrupts;
#  - writing 1 to wait_interrupt raises one more and KeWaitForSingleObject
#    (1 s) returns STATUS_SUCCESS once the DpcForIsr has run (K + 1 runs);
#    writing 0 raises nothing (edu raises only for a non-zero status) and the
#    wait returns STATUS_TIMEOUT (0x00000102) with no ISR or DPC run; the
#    work item then runs K + 1 times; edu's status is clear.
# qemu: -device edu
# timeout: 240

K=50
plan 61

bdf=$(find_dev 1234:11e8)
dev=/sys/bus/pci/devices/$bdf
ex=$dev/edu_wdm
line_irq=

# expected_resources LINE MESSAGES: the resources file edu_wdm should show
# for edu, from what the system says about it: LINE is edu's INTx IRQ, as
# sysfs shows it while MSI is off (with MSI on it shows the MSI's IRQ);
# MESSAGES message descriptors.
expected_resources() {
	local i=0 start end flags bar bus type

	while read -r start end flags && [ $i -lt 6 ]; do
		if ((flags & 0x200)); then	# IORESOURCE_MEM
			bar=$((0x$(setpci -s "$bdf" BASE_ADDRESS_$i)))
			bus=$((bar & ~0xf))
			# a 64-bit BAR: the next register holds the high half
			(((bar & 0x6) == 0x4)) &&
				bus=$((bus | 0x$(setpci -s "$bdf" BASE_ADDRESS_$((i + 1))) << 32))
			printf 'memory 0x%016x 0x%016x 0x%x\n' $bus $((start)) $((end - start + 1))
		fi
		i=$((i + 1))
	done <"$dev/resource"
	if [ "$(setpci -s "$bdf" INTERRUPT_PIN)" != 00 ] && [ "$1" -gt 0 ]; then
		type=$(cat "/sys/kernel/irq/$1/type")
		[ "$type" = level ] && type=LevelSensitive || type=Latched
		echo "interrupt $1 $type"
	fi
	for ((i = 0; i < $2; i++)); do
		echo "message $i"
	done
}

# msi_messages: how many MSI messages edu offers (Multiple Message Capable).
msi_messages() {
	echo $((1 << ((0x$(setpci -s "$bdf" CAP_MSI+2.w) >> 1) & 7)))
}

# example_round PARAMS VERSION IRQ-OF MESSAGES: load edu_wdm.ko with PARAMS
# and raise K + 2 interrupts; IRQ-OF is a command printing the Linux IRQ they
# arrive on, MESSAGES the message descriptors expected.
example_round() {
	local version=$2 irq id before k1=$((K + 1))

	# shellcheck disable=SC2086 # PARAMS are words
	check_cmd "insmod edu_wdm.ko $1" insmod "$WDM_MODDIR/edu_wdm.ko" $1 || return
	check_eq "$bdf bound to edu_wdm" edu_wdm "$(pci_driver "$bdf")"
	check_eq "IoConnectInterruptEx wrote back $version" "$version" \
		"$(cat "$ex/connect_version")"
	id=$(wdmisr-mmio "$bdf" 0 "$(hw_reg EDU_REG_ID)")
	check_eq "$version: READ_REGISTER_ULONG read edu's ID register" "${id,,}" \
		"$(cat "$ex/id")"
	check_eq "$version: it is 0x010000ed (edu 1.0)" 0x010000ed "$(cat "$ex/id")"
	irq=$($3)
	# the first round has MSI off
	[ -n "$line_irq" ] || line_irq=$irq
	check_eq "$version: the resources are edu's BARs, line and $4 message(s)" \
		"$(expected_resources "$line_irq" "$4")" "$(cat "$ex/resources")"
	before=$(irq_count "$irq")
	edu_raise_each "$bdf" $K "$ex/workitem_runs"
	check_eq "$K raises ($version): the ISR ran $K times" $K "$(cat "$ex/isr_calls")"
	check_eq "$K raises ($version): it returned TRUE $K times" $K "$(cat "$ex/claimed")"
	check_eq "$K raises ($version): the DpcForIsr ran $K times" $K "$(cat "$ex/dpc_runs")"
	check_eq "$K raises ($version): the work item ran $K times" $K \
		"$(cat "$ex/workitem_runs")"
	check_eq "$K raises ($version): IRQ $irq took exactly $K interrupts" $K \
		$(($(irq_count "$irq") - before))

	check_cmd "$version: wait_interrupt 1 returned" sh -c "echo 1 >$ex/wait_interrupt"
	check_eq "$version: the wait returned STATUS_SUCCESS" 0x00000000 \
		"$(cat "$ex/wait_interrupt")"
	check_eq "$version: the DpcForIsr that set the event was run $k1" $k1 \
		"$(cat "$ex/dpc_runs")"
	sh -c "echo 0 >$ex/wait_interrupt"
	check_eq "$version: raising nothing, the wait returned STATUS_TIMEOUT" 0x00000102 \
		"$(cat "$ex/wait_interrupt")"
	check_eq "$version: and no ISR or DPC ran" "$k1 $k1" \
		"$(cat "$ex/isr_calls") $(cat "$ex/dpc_runs")"
	wait_value "$ex/workitem_runs" $k1 10
	check_eq "$version: the work item ran $k1 times" $k1 "$(cat "$ex/workitem_runs")"
	edu_check_acked "$bdf"
	# The work item holds the module until its routine has returned, a
	# moment after it counted: rmmod may have to try again.
	check_cmd "rmmod edu_wdm" wait_until 10 rmmod edu_wdm
}

check_cmd "insmod wdm.ko" insmod "$WDM_MODDIR/wdm.ko" || return
check_eq "wdmisr.ko is not loaded" "" "$(grep -w '^wdmisr' /proc/modules)"
example_round msi=0 CONNECT_LINE_BASED "dev_irq $bdf" 0
example_round msi=1 CONNECT_MESSAGE_BASED "msi_irq $bdf" "$(msi_messages)"
example_round "msi=0 fully_specified=1" CONNECT_FULLY_SPECIFIED "dev_irq $bdf" 0
check_eq "unbound again" "" "$(pci_driver "$bdf")"
check_cmd "rmmod wdm" rmmod wdm
