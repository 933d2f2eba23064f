// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the support routines, with the results Microsoft documents. Basic
 * macros and types, bit scans, list routines (orders and return values),
 * processor numbers on both CPUs, DbgPrintEx's component filter, register
 * access on the edu and ivshmem devices, port I/O on QEMU's CMOS, fw_cfg
 * and ACPI PM timer ports, and the NTSTATUS codes with their errnos.
 *
 * Built as a checked build (DBG=1), so that KdPrint prints and ASSERT
 * evaluates; no case lets an assertion fail.
 */
#define DBG 1

#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/bottom_half.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/mc146818rtc.h>
#include <linux/pci.h>
#include <hw/edu.h>
#include <hw/ivshmem.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

/*
 * Basic definitions
 */

struct rec {
	ULONG a;
	USHORT b;
	LIST_ENTRY link;
	SINGLE_LIST_ENTRY slink;
	ULONG id;
};

static void wdm_basic_types_have_windows_sizes(struct kunit *test)
{
	LARGE_INTEGER li;
	ULARGE_INTEGER uli;

	KUNIT_EXPECT_EQ(test, sizeof(CHAR), 1);
	KUNIT_EXPECT_EQ(test, sizeof(WCHAR), 2);
	KUNIT_EXPECT_EQ(test, sizeof(SHORT), 2);
	KUNIT_EXPECT_EQ(test, sizeof(CSHORT), 2);
	KUNIT_EXPECT_EQ(test, sizeof(INT), 4);
	KUNIT_EXPECT_EQ(test, sizeof(UINT), 4);
	KUNIT_EXPECT_EQ(test, sizeof(ULONG), 4);
	KUNIT_EXPECT_EQ(test, sizeof(DWORD), 4);
	KUNIT_EXPECT_EQ(test, sizeof(WORD), 2);
	KUNIT_EXPECT_EQ(test, sizeof(BYTE), 1);
	KUNIT_EXPECT_EQ(test, sizeof(LONG64), 8);
	KUNIT_EXPECT_EQ(test, sizeof(ULONG64), 8);
	KUNIT_EXPECT_EQ(test, sizeof(LONG_PTR), sizeof(void *));
	KUNIT_EXPECT_EQ(test, sizeof(ULONG_PTR), sizeof(void *));
	KUNIT_EXPECT_EQ(test, sizeof(KPRIORITY), 4);
	KUNIT_EXPECT_EQ(test, sizeof(LARGE_INTEGER), 8);
	KUNIT_EXPECT_EQ(test, sizeof(ULARGE_INTEGER), 8);

	li.QuadPart = 0x1122334455667788LL;
	KUNIT_EXPECT_EQ(test, li.LowPart, 0x55667788U);
	KUNIT_EXPECT_EQ(test, li.HighPart, 0x11223344);
	KUNIT_EXPECT_EQ(test, li.u.LowPart, 0x55667788U);
	KUNIT_EXPECT_EQ(test, li.u.HighPart, 0x11223344);
	li.QuadPart = -1;
	KUNIT_EXPECT_EQ(test, li.HighPart, -1);
	uli.QuadPart = 0xfedcba9876543210ULL;
	KUNIT_EXPECT_EQ(test, uli.u.HighPart, 0xfedcba98U);
	KUNIT_EXPECT_EQ(test, uli.LowPart, 0x76543210U);
}

static void wdm_basic_macros(struct kunit *test)
{
	struct rec r;
	int evaluated = 0;

	KUNIT_EXPECT_EQ(test, FIELD_OFFSET(struct rec, a), 0);
	KUNIT_EXPECT_EQ(test, FIELD_OFFSET(struct rec, b), 4);
	KUNIT_EXPECT_EQ(test, FIELD_OFFSET(struct rec, link), 8);
	KUNIT_EXPECT_EQ(test, RTL_FIELD_SIZE(struct rec, link), 2 * sizeof(void *));
	KUNIT_EXPECT_PTR_EQ(test, CONTAINING_RECORD(&r.link, struct rec, link), &r);
	KUNIT_EXPECT_PTR_EQ(test, CONTAINING_RECORD(&r.id, struct rec, id), &r);
	KUNIT_EXPECT_FALSE(test, ARGUMENT_PRESENT(NULL));
	KUNIT_EXPECT_TRUE(test, ARGUMENT_PRESENT(&r));
	UNREFERENCED_PARAMETER(r);

	KUNIT_EXPECT_EQ(test, BYTES_TO_PAGES(0), 0);
	KUNIT_EXPECT_EQ(test, BYTES_TO_PAGES(1), 1);
	KUNIT_EXPECT_EQ(test, BYTES_TO_PAGES(PAGE_SIZE), 1);
	KUNIT_EXPECT_EQ(test, BYTES_TO_PAGES(PAGE_SIZE + 1), 2);
	KUNIT_EXPECT_EQ(test, ROUND_TO_PAGES(1), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ROUND_TO_PAGES(PAGE_SIZE), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ADDRESS_AND_SIZE_TO_SPAN_PAGES(PAGE_SIZE - 1, 2), 2);
	KUNIT_EXPECT_EQ(test, ADDRESS_AND_SIZE_TO_SPAN_PAGES(PAGE_SIZE, 2), 1);

	/* A checked build evaluates the assertion; a true one says nothing. */
	ASSERT(++evaluated == 1);
	KUNIT_EXPECT_EQ(test, evaluated, 1);
	KUNIT_EXPECT_TRUE(test, NT_VERIFY(evaluated == 1));
	PAGED_CODE();
}

