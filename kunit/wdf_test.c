// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: KMDF interrupt objects (wdf.h) on the guest's edu device, driven
 * as the PnP manager drives a KMDF driver: EvtDriverDeviceAdd, then
 * EvtDevicePrepareHardware, EvtDeviceD0Entry, EvtInterruptEnable (at the
 * interrupt's DIRQL under its lock, connected), EvtDeviceD0EntryPost-
 * InterruptsEnabled; the reverse on remove and suspend. Interrupts come from
 * the edu device (MSI when the framework allocates it).
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/io.h>
#include <linux/pci.h>
#include <hw/edu.h>
#include <wdf.h>

#include "../module/wdm/wdm_internal.h"
#include "../module/wdm/wdf_internal.h"
#include "wdm_test.h"

enum wdf_ev {
	EV_ADD = 1,
	EV_PREPARE,
	EV_D0_ENTRY,
	EV_ENABLE,
	EV_POST_ENABLED,
	EV_PRE_DISABLE,
	EV_DISABLE,
	EV_D0_EXIT,
	EV_RELEASE,
	EV_INT_CLEANUP,
	EV_DEV_CLEANUP,
};

#define WDF_TEST_EVENTS	32

struct wdf_ev_rec {
	enum wdf_ev ev;
	WDF_POWER_DEVICE_STATE state;	/* D0 entry and exit */
	KIRQL irql;
	bool connected;			/* WdfInterruptWdmGetInterrupt() != NULL */
	bool locked;			/* the interrupt's lock was held */
};

struct wdf_tctx {
	struct pci_dev *edu;
	void __iomem *regs;
	/* what EvtDriverDeviceAdd sets up */
	bool passive, workitem;
	WDFWAITLOCK waitlock;
	WDFDEVICE device;
	WDFINTERRUPT interrupt;
	struct wdf_ev_rec ev[WDF_TEST_EVENTS];
	unsigned int nev;
	atomic_t isr, dpc, work;
	KIRQL isr_irql, dpc_irql, work_irql;
	ULONG message_id;
	bool isr_lock_held, isr_hardirq, work_atomic;
	WDFOBJECT dpc_object, work_object;
	/* passive lock test */
	bool hold, release;
	/* WdfInterruptCreate checks: statuses in DeviceAdd and PrepareHardware */
	bool create_checks;
	NTSTATUS bad_size, prepare_no_descriptors;
	/* WdfInterruptSetPolicy in DeviceAdd, and the CPU the ISR ran on */
	KAFFINITY policy_mask;
	unsigned int isr_cpu;
	bool line_only;		/* MessageTypes 0: the INF's MSISupported=0 */
};

static struct wdf_tctx *T;

/* Context types as KMDF drivers declare them. */
typedef struct _DEV_CONTEXT {
	u32 magic;
} DEV_CONTEXT;

typedef struct _INT_CONTEXT {
	u64 value;
} INT_CONTEXT;

WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(DEV_CONTEXT, wdf_test_dev_ctx);
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(INT_CONTEXT, wdf_test_int_ctx);

static const struct pci_device_id wdf_test_no_ids[] = { { } };

static DRIVER_INITIALIZE wdf_test_driver_entry;

static struct wdf_pci_driver wdf_test_drv = {
	.name = "wdf_kunit",
	.id_table = wdf_test_no_ids,
	.DriverEntry = wdf_test_driver_entry,
};

static bool wdf_test_lock_held(WDFINTERRUPT wi)
{
	if (wi->passive) {
		LONGLONG zero = 0;

		/* The wait lock is not recursive: held, a try fails. */
		if (WdfWaitLockAcquire(wi->waitlock, &zero) == STATUS_TIMEOUT)
			return true;
		WdfWaitLockRelease(wi->waitlock);
		return false;
	}
	return raw_spin_is_locked(&wi->lock->rlock);
}

static void wdf_test_log(enum wdf_ev ev, WDF_POWER_DEVICE_STATE state, WDFINTERRUPT wi)
{
	struct wdf_ev_rec *r;

	if (T->nev == WDF_TEST_EVENTS)
		return;
	r = &T->ev[T->nev++];
	r->ev = ev;
	r->state = state;
	r->irql = KeGetCurrentIrql();
	if (wi) {
		r->connected = WdfInterruptWdmGetInterrupt(wi);
		r->locked = wdf_test_lock_held(wi);
	}
}

/*
 * The driver
 */

static EVT_WDF_INTERRUPT_ISR wdf_test_isr;

_Use_decl_annotations_
static BOOLEAN wdf_test_isr(WDFINTERRUPT Interrupt, ULONG MessageID)
{
	u32 status = ioread32(T->regs + EDU_REG_IRQ_STATUS);

	if (!status)
		return FALSE;
	iowrite32(status, T->regs + EDU_REG_IRQ_ACK);
	T->isr_irql = KeGetCurrentIrql();
	T->isr_cpu = smp_processor_id();
	T->isr_hardirq = in_hardirq();
	T->message_id = MessageID;
	T->isr_lock_held = wdf_test_lock_held(Interrupt);
	if (T->workitem)
		WdfInterruptQueueWorkItemForIsr(Interrupt);
	else
		WdfInterruptQueueDpcForIsr(Interrupt);
	atomic_inc(&T->isr);
	return TRUE;
}

static EVT_WDF_INTERRUPT_DPC wdf_test_dpc;

_Use_decl_annotations_
static VOID wdf_test_dpc(WDFINTERRUPT Interrupt, WDFOBJECT AssociatedObject)
{
	T->dpc_irql = KeGetCurrentIrql();
	T->dpc_object = AssociatedObject;
	atomic_inc(&T->dpc);
}

static EVT_WDF_INTERRUPT_WORKITEM wdf_test_work;

_Use_decl_annotations_
static VOID wdf_test_work(WDFINTERRUPT Interrupt, WDFOBJECT AssociatedObject)
{
	T->work_irql = KeGetCurrentIrql();
	T->work_atomic = !preemptible() || in_interrupt();
	T->work_object = AssociatedObject;
	atomic_inc(&T->work);
}

static EVT_WDF_INTERRUPT_ENABLE wdf_test_enable;

_Use_decl_annotations_
static NTSTATUS wdf_test_enable(WDFINTERRUPT Interrupt, WDFDEVICE AssociatedDevice)
{
	wdf_test_log(EV_ENABLE, WdfPowerDeviceInvalid, Interrupt);
	return STATUS_SUCCESS;
}

static EVT_WDF_INTERRUPT_DISABLE wdf_test_disable;

_Use_decl_annotations_
static NTSTATUS wdf_test_disable(WDFINTERRUPT Interrupt, WDFDEVICE AssociatedDevice)
{
	wdf_test_log(EV_DISABLE, WdfPowerDeviceInvalid, Interrupt);
	return STATUS_SUCCESS;
}

static EVT_WDF_DEVICE_PREPARE_HARDWARE wdf_test_prepare;

_Use_decl_annotations_
static NTSTATUS wdf_test_prepare(WDFDEVICE Device, WDFCMRESLIST ResourcesRaw,
				 WDFCMRESLIST ResourcesTranslated)
{
	wdf_test_log(EV_PREPARE, WdfPowerDeviceInvalid, T->interrupt);
	if (T->create_checks) {
		WDF_INTERRUPT_CONFIG ic;
		WDFINTERRUPT wi;

		WDF_INTERRUPT_CONFIG_INIT(&ic, wdf_test_isr, wdf_test_dpc);
		T->prepare_no_descriptors = WdfInterruptCreate(Device, &ic,
							       WDF_NO_OBJECT_ATTRIBUTES, &wi);
	}
	return STATUS_SUCCESS;
}

static EVT_WDF_DEVICE_RELEASE_HARDWARE wdf_test_release;

_Use_decl_annotations_
static NTSTATUS wdf_test_release(WDFDEVICE Device, WDFCMRESLIST ResourcesTranslated)
{
	wdf_test_log(EV_RELEASE, WdfPowerDeviceInvalid, T->interrupt);
	return STATUS_SUCCESS;
}

static EVT_WDF_DEVICE_D0_ENTRY wdf_test_d0_entry;

_Use_decl_annotations_
static NTSTATUS wdf_test_d0_entry(WDFDEVICE Device, WDF_POWER_DEVICE_STATE PreviousState)
{
	wdf_test_log(EV_D0_ENTRY, PreviousState, T->interrupt);
	return STATUS_SUCCESS;
}

static EVT_WDF_DEVICE_D0_ENTRY_POST_INTERRUPTS_ENABLED wdf_test_post_enabled;

_Use_decl_annotations_
static NTSTATUS wdf_test_post_enabled(WDFDEVICE Device, WDF_POWER_DEVICE_STATE PreviousState)
{
	wdf_test_log(EV_POST_ENABLED, PreviousState, T->interrupt);
	return STATUS_SUCCESS;
}

static EVT_WDF_DEVICE_D0_EXIT_PRE_INTERRUPTS_DISABLED wdf_test_pre_disable;

_Use_decl_annotations_
static NTSTATUS wdf_test_pre_disable(WDFDEVICE Device, WDF_POWER_DEVICE_STATE TargetState)
{
	wdf_test_log(EV_PRE_DISABLE, TargetState, T->interrupt);
	return STATUS_SUCCESS;
}

static EVT_WDF_DEVICE_D0_EXIT wdf_test_d0_exit;

_Use_decl_annotations_
static NTSTATUS wdf_test_d0_exit(WDFDEVICE Device, WDF_POWER_DEVICE_STATE TargetState)
{
	wdf_test_log(EV_D0_EXIT, TargetState, T->interrupt);
	return STATUS_SUCCESS;
}

static EVT_WDF_OBJECT_CONTEXT_CLEANUP wdf_test_int_cleanup;

_Use_decl_annotations_
static VOID wdf_test_int_cleanup(WDFOBJECT Object)
{
	wdf_test_log(EV_INT_CLEANUP, WdfPowerDeviceInvalid, NULL);
}

static EVT_WDF_OBJECT_CONTEXT_CLEANUP wdf_test_dev_cleanup;

_Use_decl_annotations_
static VOID wdf_test_dev_cleanup(WDFOBJECT Object)
{
	wdf_test_log(EV_DEV_CLEANUP, WdfPowerDeviceInvalid, NULL);
}

static EVT_WDF_DRIVER_DEVICE_ADD wdf_test_device_add;

_Use_decl_annotations_
static NTSTATUS wdf_test_device_add(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit)
{
	WDF_PNPPOWER_EVENT_CALLBACKS pnp;
	WDF_OBJECT_ATTRIBUTES attr;
	WDF_INTERRUPT_CONFIG ic;
	NTSTATUS status;

	wdf_test_log(EV_ADD, WdfPowerDeviceInvalid, NULL);
	WDF_PNPPOWER_EVENT_CALLBACKS_INIT(&pnp);
	pnp.EvtDevicePrepareHardware = wdf_test_prepare;
	pnp.EvtDeviceReleaseHardware = wdf_test_release;
	pnp.EvtDeviceD0Entry = wdf_test_d0_entry;
	pnp.EvtDeviceD0EntryPostInterruptsEnabled = wdf_test_post_enabled;
	pnp.EvtDeviceD0ExitPreInterruptsDisabled = wdf_test_pre_disable;
	pnp.EvtDeviceD0Exit = wdf_test_d0_exit;
	WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, &pnp);

	WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attr, DEV_CONTEXT);
	attr.EvtCleanupCallback = wdf_test_dev_cleanup;
	status = WdfDeviceCreate(&DeviceInit, &attr, &T->device);
	if (!NT_SUCCESS(status))
		return status;
	if (T->line_only)
		WdfDeviceWdmGetPhysicalDevice(T->device)->MessageTypes = 0;

	WDF_INTERRUPT_CONFIG_INIT(&ic, wdf_test_isr, T->workitem ? NULL : wdf_test_dpc);
	ic.EvtInterruptEnable = wdf_test_enable;
	ic.EvtInterruptDisable = wdf_test_disable;
	if (T->workitem)
		ic.EvtInterruptWorkItem = wdf_test_work;
	ic.PassiveHandling = T->passive;
	ic.WaitLock = T->waitlock;
	WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attr, INT_CONTEXT);
	attr.EvtCleanupCallback = wdf_test_int_cleanup;
	if (T->create_checks) {
		WDFINTERRUPT wi;

		ic.Size--;
		T->bad_size = WdfInterruptCreate(T->device, &ic, &attr, &wi);
		ic.Size++;
	}
	status = WdfInterruptCreate(T->device, &ic, &attr, &T->interrupt);
	if (NT_SUCCESS(status) && T->policy_mask)
		WdfInterruptSetPolicy(T->interrupt, WdfIrqPolicySpecifiedProcessors,
				      WdfIrqPriorityNormal, T->policy_mask);
	return status;
}

