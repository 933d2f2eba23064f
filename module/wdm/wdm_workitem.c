// SPDX-License-Identifier: GPL-2.0
/*
 * Work items (IoAllocateWorkItem, IoQueueWorkItem, ...): a work_struct on one
 * of the shim's two workqueues, and the module reference that keeps the
 * routine's code loaded while the item is queued or running.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include "wdm_compat.h"
#include "wdm_internal.h"

#define WDM_WORKITEM_MAGIC	0x494f5749	/* "IOWI" */

/* Bits of IO_WORKITEM.flags */
enum {
	WDM_WORKITEM_QUEUED,	/* queued; its routine has not started */
};

/*
 * A module loaded after wdm.ko, so one whose code a work routine can be in:
 * every driver built on wdm.ko is one.
 */
struct wdm_code_module {
	struct list_head node;		/* on wdm_code_modules */
	struct module *mod;
	/* items queued for it while it was going, when no reference was possible */
	atomic_t unreferenced;
};

/* RCU list, changed under wdm_code_modules_lock by the module notifier. */
static LIST_HEAD(wdm_code_modules);
static DEFINE_MUTEX(wdm_code_modules_lock);

/* WORK_QUEUE_TYPE priorities of 13 and above, and the rest */
static struct workqueue_struct *wdm_work_hi_wq;
static struct workqueue_struct *wdm_work_wq;

/*
 * The work item. Between the test_and_set_bit_lock() of QUEUED in the
 * queuing call and the clear_bit_unlock() in wdm_workitem_fn(), the fields
 * from routine on belong to that one queuing: nobody else writes them.
 */
struct _IO_WORKITEM {
	struct work_struct work;
	u32 magic;			/* WDM_WORKITEM_MAGIC while initialised */
	bool allocated;			/* by IoAllocateWorkItem() */
	unsigned long flags;
	PVOID io_object;		/* the routine's first argument */
	PIO_WORKITEM_ROUTINE routine;	/* one of routine and routine_ex is set */
	PIO_WORKITEM_ROUTINE_EX routine_ex;
	PVOID context;
	struct module *owner;		/* referenced for the routine, or NULL */
	struct wdm_code_module *going;	/* counted in, if owner was going */
};

/*
 * Where the routine's code is: take a reference on its module. A module whose
 * exit function runs (its state is going) takes no more references; then the
 * item is counted in its wdm_code_module, and the module notifier waits for
 * the count to drop before the module's memory is freed. Code outside the
 * modules loaded after wdm.ko (wdm.ko's own, the kernel's) stays as long as
 * wdm.ko, whose exit drains the workqueues.
 */
static void wdm_workitem_hold(struct _IO_WORKITEM *wi, unsigned long addr)
{
	struct wdm_code_module *cm;

	wi->owner = NULL;
	wi->going = NULL;
	list_for_each_entry_rcu(cm, &wdm_code_modules, node) {
		if (!within_module(addr, cm->mod))
			continue;
		if (try_module_get(cm->mod)) {
			wi->owner = cm->mod;
		} else {
			atomic_inc(&cm->unreferenced);
			wi->going = cm;
		}
		return;
	}
}

static void wdm_workitem_release(struct module *owner, struct wdm_code_module *going)
{
	if (owner)
		module_put(owner);
	else if (going && atomic_dec_and_test(&going->unreferenced))
		wake_up_var(&going->unreferenced);
}

static void wdm_workitem_fn(struct work_struct *work)
{
	struct _IO_WORKITEM *wi = container_of(work, struct _IO_WORKITEM, work);
	PIO_WORKITEM_ROUTINE_EX routine_ex = wi->routine_ex;
	PIO_WORKITEM_ROUTINE routine = wi->routine;
	struct wdm_code_module *going = wi->going;
	struct module *owner = wi->owner;
	PVOID io_object = wi->io_object;
	PVOID context = wi->context;

	/*
	 * Dequeued before the routine runs, as on Windows: the routine may
	 * queue the item again, or free it. Nothing below touches it.
	 */
	clear_bit_unlock(WDM_WORKITEM_QUEUED, &wi->flags);
	if (routine_ex)
		routine_ex(io_object, context, wi);
	else
		routine(io_object, context);
	wdm_workitem_release(owner, going);
}

/* Report what Windows would stop on: not a work item, or not initialised. */
static bool wdm_workitem_valid(PIO_WORKITEM wi, unsigned long caller)
{
	if (likely(wi && wi->magic == WDM_WORKITEM_MAGIC))
		return true;
	wdm_report_bug(caller, "%p is not an initialised IO_WORKITEM", wi);
	return false;
}