static void wdm_bit_scans(struct kunit *test)
{
	ULONG index = 0xdeadbeef;

	KUNIT_EXPECT_EQ(test, _BitScanForward(&index, 0x80), 1);
	KUNIT_EXPECT_EQ(test, index, 7);
	KUNIT_EXPECT_EQ(test, _BitScanForward(&index, 0x80000001), 1);
	KUNIT_EXPECT_EQ(test, index, 0);
	KUNIT_EXPECT_EQ(test, _BitScanReverse(&index, 0x80000001), 1);
	KUNIT_EXPECT_EQ(test, index, 31);
	KUNIT_EXPECT_EQ(test, _BitScanReverse(&index, 0x80), 1);
	KUNIT_EXPECT_EQ(test, index, 7);
	index = 0xdeadbeef;
	KUNIT_EXPECT_EQ(test, _BitScanForward(&index, 0), 0);
	KUNIT_EXPECT_EQ(test, _BitScanReverse(&index, 0), 0);
	KUNIT_EXPECT_EQ(test, index, 0xdeadbeef);

	KUNIT_EXPECT_EQ(test, _BitScanForward64(&index, 1ULL << 40), 1);
	KUNIT_EXPECT_EQ(test, index, 40);
	KUNIT_EXPECT_EQ(test, _BitScanReverse64(&index, 0x8000000000000001ULL), 1);
	KUNIT_EXPECT_EQ(test, index, 63);
	KUNIT_EXPECT_EQ(test, _BitScanForward64(&index, 0x8000000000000000ULL), 1);
	KUNIT_EXPECT_EQ(test, index, 63);
	index = 0xdeadbeef;
	KUNIT_EXPECT_EQ(test, _BitScanForward64(&index, 0), 0);
	KUNIT_EXPECT_EQ(test, _BitScanReverse64(&index, 0), 0);
	KUNIT_EXPECT_EQ(test, index, 0xdeadbeef);

	KUNIT_EXPECT_EQ(test, RtlUshortByteSwap(0x1234), 0x3412);
	KUNIT_EXPECT_EQ(test, RtlUlongByteSwap(0x12345678), 0x78563412);
	KUNIT_EXPECT_EQ(test, RtlUlonglongByteSwap(0x0102030405060708ULL), 0x0807060504030201ULL);
}

/*
 * Lists
 */

/* The ids along Flink (forward) or Blink (backward), and the count. */
static int list_ids(PLIST_ENTRY head, bool forward, ULONG *ids, int max)
{
	PLIST_ENTRY e = forward ? head->Flink : head->Blink;
	int n = 0;

	while (e != head && n < max) {
		ids[n++] = CONTAINING_RECORD(e, struct rec, link)->id;
		e = forward ? e->Flink : e->Blink;
	}
	return n;
}

static void wdm_list_insert_and_remove_order(struct kunit *test)
{
	struct rec r[4] = { { .id = 0 }, { .id = 1 }, { .id = 2 }, { .id = 3 } };
	LIST_ENTRY head;
	ULONG ids[8];

	InitializeListHead(&head);
	KUNIT_EXPECT_TRUE(test, IsListEmpty(&head));
	KUNIT_EXPECT_PTR_EQ(test, head.Flink, &head);
	KUNIT_EXPECT_PTR_EQ(test, head.Blink, &head);

	InsertTailList(&head, &r[1].link);
	InsertTailList(&head, &r[2].link);
	InsertHeadList(&head, &r[0].link);
	InsertTailList(&head, &r[3].link);
	KUNIT_EXPECT_FALSE(test, IsListEmpty(&head));
	KUNIT_ASSERT_EQ(test, list_ids(&head, true, ids, 8), 4);
	KUNIT_EXPECT_EQ(test, ids[0], 0);
	KUNIT_EXPECT_EQ(test, ids[1], 1);
	KUNIT_EXPECT_EQ(test, ids[2], 2);
	KUNIT_EXPECT_EQ(test, ids[3], 3);
	KUNIT_ASSERT_EQ(test, list_ids(&head, false, ids, 8), 4);
	KUNIT_EXPECT_EQ(test, ids[0], 3);
	KUNIT_EXPECT_EQ(test, ids[3], 0);

	KUNIT_EXPECT_PTR_EQ(test, RemoveHeadList(&head), &r[0].link);
	KUNIT_EXPECT_PTR_EQ(test, RemoveTailList(&head), &r[3].link);
	/* Two left: removing one leaves a non-empty list. */
	KUNIT_EXPECT_FALSE(test, RemoveEntryList(&r[1].link));
	KUNIT_ASSERT_EQ(test, list_ids(&head, true, ids, 8), 1);
	KUNIT_EXPECT_EQ(test, ids[0], 2);
	/* The last one: RemoveEntryList says the list is now empty. */
	KUNIT_EXPECT_TRUE(test, RemoveEntryList(&r[2].link));
	KUNIT_EXPECT_TRUE(test, IsListEmpty(&head));
	KUNIT_EXPECT_PTR_EQ(test, head.Blink, &head);
}