_Use_decl_annotations_
static NTSTATUS wdf_test_driver_entry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	WDF_DRIVER_CONFIG config;

	WDF_DRIVER_CONFIG_INIT(&config, wdf_test_device_add);
	return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config,
			       WDF_NO_HANDLE);
}

/*
 * Fixture
 */

static int wdf_init(struct kunit *test)
{
	T = kunit_kzalloc(test, sizeof(*T), GFP_KERNEL);
	if (!T)
		return -ENOMEM;
	test->priv = T;
	T->edu = pci_get_device(EDU_VENDOR_ID, EDU_DEVICE_ID, NULL);
	if (T->edu && pci_enable_device(T->edu)) {
		pci_dev_put(T->edu);
		T->edu = NULL;
	}
	if (T->edu) {
		pci_set_master(T->edu);
		T->regs = pci_iomap(T->edu, 0, 0);
	}
	return wdf_pci_driver_register(&wdf_test_drv);
}

static void wdf_exit(struct kunit *test)
{
	if (T->device)
		wdf_pci_device_remove(T->device);
	wdf_pci_driver_unregister(&wdf_test_drv);
	if (T->waitlock)
		WdfObjectDelete(T->waitlock);
	if (T->edu) {
		if (T->regs)
			pci_iounmap(T->edu, T->regs);
		pci_disable_device(T->edu);
		pci_dev_put(T->edu);
	}
	T = NULL;
}