static bool wdm_workitem_queued(PIO_WORKITEM wi)
{
	return test_bit(WDM_WORKITEM_QUEUED, &wi->flags);
}

#if IS_ENABLED(CONFIG_KUNIT)
/* Queued, or its routine running: until the routine has returned. */
bool wdm_workitem_busy(PIO_WORKITEM wi)
{
	return wdm_workitem_queued(wi) || work_busy(&wi->work);
}
EXPORT_SYMBOL_IF_KUNIT(wdm_workitem_busy);
#endif

/*
 * wdm_workitem_flush() - wait until @wi's routine, if queued or running, has
 * returned: flush_work(), which also waits for the module release after it.
 *
 * Context: process context; may sleep. @wi is not queued again meanwhile.
 */
void wdm_workitem_flush(PIO_WORKITEM wi)
{
	flush_work(&wi->work);
}

/*
 * The workqueue for a WORK_QUEUE_TYPE: Windows' CriticalWorkQueue is a
 * real-time thread at priority 13; everything from there up runs on the
 * WQ_HIGHPRI queue. A CustomPriorityWorkQueue + n asks for priority n (0 to
 * 31). Any other value is a bug; the item then runs as DelayedWorkQueue.
 */
static struct workqueue_struct *wdm_workitem_wq(WORK_QUEUE_TYPE type,
						unsigned long caller)
{
	switch (type) {
	case CriticalWorkQueue:
	case HyperCriticalWorkQueue:
	case RealTimeWorkQueue:
	case SuperCriticalWorkQueue:
		return wdm_work_hi_wq;
	case DelayedWorkQueue:
	case NormalWorkQueue:
	case BackgroundWorkQueue:
		return wdm_work_wq;
	default:
		break;
	}
	if (type >= CustomPriorityWorkQueue && type < CustomPriorityWorkQueue + 32)
		return type - CustomPriorityWorkQueue >= 13 ? wdm_work_hi_wq : wdm_work_wq;
	wdm_report_bug(caller, "work item queued with an invalid WORK_QUEUE_TYPE %d", type);
	return wdm_work_wq;
}

/*
 * Queue @wi unless it is already queued; @what names the caller's routine
 * in the reports. The RCU read section covers both the module lookup and
 * queue_work(), so that the notifier, once it has waited for RCU, sees
 * every item counted against a going module queued.
 *
 * Return: 0 if queued, -EBUSY if already queued, -EINVAL (reported) for a
 * bad item or no routine.
 */
static int wdm_workitem_queue(PIO_WORKITEM wi, PIO_WORKITEM_ROUTINE routine,
			      PIO_WORKITEM_ROUTINE_EX routine_ex,
			      WORK_QUEUE_TYPE type, PVOID context,
			      const char *what, unsigned long caller)
{
	struct workqueue_struct *wq;

	if (!wdm_workitem_valid(wi, caller))
		return -EINVAL;
	if (!routine && !routine_ex) {
		wdm_report_bug(caller, "%s() without a routine", what);
		return -EINVAL;
	}
	wq = wdm_workitem_wq(type, caller);
	if (test_and_set_bit_lock(WDM_WORKITEM_QUEUED, &wi->flags))
		return -EBUSY;
	wi->routine = routine;
	wi->routine_ex = routine_ex;
	wi->context = context;
	rcu_read_lock();
	wdm_workitem_hold(wi, routine ? (unsigned long)routine : (unsigned long)routine_ex);
	queue_work(wq, &wi->work);
	rcu_read_unlock();
	return 0;
}

static void wdm_workitem_setup(PVOID IoObject, PIO_WORKITEM wi, bool allocated)
{
	INIT_WORK(&wi->work, wdm_workitem_fn);
	wi->flags = 0;
	wi->io_object = IoObject;
	wi->allocated = allocated;
	wi->magic = WDM_WORKITEM_MAGIC;
}

/**
 * IoAllocateWorkItem() - allocate and initialise a work item
 * @DeviceObject: the device object the routine will receive
 *
 * Free the item with IoFreeWorkItem().
 *
 * Context: up to DISPATCH_LEVEL (allocates with GFP_ATOMIC). On PREEMPT_RT
 * the slab allocator cannot be entered with preemption or interrupts off:
 * allocate in a preemptible context there.
 * Return: the work item, or NULL if memory is short or @DeviceObject is NULL.
 */
PIO_WORKITEM IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject)
{
	PIO_WORKITEM wi;

	if (!DeviceObject) {
		wdm_report_bug(_RET_IP_, "%s() without a device object", __func__);
		return NULL;
	}
	wi = kzalloc(sizeof(*wi), GFP_ATOMIC);
	if (wi)
		wdm_workitem_setup(DeviceObject, wi, true);
	return wi;
}
EXPORT_SYMBOL_GPL(IoAllocateWorkItem);