/* Removing from an empty list returns the head and leaves it empty. */
static void wdm_list_remove_from_empty_returns_head(struct kunit *test)
{
	LIST_ENTRY head;

	InitializeListHead(&head);
	KUNIT_EXPECT_PTR_EQ(test, RemoveHeadList(&head), &head);
	KUNIT_EXPECT_TRUE(test, IsListEmpty(&head));
	KUNIT_EXPECT_PTR_EQ(test, RemoveTailList(&head), &head);
	KUNIT_EXPECT_TRUE(test, IsListEmpty(&head));
	KUNIT_EXPECT_PTR_EQ(test, head.Blink, &head);
}

static void wdm_list_append_tail(struct kunit *test)
{
	struct rec r[4] = { { .id = 0 }, { .id = 1 }, { .id = 2 }, { .id = 3 } };
	LIST_ENTRY head, other;
	PLIST_ENTRY first;
	ULONG ids[8];

	InitializeListHead(&head);
	InitializeListHead(&other);
	InsertTailList(&head, &r[0].link);
	InsertTailList(&head, &r[1].link);
	InsertTailList(&other, &r[2].link);
	InsertTailList(&other, &r[3].link);
	/* A headless list: take the head out of the ring 2, 3. */
	first = other.Flink;
	RemoveEntryList(&other);

	AppendTailList(&head, first);
	KUNIT_ASSERT_EQ(test, list_ids(&head, true, ids, 8), 4);
	KUNIT_EXPECT_EQ(test, ids[0], 0);
	KUNIT_EXPECT_EQ(test, ids[1], 1);
	KUNIT_EXPECT_EQ(test, ids[2], 2);
	KUNIT_EXPECT_EQ(test, ids[3], 3);
	KUNIT_ASSERT_EQ(test, list_ids(&head, false, ids, 8), 4);
	KUNIT_EXPECT_EQ(test, ids[0], 3);
	KUNIT_EXPECT_EQ(test, ids[1], 2);
	KUNIT_EXPECT_EQ(test, ids[2], 1);
	KUNIT_EXPECT_EQ(test, ids[3], 0);
}

static void wdm_single_list_push_pop(struct kunit *test)
{
	struct rec r[2] = { { .id = 0 }, { .id = 1 } };
	SINGLE_LIST_ENTRY head = { .Next = NULL };

	KUNIT_EXPECT_NULL(test, PopEntryList(&head));
	PushEntryList(&head, &r[0].slink);
	PushEntryList(&head, &r[1].slink);
	KUNIT_EXPECT_PTR_EQ(test, head.Next, &r[1].slink);
	KUNIT_EXPECT_PTR_EQ(test, PopEntryList(&head), &r[1].slink);
	KUNIT_EXPECT_PTR_EQ(test, PopEntryList(&head), &r[0].slink);
	KUNIT_EXPECT_NULL(test, PopEntryList(&head));
	KUNIT_EXPECT_NULL(test, head.Next);
}

/*
 * Processors
 */

/* The guest has CPUs 0 and 1, in group 0. */
static void need_two_cpus(struct kunit *test)
{
	if (num_online_cpus() != 2 || !cpu_online(0) || !cpu_online(1))
		kunit_skip(test, "needs exactly CPUs 0 and 1 online");
}

static void wdm_processor_counts(struct kunit *test)
{
	KAFFINITY mask = 0;

	need_two_cpus(test);
	KUNIT_EXPECT_EQ(test, KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS), 2);
	KUNIT_EXPECT_EQ(test, KeQueryActiveProcessorCountEx(0), 2);
	KUNIT_EXPECT_EQ(test, KeQueryActiveProcessorCountEx(1), 0);
	KUNIT_EXPECT_EQ(test, KeQueryActiveProcessorCount(&mask), 2);
	KUNIT_EXPECT_EQ(test, mask, 0x3);
	KUNIT_EXPECT_EQ(test, KeQueryActiveProcessorCount(NULL), 2);
	KUNIT_EXPECT_EQ(test, KeQueryActiveProcessors(), 0x3);
	KUNIT_EXPECT_EQ(test, KeQueryGroupAffinity(0), 0x3);
	KUNIT_EXPECT_EQ(test, KeQueryGroupAffinity(1), 0);
	KUNIT_EXPECT_EQ(test, KeQueryActiveGroupCount(), 1);
	KUNIT_EXPECT_EQ(test, KeQueryMaximumGroupCount(), 1);
	KUNIT_EXPECT_EQ(test, KeQueryMaximumProcessorCountEx(ALL_PROCESSOR_GROUPS), nr_cpu_ids);
	KUNIT_EXPECT_EQ(test, KeQueryMaximumProcessorCountEx(0), nr_cpu_ids);
	KUNIT_EXPECT_EQ(test, KeQueryMaximumProcessorCountEx(1), 0);
	KUNIT_EXPECT_EQ(test, KeQueryMaximumProcessorCount(), nr_cpu_ids);
}