/* Add the device as probe would; skip without an edu device. */
static void wdf_add(struct kunit *test)
{
	if (!T->edu || !T->regs)
		kunit_skip(test, "no edu device (1234:11e8)");
	KUNIT_ASSERT_EQ(test, wdf_pci_device_add(&wdf_test_drv, T->edu, &T->device),
			STATUS_SUCCESS);
}

static void wdf_remove(void)
{
	wdf_pci_device_remove(T->device);
	T->device = NULL;
}

static bool wdf_wait_count(atomic_t *count, int n)
{
	int i;

	for (i = 0; i < 5000 && atomic_read(count) < n; i++)
		usleep_range(1000, 2000);
	return atomic_read(count) == n;
}

static void wdf_raise(void)
{
	iowrite32(0x1, T->regs + EDU_REG_IRQ_RAISE);
}

static void expect_event(struct kunit *test, unsigned int i, enum wdf_ev ev,
			 WDF_POWER_DEVICE_STATE state)
{
	KUNIT_ASSERT_LT(test, i, T->nev);
	KUNIT_EXPECT_EQ_MSG(test, T->ev[i].ev, ev, "event %u", i);
	KUNIT_EXPECT_EQ_MSG(test, T->ev[i].state, state, "event %u", i);
	KUNIT_EXPECT_EQ_MSG(test, T->ev[i].irql, ev == EV_ENABLE || ev == EV_DISABLE ?
			    WDM_DEVICE_IRQL : PASSIVE_LEVEL, "event %u", i);
}

