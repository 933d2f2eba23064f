/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdm.ko internals: the interrupt object, DPC queues and the message table,
 * shared by the shim's source files and never seen by drivers.
 */
#ifndef _WDM_INTERNAL_H
#define _WDM_INTERNAL_H

#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/jump_label.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/timex.h>
#include <linux/wait.h>
#include <wdm.h>

/*
 * A queue of DPCs and the context that runs them: a CPU's softirq
 * (DISPATCH_LEVEL), or for threaded DPCs a CPU's real-time kthread or one
 * interrupt object's threaded handler (PASSIVE_LEVEL).
 */
struct wdm_dpc_queue {
	/* protects pending, batch, next_ticket and running_ticket */
	raw_spinlock_t lock;
	struct list_head pending;	/* KDPC.entry, in queue order */
	struct list_head batch;		/* taken by the running pass */
	bool threaded;			/* runs at PASSIVE_LEVEL */
	u64 next_ticket;		/* ticket of the next DPC queued */
	u64 running_ticket;		/* ticket of the DPC running, or 0 */
	wait_queue_head_t idle;		/* KeFlushQueuedDpcs() waits here */
	struct list_head node;		/* on wdm_dpc_queues, under its mutex */
};

void wdm_dpc_queue_init(struct wdm_dpc_queue *q, bool threaded);
void wdm_dpc_queue_register(struct wdm_dpc_queue *q);
void wdm_dpc_queue_unregister(struct wdm_dpc_queue *q);
void wdm_dpc_queue_run(struct wdm_dpc_queue *q, bool all);
void wdm_dpc_drain_local(void);
void wdm_dpc_run_pending(void);
bool wdm_dpc_running_here(void);
int wdm_dpc_init(void);
void wdm_dpc_exit(void);

#define WDM_INTERRUPT_MAGIC	0x4b494e54	/* "KINT" */

/*
 * The interrupt object. wdm_interrupt_create() writes every field before it
 * requests the handler, and wdm_interrupt_destroy() frees the object after
 * free_irq(); in between the fields are read-only, except the three whose
 * comments name their writers.
 */
struct _KINTERRUPT {
	u32 magic;
	/*
	 * The ISR may be entered. Written by wdm_interrupt_arm() (release,
	 * the last step of a connect) and wdm_interrupt_destroy() (the first
	 * step of a disconnect); read by the handlers (acquire).
	 */
	bool armed;
	bool passive;			/* runs in the irq thread under plock */
	/* the running ISR queued a threaded DPC: written and read under *lock */
	bool queued_dpc;
	/*
	 * IoReportInterruptInactive() was the last report: the ISR is not
	 * entered. Written under *lock by wdm_interrupt_set_active(); read
	 * under *lock by the hard handler, with READ_ONCE() by the passive one.
	 */
	bool inactive;
	/* an inactive report disables the IRQ: an exclusive, non-nested one */
	bool maskable;
	ULONG version;			/* the CONNECT_* it was connected with */
	unsigned int irq;
	ULONG message_id;
	PKSERVICE_ROUTINE isr;		/* one of isr and misr is set */
	PKMESSAGE_SERVICE_ROUTINE misr;
	PVOID context;
	raw_spinlock_t *lock;		/* the interrupt spin lock: own or shared */
	struct mutex *plock;		/* the passive interrupt lock */
	/* saved by KeAcquireInterruptSpinLock() for the release; under *lock */
	unsigned long lock_flags;
	u64 lock_prev_irql;		/* the same, for the IRQL record */
	KIRQL irql;
	KIRQL sync_irql;
	bool nested;			/* the IRQ nests into another thread */
	GROUP_AFFINITY affinity;	/* its CPUs at connect, for IoGetAffinityInterrupt() */
	/* restored at disconnect; empty if ProcessorEnableMask changed nothing */
	cpumask_var_t saved_affinity;
	char *name;			/* the irqaction name, /proc/interrupts */
	struct list_head conn;		/* on the connected list, unless in a table */
	/*
	 * The PCI device whose level-triggered INTx line this is, watched for
	 * interrupt storms (wdm_storm.c); NULL for messages and other lines.
	 * The four after it are written under *lock by the hard handler.
	 */
	struct pci_dev *intx_pdev;
	bool storm_claimed;		/* the value of the run: TRUE or FALSE */
	u32 storm_run;			/* returns of that value in a row */
	unsigned long storm_start;	/* jiffies at the run's first */
	/* disabled as a storm: set by the hard handler, cleared at disconnect */
	bool storm_disabled;
	struct wdm_dpc_queue dpcq;	/* threaded DPCs queued from this ISR */
	raw_spinlock_t own_lock;	/* the lock when no SpinLock was given */
	struct mutex own_plock;		/* the same, for a passive ISR */
	struct rcu_head rcu;		/* freed after KeRemoveQueueDpc()s */
	/* the thread running the passive ISR, or NULL: written under *plock */
	struct task_struct *passive_task;
#ifdef WDM_STATS
	struct wdm_stats_cpu __percpu *stats;
	/* the last DPC routine run for it: written by the DPC runs */
	void *last_dpc;
	struct dentry *debugfs;		/* its directory, or NULL */
	struct list_head stats_node;	/* on the objects list of wdm_stats.c */
#endif
};