static void wdm_processor_index_number_round_trip(struct kunit *test)
{
	PROCESSOR_NUMBER pn;
	ULONG i;

	need_two_cpus(test);
	for (i = 0; i < 2; i++) {
		memset(&pn, 0xff, sizeof(pn));
		KUNIT_EXPECT_EQ(test, KeGetProcessorNumberFromIndex(i, &pn), STATUS_SUCCESS);
		KUNIT_EXPECT_EQ(test, pn.Group, 0);
		KUNIT_EXPECT_EQ(test, pn.Number, i);
		KUNIT_EXPECT_EQ(test, pn.Reserved, 0);
		KUNIT_EXPECT_EQ(test, KeGetProcessorIndexFromNumber(&pn), i);
	}
}

static void wdm_processor_bad_index_and_number(struct kunit *test)
{
	PROCESSOR_NUMBER pn = { .Group = 7, .Number = 7 };

	KUNIT_EXPECT_EQ(test, KeGetProcessorNumberFromIndex(nr_cpu_ids, &pn),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, KeGetProcessorNumberFromIndex(INVALID_PROCESSOR_INDEX, &pn),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, pn.Group, 7);
	KUNIT_EXPECT_EQ(test, pn.Number, 7);

	pn = (PROCESSOR_NUMBER){ .Group = 0, .Number = nr_cpu_ids };
	KUNIT_EXPECT_EQ(test, KeGetProcessorIndexFromNumber(&pn), INVALID_PROCESSOR_INDEX);
	pn = (PROCESSOR_NUMBER){ .Group = 1, .Number = 0 };
	KUNIT_EXPECT_EQ(test, KeGetProcessorIndexFromNumber(&pn), INVALID_PROCESSOR_INDEX);
	pn = (PROCESSOR_NUMBER){ .Group = 0, .Number = 64 };
	KUNIT_EXPECT_EQ(test, KeGetProcessorIndexFromNumber(&pn), INVALID_PROCESSOR_INDEX);
}

struct cpu_probe {
	ULONG index, plain;
	PROCESSOR_NUMBER pn;
};

static void cpu_probe_fn(void *arg)
{
	struct cpu_probe *p = arg;

	p->index = KeGetCurrentProcessorNumberEx(&p->pn);
	p->plain = KeGetCurrentProcessorNumber();
}

static void wdm_current_processor_on_each_cpu(struct kunit *test)
{
	struct wdm_test_worker w;
	struct cpu_probe p;
	unsigned int cpu;

	need_two_cpus(test);
	for (cpu = 0; cpu < 2; cpu++) {
		memset(&p, 0xff, sizeof(p));
		KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&w, cpu, cpu_probe_fn, &p), 0);
		wdm_test_worker_wait(&w);
		KUNIT_EXPECT_EQ(test, p.index, cpu);
		KUNIT_EXPECT_EQ(test, p.plain, cpu);
		KUNIT_EXPECT_EQ(test, p.pn.Group, 0);
		KUNIT_EXPECT_EQ(test, p.pn.Number, cpu);
		KUNIT_EXPECT_EQ(test, p.pn.Reserved, 0);
	}
	KUNIT_EXPECT_LT(test, KeGetCurrentProcessorNumberEx(NULL), 2);
}

/*
 * Debug output
 */

static unsigned long printed_since(unsigned long *base)
{
	unsigned long now = wdm_dbgprint_printed(), n = now - *base;

	*base = now;
	return n;
}

/*
 * The default filter (Kd_WIN2000_Mask 1, component masks 0) passes
 * DPFLTR_ERROR_LEVEL only; DbgPrint is DEFAULT/INFO, so filtered out.
 */
static void wdm_dbgprint_default_filter(struct kunit *test)
{
	unsigned long base = wdm_dbgprint_printed();

	KUNIT_EXPECT_EQ(test, DbgQueryDebugFilterState(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL),
			TRUE);
	KUNIT_EXPECT_EQ(test, DbgQueryDebugFilterState(DPFLTR_IHVDRIVER_ID, DPFLTR_WARNING_LEVEL),
			FALSE);
	KUNIT_EXPECT_EQ(test, DbgQueryDebugFilterState(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL),
			FALSE);

	KUNIT_EXPECT_EQ(test, DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
					 "wdm_support: error level %d\n", 0), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, printed_since(&base), 1);
	KUNIT_EXPECT_EQ(test, DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_WARNING_LEVEL,
					 "wdm_support: filtered\n"), STATUS_SUCCESS);
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_TRACE_LEVEL, "wdm_support: filtered\n");
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "wdm_support: filtered\n");
	KUNIT_EXPECT_EQ(test, DbgPrint("wdm_support: filtered %s\n", "DbgPrint"), STATUS_SUCCESS);
	KdPrint(("wdm_support: filtered KdPrint\n"));
	KUNIT_EXPECT_EQ(test, printed_since(&base), 0);
	KdPrintEx((DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "wdm_support: KdPrintEx error\n"));
	KUNIT_EXPECT_EQ(test, printed_since(&base), 1);
}