/*
 * Cases
 */

/*
 * Start: PrepareHardware, D0Entry(WdfPowerDeviceD3Final), EvtInterruptEnable
 * at DIRQL under the interrupt lock with the interrupt connected, then
 * D0EntryPostInterruptsEnabled. Remove: D0ExitPreInterruptsDisabled,
 * EvtInterruptDisable (connected, DIRQL, locked), D0Exit(D3Final) with the
 * interrupt disconnected, ReleaseHardware, then the cleanups, child first.
 */
static void wdf_start_remove_order(struct kunit *test)
{
	wdf_add(test);
	KUNIT_ASSERT_EQ(test, T->nev, 5U);
	expect_event(test, 0, EV_ADD, WdfPowerDeviceInvalid);
	expect_event(test, 1, EV_PREPARE, WdfPowerDeviceInvalid);
	KUNIT_EXPECT_FALSE(test, T->ev[1].connected);
	expect_event(test, 2, EV_D0_ENTRY, WdfPowerDeviceD3Final);
	KUNIT_EXPECT_FALSE(test, T->ev[2].connected);
	expect_event(test, 3, EV_ENABLE, WdfPowerDeviceInvalid);
	KUNIT_EXPECT_TRUE(test, T->ev[3].connected);
	KUNIT_EXPECT_TRUE(test, T->ev[3].locked);
	expect_event(test, 4, EV_POST_ENABLED, WdfPowerDeviceD3Final);
	KUNIT_EXPECT_TRUE(test, T->ev[4].connected);
	KUNIT_EXPECT_FALSE(test, T->ev[4].locked);

	wdf_remove();
	KUNIT_ASSERT_EQ(test, T->nev, 11U);
	expect_event(test, 5, EV_PRE_DISABLE, WdfPowerDeviceD3Final);
	KUNIT_EXPECT_TRUE(test, T->ev[5].connected);
	expect_event(test, 6, EV_DISABLE, WdfPowerDeviceInvalid);
	KUNIT_EXPECT_TRUE(test, T->ev[6].connected);
	KUNIT_EXPECT_TRUE(test, T->ev[6].locked);
	expect_event(test, 7, EV_D0_EXIT, WdfPowerDeviceD3Final);
	KUNIT_EXPECT_FALSE(test, T->ev[7].connected);
	expect_event(test, 8, EV_RELEASE, WdfPowerDeviceInvalid);
	expect_event(test, 9, EV_INT_CLEANUP, WdfPowerDeviceInvalid);
	expect_event(test, 10, EV_DEV_CLEANUP, WdfPowerDeviceInvalid);
}

