// SPDX-License-Identifier: GPL-2.0
/*
 * KMDF interrupt objects (WDFINTERRUPT) and the framework's spin and wait
 * locks, on the WDM shim: each WDFINTERRUPT is connected with
 * IoConnectInterruptEx(CONNECT_FULLY_SPECIFIED_GROUP) from its translated
 * resource, under its own KSPIN_LOCK or the WDFSPINLOCK of its
 * configuration; its DpcForIsr is a KDPC and its WorkItemForIsr an
 * IO_WORKITEM.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/topology.h>

#include "wdm_internal.h"
#include "wdf_internal.h"

/*
 * Spin locks
 */

static void wdf_spinlock_free(struct wdf_object *obj)
{
	kfree(container_of(obj, struct WDFSPINLOCK__, hdr));
}

/**
 * WdfSpinLockCreate() - create a framework spin lock
 * @SpinLockAttributes: parent, context and callbacks, or WDF_NO_OBJECT_ATTRIBUTES
 * @SpinLock: receives the handle
 *
 * With no ParentObject the lock lives until WdfObjectDelete().
 *
 * Context: IRQL <= DISPATCH_LEVEL.
 * Return: STATUS_SUCCESS, STATUS_INVALID_PARAMETER, or
 * STATUS_INSUFFICIENT_RESOURCES.
 */
NTSTATUS WdfSpinLockCreate(PWDF_OBJECT_ATTRIBUTES SpinLockAttributes, WDFSPINLOCK *SpinLock)
{
	struct WDFSPINLOCK__ *sl;
	NTSTATUS status;

	if (!SpinLock)
		return STATUS_INVALID_PARAMETER;
	sl = kzalloc(sizeof(*sl), GFP_ATOMIC);
	if (!sl)
		return STATUS_INSUFFICIENT_RESOURCES;
	KeInitializeSpinLock(&sl->lock);
	sl->irql = DISPATCH_LEVEL;
	status = wdf_object_init(&sl->hdr, WDF_TYPE_SPINLOCK, SpinLockAttributes, NULL,
				 wdf_spinlock_free);
	if (!NT_SUCCESS(status)) {
		kfree(sl);
		return status;
	}
	*SpinLock = sl;
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(WdfSpinLockCreate);

/**
 * WdfSpinLockAcquire() - take a framework spin lock
 * @SpinLock: the lock
 *
 * Raises to DISPATCH_LEVEL, or, for a lock that is a WDFINTERRUPT's
 * SpinLock, to the interrupt's SynchronizeIrql (local interrupts off).
 *
 * Context: IRQL <= the level raised to.
 */
void WdfSpinLockAcquire(WDFSPINLOCK SpinLock)
	__acquires(&SpinLock->lock.rlock)
{
	KIRQL old;

	if (!wdf_object_is(SpinLock, WDF_TYPE_SPINLOCK, _RET_IP_)) {
		__acquire(&SpinLock->lock.rlock);
		return;
	}
	KeRaiseIrql(SpinLock->irql, &old);
	raw_spin_lock(&SpinLock->lock.rlock);
	SpinLock->old_irql = old;
}
EXPORT_SYMBOL_GPL(WdfSpinLockAcquire);

/**
 * WdfSpinLockRelease() - release a framework spin lock
 * @SpinLock: the lock WdfSpinLockAcquire() took
 *
 * Context: the holder of the lock.
 */
void WdfSpinLockRelease(WDFSPINLOCK SpinLock)
	__releases(&SpinLock->lock.rlock)
{
	KIRQL old;

	if (!wdf_object_is(SpinLock, WDF_TYPE_SPINLOCK, _RET_IP_)) {
		__release(&SpinLock->lock.rlock);
		return;
	}
	old = SpinLock->old_irql;
	raw_spin_unlock(&SpinLock->lock.rlock);
	KeLowerIrql(old);
}
EXPORT_SYMBOL_GPL(WdfSpinLockRelease);

/*
 * Wait locks
 */

static void wdf_waitlock_free(struct wdf_object *obj)
{
	kfree(container_of(obj, struct WDFWAITLOCK__, hdr));
}

static NTSTATUS wdf_waitlock_create(PWDF_OBJECT_ATTRIBUTES attr, struct wdf_object *parent,
				    struct WDFWAITLOCK__ **out)
{
	struct WDFWAITLOCK__ *wl;
	NTSTATUS status;

	wl = kzalloc(sizeof(*wl), GFP_KERNEL);
	if (!wl)
		return STATUS_INSUFFICIENT_RESOURCES;
	KeInitializeEvent(&wl->event, SynchronizationEvent, TRUE);
	status = wdf_object_init(&wl->hdr, WDF_TYPE_WAITLOCK, attr, parent, wdf_waitlock_free);
	if (!NT_SUCCESS(status)) {
		kfree(wl);
		return status;
	}
	*out = wl;
	return STATUS_SUCCESS;
}

/**
 * WdfWaitLockCreate() - create a framework wait lock
 * @LockAttributes: parent, context and callbacks, or WDF_NO_OBJECT_ATTRIBUTES
 * @Lock: receives the handle
 *
 * With no ParentObject the lock lives until WdfObjectDelete().
 *
 * Context: PASSIVE_LEVEL.
 * Return: STATUS_SUCCESS, STATUS_INVALID_PARAMETER, or
 * STATUS_INSUFFICIENT_RESOURCES.
 */
NTSTATUS WdfWaitLockCreate(PWDF_OBJECT_ATTRIBUTES LockAttributes, WDFWAITLOCK *Lock)
{
	if (!Lock)
		return STATUS_INVALID_PARAMETER;
	return wdf_waitlock_create(LockAttributes, NULL, Lock);
}
EXPORT_SYMBOL_GPL(WdfWaitLockCreate);

/**
 * WdfWaitLockAcquire() - take a framework wait lock
 * @Lock: the lock
 * @Timeout: NULL to wait until it is free; 0 to try once; else the longest
 *	wait in 100 ns units, negative for relative
 *
 * Context: PASSIVE_LEVEL (any level <= DISPATCH_LEVEL with a zero timeout).
 * Return: STATUS_SUCCESS with the lock held, or STATUS_TIMEOUT without it.
 */
NTSTATUS WdfWaitLockAcquire(WDFWAITLOCK Lock, PLONGLONG Timeout)
{
	LARGE_INTEGER t;

	if (!wdf_object_is(Lock, WDF_TYPE_WAITLOCK, _RET_IP_))
		return STATUS_INVALID_PARAMETER;
	if (Timeout)
		t.QuadPart = *Timeout;
	return KeWaitForSingleObject(&Lock->event, Executive, KernelMode, FALSE,
				     Timeout ? &t : NULL);
}
EXPORT_SYMBOL_GPL(WdfWaitLockAcquire);

/**
 * WdfWaitLockRelease() - release a framework wait lock
 * @Lock: the lock
 *
 * Context: IRQL <= DISPATCH_LEVEL, by the holder.
 */
void WdfWaitLockRelease(WDFWAITLOCK Lock)
{
	if (!wdf_object_is(Lock, WDF_TYPE_WAITLOCK, _RET_IP_))
		return;
	KeSetEvent(&Lock->event, IO_NO_INCREMENT, FALSE);
}
EXPORT_SYMBOL_GPL(WdfWaitLockRelease);

/*
 * Creating interrupts
 */

static bool wdf_interrupt_ok(WDFINTERRUPT wi, unsigned long caller)
{
	return wdf_object_is(wi, WDF_TYPE_INTERRUPT, caller);
}

static void wdf_interrupt_free(struct wdf_object *obj)
{
	struct WDFINTERRUPT__ *wi = container_of(obj, struct WDFINTERRUPT__, hdr);

	if (wi->ki)
		wdm_report_bug(_RET_IP_, "WDFINTERRUPT %p deleted while connected", wi);
	list_del(&wi->node);
	wi->device->interrupt_count--;
	if (wi->workitem)
		IoFreeWorkItem(wi->workitem);
	kfree(wi);
}

static void wdf_interrupt_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			      PVOID SystemArgument2);