static void wdm_dbgprint_component_mask(struct kunit *test)
{
	unsigned long base = wdm_dbgprint_printed();

	KUNIT_ASSERT_EQ(test, DbgSetDebugFilterState(DPFLTR_IHVDRIVER_ID, DPFLTR_TRACE_LEVEL,
						     TRUE), STATUS_SUCCESS);
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_TRACE_LEVEL, "wdm_support: trace level\n");
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "wdm_support: filtered\n");
	DbgPrintEx(DPFLTR_IHVVIDEO_ID, DPFLTR_TRACE_LEVEL, "wdm_support: filtered\n");
	KUNIT_EXPECT_EQ(test, printed_since(&base), 1);

	/* A Level above 31 is a mask: 0x8 is bit 3, DPFLTR_INFO_LEVEL. */
	DbgSetDebugFilterState(DPFLTR_IHVDRIVER_ID, DPFLTR_MASK | 0x8, TRUE);
	KUNIT_EXPECT_EQ(test, DbgQueryDebugFilterState(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL),
			TRUE);
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "wdm_support: info level\n");
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_MASK | 0x8, "wdm_support: info by mask\n");
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_MASK | 0x10, "wdm_support: filtered\n");
	KUNIT_EXPECT_EQ(test, printed_since(&base), 2);

	DbgSetDebugFilterState(DPFLTR_IHVDRIVER_ID, DPFLTR_MASK | 0xc, FALSE);
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_TRACE_LEVEL, "wdm_support: filtered\n");
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "wdm_support: filtered\n");
	KUNIT_EXPECT_EQ(test, printed_since(&base), 0);

	/* KdPrint is DbgPrint: DEFAULT at INFO level. */
	DbgSetDebugFilterState(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, TRUE);
	KdPrint(("wdm_support: KdPrint %d\n", 1));
	DbgPrint("wdm_support: DbgPrint %d\n", 2);
	DbgSetDebugFilterState(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, FALSE);
	KUNIT_EXPECT_EQ(test, printed_since(&base), 2);
}

/* An unknown component: only the system-wide mask lets messages through. */
static void wdm_dbgprint_unknown_component(struct kunit *test)
{
	unsigned long base = wdm_dbgprint_printed();

	KUNIT_EXPECT_EQ(test, DbgQueryDebugFilterState(DPFLTR_ENDOFTABLE_ID, DPFLTR_ERROR_LEVEL),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, DbgSetDebugFilterState(DPFLTR_ENDOFTABLE_ID, DPFLTR_INFO_LEVEL,
						     TRUE), STATUS_INVALID_PARAMETER_1);
	DbgPrintEx(DPFLTR_ENDOFTABLE_ID, DPFLTR_ERROR_LEVEL, "wdm_support: unknown component\n");
	DbgPrintEx(DPFLTR_ENDOFTABLE_ID, DPFLTR_INFO_LEVEL, "wdm_support: filtered\n");
	KUNIT_EXPECT_EQ(test, printed_since(&base), 1);
}

/* Printing is allowed at any IRQL: at DISPATCH_LEVEL and with interrupts off. */
static void wdm_dbgprint_at_raised_irql(struct kunit *test)
{
	unsigned long base = wdm_dbgprint_printed(), flags;
	KIRQL irql;

	local_bh_disable();
	preempt_disable();
	irql = KeGetCurrentIrql();
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "wdm_support: at DISPATCH_LEVEL\n");
	preempt_enable();
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, irql, DISPATCH_LEVEL);

	local_irq_save(flags);
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "wdm_support: interrupts off\n");
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, printed_since(&base), 2);
}

/*
 * Register access
 */

struct regs_ctx {
	struct pci_dev *pdev;
	void __iomem *regs;
};

static void regs_put(void *data)
{
	struct regs_ctx *r = data;

	pci_iounmap(r->pdev, r->regs);
	pci_disable_device(r->pdev);
	pci_dev_put(r->pdev);
}

/* BAR0 of the first vendor:device, mapped until the case ends; NULL: skip. */
static void __iomem *bar0_get(struct kunit *test, unsigned int vendor, unsigned int device)
{
	struct regs_ctx *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->pdev = pci_get_device(vendor, device, NULL);
	if (!r->pdev)
		return NULL;
	if (pci_enable_device(r->pdev))
		goto err_put;
	r->regs = pci_iomap(r->pdev, 0, 0);
	if (!r->regs)
		goto err_disable;
	if (kunit_add_action_or_reset(test, regs_put, r))
		return NULL;
	return r->regs;

err_disable:
	pci_disable_device(r->pdev);
err_put:
	pci_dev_put(r->pdev);
	return NULL;
}

#define EDU_REG_LIVENESS	0x04	/* reads back the inverse of the last write */
#define EDU_REG_FACTORIAL	0x08
#define EDU_REG_STATUS		0x20
#define EDU_STATUS_COMPUTING	0x01
#define EDU_REG_DMA_SRC		0x80	/* 64-bit */