/* Suspend: D0Exit(WdfPowerDeviceD3) around Disable; resume: D0Entry(D3) around Enable. */
static void wdf_suspend_resume(struct kunit *test)
{
	wdf_add(test);
	T->nev = 0;
	KUNIT_ASSERT_EQ(test, wdf_pci_device_suspend(T->device), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, T->nev, 3U);
	expect_event(test, 0, EV_PRE_DISABLE, WdfPowerDeviceD3);
	expect_event(test, 1, EV_DISABLE, WdfPowerDeviceInvalid);
	expect_event(test, 2, EV_D0_EXIT, WdfPowerDeviceD3);
	KUNIT_EXPECT_FALSE(test, T->ev[2].connected);

	KUNIT_ASSERT_EQ(test, wdf_pci_device_resume(T->device), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, T->nev, 6U);
	expect_event(test, 3, EV_D0_ENTRY, WdfPowerDeviceD3);
	KUNIT_EXPECT_FALSE(test, T->ev[3].connected);
	expect_event(test, 4, EV_ENABLE, WdfPowerDeviceInvalid);
	KUNIT_EXPECT_TRUE(test, T->ev[4].connected);
	expect_event(test, 5, EV_POST_ENABLED, WdfPowerDeviceD3);

	/* Reconnected: the next interrupt reaches the ISR and the DPC. */
	wdf_raise();
	KUNIT_EXPECT_TRUE(test, wdf_wait_count(&T->dpc, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&T->isr), 1);
}

/*
 * One edu interrupt: the ISR at the interrupt's DIRQL in hard-IRQ context
 * with MessageID 0 (the first message), its lock held; the DPC at
 * DISPATCH_LEVEL with the device as AssociatedObject.
 */
static void wdf_isr_dpc(struct kunit *test)
{
	wdf_add(test);
	wdf_raise();
	KUNIT_ASSERT_TRUE(test, wdf_wait_count(&T->dpc, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&T->isr), 1);
	KUNIT_EXPECT_EQ(test, T->isr_irql, (KIRQL)WDM_DEVICE_IRQL);
	KUNIT_EXPECT_EQ(test, T->message_id, 0U);
	KUNIT_EXPECT_TRUE(test, T->isr_lock_held);
	KUNIT_EXPECT_EQ(test, T->dpc_irql, (KIRQL)DISPATCH_LEVEL);
	KUNIT_EXPECT_PTR_EQ(test, T->dpc_object, (WDFOBJECT)T->device);
}

struct wdf_queue_twice {
	BOOLEAN first, second;
	KIRQL irql;
	bool work_queued;	/* the work item was queued before the IRQL dropped */
	bool workitem;
};

static EVT_WDF_INTERRUPT_SYNCHRONIZE wdf_test_queue_twice;

_Use_decl_annotations_
static BOOLEAN wdf_test_queue_twice(WDFINTERRUPT Interrupt, WDFCONTEXT Context)
{
	struct wdf_queue_twice *q = Context;

	q->irql = KeGetCurrentIrql();
	if (q->workitem) {
		q->first = WdfInterruptQueueWorkItemForIsr(Interrupt);
		q->second = WdfInterruptQueueWorkItemForIsr(Interrupt);
		q->work_queued = wdm_workitem_busy(Interrupt->workitem);
	} else {
		q->first = WdfInterruptQueueDpcForIsr(Interrupt);
		q->second = WdfInterruptQueueDpcForIsr(Interrupt);
	}
	return TRUE;
}

/*
 * Two WdfInterruptQueueDpcForIsr() at DIRQL (under WdfInterruptSynchronize,
 * as from the ISR) before the DPC can run: TRUE, then FALSE, one DPC run.
 */
static void wdf_dpc_coalescing(struct kunit *test)
{
	struct wdf_queue_twice q = {};

	wdf_add(test);
	KUNIT_EXPECT_TRUE(test, WdfInterruptSynchronize(T->interrupt, wdf_test_queue_twice, &q));
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, q.irql, (KIRQL)WDM_DEVICE_IRQL);
	KUNIT_EXPECT_TRUE(test, q.first);
	KUNIT_EXPECT_FALSE(test, q.second);
	KUNIT_EXPECT_EQ(test, atomic_read(&T->dpc), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&T->isr), 0);
}