/* What one connect asks of wdm_interrupt_create(). */
struct wdm_connect_req {
	unsigned int irq;
	const char *name;
	PKSERVICE_ROUTINE isr;
	PKMESSAGE_SERVICE_ROUTINE misr;
	ULONG message_id;
	PVOID context;
	raw_spinlock_t *lock;		/* NULL: the object's own */
	struct mutex *plock;		/* NULL: the object's own */
	ULONG version;			/* the CONNECT_* of the connect */
	/* ProcessorEnableMask's CPUs; NULL: the IRQ's own affinity */
	const struct cpumask *cpus;
	bool passive;
	bool nested;			/* wdm_irq_is_nested(irq) */
	bool shared;
	KIRQL irql;
	KIRQL sync_irql;
	/* the PCI device of a level-triggered INTx line, for the storm watch */
	struct pci_dev *intx_pdev;
};

DECLARE_PER_CPU(struct _KINTERRUPT *, wdm_current_interrupt);

/*
 * Each CPU's IRQL record (wdm_irql.c): the level, the lowest level the
 * current DPC or ISR may lower to, and the Linux state it was written in
 * (preemption count, interrupts off). It only counts in that same state.
 */
DECLARE_PER_CPU(u64, wdm_irql_state);

/* The state to key a record with; @irqs_off: local interrupts are off. */
static __always_inline u64 wdm_irql_key_of(bool irqs_off)
{
	return (u64)(u32)preempt_count() << 1 | irqs_off;
}

static inline u64 wdm_irql_key(void)
{
	return wdm_irql_key_of(irqs_disabled());
}

static inline u64 wdm_irql_pack_pc(KIRQL level, KIRQL floor, u64 key)
{
	return key << 16 | (u64)floor << 8 | level;
}

static inline u64 wdm_irql_pack(KIRQL level, KIRQL floor)
{
	return wdm_irql_pack_pc(level, floor, wdm_irql_key());
}

static inline bool wdm_irql_valid(u64 s)
{
	return s >> 16 == wdm_irql_key();
}

static inline KIRQL wdm_irql_level(u64 s)
{
	return s & 0xff;
}

static inline KIRQL wdm_irql_floor(u64 s)
{
	return (s >> 8) & 0xff;
}

/*
 * A DPC, ISR or interrupt-lock section runs at @level and may not lower
 * below it, in the state @key says: enter returns the record to give back
 * to exit.
 */
static __always_inline u64 wdm_irql_frame_enter_key(KIRQL level, u64 key)
{
	u64 old = this_cpu_read(wdm_irql_state);

	this_cpu_write(wdm_irql_state, wdm_irql_pack_pc(level, level, key));
	return old;
}

static inline u64 wdm_irql_frame_enter(KIRQL level)
{
	return wdm_irql_frame_enter_key(level, wdm_irql_key());
}

/* The same where local interrupts are known to be off: no need to ask. */
static __always_inline u64 wdm_irql_frame_enter_irqs_off(KIRQL level)
{
	lockdep_assert_irqs_disabled();
	return wdm_irql_frame_enter_key(level, wdm_irql_key_of(true));
}

static inline void wdm_irql_frame_exit(u64 old)
{
	this_cpu_write(wdm_irql_state, old);
}

/*
 * The IRQL of an interrupt line: PASSIVE_LEVEL if it nests into another
 * thread (an interrupt behind I2C or SPI), else the device level.
 */
static inline bool wdm_irq_is_nested(unsigned int irq)
{
	return irq_check_status_bit(irq, IRQ_NESTED_THREAD);
}