static void wdm_register_ulong_on_edu(struct kunit *test)
{
	void __iomem *regs = bar0_get(test, EDU_VENDOR_ID, EDU_DEVICE_ID);
	PULONG base = (PULONG)(__force void *)regs;
	ULONG buf[2] = { 0x0f0f0f0f, 5 };
	ULONG id[2];
	int i;

	if (!regs)
		kunit_skip(test, "no edu device (1234:11e8)");
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG(base), 0x010000ed);

	WRITE_REGISTER_ULONG(base + EDU_REG_LIVENESS / 4, 0x12345678);
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG(base + EDU_REG_LIVENESS / 4), 0xedcba987);

	/* The _BUFFER_ forms walk consecutive registers: ID, then liveness. */
	READ_REGISTER_BUFFER_ULONG(base, id, 2);
	KUNIT_EXPECT_EQ(test, id[0], 0x010000ed);
	KUNIT_EXPECT_EQ(test, id[1], 0xedcba987);

	/* Liveness gets 0x0f0f0f0f, the factorial register 5 (5! = 120). */
	WRITE_REGISTER_BUFFER_ULONG(base + EDU_REG_LIVENESS / 4, buf, 2);
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG(base + EDU_REG_LIVENESS / 4), 0xf0f0f0f0);
	for (i = 0; i < 1000; i++) {
		if (!(READ_REGISTER_ULONG(base + EDU_REG_STATUS / 4) & EDU_STATUS_COMPUTING))
			break;
		usleep_range(1000, 2000);
	}
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG(base + EDU_REG_FACTORIAL / 4), 120);
}

/* edu's DMA source address register holds 64 bits (no transfer is started). */
static void wdm_register_ulong64_on_edu(struct kunit *test)
{
	void __iomem *regs = bar0_get(test, EDU_VENDOR_ID, EDU_DEVICE_ID);
	PULONG64 src = (PULONG64)(__force void *)(regs + EDU_REG_DMA_SRC);
	ULONG64 v[2] = { 0x1122334455667788ULL, 0 };

	if (!regs)
		kunit_skip(test, "no edu device (1234:11e8)");
	WRITE_REGISTER_ULONG64(src, 0x1122334455667788ULL);
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG64(src), 0x1122334455667788ULL);
	WRITE_REGISTER_BUFFER_ULONG64(src, &v[1], 1);
	READ_REGISTER_BUFFER_ULONG64(src, &v[0], 1);
	KUNIT_EXPECT_EQ(test, v[0], 0);
}

/*
 * ivshmem takes byte and word accesses: IVPosition (peer 1 here, the
 * project's device process gives the guest that ID) reads as 1 at every
 * width, and a byte written to IntrMask (unused with MSI-X) reads back.
 */
static void wdm_register_uchar_ushort_on_ivshmem(struct kunit *test)
{
	void __iomem *regs = bar0_get(test, IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID);
	PUCHAR base = (PUCHAR)(__force void *)regs;
	UCHAR bytes[4];

	if (!regs)
		kunit_skip(test, "no ivshmem-doorbell (1af4:1110)");
	KUNIT_EXPECT_EQ(test, READ_REGISTER_UCHAR(base + IVSHMEM_REG_IV_POSITION), 1);
	KUNIT_EXPECT_EQ(test, READ_REGISTER_USHORT((PUSHORT)(base + IVSHMEM_REG_IV_POSITION)), 1);
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG((PULONG)(base + IVSHMEM_REG_IV_POSITION)), 1);
	READ_REGISTER_BUFFER_UCHAR(base + IVSHMEM_REG_IV_POSITION, bytes, 4);
	KUNIT_EXPECT_EQ(test, bytes[0], 1);
	KUNIT_EXPECT_EQ(test, bytes[1], 0);
	KUNIT_EXPECT_EQ(test, bytes[2], 0);
	KUNIT_EXPECT_EQ(test, bytes[3], 0);

	WRITE_REGISTER_UCHAR(base + IVSHMEM_REG_INTR_MASK, 0x5a);
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG((PULONG)(base + IVSHMEM_REG_INTR_MASK)), 0x5a);
	WRITE_REGISTER_USHORT((PUSHORT)(base + IVSHMEM_REG_INTR_MASK), 0xa55a);
	KUNIT_EXPECT_EQ(test, READ_REGISTER_USHORT((PUSHORT)(base + IVSHMEM_REG_INTR_MASK)),
			0xa55a);
	WRITE_REGISTER_ULONG((PULONG)(base + IVSHMEM_REG_INTR_MASK), 0);
	KUNIT_EXPECT_EQ(test, READ_REGISTER_ULONG((PULONG)(base + IVSHMEM_REG_INTR_MASK)), 0);
}

/*
 * Port I/O, on ports every QEMU pc machine has and that are harmless to
 * touch: the CMOS index/data pair (register D is read-only, its VRT bit set,
 * and reading it clears nothing; accessed under rtc_lock like the kernel's
 * own CMOS_READ), fw_cfg's selector and data ports (the firmware interface,
 * not used by this kernel after boot) and the ACPI PM timer (read-only).
 */
#define CMOS_INDEX	((PUCHAR)0x70)
#define CMOS_DATA	((PUCHAR)0x71)
#define CMOS_REG_D	0x0d
#define CMOS_D_VRT	0x80
#define FW_CFG_SELECTOR	((PUSHORT)0x510)
#define FW_CFG_DATA	((PUCHAR)0x511)
#define FW_CFG_SIGNATURE 0x0000		/* reads "QEMU" */