static NTSTATUS wdf_interrupt_check(struct WDFDEVICE__ *dev, PWDF_INTERRUPT_CONFIG c)
{
	if (c->Size != sizeof(*c))
		return STATUS_INFO_LENGTH_MISMATCH;
	if (!c->EvtInterruptIsr)
		return STATUS_INVALID_PARAMETER;
	/* KMDF: a DpcForIsr or a WorkItemForIsr, not both. */
	if (c->EvtInterruptDpc && c->EvtInterruptWorkItem)
		return STATUS_INVALID_PARAMETER;
	/* A wait lock only for passive handling, a spin lock only for DIRQL. */
	if ((c->WaitLock && !c->PassiveHandling) || (c->SpinLock && c->PassiveHandling))
		return STATUS_INVALID_PARAMETER;
	if (c->SpinLock && !wdf_object_is(c->SpinLock, WDF_TYPE_SPINLOCK, _RET_IP_))
		return STATUS_INVALID_PARAMETER;
	if (c->WaitLock && !wdf_object_is(c->WaitLock, WDF_TYPE_WAITLOCK, _RET_IP_))
		return STATUS_INVALID_PARAMETER;
	if (!c->InterruptRaw != !c->InterruptTranslated || c->CanWakeDevice)
		return STATUS_INVALID_PARAMETER;
	/* Resources are given only in EvtDevicePrepareHardware. */
	if (!!c->InterruptTranslated != dev->prepared)
		return STATUS_INVALID_DEVICE_STATE;
	if (c->InterruptTranslated && c->InterruptTranslated->Type != CmResourceTypeInterrupt)
		return STATUS_INVALID_PARAMETER;
	return STATUS_SUCCESS;
}