/*
 * WdfInterruptQueueWorkItemForIsr() at DIRQL queues the DPC (the second
 * call finds it queued: FALSE), and the work item is not queued until the
 * DPC runs; the work item runs once, at PASSIVE_LEVEL in a thread that may
 * sleep, with the device as AssociatedObject. From a real interrupt too.
 */
static void wdf_workitem_via_dpc(struct kunit *test)
{
	struct wdf_queue_twice q = { .workitem = true };

	T->workitem = true;
	wdf_add(test);
	KUNIT_EXPECT_TRUE(test, WdfInterruptSynchronize(T->interrupt, wdf_test_queue_twice, &q));
	KUNIT_EXPECT_TRUE(test, q.first);
	KUNIT_EXPECT_FALSE(test, q.second);
	KUNIT_EXPECT_FALSE(test, q.work_queued);
	KUNIT_ASSERT_TRUE(test, wdf_wait_count(&T->work, 1));
	KUNIT_EXPECT_EQ(test, T->work_irql, (KIRQL)PASSIVE_LEVEL);
	KUNIT_EXPECT_FALSE(test, T->work_atomic);
	KUNIT_EXPECT_PTR_EQ(test, T->work_object, (WDFOBJECT)T->device);

	wdf_raise();
	KUNIT_EXPECT_TRUE(test, wdf_wait_count(&T->work, 2));
	KUNIT_EXPECT_EQ(test, atomic_read(&T->isr), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&T->dpc), 0);
}

/* At PASSIVE_LEVEL WdfInterruptQueueWorkItemForIsr() queues the work item itself. */
static void wdf_workitem_passive_caller(struct kunit *test)
{
	T->workitem = true;
	wdf_add(test);
	KUNIT_EXPECT_TRUE(test, WdfInterruptQueueWorkItemForIsr(T->interrupt));
	KUNIT_EXPECT_TRUE(test, wdf_wait_count(&T->work, 1));
	KUNIT_EXPECT_EQ(test, T->work_irql, (KIRQL)PASSIVE_LEVEL);
}

static void wdf_test_hold_lock(void *arg)
{
	WdfInterruptAcquireLock(T->interrupt);
	WRITE_ONCE(T->hold, true);
	wdm_test_wait_until(&T->release);
	WdfInterruptReleaseLock(T->interrupt);
}

/*
 * PassiveHandling with the driver's wait lock: EvtInterruptEnable at
 * PASSIVE_LEVEL holding the wait lock; while another thread holds the
 * interrupt lock, WdfInterruptTryToAcquireLock() fails and the ISR waits;
 * once released, the ISR runs at PASSIVE_LEVEL, in a thread, under the lock.
 */
static void wdf_passive_handling(struct kunit *test)
{
	struct wdm_test_worker w;

	T->passive = true;
	T->workitem = true;
	KUNIT_ASSERT_EQ(test, WdfWaitLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &T->waitlock),
			STATUS_SUCCESS);
	wdf_add(test);
	KUNIT_ASSERT_EQ(test, T->nev, 5U);
	KUNIT_EXPECT_EQ(test, T->ev[3].ev, EV_ENABLE);
	KUNIT_EXPECT_EQ(test, T->ev[3].irql, (KIRQL)PASSIVE_LEVEL);
	KUNIT_EXPECT_TRUE(test, T->ev[3].locked);

	KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&w, 1, wdf_test_hold_lock, NULL), 0);
	KUNIT_ASSERT_TRUE(test, wdm_test_wait_until(&T->hold));
	KUNIT_EXPECT_FALSE(test, WdfInterruptTryToAcquireLock(T->interrupt));
	wdf_raise();
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&T->isr), 0);
	WRITE_ONCE(T->release, true);
	wdm_test_worker_wait(&w);

	KUNIT_ASSERT_TRUE(test, wdf_wait_count(&T->isr, 1));
	KUNIT_EXPECT_EQ(test, T->isr_irql, (KIRQL)PASSIVE_LEVEL);
	KUNIT_EXPECT_FALSE(test, T->isr_hardirq);
	KUNIT_EXPECT_TRUE(test, T->isr_lock_held);
	KUNIT_EXPECT_TRUE(test, wdf_wait_count(&T->work, 1));

	KUNIT_ASSERT_TRUE(test, WdfInterruptTryToAcquireLock(T->interrupt));
	WdfInterruptReleaseLock(T->interrupt);
}