static void wdm_port_uchar_on_cmos(struct kunit *test)
{
	UCHAR d, buf[3];
	unsigned long flags;

	spin_lock_irqsave(&rtc_lock, flags);
	WRITE_PORT_UCHAR(CMOS_INDEX, CMOS_REG_D);
	d = READ_PORT_UCHAR(CMOS_DATA);
	READ_PORT_BUFFER_UCHAR(CMOS_DATA, buf, 3);
	spin_unlock_irqrestore(&rtc_lock, flags);

	KUNIT_EXPECT_EQ(test, d, CMOS_D_VRT);
	/* One port read three times, not three ports. */
	KUNIT_EXPECT_EQ(test, buf[0], CMOS_D_VRT);
	KUNIT_EXPECT_EQ(test, buf[1], CMOS_D_VRT);
	KUNIT_EXPECT_EQ(test, buf[2], CMOS_D_VRT);
}

static void wdm_port_ushort_on_fw_cfg(struct kunit *test)
{
	USHORT sel = FW_CFG_SIGNATURE;
	UCHAR sig[4];

	WRITE_PORT_USHORT(FW_CFG_SELECTOR, FW_CFG_SIGNATURE);
	READ_PORT_BUFFER_UCHAR(FW_CFG_DATA, sig, 4);
	KUNIT_EXPECT_MEMEQ(test, sig, "QEMU", 4);

	WRITE_PORT_BUFFER_USHORT(FW_CFG_SELECTOR, &sel, 1);
	KUNIT_EXPECT_EQ(test, READ_PORT_UCHAR(FW_CFG_DATA), 'Q');
	KUNIT_EXPECT_EQ(test, READ_PORT_UCHAR(FW_CFG_DATA), 'E');
}

/* The PM timer counts up at 3.579545 MHz in 24 bits (FADT: no TMR_VAL_EXT). */
static void wdm_port_ulong_on_pm_timer(struct kunit *test)
{
	struct acpi_generic_address *pm = &acpi_gbl_FADT.xpm_timer_block;
	ULONG top = acpi_gbl_FADT.flags & ACPI_FADT_32BIT_TIMER ? 0 : 0xff000000;
	PULONG port = (PULONG)(ULONG_PTR)pm->address;
	ULONG a, b, buf[4];
	int i;

	if (acpi_disabled || pm->space_id != ACPI_ADR_SPACE_SYSTEM_IO || !pm->address)
		kunit_skip(test, "no ACPI PM timer in I/O space");
	KUNIT_EXPECT_EQ(test, top, 0xff000000);
	a = READ_PORT_ULONG(port);
	usleep_range(2000, 3000);
	b = READ_PORT_ULONG(port);
	KUNIT_EXPECT_EQ(test, a & top, 0);
	KUNIT_EXPECT_EQ(test, b & top, 0);
	/* 2 ms is over 7000 ticks: the count moved (mod 2^24). */
	KUNIT_EXPECT_GE(test, (b - a) & 0xffffff, 7000);
	READ_PORT_BUFFER_ULONG(port, buf, 4);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, buf[i] & top, 0);
}

/*
 * NTSTATUS codes: Microsoft's values (ntstatus.h) and their errnos
 */

struct code_case {
	NTSTATUS status;
	u32 value;
	int err;
};

static const struct code_case code_cases[] = {
	{ STATUS_IO_TIMEOUT, 0xC00000B5, -ETIMEDOUT },
	{ STATUS_IO_DEVICE_ERROR, 0xC0000185, -EIO },
	{ STATUS_INTERNAL_ERROR, 0xC00000E5, -EIO },
	{ STATUS_CANCELLED, 0xC0000120, -ECANCELED },
	{ STATUS_DEVICE_NOT_READY, 0xC00000A3, -EAGAIN },
	{ STATUS_REVISION_MISMATCH, 0xC0000059, -EPROTO },
	{ STATUS_INVALID_PARAMETER_2, 0xC00000F0, -EINVAL },
	{ STATUS_INVALID_PARAMETER_3, 0xC00000F1, -EINVAL },
	{ STATUS_INVALID_PARAMETER_4, 0xC00000F2, -EINVAL },
	{ STATUS_INVALID_PARAMETER_5, 0xC00000F3, -EINVAL },
	{ STATUS_INVALID_PARAMETER_6, 0xC00000F4, -EINVAL },
	{ STATUS_INVALID_PARAMETER_7, 0xC00000F5, -EINVAL },
	{ STATUS_INVALID_PARAMETER_8, 0xC00000F6, -EINVAL },
	{ STATUS_INVALID_PARAMETER_9, 0xC00000F7, -EINVAL },
	{ STATUS_INVALID_PARAMETER_11, 0xC00000F9, -EINVAL },
	{ STATUS_INVALID_PARAMETER_12, 0xC00000FA, -EINVAL },
	{ STATUS_INVALID_BUFFER_SIZE, 0xC0000206, -EINVAL },
	{ STATUS_INVALID_ADDRESS, 0xC0000141, -EFAULT },
	{ STATUS_INVALID_USER_BUFFER, 0xC00000E8, -EFAULT },
	{ STATUS_INVALID_HANDLE, 0xC0000008, -EBADF },
	{ STATUS_OBJECT_NAME_COLLISION, 0xC0000035, -EEXIST },
	{ STATUS_OBJECT_NAME_NOT_FOUND, 0xC0000034, -ENOENT },
	{ STATUS_RESOURCE_TYPE_NOT_FOUND, 0xC000008A, -ENOENT },
	{ STATUS_CRC_ERROR, 0xC000003F, -EBADMSG },
	{ STATUS_DATA_ERROR, 0xC000003E, -EIO },
	{ STATUS_MORE_PROCESSING_REQUIRED, 0xC0000016, -EINPROGRESS },
	{ STATUS_UNEXPECTED_IO_ERROR, 0xC00000E9, -EIO },
	{ STATUS_DEVICE_DATA_ERROR, 0xC000009C, -EIO },
	{ STATUS_ADAPTER_HARDWARE_ERROR, 0xC00000C2, -EIO },
	{ STATUS_DEVICE_POWER_FAILURE, 0xC000009E, -EIO },
	{ STATUS_DEVICE_CONFIGURATION_ERROR, 0xC0000182, -EIO },
	{ STATUS_DEVICE_PROTOCOL_ERROR, 0xC0000186, -EPROTO },
	{ STATUS_DEVICE_DOES_NOT_EXIST, 0xC00000C0, -ENODEV },
	{ STATUS_DEVICE_REMOVED, 0xC00002B6, -ENODEV },
	{ STATUS_RETRY, 0xC000022D, -EAGAIN },
	{ STATUS_REQUEST_ABORTED, 0xC0000240, -ECANCELED },
	{ STATUS_CONFLICTING_ADDRESSES, 0xC0000018, -EBUSY },
	{ STATUS_INTEGER_OVERFLOW, 0xC0000095, -EOVERFLOW },
	{ STATUS_BUFFER_OVERFLOW, 0x80000005, -EOVERFLOW },	/* a warning */
	{ STATUS_ABANDONED, 0x00000080, 0 },			/* successes */
	{ STATUS_ABANDONED_WAIT_63, 0x000000BF, 0 },
	{ STATUS_KERNEL_APC, 0x00000100, 0 },
};