static NTSTATUS wdf_interrupt_setup(struct WDFINTERRUPT__ *wi)
{
	PWDF_INTERRUPT_CONFIG c = &wi->config;
	NTSTATUS status;

	KeInitializeSpinLock(&wi->own_lock);
	wi->lock = &wi->own_lock;
	if (c->SpinLock) {
		wi->lock = &c->SpinLock->lock;
		c->SpinLock->irql = WDM_DEVICE_IRQL;
	}
	wi->passive = c->PassiveHandling;
	if (wi->passive) {
		wi->waitlock = c->WaitLock;
		if (!wi->waitlock) {
			status = wdf_waitlock_create(NULL, &wi->hdr, &wi->own_waitlock);
			if (!NT_SUCCESS(status))
				return status;
			wi->waitlock = wi->own_waitlock;
		}
	}
	KeInitializeDpc(&wi->dpc, wdf_interrupt_dpc, wi);
	if (c->EvtInterruptWorkItem) {
		wi->workitem = IoAllocateWorkItem(&wi->device->pdo);
		if (!wi->workitem)
			return STATUS_INSUFFICIENT_RESOURCES;
	}
	WDF_INTERRUPT_INFO_INIT(&wi->info);
	WDF_INTERRUPT_EXTENDED_POLICY_INIT(&wi->policy);
	return STATUS_SUCCESS;
}

/**
 * WdfInterruptCreate() - create an interrupt object for a device
 * @Device: the device
 * @Configuration: callbacks and options (WDF_INTERRUPT_CONFIG_INIT)
 * @Attributes: context and callbacks, or WDF_NO_OBJECT_ATTRIBUTES
 * @Interrupt: receives the handle
 *
 * In EvtDriverDeviceAdd (no InterruptRaw/InterruptTranslated): the
 * interrupts take the device's interrupt resources in creation order at
 * start, its MSI-X or MSI messages if it has them, else its line. In
 * EvtDevicePrepareHardware: the descriptors given, from its resource lists;
 * the object is deleted after EvtDeviceReleaseHardware. The framework
 * connects and disconnects it around D0.
 *
 * Context: PASSIVE_LEVEL, in EvtDriverDeviceAdd or EvtDevicePrepareHardware.
 * Return: STATUS_SUCCESS; STATUS_INFO_LENGTH_MISMATCH if the configuration's
 * Size is not sizeof(WDF_INTERRUPT_CONFIG); STATUS_INVALID_PARAMETER for a bad configuration
 * (no ISR, both EvtInterruptDpc and EvtInterruptWorkItem, a WaitLock
 * without PassiveHandling or a SpinLock with it, only one of the two
 * descriptors, CanWakeDevice); STATUS_INVALID_DEVICE_STATE for descriptors
 * outside EvtDevicePrepareHardware, none inside it, or a call after start;
 * STATUS_INSUFFICIENT_RESOURCES.
 */
NTSTATUS WdfInterruptCreate(WDFDEVICE Device, PWDF_INTERRUPT_CONFIG Configuration,
			    PWDF_OBJECT_ATTRIBUTES Attributes, WDFINTERRUPT *Interrupt)
{
	struct WDFINTERRUPT__ *wi;
	NTSTATUS status;

	if (!wdf_object_is(Device, WDF_TYPE_DEVICE, _RET_IP_) || !Configuration || !Interrupt)
		return STATUS_INVALID_PARAMETER;
	if (Device->in_d0)
		return STATUS_INVALID_DEVICE_STATE;
	status = wdf_interrupt_check(Device, Configuration);
	if (!NT_SUCCESS(status))
		return status;
	wi = kzalloc(sizeof(*wi), GFP_KERNEL);
	if (!wi)
		return STATUS_INSUFFICIENT_RESOURCES;
	wi->device = Device;
	wi->config = *Configuration;
	list_add_tail(&wi->node, &Device->interrupts);
	Device->interrupt_count++;
	status = wdf_object_init(&wi->hdr, WDF_TYPE_INTERRUPT, Attributes, &Device->hdr,
				 wdf_interrupt_free);
	if (!NT_SUCCESS(status)) {
		list_del(&wi->node);
		Device->interrupt_count--;
		kfree(wi);
		return status;
	}
	status = wdf_interrupt_setup(wi);
	if (!NT_SUCCESS(status)) {
		wdf_object_delete(&wi->hdr);
		return status;
	}
	if (Configuration->InterruptTranslated) {
		wi->in_prepare_hardware = true;
		wdf_interrupt_assign(wi, Configuration->InterruptRaw,
				     Configuration->InterruptTranslated);
	}
	*Interrupt = wi;
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(WdfInterruptCreate);

/* Give @wi the interrupt resource @raw / @translated and describe it. */
void wdf_interrupt_assign(struct WDFINTERRUPT__ *wi, PCM_PARTIAL_RESOURCE_DESCRIPTOR raw,
			  PCM_PARTIAL_RESOURCE_DESCRIPTOR translated)
{
	PWDF_INTERRUPT_INFO info = &wi->info;
	bool msg = translated->Flags & CM_RESOURCE_INTERRUPT_MESSAGE;

	wi->raw = *raw;
	wi->translated = *translated;
	wi->has_resource = true;
	WDF_INTERRUPT_INFO_INIT(info);
	info->MessageSignaled = msg;
	info->ShareDisposition = translated->ShareDisposition;
	info->Mode = translated->Flags & CM_RESOURCE_INTERRUPT_LATCHED ? Latched : LevelSensitive;
	if (msg) {
		info->MessageNumber = raw->u.MessageInterrupt.Raw.Vector;
		info->Vector = translated->u.MessageInterrupt.Translated.Vector;
		info->Irql = translated->u.MessageInterrupt.Translated.Level;
		info->TargetProcessorSet = translated->u.MessageInterrupt.Translated.Affinity;
		info->Polarity = WdfInterruptActiveHigh;
	} else {
		info->Vector = translated->u.Interrupt.Vector;
		info->Irql = translated->u.Interrupt.Level;
		info->TargetProcessorSet = translated->u.Interrupt.Affinity;
		/* A PCI INTx line is active low. */
		info->Polarity = WdfInterruptActiveLow;
	}
}

/*
 * ISR, DPC and work item
 */

static KSERVICE_ROUTINE wdf_interrupt_isr;

/* The ISR the shim calls: the driver's, under the wait lock if passive. */
_Use_decl_annotations_
static BOOLEAN wdf_interrupt_isr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
	struct WDFINTERRUPT__ *wi = ServiceContext;
	BOOLEAN claimed;

	if (!wi->passive)
		return wi->config.EvtInterruptIsr(wi, wi->info.MessageNumber);
	WdfWaitLockAcquire(wi->waitlock, NULL);
	claimed = wi->config.EvtInterruptIsr(wi, wi->info.MessageNumber);
	WdfWaitLockRelease(wi->waitlock);
	return claimed;
}