/* A DIRQL interrupt has no wait lock to try: FALSE and one reported driver bug. */
static void wdf_try_lock_dirql(struct kunit *test)
{
	unsigned long bugs;

	wdf_add(test);
	bugs = wdm_bugs_reported();
	KUNIT_EXPECT_FALSE(test, WdfInterruptTryToAcquireLock(T->interrupt));
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported(), bugs + 1);
}

/* WdfInterruptAcquireLock() raises to the interrupt's DIRQL; release restores. */
static void wdf_acquire_lock_dirql(struct kunit *test)
{
	KIRQL irql;
	bool off;

	wdf_add(test);
	WdfInterruptAcquireLock(T->interrupt);
	irql = KeGetCurrentIrql();
	off = irqs_disabled();
	WdfInterruptReleaseLock(T->interrupt);
	KUNIT_EXPECT_EQ(test, irql, (KIRQL)WDM_DEVICE_IRQL);
	KUNIT_EXPECT_TRUE(test, off);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), (KIRQL)PASSIVE_LEVEL);
}

/* edu has one MSI message: the interrupt created in DeviceAdd gets it. */
static void wdf_get_info(struct kunit *test)
{
	WDF_INTERRUPT_INFO info;

	wdf_add(test);
	WDF_INTERRUPT_INFO_INIT(&info);
	WdfInterruptGetInfo(T->interrupt, &info);
	KUNIT_EXPECT_EQ(test, info.Size, (ULONG)sizeof(info));
	KUNIT_EXPECT_TRUE(test, info.MessageSignaled);
	KUNIT_EXPECT_EQ(test, info.MessageNumber, 0U);
	KUNIT_EXPECT_EQ(test, info.Vector, (ULONG)pci_irq_vector(T->edu, 0));
	KUNIT_EXPECT_EQ(test, info.Irql, (KIRQL)WDM_DEVICE_IRQL);
	KUNIT_EXPECT_EQ(test, info.Mode, Latched);
	KUNIT_EXPECT_EQ(test, info.ShareDisposition, (UCHAR)CmResourceShareDeviceExclusive);
	KUNIT_EXPECT_EQ(test, info.TargetProcessorSet, KeQueryActiveProcessors());
	KUNIT_EXPECT_PTR_EQ(test, WdfInterruptGetDevice(T->interrupt), T->device);
}

/*
 * A device whose messages are not allowed (MessageTypes 0, where Windows
 * reads MSISupported=0 from the INF): the interrupt gets the INTx line, a
 * shared level-sensitive resource, and edu's interrupt still reaches the
 * ISR and the DPC once.
 */
static void wdf_line_interrupt(struct kunit *test)
{
	WDF_INTERRUPT_INFO info;

	T->line_only = true;
	wdf_add(test);
	WDF_INTERRUPT_INFO_INIT(&info);
	WdfInterruptGetInfo(T->interrupt, &info);
	KUNIT_EXPECT_FALSE(test, info.MessageSignaled);
	KUNIT_EXPECT_EQ(test, info.Vector, (ULONG)T->edu->irq);
	KUNIT_EXPECT_EQ(test, info.Irql, (KIRQL)WDM_DEVICE_IRQL);
	KUNIT_EXPECT_EQ(test, info.Mode, LevelSensitive);
	KUNIT_EXPECT_EQ(test, info.ShareDisposition, (UCHAR)CmResourceShareShared);
	KUNIT_EXPECT_FALSE(test, T->edu->msi_enabled);
	wdf_raise();
	KUNIT_ASSERT_TRUE(test, wdf_wait_count(&T->dpc, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&T->isr), 1);
	KUNIT_EXPECT_EQ(test, T->isr_irql, (KIRQL)WDM_DEVICE_IRQL);
}

/*
 * Context areas: zeroed, the same from WdfObjectGetTypedContext() and the
 * casting function, NULL for a type the object was not given.
 */
static void wdf_context_areas(struct kunit *test)
{
	DEV_CONTEXT *d;
	INT_CONTEXT *i;

	wdf_add(test);
	d = wdf_test_dev_ctx(T->device);
	i = wdf_test_int_ctx(T->interrupt);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_NOT_NULL(test, i);
	KUNIT_EXPECT_EQ(test, d->magic, 0U);
	KUNIT_EXPECT_EQ(test, i->value, 0ULL);
	KUNIT_EXPECT_PTR_EQ(test, WdfObjectGetTypedContext(T->device, DEV_CONTEXT), d);
	KUNIT_EXPECT_PTR_EQ(test, WdfObjectGetTypedContext(T->interrupt, INT_CONTEXT), i);
	KUNIT_EXPECT_NULL(test, WdfObjectGetTypedContext(T->device, INT_CONTEXT));
	KUNIT_EXPECT_NULL(test, wdf_test_int_ctx(T->device));
}

