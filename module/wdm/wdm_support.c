// SPDX-License-Identifier: GPL-2.0
/*
 * The support routines a driver's interrupt path calls besides the
 * interrupt ones: processor numbers and counts, debug output with Windows'
 * component filter, breakpoints and bug checks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/export.h>
#include <linux/moduleparam.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/smp.h>

#include "wdm_compat.h"
#include "wdm_internal.h"

/* The CPUs of processor group @group: bits [group * BITS_PER_LONG, ...). */
static KAFFINITY wdm_group_bits(const struct cpumask *mask, USHORT group)
{
	unsigned int word = group;

	if (word >= BITS_TO_LONGS(nr_cpu_ids))
		return 0;
	return cpumask_bits(mask)[word];
}

static USHORT wdm_group_count(unsigned int cpus)
{
	return DIV_ROUND_UP(cpus, BITS_PER_LONG);
}

/**
 * KeGetCurrentProcessorNumberEx() - the processor the caller runs on
 * @ProcNumber: if not NULL, receives its group and number
 *
 * Below DISPATCH_LEVEL the caller may move to another processor at any
 * time, as on Windows; the answer is the processor it ran on.
 *
 * Context: any.
 * Return: the processor index (the Linux CPU number).
 */
ULONG KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber)
{
	unsigned int cpu = raw_smp_processor_id();

	if (ProcNumber)
		KeGetProcessorNumberFromIndex(cpu, ProcNumber);
	return cpu;
}
EXPORT_SYMBOL_GPL(KeGetCurrentProcessorNumberEx);

/**
 * KeGetCurrentProcessorNumber() - the index of the processor the caller runs on
 *
 * Context: any.
 * Return: the processor index (the Linux CPU number).
 */
ULONG KeGetCurrentProcessorNumber(void)
{
	return raw_smp_processor_id();
}
EXPORT_SYMBOL_GPL(KeGetCurrentProcessorNumber);

/**
 * KeQueryActiveProcessorCount() - the active processors of group 0
 * @ActiveProcessors: if not NULL, receives their mask
 *
 * Like Windows 7 and later, this pre-group routine sees group 0 only.
 *
 * Context: any.
 * Return: the number of online CPUs in group 0.
 */
ULONG KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors)
{
	KAFFINITY mask = wdm_group_bits(cpu_online_mask, 0);

	if (ActiveProcessors)
		*ActiveProcessors = mask;
	return hweight_long(mask);
}
EXPORT_SYMBOL_GPL(KeQueryActiveProcessorCount);

/**
 * KeQueryActiveProcessors() - the mask of the active processors of group 0
 *
 * Context: any.
 * Return: the online CPUs of group 0, bit n for CPU n.
 */
KAFFINITY KeQueryActiveProcessors(void)
{
	return wdm_group_bits(cpu_online_mask, 0);
}
EXPORT_SYMBOL_GPL(KeQueryActiveProcessors);

/**
 * KeQueryActiveProcessorCountEx() - the number of active processors
 * @GroupNumber: a processor group, or ALL_PROCESSOR_GROUPS
 *
 * Context: any.
 * Return: the online CPUs in the group or, for ALL_PROCESSOR_GROUPS, in all
 * groups; 0 for a group that does not exist.
 */
ULONG KeQueryActiveProcessorCountEx(USHORT GroupNumber)
{
	if (GroupNumber == ALL_PROCESSOR_GROUPS)
		return num_online_cpus();
	return hweight_long(wdm_group_bits(cpu_online_mask, GroupNumber));
}
EXPORT_SYMBOL_GPL(KeQueryActiveProcessorCountEx);

/**
 * KeQueryMaximumProcessorCountEx() - the most processors there can be
 * @GroupNumber: a processor group, or ALL_PROCESSOR_GROUPS
 *
 * Counts every processor index that can exist (nr_cpu_ids), online or not,
 * so that each index a routine here returns is below the total.
 *
 * Context: any.
 * Return: the processor slots of the group or of all groups; 0 for a group
 * that does not exist.
 */
ULONG KeQueryMaximumProcessorCountEx(USHORT GroupNumber)
{
	unsigned int first;

	if (GroupNumber == ALL_PROCESSOR_GROUPS)
		return nr_cpu_ids;
	if (GroupNumber >= wdm_group_count(nr_cpu_ids))
		return 0;
	first = GroupNumber * BITS_PER_LONG;
	return min_t(unsigned int, nr_cpu_ids - first, BITS_PER_LONG);
}
EXPORT_SYMBOL_GPL(KeQueryMaximumProcessorCountEx);

/**
 * KeQueryMaximumProcessorCount() - the most processors group 0 can have
 *
 * Context: any.
 * Return: KeQueryMaximumProcessorCountEx(0).
 */