/**
 * IoFreeWorkItem() - free a work item from IoAllocateWorkItem()
 * @IoWorkItem: the work item, not queued
 *
 * An item is dequeued before its routine runs, so the routine may free it.
 * Freeing a queued item is a driver bug: it is reported and the item is
 * left alone (it still runs, and stays allocated).
 *
 * Context: up to DISPATCH_LEVEL.
 */
void IoFreeWorkItem(PIO_WORKITEM IoWorkItem)
{
	if (!wdm_workitem_valid(IoWorkItem, _RET_IP_))
		return;
	if (!IoWorkItem->allocated) {
		wdm_report_bug(_RET_IP_, "%s() of an item from IoInitializeWorkItem()",
			       __func__);
		return;
	}
	if (wdm_workitem_queued(IoWorkItem)) {
		wdm_report_bug(_RET_IP_, "%s() of a queued work item", __func__);
		return;
	}
	IoWorkItem->magic = 0;
	kfree(IoWorkItem);
}
EXPORT_SYMBOL_GPL(IoFreeWorkItem);

/**
 * IoSizeofWorkItem() - the size of a work item
 *
 * Context: any.
 * Return: the bytes IoInitializeWorkItem() needs, pointer-aligned.
 */
ULONG IoSizeofWorkItem(void)
{
	return sizeof(struct _IO_WORKITEM);
}
EXPORT_SYMBOL_GPL(IoSizeofWorkItem);

/**
 * IoInitializeWorkItem() - initialise a work item in the caller's memory
 * @IoObject: the device object the routine will receive
 * @IoWorkItem: IoSizeofWorkItem() bytes, pointer-aligned, not on the stack
 *
 * Undo with IoUninitializeWorkItem() before the memory is freed.
 * Re-initialising a queued item is a driver bug: reported, item unchanged.
 *
 * Context: any.
 */
void IoInitializeWorkItem(PVOID IoObject, PIO_WORKITEM IoWorkItem)
{
	if (IoWorkItem->magic == WDM_WORKITEM_MAGIC && wdm_workitem_queued(IoWorkItem)) {
		wdm_report_bug(_RET_IP_, "%s() of a queued work item", __func__);
		return;
	}
	wdm_workitem_setup(IoObject, IoWorkItem, false);
}
EXPORT_SYMBOL_GPL(IoInitializeWorkItem);

/**
 * IoUninitializeWorkItem() - undo IoInitializeWorkItem()
 * @IoWorkItem: the work item, not queued
 *
 * The routine may uninitialise its own item. Uninitialising a queued item
 * is a driver bug: reported, item unchanged.
 *
 * Context: any.
 */
void IoUninitializeWorkItem(PIO_WORKITEM IoWorkItem)
{
	if (!wdm_workitem_valid(IoWorkItem, _RET_IP_))
		return;
	if (wdm_workitem_queued(IoWorkItem)) {
		wdm_report_bug(_RET_IP_, "%s() of a queued work item", __func__);
		return;
	}
	IoWorkItem->magic = 0;
}
EXPORT_SYMBOL_GPL(IoUninitializeWorkItem);

/**
 * IoQueueWorkItem() - run a routine in a worker thread
 * @IoWorkItem: the work item
 * @WorkerRoutine: called with the item's device object and @Context
 * @QueueType: the worker thread's priority; drivers pass DelayedWorkQueue
 * @Context: the routine's second argument
 *
 * The routine runs once, at PASSIVE_LEVEL, in a kworker. Until it returns,
 * the module that holds it cannot be unloaded. Queuing an item that is
 * already queued is a driver bug (Windows' checked build stops on it): it is
 * reported and changes nothing; the routine runs once, with the arguments of
 * the first call. IoTryQueueWorkItem() is the way to try.
 *
 * Context: up to DISPATCH_LEVEL; here also hard-IRQ context.
 */
void IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine,
		     WORK_QUEUE_TYPE QueueType, PVOID Context)
{
	if (wdm_workitem_queue(IoWorkItem, WorkerRoutine, NULL, QueueType, Context,
			       __func__, _RET_IP_) == -EBUSY)
		wdm_report_bug(_RET_IP_, "%s() of a work item already queued", __func__);
}
EXPORT_SYMBOL_GPL(IoQueueWorkItem);

/**
 * IoQueueWorkItemEx() - IoQueueWorkItem() whose routine gets the item too
 * @IoWorkItem: the work item
 * @WorkerRoutine: called with the item's IoObject, @Context and @IoWorkItem
 * @QueueType: the worker thread's priority; drivers pass DelayedWorkQueue
 * @Context: the routine's second argument
 *
 * As IoQueueWorkItem(), including the report of an item already queued.
 *
 * Context: up to DISPATCH_LEVEL; here also hard-IRQ context.
 */