/*
 * Interrupt insight (wdm_stats.c): per-object statistics of the ISR and of
 * the DPCs it queued, the ISR and DPC watchdogs that warn, the verifier.
 * Built with WDM_STATS=0 (no -DWDM_STATS) the statistics and the watchdogs
 * are left out and their hooks are empty; the verifier stays.
 */
#define WDM_STATS_BUCKETS	32

enum wdm_stats_hist {
	WDM_HIST_ISR,			/* ISR duration */
	WDM_HIST_DPC,			/* DPC duration */
	WDM_HIST_LATENCY,		/* from the queueing in the ISR to the DPC's start */
	WDM_HIST_NR
};

/* One CPU's statistics of one interrupt object; written only on that CPU. */
struct wdm_stats_cpu {
	u64 isr_true;
	u64 isr_false;
	u64 dpc_queued;
	u64 dpc_run;
	u64 max_ns[WDM_HIST_NR];
	u64 max_at_ns[WDM_HIST_NR];	/* ktime_get_boottime_ns() of the max */
	u64 hist[WDM_HIST_NR][WDM_STATS_BUCKETS];
};

/* The log2 bucket of @ns: 2^i <= ns < 2^(i+1); 0 holds 0, 31 all above. */
static inline unsigned int wdm_stats_bucket(u64 ns)
{
	return ns ? min_t(unsigned int, fls64(ns) - 1, WDM_STATS_BUCKETS - 1) : 0;
}

/* An object's statistics summed over the CPUs. */
struct wdm_stats_sum {
	u64 isr_calls;
	u64 isr_true;
	u64 isr_false;
	u64 dpc_queued;
	u64 dpc_run;
	u64 max_ns[WDM_HIST_NR];
	u64 max_at_ns[WDM_HIST_NR];
	u64 hist[WDM_HIST_NR][WDM_STATS_BUCKETS];
};

/* The watchdogs' and the verifier's counters, for the tests. */
enum wdm_insight_counter {
	WDM_ISR_OVER,			/* ISRs over isr_warn_us */
	WDM_ISR_REPORTED,		/* of those, reported (once per routine) */
	WDM_DPC_OVER,			/* DPCs over dpc_warn_us */
	WDM_DPC_REPORTED,
	WDM_VERIFY_REPORTED,		/* verifier reports */
	WDM_INSIGHT_NR
};

extern bool wdm_verify;
#define WDM_VERIFY_REQUEUES	10000

/* What the verifier compares across an ISR call. */
struct wdm_verify_state {
	u64 irql;
	unsigned int preempt;
	bool irqs_off;
};

static inline void wdm_verify_save(struct wdm_verify_state *v)
{
	v->irql = this_cpu_read(wdm_irql_state);
	v->preempt = preempt_count();
	v->irqs_off = irqs_disabled();
}

/* By value: no ISR handler's state needs its address taken (and a canary). */
void wdm_verify_isr_report(struct _KINTERRUPT *ki, struct wdm_verify_state v);

/* After an ISR call, with wdm_verify_save() from before it. */
static inline void wdm_verify_isr(struct _KINTERRUPT *ki, const struct wdm_verify_state *v)
{
	if (this_cpu_read(wdm_irql_state) != v->irql || preempt_count() != v->preempt ||
	    irqs_disabled() != v->irqs_off)
		wdm_verify_isr_report(ki, *v);
}

void wdm_verify_requeued(PKDPC dpc);

/*
 * A DPC was queued: count its requeues from its own routine (@self), else
 * start over. Context: under the lock of the queue @dpc was put on.
 */
static inline void wdm_verify_requeue(PKDPC dpc, bool self)
{
	if (self)
		wdm_verify_requeued(dpc);
	else
		dpc->wdm_private_requeues = 0;
}

void wdm_dpc_check_free(const void *block, size_t size);
void wdm_verify_report(void *routine, const char *fmt, ...) __printf(2, 3);
int wdm_insight_init(void);
void wdm_insight_exit(void);
void *wdm_dpc_shown(PKDEFERRED_ROUTINE routine, PVOID context);