static IO_WORKITEM_ROUTINE_EX wdf_interrupt_work;

_Use_decl_annotations_
static VOID wdf_interrupt_work(PVOID IoObject, PVOID Context, PIO_WORKITEM IoWorkItem)
{
	struct WDFINTERRUPT__ *wi = Context;

	wi->config.EvtInterruptWorkItem(wi, wi->device);
}

/* KMDF's TryToEnqueue: FALSE if the work item is queued and has not started. */
static BOOLEAN wdf_interrupt_queue_work(struct WDFINTERRUPT__ *wi)
{
	return IoTryQueueWorkItem(wi->workitem, wdf_interrupt_work, DelayedWorkQueue, wi);
}

/* The interrupt's one KDPC: the driver's DpcForIsr, or the way to its work item. */
static void wdf_interrupt_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			      PVOID SystemArgument2)
{
	struct WDFINTERRUPT__ *wi = DeferredContext;

	if (wi->config.EvtInterruptWorkItem)
		wdf_interrupt_queue_work(wi);
	else if (wi->config.EvtInterruptDpc)
		wi->config.EvtInterruptDpc(wi, wi->device);
}

/**
 * WdfInterruptQueueDpcForIsr() - queue the interrupt's EvtInterruptDpc
 * @Interrupt: the interrupt
 *
 * The DPC runs at DISPATCH_LEVEL with (Interrupt, its device). Queued
 * again before it starts, it still runs once.
 *
 * Context: any IRQL, usually the ISR.
 * Return: TRUE if queued, FALSE if it was queued already.
 */
BOOLEAN WdfInterruptQueueDpcForIsr(WDFINTERRUPT Interrupt)
{
	if (!wdf_interrupt_ok(Interrupt, _RET_IP_))
		return FALSE;
	return KeInsertQueueDpc(&Interrupt->dpc, Interrupt, NULL);
}
EXPORT_SYMBOL_GPL(WdfInterruptQueueDpcForIsr);

/**
 * WdfInterruptQueueWorkItemForIsr() - queue the interrupt's EvtInterruptWorkItem
 * @Interrupt: an interrupt with an EvtInterruptWorkItem
 *
 * The work item runs at PASSIVE_LEVEL with (Interrupt, its device). Above
 * DISPATCH_LEVEL (a DIRQL ISR) this queues the interrupt's DPC, which
 * queues the work item, as KMDF does.
 *
 * Context: any IRQL, usually the ISR.
 * Return: TRUE if queued, FALSE if already queued; above DISPATCH_LEVEL
 * whether the DPC was queued.
 */
BOOLEAN WdfInterruptQueueWorkItemForIsr(WDFINTERRUPT Interrupt)
{
	if (!wdf_interrupt_ok(Interrupt, _RET_IP_))
		return FALSE;
	if (!Interrupt->workitem) {
		wdm_report_bug(_RET_IP_, "%s() on an interrupt without EvtInterruptWorkItem",
			       __func__);
		return FALSE;
	}
	if (KeGetCurrentIrql() > DISPATCH_LEVEL)
		return KeInsertQueueDpc(&Interrupt->dpc, Interrupt, NULL);
	return wdf_interrupt_queue_work(Interrupt);
}
EXPORT_SYMBOL_GPL(WdfInterruptQueueWorkItemForIsr);

/*
 * Locks
 */

struct wdf_sync {
	struct WDFINTERRUPT__ *wi;
	PFN_WDF_INTERRUPT_SYNCHRONIZE callback;
	WDFCONTEXT context;
	BOOLEAN ret;
};