ULONG KeQueryMaximumProcessorCount(void)
{
	return KeQueryMaximumProcessorCountEx(0);
}
EXPORT_SYMBOL_GPL(KeQueryMaximumProcessorCount);

/**
 * KeQueryActiveGroupCount() - the number of active processor groups
 *
 * Context: any.
 * Return: the groups up to the one of the highest online CPU.
 */
USHORT KeQueryActiveGroupCount(void)
{
	return wdm_group_count(cpumask_last(cpu_online_mask) + 1);
}
EXPORT_SYMBOL_GPL(KeQueryActiveGroupCount);

/**
 * KeQueryMaximumGroupCount() - the most processor groups there can be
 *
 * Context: any.
 * Return: the groups that nr_cpu_ids processors fill.
 */
USHORT KeQueryMaximumGroupCount(void)
{
	return wdm_group_count(nr_cpu_ids);
}
EXPORT_SYMBOL_GPL(KeQueryMaximumGroupCount);

/**
 * KeQueryGroupAffinity() - the active processors of a group
 * @GroupNumber: a processor group
 *
 * Context: any.
 * Return: their mask, bit n for number n; 0 for a group that does not exist.
 */
KAFFINITY KeQueryGroupAffinity(USHORT GroupNumber)
{
	return wdm_group_bits(cpu_online_mask, GroupNumber);
}
EXPORT_SYMBOL_GPL(KeQueryGroupAffinity);

/**
 * KeGetProcessorNumberFromIndex() - the group and number of a processor index
 * @ProcIndex: a processor index
 * @ProcNumber: receives the group and number
 *
 * Context: any.
 * Return: STATUS_SUCCESS, or STATUS_INVALID_PARAMETER for an index that no
 * processor can have (@ProcNumber is then left alone).
 */