/*
 * The shim's clocks (wdm_clock.c), read on the hot paths.
 * wdm_isr_clock() and wdm_isr_ns() (with the statistics): a duration from
 * two readings on one CPU with local interrupts off, a DIRQL ISR's: the
 * CPU's cycle counter where the kernel knows its rate (x86: the TSC, at
 * tsc_khz), else local_clock(). wdm_now_ns(): nanoseconds that compare
 * across CPUs, for DPC durations, the ISR-to-DPC latency and the DPC
 * watchdog: the cycle counter, converted, where it runs at one rate on
 * every CPU (a constant TSC that the kernel has not marked unstable when
 * wdm.ko loads: what sched_clock() needs to be stable), else local_clock().
 * Reading the counter and converting it skips local_clock()'s calls and
 * per-CPU conversion data: under emulation a third of its cost.
 */
DECLARE_STATIC_KEY_FALSE(wdm_cycles_known);
DECLARE_STATIC_KEY_FALSE(wdm_cycles_synced);
extern u32 wdm_cycles_mult, wdm_cycles_shift;
void wdm_clock_init(void);

/* Nanoseconds in @cycles of the counter (wdm_cycles_known). */
static __always_inline u64 wdm_cycles_ns(u64 cycles)
{
	return mul_u64_u32_shr(cycles, wdm_cycles_mult, wdm_cycles_shift);
}

static __always_inline u64 wdm_now_ns(void)
{
	if (static_branch_likely(&wdm_cycles_synced))
		return wdm_cycles_ns(get_cycles());
	return local_clock();
}

#ifdef WDM_STATS
extern unsigned int isr_warn_us;

int wdm_stats_connect(struct _KINTERRUPT *ki);
void wdm_stats_disconnect(struct _KINTERRUPT *ki);
void wdm_stats_isr_slow(struct _KINTERRUPT *ki, u64 ns);
void wdm_stats_dpc(struct _KINTERRUPT *ki, void *routine, u64 queued, u64 start,
		   u64 end, bool warn);

static inline u64 wdm_stats_now(void)
{
	return wdm_now_ns();
}

static __always_inline u64 wdm_isr_clock(void)
{
	if (static_branch_likely(&wdm_cycles_known))
		return get_cycles();
	return local_clock();
}

/* Nanoseconds from @start to @end, two wdm_isr_clock() readings. */
static __always_inline u64 wdm_isr_ns(u64 start, u64 end)
{
	if (static_branch_likely(&wdm_cycles_known))
		return wdm_cycles_ns(end - start);
	return end - start;
}

/**
 * wdm_stats_isr() - account one ISR call
 * @ki: its interrupt object
 * @handled: what the ISR returned
 * @ns: how long it ran
 *
 * Inline, on every interrupt: the counters and the histogram here, a new
 * maximum and the watchdog out of line.
 *
 * Context: the ISR's handler, local interrupts off.
 */
static __always_inline void wdm_stats_isr(struct _KINTERRUPT *ki, BOOLEAN handled, u64 ns)
{
	unsigned int limit = READ_ONCE(isr_warn_us);

	if (handled)
		__this_cpu_inc(ki->stats->isr_true);
	else
		__this_cpu_inc(ki->stats->isr_false);
	__this_cpu_inc(ki->stats->hist[WDM_HIST_ISR][wdm_stats_bucket(ns)]);
	if (unlikely(ns > __this_cpu_read(ki->stats->max_ns[WDM_HIST_ISR]) ||
		     (limit && ns > (u64)limit * NSEC_PER_USEC)))
		wdm_stats_isr_slow(ki, ns);
}

/*
 * A DPC was queued: from an ISR (this CPU runs one), it counts for that
 * interrupt object. Context: interrupts off, under the queue's lock.
 */
static inline void wdm_stats_queued(PKDPC dpc)
{
	struct _KINTERRUPT *ki = this_cpu_read(wdm_current_interrupt);

	dpc->wdm_private_origin = ki;
	if (ki) {
		dpc->wdm_private_queued_ns = wdm_now_ns();
		__this_cpu_inc(ki->stats->dpc_queued);
	}
}
#else
static inline int wdm_stats_connect(struct _KINTERRUPT *ki)
{
	return 0;
}

static inline void wdm_stats_disconnect(struct _KINTERRUPT *ki)
{
}

static inline void wdm_stats_isr(struct _KINTERRUPT *ki, BOOLEAN handled, u64 ns)
{
}

static inline u64 wdm_isr_clock(void)
{
	return 0;
}

static inline u64 wdm_isr_ns(u64 start, u64 end)
{
	return 0;
}