static KSYNCHRONIZE_ROUTINE wdf_sync_thunk;

_Use_decl_annotations_
static BOOLEAN wdf_sync_thunk(PVOID SynchronizeContext)
{
	struct wdf_sync *s = SynchronizeContext;

	if (s->wi->passive)
		WdfWaitLockAcquire(s->wi->waitlock, NULL);
	s->ret = s->callback(s->wi, s->context);
	if (s->wi->passive)
		WdfWaitLockRelease(s->wi->waitlock);
	return s->ret;
}

/*
 * Run @s under the interrupt's lock: KeSynchronizeExecution() while
 * connected (the wait lock inside, for passive handling); else the lock
 * itself, at the interrupt's SynchronizeIrql or PASSIVE_LEVEL.
 */
static BOOLEAN wdf_synchronize(struct wdf_sync *s)
{
	struct WDFINTERRUPT__ *wi = s->wi;
	KIRQL old;

	if (wi->ki)
		return KeSynchronizeExecution(wi->ki, wdf_sync_thunk, s);
	if (wi->passive)
		return wdf_sync_thunk(s);
	KeRaiseIrql(WDM_DEVICE_IRQL, &old);
	raw_spin_lock(&wi->lock->rlock);
	wdf_sync_thunk(s);
	raw_spin_unlock(&wi->lock->rlock);
	KeLowerIrql(old);
	return s->ret;
}

/**
 * WdfInterruptSynchronize() - run a routine under the interrupt's lock
 * @Interrupt: the interrupt
 * @Callback: the routine, called with (Interrupt, Context)
 * @Context: its second argument
 *
 * DIRQL interrupts: under the interrupt spin lock at the interrupt's
 * SynchronizeIrql. Passive handling: under the wait lock at PASSIVE_LEVEL.
 *
 * Context: IRQL <= DISPATCH_LEVEL (PASSIVE_LEVEL for passive handling).
 * Return: what @Callback returned.
 */
BOOLEAN WdfInterruptSynchronize(WDFINTERRUPT Interrupt, PFN_WDF_INTERRUPT_SYNCHRONIZE Callback,
				WDFCONTEXT Context)
{
	struct wdf_sync s = { .wi = Interrupt, .callback = Callback, .context = Context };

	if (!wdf_interrupt_ok(Interrupt, _RET_IP_) || !Callback)
		return FALSE;
	return wdf_synchronize(&s);
}
EXPORT_SYMBOL_GPL(WdfInterruptSynchronize);

/**
 * WdfInterruptAcquireLock() - take the interrupt's lock
 * @Interrupt: the interrupt
 *
 * DIRQL interrupts: the interrupt spin lock, raising to the interrupt's
 * SynchronizeIrql (the interrupt must be connected, as in KMDF). Passive
 * handling: the wait lock.
 *
 * Context: IRQL <= DISPATCH_LEVEL (PASSIVE_LEVEL for passive handling).
 */
void WdfInterruptAcquireLock(WDFINTERRUPT Interrupt)
{
	if (!wdf_interrupt_ok(Interrupt, _RET_IP_))
		return;
	if (Interrupt->passive) {
		WdfWaitLockAcquire(Interrupt->waitlock, NULL);
		return;
	}
	if (!Interrupt->ki) {
		wdm_report_bug(_RET_IP_, "%s() of an interrupt that is not connected", __func__);
		return;
	}
	Interrupt->old_irql = KeAcquireInterruptSpinLock(Interrupt->ki);
}
EXPORT_SYMBOL_GPL(WdfInterruptAcquireLock);

/**
 * WdfInterruptReleaseLock() - release what WdfInterruptAcquireLock() took
 * @Interrupt: the interrupt
 *
 * Context: the holder of the lock.
 */
void WdfInterruptReleaseLock(WDFINTERRUPT Interrupt)
{
	if (!wdf_interrupt_ok(Interrupt, _RET_IP_))
		return;
	if (Interrupt->passive) {
		WdfWaitLockRelease(Interrupt->waitlock);
		return;
	}
	if (!Interrupt->ki) {
		wdm_report_bug(_RET_IP_, "%s() of an interrupt that is not connected", __func__);
		return;
	}
	KeReleaseInterruptSpinLock(Interrupt->ki, Interrupt->old_irql);
}
EXPORT_SYMBOL_GPL(WdfInterruptReleaseLock);

/**
 * WdfInterruptTryToAcquireLock() - try to take a passive interrupt's wait lock
 * @Interrupt: an interrupt with PassiveHandling
 *
 * Context: PASSIVE_LEVEL.
 * Return: TRUE with the lock held, FALSE if another thread holds it; FALSE
 * (a driver bug, as KMDF asserts) for a DIRQL interrupt.
 */