static void code_case_desc(const struct code_case *t, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "0x%08x", t->value);
}

KUNIT_ARRAY_PARAM(code, code_cases, code_case_desc);

static void wdm_new_ntstatus_values_and_errnos(struct kunit *test)
{
	const struct code_case *t = test->param_value;

	KUNIT_EXPECT_EQ(test, (u32)t->status, t->value);
	KUNIT_EXPECT_EQ(test, wdm_ntstatus_to_errno(t->status), t->err);
}

/* The errnos these codes are the first (preferred) status for. */
static void wdm_errnos_map_back_to_new_ntstatus(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-ETIMEDOUT), STATUS_IO_TIMEOUT);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-ECANCELED), STATUS_CANCELLED);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EAGAIN), STATUS_DEVICE_NOT_READY);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EPROTO), STATUS_REVISION_MISMATCH);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EFAULT), STATUS_INVALID_ADDRESS);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EBADF), STATUS_INVALID_HANDLE);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EEXIST), STATUS_OBJECT_NAME_COLLISION);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EBADMSG), STATUS_CRC_ERROR);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EINPROGRESS),
			STATUS_MORE_PROCESSING_REQUIRED);
	/* Unchanged by the new codes: the first entries still win. */
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EIO), STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EINVAL), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-ENODEV), STATUS_NO_SUCH_DEVICE);
	KUNIT_EXPECT_EQ(test, wdm_errno_to_ntstatus(-EBUSY), STATUS_DEVICE_BUSY);
	KUNIT_EXPECT_TRUE(test, NT_WARNING(STATUS_BUFFER_OVERFLOW));
	KUNIT_EXPECT_TRUE(test, NT_SUCCESS(STATUS_ABANDONED));
}

static struct kunit_case wdm_support_cases[] = {
	KUNIT_CASE(wdm_basic_types_have_windows_sizes),
	KUNIT_CASE(wdm_basic_macros),
	KUNIT_CASE(wdm_bit_scans),
	KUNIT_CASE(wdm_list_insert_and_remove_order),
	KUNIT_CASE(wdm_list_remove_from_empty_returns_head),
	KUNIT_CASE(wdm_list_append_tail),
	KUNIT_CASE(wdm_single_list_push_pop),
	KUNIT_CASE(wdm_processor_counts),
	KUNIT_CASE(wdm_processor_index_number_round_trip),
	KUNIT_CASE(wdm_processor_bad_index_and_number),
	KUNIT_CASE(wdm_current_processor_on_each_cpu),
	KUNIT_CASE(wdm_dbgprint_default_filter),
	KUNIT_CASE(wdm_dbgprint_component_mask),
	KUNIT_CASE(wdm_dbgprint_unknown_component),
	KUNIT_CASE(wdm_dbgprint_at_raised_irql),
	KUNIT_CASE(wdm_register_ulong_on_edu),
	KUNIT_CASE(wdm_register_ulong64_on_edu),
	KUNIT_CASE(wdm_register_uchar_ushort_on_ivshmem),
	KUNIT_CASE(wdm_port_uchar_on_cmos),
	KUNIT_CASE(wdm_port_ushort_on_fw_cfg),
	KUNIT_CASE(wdm_port_ulong_on_pm_timer),
	KUNIT_CASE_PARAM(wdm_new_ntstatus_values_and_errnos, code_gen_params),
	KUNIT_CASE(wdm_errnos_map_back_to_new_ntstatus),
	{}
};

static struct kunit_suite wdm_support_suite = {
	.name = "wdm_support",
	.test_cases = wdm_support_cases,
};

kunit_test_suite(wdm_support_suite);