/*
 * WdfInterruptDisable(): EvtInterruptDisable, then disconnected (no ISR for
 * a raised interrupt); WdfInterruptEnable(): connected, EvtInterruptEnable.
 */
static void wdf_driver_disable_enable(struct kunit *test)
{
	wdf_add(test);
	T->nev = 0;
	WdfInterruptDisable(T->interrupt);
	KUNIT_ASSERT_EQ(test, T->nev, 1U);
	expect_event(test, 0, EV_DISABLE, WdfPowerDeviceInvalid);
	KUNIT_EXPECT_NULL(test, WdfInterruptWdmGetInterrupt(T->interrupt));
	WdfInterruptEnable(T->interrupt);
	KUNIT_ASSERT_EQ(test, T->nev, 2U);
	expect_event(test, 1, EV_ENABLE, WdfPowerDeviceInvalid);
	KUNIT_EXPECT_TRUE(test, T->ev[1].connected);
	wdf_raise();
	KUNIT_EXPECT_TRUE(test, wdf_wait_count(&T->dpc, 1));
}

/*
 * WdfInterruptCreate's documented failures: a configuration Size that is
 * not sizeof(WDF_INTERRUPT_CONFIG) gives STATUS_INFO_LENGTH_MISMATCH; in
 * EvtDevicePrepareHardware without InterruptRaw/InterruptTranslated, and
 * after the device started, STATUS_INVALID_DEVICE_STATE.
 */
static void wdf_create_checks(struct kunit *test)
{
	WDF_INTERRUPT_CONFIG ic;
	WDFINTERRUPT wi;

	T->create_checks = true;
	wdf_add(test);
	KUNIT_EXPECT_EQ(test, T->bad_size, STATUS_INFO_LENGTH_MISMATCH);
	KUNIT_EXPECT_EQ(test, T->prepare_no_descriptors, STATUS_INVALID_DEVICE_STATE);
	WDF_INTERRUPT_CONFIG_INIT(&ic, wdf_test_isr, wdf_test_dpc);
	KUNIT_EXPECT_EQ(test, WdfInterruptCreate(T->device, &ic, WDF_NO_OBJECT_ATTRIBUTES, &wi),
			STATUS_INVALID_DEVICE_STATE);
	/* Only the one interrupt was made: one Enable at start. */
	KUNIT_EXPECT_EQ(test, T->nev, 5U);
}

/*
 * WdfIrqPolicySpecifiedProcessors with CPU 1 alone: the connection's
 * affinity is CPU 1 (IoGetAffinityInterrupt) and the ISR runs there.
 */
static void wdf_policy_specified_processors(struct kunit *test)
{
	GROUP_AFFINITY ga = {};

	if (num_online_cpus() < 2)
		kunit_skip(test, "one CPU");
	T->policy_mask = BIT(1);
	wdf_add(test);
	KUNIT_ASSERT_EQ(test, IoGetAffinityInterrupt(WdfInterruptWdmGetInterrupt(T->interrupt),
						     &ga), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, ga.Mask, (KAFFINITY)BIT(1));
	KUNIT_EXPECT_EQ(test, ga.Group, 0);
	wdf_raise();
	KUNIT_ASSERT_TRUE(test, wdf_wait_count(&T->dpc, 1));
	KUNIT_EXPECT_EQ(test, T->isr_cpu, 1U);
}

static struct kunit_case wdf_cases[] = {
	KUNIT_CASE(wdf_start_remove_order),
	KUNIT_CASE(wdf_suspend_resume),
	KUNIT_CASE(wdf_isr_dpc),
	KUNIT_CASE(wdf_dpc_coalescing),
	KUNIT_CASE(wdf_workitem_via_dpc),
	KUNIT_CASE(wdf_workitem_passive_caller),
	KUNIT_CASE(wdf_passive_handling),
	KUNIT_CASE(wdf_try_lock_dirql),
	KUNIT_CASE(wdf_acquire_lock_dirql),
	KUNIT_CASE(wdf_get_info),
	KUNIT_CASE(wdf_line_interrupt),
	KUNIT_CASE(wdf_context_areas),
	KUNIT_CASE(wdf_driver_disable_enable),
	KUNIT_CASE(wdf_create_checks),
	KUNIT_CASE(wdf_policy_specified_processors),
	{}
};

static struct kunit_suite wdf_suite = {
	.name = "wdf",
	.init = wdf_init,
	.exit = wdf_exit,
	.test_cases = wdf_cases,
};

kunit_test_suite(wdf_suite);