NTSTATUS KeGetProcessorNumberFromIndex(ULONG ProcIndex, PPROCESSOR_NUMBER ProcNumber)
{
	if (ProcIndex >= nr_cpu_ids || !cpu_possible(ProcIndex))
		return STATUS_INVALID_PARAMETER;
	ProcNumber->Group = ProcIndex / BITS_PER_LONG;
	ProcNumber->Number = ProcIndex % BITS_PER_LONG;
	ProcNumber->Reserved = 0;
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(KeGetProcessorNumberFromIndex);

/**
 * KeGetProcessorIndexFromNumber() - the processor index of a group and number
 * @ProcNumber: the group and number
 *
 * Context: any.
 * Return: the index, or INVALID_PROCESSOR_INDEX if no processor can have
 * that group and number.
 */
ULONG KeGetProcessorIndexFromNumber(PPROCESSOR_NUMBER ProcNumber)
{
	unsigned long cpu;

	if (ProcNumber->Number >= BITS_PER_LONG)
		return INVALID_PROCESSOR_INDEX;
	cpu = (unsigned long)ProcNumber->Group * BITS_PER_LONG + ProcNumber->Number;
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return INVALID_PROCESSOR_INDEX;
	return cpu;
}
EXPORT_SYMBOL_GPL(KeGetProcessorIndexFromNumber);

/*
 * Debug output
 */

/* One mask per component (Windows' Kd_<component>_Mask). */
static unsigned int wdm_kd_masks[DPFLTR_ENDOFTABLE_ID];
/* Windows' Kd_WIN2000_Mask: applies to every component. */
static unsigned int wdm_kd_system_mask = 1U << DPFLTR_ERROR_LEVEL;

module_param_named(Kd_WIN2000_Mask, wdm_kd_system_mask, uint, 0644);
MODULE_PARM_DESC(Kd_WIN2000_Mask, "DbgPrintEx levels printed for every component (default 1: errors)");
module_param_named(Kd_DEFAULT_Mask, wdm_kd_masks[DPFLTR_DEFAULT_ID], uint, 0644);
MODULE_PARM_DESC(Kd_DEFAULT_Mask, "DbgPrintEx levels printed for DPFLTR_DEFAULT_ID (DbgPrint, KdPrint)");
module_param_named(Kd_IHVDRIVER_Mask, wdm_kd_masks[DPFLTR_IHVDRIVER_ID], uint, 0644);
MODULE_PARM_DESC(Kd_IHVDRIVER_Mask, "DbgPrintEx levels printed for DPFLTR_IHVDRIVER_ID");
module_param_named(Kd_IHVVIDEO_Mask, wdm_kd_masks[DPFLTR_IHVVIDEO_ID], uint, 0644);
MODULE_PARM_DESC(Kd_IHVVIDEO_Mask, "DbgPrintEx levels printed for DPFLTR_IHVVIDEO_ID");
module_param_named(Kd_IHVAUDIO_Mask, wdm_kd_masks[DPFLTR_IHVAUDIO_ID], uint, 0644);
MODULE_PARM_DESC(Kd_IHVAUDIO_Mask, "DbgPrintEx levels printed for DPFLTR_IHVAUDIO_ID");
module_param_named(Kd_IHVNETWORK_Mask, wdm_kd_masks[DPFLTR_IHVNETWORK_ID], uint, 0644);
MODULE_PARM_DESC(Kd_IHVNETWORK_Mask, "DbgPrintEx levels printed for DPFLTR_IHVNETWORK_ID");
module_param_named(Kd_IHVSTREAMING_Mask, wdm_kd_masks[DPFLTR_IHVSTREAMING_ID], uint, 0644);
MODULE_PARM_DESC(Kd_IHVSTREAMING_Mask, "DbgPrintEx levels printed for DPFLTR_IHVSTREAMING_ID");
module_param_named(Kd_IHVBUS_Mask, wdm_kd_masks[DPFLTR_IHVBUS_ID], uint, 0644);
MODULE_PARM_DESC(Kd_IHVBUS_Mask, "DbgPrintEx levels printed for DPFLTR_IHVBUS_ID");

static bool wdm_bugcheck_panic;
module_param_named(bugcheck_panic, wdm_bugcheck_panic, bool, 0644);
MODULE_PARM_DESC(bugcheck_panic, "KeBugCheck(Ex) panics the machine, as Windows stops (default: log and return)");

static atomic_long_t wdm_dbgprint_count = ATOMIC_LONG_INIT(0);

/* A Level of 0 to 31 is a bit number, a larger one a mask (Windows' rule). */
static ULONG wdm_level_mask(ULONG Level)
{
	return Level < 32 ? 1U << Level : Level & ~DPFLTR_MASK;
}

static bool wdm_dbg_enabled(ULONG ComponentId, ULONG Level)
{
	ULONG mask = wdm_level_mask(Level);

	if (READ_ONCE(wdm_kd_system_mask) & mask)
		return true;
	return ComponentId < DPFLTR_ENDOFTABLE_ID &&
	       (READ_ONCE(wdm_kd_masks[ComponentId]) & mask);
}

/**
 * DbgQueryDebugFilterState() - whether DbgPrintEx() would print a message
 * @ComponentId: a DPFLTR_*_ID
 * @Level: a DPFLTR_*_LEVEL, another bit number up to 31, or a mask
 *
 * Context: any.
 * Return: TRUE or FALSE, or STATUS_INVALID_PARAMETER_1 for an unknown
 * component (whose messages only the system-wide mask lets through).
 */
NTSTATUS DbgQueryDebugFilterState(ULONG ComponentId, ULONG Level)
{
	if (ComponentId >= DPFLTR_ENDOFTABLE_ID)
		return STATUS_INVALID_PARAMETER_1;
	return wdm_dbg_enabled(ComponentId, Level);
}
EXPORT_SYMBOL_GPL(DbgQueryDebugFilterState);

/**
 * DbgSetDebugFilterState() - let a component's messages of a level through, or not
 * @ComponentId: a DPFLTR_*_ID
 * @Level: a DPFLTR_*_LEVEL, another bit number up to 31, or a mask
 * @State: TRUE to print them, FALSE to filter them out
 *
 * Changes the component's mask, the one the Kd_<component>_Mask module
 * parameter shows; the system-wide mask is left alone.
 *
 * Context: any.
 * Return: STATUS_SUCCESS, or STATUS_INVALID_PARAMETER_1 for an unknown
 * component.
 */
NTSTATUS DbgSetDebugFilterState(ULONG ComponentId, ULONG Level, BOOLEAN State)
{
	ULONG mask = wdm_level_mask(Level);
	unsigned int *m;

	if (ComponentId >= DPFLTR_ENDOFTABLE_ID)
		return STATUS_INVALID_PARAMETER_1;
	m = &wdm_kd_masks[ComponentId];
	WRITE_ONCE(*m, State ? READ_ONCE(*m) | mask : READ_ONCE(*m) & ~mask);
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(DbgSetDebugFilterState);

/**
 * vDbgPrintEx() - DbgPrintEx() with a va_list
 * @ComponentId: a DPFLTR_*_ID, usually DPFLTR_IHVDRIVER_ID
 * @Level: a DPFLTR_*_LEVEL, another bit number up to 31, or a mask
 * @Format: a printk format, with a trailing newline as on Windows
 * @arglist: the arguments
 *
 * See "Debug output and bug checks" in wdm.h for the filter and the printk
 * levels.
 *
 * Context: any (printk is safe at any IRQL).
 * Return: STATUS_SUCCESS, whether printed or filtered out.
 */
ULONG vDbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, va_list arglist)
{
	struct va_format vaf = { .fmt = Format };
	va_list args;

	if (!wdm_dbg_enabled(ComponentId, Level))
		return STATUS_SUCCESS;
	atomic_long_inc(&wdm_dbgprint_count);
	va_copy(args, arglist);
	vaf.va = &args;
	switch (Level) {
	case DPFLTR_ERROR_LEVEL:
		pr_err("%pV", &vaf);
		break;
	case DPFLTR_WARNING_LEVEL:
		pr_warn("%pV", &vaf);
		break;
	case DPFLTR_TRACE_LEVEL:
		pr_notice("%pV", &vaf);
		break;
	default:
		pr_info("%pV", &vaf);
		break;
	}
	va_end(args);
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(vDbgPrintEx);

/**
 * DbgPrintEx() - print a message to the kernel log, if its filter lets it through
 * @ComponentId: a DPFLTR_*_ID, usually DPFLTR_IHVDRIVER_ID
 * @Level: a DPFLTR_*_LEVEL, another bit number up to 31, or a mask
 * @Format: a printk format, with a trailing newline as on Windows
 *
 * Context: any.
 * Return: STATUS_SUCCESS, whether printed or filtered out.
 */
ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...)
{
	va_list args;

	va_start(args, Format);
	vDbgPrintEx(ComponentId, Level, Format, args);
	va_end(args);
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(DbgPrintEx);

/**
 * DbgPrint() - DbgPrintEx(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, ...)
 * @Format: a printk format
 *
 * As on Windows Vista and later, the default masks filter these messages
 * out; Kd_DEFAULT_Mask=0x8 (or DbgSetDebugFilterState()) lets them through.
 *
 * Context: any.
 * Return: STATUS_SUCCESS.
 */
ULONG DbgPrint(PCSTR Format, ...)
{
	va_list args;

	va_start(args, Format);
	vDbgPrintEx(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, Format, args);
	va_end(args);
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(DbgPrint);

#if IS_ENABLED(CONFIG_KUNIT)
/* How many messages DbgPrint(Ex) printed since the module loaded. */
unsigned long wdm_dbgprint_printed(void)
{
	return atomic_long_read(&wdm_dbgprint_count);
}
EXPORT_SYMBOL_IF_KUNIT(wdm_dbgprint_printed);
#endif

/**
 * DbgBreakPoint() - stop in the debugger; here: log the caller and the stack
 *
 * Context: any.
 */
void DbgBreakPoint(void)
{
	pr_warn("%s() from %pS\n", __func__, (void *)_RET_IP_);
	dump_stack();
}
EXPORT_SYMBOL_GPL(DbgBreakPoint);

static void wdm_bugcheck(unsigned long caller, ULONG code, ULONG_PTR p1,
			 ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4)
{
	if (wdm_bugcheck_panic)
		panic("KeBugCheckEx(0x%08x, 0x%lx, 0x%lx, 0x%lx, 0x%lx) from %pS\n",
		      code, p1, p2, p3, p4, (void *)caller);
	wdm_report_bug(caller, "KeBugCheckEx(0x%08x, 0x%lx, 0x%lx, 0x%lx, 0x%lx)",
		       code, p1, p2, p3, p4);
	dump_stack();
}

/**
 * KeBugCheckEx() - stop the machine with a bug-check code and parameters
 * @BugCheckCode: the code, e.g. 0x0000009F
 * @BugCheckParameter1: first parameter, shown with the code
 * @BugCheckParameter2: second parameter
 * @BugCheckParameter3: third parameter
 * @BugCheckParameter4: fourth parameter
 *
 * Windows never returns from here. By default this logs the code, the
 * parameters and the caller as a driver bug (wdm_report_bug()), dumps the
 * stack and returns; with wdm.bugcheck_panic=1 it panics.
 *
 * Context: any.
 */
void KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR BugCheckParameter1,
		  ULONG_PTR BugCheckParameter2, ULONG_PTR BugCheckParameter3,
		  ULONG_PTR BugCheckParameter4)
{
	wdm_bugcheck(_RET_IP_, BugCheckCode, BugCheckParameter1, BugCheckParameter2,
		     BugCheckParameter3, BugCheckParameter4);
}
EXPORT_SYMBOL_GPL(KeBugCheckEx);

/**
 * KeBugCheck() - KeBugCheckEx() with four zero parameters
 * @BugCheckCode: the code
 *
 * Context: any.
 */
void KeBugCheck(ULONG BugCheckCode)
{
	wdm_bugcheck(_RET_IP_, BugCheckCode, 0, 0, 0, 0);
}
EXPORT_SYMBOL_GPL(KeBugCheck);