static inline void wdm_stats_dpc(struct _KINTERRUPT *ki, void *routine, u64 queued,
				 u64 start, u64 end, bool warn)
{
}

static inline u64 wdm_stats_now(void)
{
	return 0;
}

static inline void wdm_stats_queued(PKDPC dpc)
{
}
#endif

#if IS_ENABLED(CONFIG_KUNIT)
void wdm_stats_read(struct _KINTERRUPT *ki, struct wdm_stats_sum *s);
void wdm_stats_reset(struct _KINTERRUPT *ki);
struct seq_file;
int wdm_stats_show(struct seq_file *m, void *unused);
int wdm_histograms_show(struct seq_file *m, void *unused);
unsigned long wdm_insight_count(enum wdm_insight_counter c);
void *wdm_insight_last_routine(void);
extern unsigned int dpc_warn_us;
#endif

/* The driver's ISR of @ki, as a symbol to print. */
static inline void *wdm_isr_routine(const struct _KINTERRUPT *ki)
{
	return ki->misr ? (void *)ki->misr : (void *)ki->isr;
}

NTSTATUS wdm_interrupt_create(const struct wdm_connect_req *req,
			      struct _KINTERRUPT **out);
void wdm_interrupt_arm(struct _KINTERRUPT *ki);
void wdm_interrupt_destroy(struct _KINTERRUPT *ki);
bool wdm_interrupt_valid(const struct _KINTERRUPT *ki);
void wdm_storm_watch(struct _KINTERRUPT *ki, bool handled);
void wdm_storm_end(struct _KINTERRUPT *ki);
#if IS_ENABLED(CONFIG_KUNIT)
unsigned long wdm_storms_reported(void);
extern unsigned int storm_calls;
#endif
void wdm_interrupt_set_active(struct _KINTERRUPT *ki, bool active);
unsigned int wdm_connections_check(void);
#if IS_ENABLED(CONFIG_KUNIT)
irqreturn_t wdm_interrupt_dispatch(struct _KINTERRUPT *ki);
#endif
NTSTATUS wdm_errno_to_ntstatus(int err);
#if IS_ENABLED(CONFIG_KUNIT)
int wdm_module_refcount(void);
#endif

/*
 * A driver bug that stops the machine on Windows (a bug check) or that
 * Windows leaves undefined: logged with the caller and counted, never a
 * crash. The count lets the tests see each report.
 */
__printf(2, 3) void wdm_report_bug(unsigned long caller, const char *fmt, ...);

/*
 * The routines one watchdog has reported, so that each is reported once. A
 * full set reports each time.
 */
#define WDM_SEEN_MAX	64

struct wdm_seen {
	raw_spinlock_t lock;
	void *routine[WDM_SEEN_MAX];
};

#define WDM_SEEN_INIT(name)	{ .lock = __RAW_SPIN_LOCK_UNLOCKED(name.lock) }

bool wdm_seen_first(struct wdm_seen *seen, void *routine);
#if IS_ENABLED(CONFIG_KUNIT)
unsigned long wdm_bugs_reported(void);
unsigned long wdm_dpc_watchdog_count(void);
/* The messages DbgPrint(Ex) printed since wdm.ko loaded. */
unsigned long wdm_dbgprint_printed(void);
extern unsigned int dpc_time_limit_ms;
extern unsigned int dpc_watchdog_limit_ms;
#endif

/*
 * Windows times are in 100 ns units; the system time counts them from
 * 1601-01-01 UTC, 11644473600 s before the Unix epoch.
 */
#define WDM_NSEC_PER_UNIT	100
#define WDM_UNITS_PER_SEC	10000000LL
#define WDM_EPOCH_1601		(11644473600LL * WDM_UNITS_PER_SEC)

#if IS_ENABLED(CONFIG_KUNIT)
unsigned int wdm_object_waiters(PVOID Object);
#endif

int wdm_workitem_init(void);
void wdm_workitem_flush(PIO_WORKITEM wi);
#if IS_ENABLED(CONFIG_KUNIT)
bool wdm_workitem_busy(PIO_WORKITEM wi);
#endif
void wdm_workitem_exit(void);

int wdm_iomap_init(void);
void wdm_iomap_exit(void);
#if IS_ENABLED(CONFIG_KUNIT)
struct notifier_block;
int wdm_iomap_bus_notify(struct notifier_block *nb, unsigned long action, void *data);
#endif

#endif /* _WDM_INTERNAL_H */