void IoQueueWorkItemEx(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
		       WORK_QUEUE_TYPE QueueType, PVOID Context)
{
	if (wdm_workitem_queue(IoWorkItem, NULL, WorkerRoutine, QueueType, Context,
			       __func__, _RET_IP_) == -EBUSY)
		wdm_report_bug(_RET_IP_, "%s() of a work item already queued", __func__);
}
EXPORT_SYMBOL_GPL(IoQueueWorkItemEx);

/**
 * IoTryQueueWorkItem() - queue a work item if it is not queued already
 * @IoWorkItem: the work item
 * @WorkerRoutine: called with the item's IoObject, @Context and @IoWorkItem
 * @QueueType: the worker thread's priority
 * @Context: the routine's second argument
 *
 * Windows returns FALSE when no worker thread is free to start the item at
 * once. The shim's workqueues have a rescuer thread (WQ_MEM_RECLAIM), so an
 * item always makes progress; FALSE here means that the item is queued
 * already, which, unlike IoQueueWorkItemEx(), is not reported.
 *
 * Context: up to DISPATCH_LEVEL; here also hard-IRQ context.
 * Return: TRUE if the item was queued, FALSE if it was queued already.
 */
BOOLEAN IoTryQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
			   WORK_QUEUE_TYPE QueueType, PVOID Context)
{
	return wdm_workitem_queue(IoWorkItem, NULL, WorkerRoutine, QueueType, Context,
				  __func__, _RET_IP_) ? FALSE : TRUE;
}
EXPORT_SYMBOL_GPL(IoTryQueueWorkItem);

/*
 * Module notifier: track the modules loaded after wdm.ko. When one goes,
 * after its exit function, wait for the items it queued while going: its
 * memory is freed when the notifier returns.
 */
static void wdm_code_module_going(struct module *mod)
{
	struct wdm_code_module *cm, *found = NULL;

	mutex_lock(&wdm_code_modules_lock);
	list_for_each_entry(cm, &wdm_code_modules, node) {
		if (cm->mod == mod) {
			list_del_rcu(&cm->node);
			found = cm;
			break;
		}
	}
	mutex_unlock(&wdm_code_modules_lock);
	if (!found)
		return;
	/* Every item counted against it is queued by now (wdm_workitem_queue). */
	synchronize_rcu();
	wait_var_event(&found->unreferenced, !atomic_read(&found->unreferenced));
	kfree(found);
}

static int wdm_code_module_notify(struct notifier_block *nb, unsigned long state,
				  void *data)
{
	struct module *mod = data;
	struct wdm_code_module *cm;

	switch (state) {
	case MODULE_STATE_COMING:
		cm = kzalloc(sizeof(*cm), GFP_KERNEL);
		if (!cm)
			return notifier_from_errno(-ENOMEM);
		cm->mod = mod;
		mutex_lock(&wdm_code_modules_lock);
		list_add_rcu(&cm->node, &wdm_code_modules);
		mutex_unlock(&wdm_code_modules_lock);
		break;
	case MODULE_STATE_GOING:
		wdm_code_module_going(mod);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block wdm_code_module_nb = {
	.notifier_call = wdm_code_module_notify,
};

int wdm_workitem_init(void)
{
	int ret;

	wdm_work_wq = alloc_workqueue("wdm_work", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	wdm_work_hi_wq = alloc_workqueue("wdm_work_hi",
					 WQ_UNBOUND | WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!wdm_work_wq || !wdm_work_hi_wq) {
		ret = -ENOMEM;
		goto err_destroy_workqueues;
	}
	ret = register_module_notifier(&wdm_code_module_nb);
	if (ret)
		goto err_destroy_workqueues;
	return 0;

err_destroy_workqueues:
	if (wdm_work_hi_wq)
		destroy_workqueue(wdm_work_hi_wq);
	if (wdm_work_wq)
		destroy_workqueue(wdm_work_wq);
	return ret;
}

/*
 * Every driver built on wdm.ko is gone, and with it its items, each of which
 * held its module. Items of wdm.ko's own are drained here.
 */
void wdm_workitem_exit(void)
{
	struct wdm_code_module *cm, *tmp;

	unregister_module_notifier(&wdm_code_module_nb);
	destroy_workqueue(wdm_work_hi_wq);
	destroy_workqueue(wdm_work_wq);
	/* modules loaded after wdm.ko that do not use it */
	list_for_each_entry_safe(cm, tmp, &wdm_code_modules, node)
		kfree(cm);
}