BOOLEAN WdfInterruptTryToAcquireLock(WDFINTERRUPT Interrupt)
{
	LONGLONG timeout = 0;

	if (!wdf_interrupt_ok(Interrupt, _RET_IP_))
		return FALSE;
	if (!Interrupt->passive) {
		wdm_report_bug(_RET_IP_, "%s() is for passive-level interrupt handling only",
			       __func__);
		return FALSE;
	}
	return WdfWaitLockAcquire(Interrupt->waitlock, &timeout) == STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(WdfInterruptTryToAcquireLock);

/*
 * Connecting
 */

struct wdf_enable {
	struct WDFINTERRUPT__ *wi;
	PFN_WDF_INTERRUPT_ENABLE callback;	/* Enable and Disable have one type */
	NTSTATUS status;
};

static KSYNCHRONIZE_ROUTINE wdf_enable_thunk;

_Use_decl_annotations_
static BOOLEAN wdf_enable_thunk(PVOID SynchronizeContext)
{
	struct wdf_enable *e = SynchronizeContext;

	if (e->wi->passive)
		WdfWaitLockAcquire(e->wi->waitlock, NULL);
	e->status = e->callback(e->wi, e->wi->device);
	if (e->wi->passive)
		WdfWaitLockRelease(e->wi->waitlock);
	return TRUE;
}

/* EvtInterruptEnable or Disable, under the interrupt's lock at its IRQL. */
static NTSTATUS wdf_interrupt_call(struct WDFINTERRUPT__ *wi, PFN_WDF_INTERRUPT_ENABLE cb)
{
	struct wdf_enable e = { .wi = wi, .callback = cb, .status = STATUS_SUCCESS };

	if (cb)
		KeSynchronizeExecution(wi->ki, wdf_enable_thunk, &e);
	return e.status;
}

/* The CPUs the policy asks for, within the resource's @mask. */
static KAFFINITY wdf_policy_mask(struct WDFINTERRUPT__ *wi, KAFFINITY mask, USHORT *group)
{
	PWDF_INTERRUPT_EXTENDED_POLICY p = &wi->policy;
	int node = dev_to_node(&wi->device->pdev->dev);
	const struct cpumask *near = node == NUMA_NO_NODE ? cpu_online_mask :
							     cpumask_of_node(node);
	KAFFINITY m = 0;
	unsigned int cpu;

	*group = 0;
	if (!wi->set_policy)
		return mask;
	switch (p->Policy) {
	case WdfIrqPolicySpecifiedProcessors:
		*group = p->TargetProcessorSetAndGroup.Group;
		return p->TargetProcessorSetAndGroup.Mask;
	case WdfIrqPolicyOneCloseProcessor:
	case WdfIrqPolicyAllCloseProcessors:
		for_each_cpu_and(cpu, near, cpu_online_mask) {
			if (cpu >= BITS_PER_LONG)
				break;
			m |= BIT(cpu);
			if (p->Policy == WdfIrqPolicyOneCloseProcessor)
				break;
		}
		return m & mask ? m & mask : mask;
	default:
		return mask;
	}
}

static NTSTATUS wdf_interrupt_connect(struct WDFINTERRUPT__ *wi)
{
	IO_CONNECT_INTERRUPT_PARAMETERS p = { .Version = CONNECT_FULLY_SPECIFIED_GROUP };
	IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS *fs = &p.FullySpecified;
	PWDF_INTERRUPT_INFO info = &wi->info;
	NTSTATUS status;

	fs->PhysicalDeviceObject = &wi->device->pdo;
	fs->InterruptObject = &wi->ki;
	fs->ServiceRoutine = wdf_interrupt_isr;
	fs->ServiceContext = wi;
	fs->FloatingSave = wi->config.FloatingSave;
	if (wi->config.ShareVector == WdfUseDefault)
		fs->ShareVector = info->ShareDisposition == CmResourceShareShared;
	else
		fs->ShareVector = wi->config.ShareVector == WdfTrue;
	fs->Vector = info->Vector;
	fs->InterruptMode = info->Mode;
	fs->ProcessorEnableMask = wdf_policy_mask(wi, info->TargetProcessorSet, &fs->Group);
	/* Passive handling: a threaded ISR (Irql = SynchronizeIrql = PASSIVE_LEVEL). */
	if (!wi->passive) {
		fs->SpinLock = wi->lock;
		fs->Irql = info->Irql;
		fs->SynchronizeIrql = info->Irql;
	}
	if (!info->MessageSignaled)
		pci_intx(wi->device->pdev, 1);
	status = IoConnectInterruptEx(&p);
	if (!NT_SUCCESS(status)) {
		wi->ki = NULL;
		return status;
	}
	wi->version = p.Version;
	status = wdf_interrupt_call(wi, wi->config.EvtInterruptEnable);
	if (!NT_SUCCESS(status)) {
		IO_DISCONNECT_INTERRUPT_PARAMETERS d = { .Version = wi->version };

		d.ConnectionContext.InterruptObject = wi->ki;
		IoDisconnectInterruptEx(&d);
		wi->ki = NULL;
	}
	return status;
}

/* Wait for the DPC and the work item of a disconnected interrupt. */
static void wdf_interrupt_flush(struct WDFINTERRUPT__ *wi)
{
	KeFlushQueuedDpcs();
	if (wi->workitem)
		wdm_workitem_flush(wi->workitem);
}

static void wdf_interrupt_disconnect(struct WDFINTERRUPT__ *wi)
{
	IO_DISCONNECT_INTERRUPT_PARAMETERS d = { .Version = wi->version };

	wdf_interrupt_call(wi, wi->config.EvtInterruptDisable);
	d.ConnectionContext.InterruptObject = wi->ki;
	IoDisconnectInterruptEx(&d);
	wi->ki = NULL;
	wdf_interrupt_flush(wi);
}

/*
 * Connect each interrupt that has a resource and enable it (its
 * EvtInterruptEnable at its IRQL under its lock), in creation order.
 */
NTSTATUS wdf_interrupts_connect(struct WDFDEVICE__ *dev)
{
	struct WDFINTERRUPT__ *wi;
	NTSTATUS status;

	list_for_each_entry(wi, &dev->interrupts, node) {
		if (!wi->has_resource || wi->force_disconnected || wi->ki)
			continue;
		status = wdf_interrupt_connect(wi);
		if (!NT_SUCCESS(status)) {
			list_for_each_entry_continue_reverse(wi, &dev->interrupts, node)
				if (wi->ki)
					wdf_interrupt_disconnect(wi);
			return status;
		}
	}
	return STATUS_SUCCESS;
}

/* Disable (EvtInterruptDisable) and disconnect each connected interrupt. */
void wdf_interrupts_disconnect(struct WDFDEVICE__ *dev)
{
	struct WDFINTERRUPT__ *wi;

	list_for_each_entry(wi, &dev->interrupts, node)
		if (wi->ki)
			wdf_interrupt_disconnect(wi);
}

/**
 * WdfInterruptEnable() - connect and enable an interrupt the driver disabled
 * @Interrupt: the interrupt
 *
 * Undoes WdfInterruptDisable(): connects the interrupt and calls its
 * EvtInterruptEnable. Does nothing if it is connected or the device is not
 * in D0.
 *
 * Context: PASSIVE_LEVEL.
 */
void WdfInterruptEnable(WDFINTERRUPT Interrupt)
{
	struct WDFDEVICE__ *dev;

	if (!wdf_interrupt_ok(Interrupt, _RET_IP_))
		return;
	dev = Interrupt->device;
	mutex_lock(&dev->lock);
	Interrupt->force_disconnected = false;
	if (dev->in_d0 && Interrupt->has_resource && !Interrupt->ki)
		wdf_interrupt_connect(Interrupt);
	mutex_unlock(&dev->lock);
}
EXPORT_SYMBOL_GPL(WdfInterruptEnable);

/**
 * WdfInterruptDisable() - disable and disconnect an interrupt
 * @Interrupt: the interrupt
 *
 * Calls its EvtInterruptDisable and disconnects it; it stays disconnected,
 * through D0 transitions too, until WdfInterruptEnable().
 *
 * Context: PASSIVE_LEVEL.
 */
void WdfInterruptDisable(WDFINTERRUPT Interrupt)
{
	struct WDFDEVICE__ *dev;

	if (!wdf_interrupt_ok(Interrupt, _RET_IP_))
		return;
	dev = Interrupt->device;
	mutex_lock(&dev->lock);
	Interrupt->force_disconnected = true;
	if (Interrupt->ki)
		wdf_interrupt_disconnect(Interrupt);
	mutex_unlock(&dev->lock);
}
EXPORT_SYMBOL_GPL(WdfInterruptDisable);

/*
 * Information and policy
 */

/**
 * WdfInterruptGetInfo() - describe an interrupt's resource
 * @Interrupt: the interrupt
 * @Info: filled in; Size must be sizeof(WDF_INTERRUPT_INFO) (WDF_INTERRUPT_INFO_INIT)
 *
 * Vector is the Linux IRQ number, Irql the translated resource's level,
 * MessageNumber the message's index (0 for a line). All zero for an
 * interrupt that has no resource.
 *
 * Context: IRQL <= DISPATCH_LEVEL.
 */
void WdfInterruptGetInfo(WDFINTERRUPT Interrupt, PWDF_INTERRUPT_INFO Info)
{
	if (!wdf_interrupt_ok(Interrupt, _RET_IP_))
		return;
	if (!Info || Info->Size != sizeof(*Info)) {
		wdm_report_bug(_RET_IP_, "%s(): Info->Size is not sizeof(WDF_INTERRUPT_INFO)",
			       __func__);
		return;
	}
	if (!Interrupt->has_resource) {
		WDF_INTERRUPT_INFO_INIT(Info);
		return;
	}
	*Info = Interrupt->info;
}
EXPORT_SYMBOL_GPL(WdfInterruptGetInfo);

/**
 * WdfInterruptGetDevice() - the device an interrupt belongs to
 * @Interrupt: the interrupt
 *
 * Context: any IRQL.
 * Return: the WDFDEVICE.
 */
WDFDEVICE WdfInterruptGetDevice(WDFINTERRUPT Interrupt)
{
	if (!wdf_interrupt_ok(Interrupt, _RET_IP_))
		return NULL;
	return Interrupt->device;
}
EXPORT_SYMBOL_GPL(WdfInterruptGetDevice);

/**
 * WdfInterruptWdmGetInterrupt() - the WDM interrupt object behind an interrupt
 * @Interrupt: the interrupt
 *
 * Context: any IRQL.
 * Return: the KINTERRUPT while connected, else NULL.
 */
PKINTERRUPT WdfInterruptWdmGetInterrupt(WDFINTERRUPT Interrupt)
{
	if (!wdf_interrupt_ok(Interrupt, _RET_IP_))
		return NULL;
	return Interrupt->ki;
}
EXPORT_SYMBOL_GPL(WdfInterruptWdmGetInterrupt);

static void wdf_interrupt_report(struct WDFINTERRUPT__ *wi, bool active, unsigned long caller)
{
	IO_REPORT_INTERRUPT_ACTIVE_STATE_PARAMETERS p = { .Version = wi->version };

	if (!wi->ki) {
		wdm_report_bug(caller, "report of an interrupt that is not connected");
		return;
	}
	p.ConnectionContext.InterruptObject = wi->ki;
	if (active)
		IoReportInterruptActive(&p);
	else
		IoReportInterruptInactive(&p);
}

/**
 * WdfInterruptReportActive() - let a connected interrupt's ISR run again
 * @Interrupt: the interrupt
 *
 * IoReportInterruptActive() on its connection.
 *
 * Context: PASSIVE_LEVEL.
 */
void WdfInterruptReportActive(WDFINTERRUPT Interrupt)
{
	if (wdf_interrupt_ok(Interrupt, _RET_IP_))
		wdf_interrupt_report(Interrupt, true, _RET_IP_);
}
EXPORT_SYMBOL_GPL(WdfInterruptReportActive);

/**
 * WdfInterruptReportInactive() - stop a connected interrupt's ISR without disconnecting
 * @Interrupt: the interrupt
 *
 * IoReportInterruptInactive() on its connection.
 *
 * Context: PASSIVE_LEVEL.
 */
void WdfInterruptReportInactive(WDFINTERRUPT Interrupt)
{
	if (wdf_interrupt_ok(Interrupt, _RET_IP_))
		wdf_interrupt_report(Interrupt, false, _RET_IP_);
}
EXPORT_SYMBOL_GPL(WdfInterruptReportInactive);

/**
 * WdfInterruptSetExtendedPolicy() - the CPUs and priority an interrupt asks for
 * @Interrupt: the interrupt
 * @PolicyAndGroup: policy, priority and, for WdfIrqPolicySpecifiedProcessors,
 *	the group and mask (WDF_INTERRUPT_EXTENDED_POLICY_INIT)
 *
 * Applied at the next connect as its ProcessorEnableMask:
 * SpecifiedProcessors the given mask; OneCloseProcessor the first online
 * CPU of the device's NUMA node; AllCloseProcessors that node's CPUs; the
 * others every CPU of the resource. The priority is recorded only.
 *
 * Context: PASSIVE_LEVEL, in EvtDriverDeviceAdd or EvtDevicePrepareHardware.
 */
void WdfInterruptSetExtendedPolicy(WDFINTERRUPT Interrupt,
				   PWDF_INTERRUPT_EXTENDED_POLICY PolicyAndGroup)
{
	if (!wdf_interrupt_ok(Interrupt, _RET_IP_))
		return;
	if (!PolicyAndGroup || PolicyAndGroup->Size != sizeof(*PolicyAndGroup) ||
	    PolicyAndGroup->Policy > WdfIrqPolicySpreadMessagesAcrossAllProcessors) {
		wdm_report_bug(_RET_IP_, "%s(): bad policy", __func__);
		return;
	}
	Interrupt->policy = *PolicyAndGroup;
	Interrupt->set_policy = true;
}
EXPORT_SYMBOL_GPL(WdfInterruptSetExtendedPolicy);

/**
 * WdfInterruptSetPolicy() - WdfInterruptSetExtendedPolicy() in group 0
 * @Interrupt: the interrupt
 * @Policy: the policy
 * @Priority: the priority (recorded)
 * @TargetProcessorSet: the CPUs for WdfIrqPolicySpecifiedProcessors
 *
 * Context: PASSIVE_LEVEL, in EvtDriverDeviceAdd or EvtDevicePrepareHardware.
 */
void WdfInterruptSetPolicy(WDFINTERRUPT Interrupt, WDF_INTERRUPT_POLICY Policy,
			   WDF_INTERRUPT_PRIORITY Priority, KAFFINITY TargetProcessorSet)
{
	WDF_INTERRUPT_EXTENDED_POLICY p;

	WDF_INTERRUPT_EXTENDED_POLICY_INIT(&p);
	p.Policy = Policy;
	p.Priority = Priority;
	p.TargetProcessorSetAndGroup.Mask = TargetProcessorSet;
	WdfInterruptSetExtendedPolicy(Interrupt, &p);
}
EXPORT_SYMBOL_GPL(WdfInterruptSetPolicy);
