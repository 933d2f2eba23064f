/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdm.h - Windows WDM interrupt semantics for Linux PCI drivers.
 *
 * The types and routines a Windows driver uses to connect and service
 * interrupts (KSERVICE_ROUTINE, IoConnectInterruptEx, KeSynchronizeExecution,
 * DPCs, ...), implemented by wdm.ko on top of genirq. Code written against
 * Microsoft's wdm.h for these routines compiles unchanged. Where Linux cannot
 * mean exactly the same thing, the comment here and docs/windows-mapping.md say so.
 */
#ifndef _WDM_H
#define _WDM_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>

struct pci_dev;

/*
 * SAL annotations: accepted and ignored
 */

#define IN
#define OUT
#define OPTIONAL
#define _In_
#define _In_opt_
#define _Out_
#define _Out_opt_
#define _Inout_
#define _Inout_opt_
#define _In_reads_(n)
#define _Out_writes_(n)
#define _Use_decl_annotations_
#define _Must_inspect_result_
#define _Function_class_(x)
#define _IRQL_requires_(x)
#define _IRQL_requires_max_(x)
#define _IRQL_requires_min_(x)
#define _IRQL_requires_same_
#define _IRQL_raises_(x)
#define _IRQL_saves_
#define _IRQL_restores_
#define _IRQL_saves_global_(kind, param)
#define _IRQL_restores_global_(kind, param)
#define _Acquires_lock_(x)
#define _Releases_lock_(x)
#define _Requires_lock_held_(x)
#define _Requires_lock_not_held_(x)
#define _When_(cond, anno)
#define _Success_(expr)

/*
 * Base types
 */

#define VOID void
typedef u8 UCHAR, *PUCHAR;
typedef char CCHAR;
typedef u8 BOOLEAN, *PBOOLEAN;
typedef u16 USHORT, *PUSHORT;
typedef u32 ULONG, *PULONG;
typedef s32 LONG, *PLONG;
typedef u64 ULONGLONG;
typedef s64 LONGLONG;
typedef unsigned long ULONG_PTR, *PULONG_PTR;
typedef size_t SIZE_T;
typedef void *PVOID;

#ifndef TRUE
#define TRUE	1
#endif
#ifndef FALSE
#define FALSE	0
#endif

typedef union _LARGE_INTEGER {
	struct {
		ULONG LowPart;
		LONG HighPart;
	};
	LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

/* A processor set: bit n is CPU n (the first BITS_PER_LONG CPUs). */
typedef ULONG_PTR KAFFINITY, *PKAFFINITY;

#define RtlZeroMemory(dst, len)		memset((dst), 0, (len))
#define RtlFillMemory(dst, len, fill)	memset((dst), (fill), (len))
#define RtlCopyMemory(dst, src, len)	memcpy((dst), (src), (len))
#define RtlMoveMemory(dst, src, len)	memmove((dst), (src), (len))
#define RtlEqualMemory(a, b, len)	(!memcmp((a), (b), (len)))

/*
 * IRQL
 */

/*
 * Linux has no interrupt request levels. The shim maps them to contexts:
 * PASSIVE_LEVEL is process context; APC_LEVEL preemption off; DISPATCH_LEVEL
 * bottom halves and preemption off (softirq, where DPCs run); every device
 * level (DIRQL) and HIGH_LEVEL local interrupts off too (hard-IRQ context).
 * All device interrupts are one level in Linux, so the shim reports
 * WDM_DEVICE_IRQL as the IRQL of every line and message, and a nested line
 * (behind I2C or SPI) as PASSIVE_LEVEL. Drivers pass what Windows drivers
 * pass: PASSIVE_LEVEL as the SynchronizeIrql of a line- or message-based
 * connection (a minimum), and the resource's level (3 to 12 on x64) to a
 * fully specified one. Each CPU records the level the shim put it at, so
 * KeGetCurrentIrql() is exact: the interrupt's SynchronizeIrql inside the
 * ISR, under its spin lock and in KeSynchronizeExecution(); DISPATCH_LEVEL in
 * a DPC; the level raised to after KeRaiseIrql().
 */
typedef UCHAR KIRQL, *PKIRQL;

#define PASSIVE_LEVEL	0
#define LOW_LEVEL	0
#define APC_LEVEL	1
#define DISPATCH_LEVEL	2
#define WDM_DEVICE_IRQL	12
#define SYNCH_LEVEL	12
#define CLOCK_LEVEL	13
#define HIGH_LEVEL	15

/*
 * NTSTATUS
 */

typedef LONG NTSTATUS;

/*
 * The top two bits of an NTSTATUS are its severity: 0 success, 1
 * informational, 2 warning, 3 error. NT_SUCCESS() holds for the first two
 * only, so a warning such as STATUS_DEVICE_BUSY is neither a success nor an
 * error, as in Windows' ntdef.h.
 */
#define NT_SUCCESS(status)	(((NTSTATUS)(status)) >= 0)
#define NT_INFORMATION(status)	((((ULONG)(status)) >> 30) == 1)
#define NT_WARNING(status)	((((ULONG)(status)) >> 30) == 2)
#define NT_ERROR(status)	((((ULONG)(status)) >> 30) == 3)

#define STATUS_SUCCESS			((NTSTATUS)0x00000000L)
#define STATUS_WAIT_0			((NTSTATUS)0x00000000L)
#define STATUS_WAIT_1			((NTSTATUS)0x00000001L)
#define STATUS_WAIT_2			((NTSTATUS)0x00000002L)
#define STATUS_WAIT_3			((NTSTATUS)0x00000003L)
#define STATUS_WAIT_63			((NTSTATUS)0x0000003FL)
#define STATUS_ABANDONED_WAIT_0		((NTSTATUS)0x00000080L)
#define STATUS_USER_APC			((NTSTATUS)0x000000C0L)
#define STATUS_ALERTED			((NTSTATUS)0x00000101L)
#define STATUS_TIMEOUT			((NTSTATUS)0x00000102L)
#define STATUS_PENDING			((NTSTATUS)0x00000103L)
#define STATUS_UNSUCCESSFUL		((NTSTATUS)0xC0000001L)
#define STATUS_NOT_IMPLEMENTED		((NTSTATUS)0xC0000002L)
#define STATUS_INVALID_PARAMETER	((NTSTATUS)0xC000000DL)
#define STATUS_NO_SUCH_DEVICE		((NTSTATUS)0xC000000EL)
#define STATUS_INVALID_DEVICE_REQUEST	((NTSTATUS)0xC0000010L)
#define STATUS_NO_MEMORY		((NTSTATUS)0xC0000017L)
#define STATUS_ACCESS_DENIED		((NTSTATUS)0xC0000022L)
#define STATUS_BUFFER_TOO_SMALL		((NTSTATUS)0xC0000023L)
#define STATUS_INSUFFICIENT_RESOURCES	((NTSTATUS)0xC000009AL)
#define STATUS_DEVICE_NOT_CONNECTED	((NTSTATUS)0xC000009DL)
#define STATUS_NOT_SUPPORTED		((NTSTATUS)0xC00000BBL)
#define STATUS_INVALID_DEVICE_STATE	((NTSTATUS)0xC0000184L)
#define STATUS_INVALID_PARAMETER_1	((NTSTATUS)0xC00000EFL)
#define STATUS_INVALID_PARAMETER_10	((NTSTATUS)0xC00000F8L)
#define STATUS_DEVICE_BUSY		((NTSTATUS)0x80000011L)
#define STATUS_NOT_FOUND		((NTSTATUS)0xC0000225L)

/* The Linux errno that stands for an NTSTATUS (kernel-doc: wdm_status.c). */
int wdm_ntstatus_to_errno(NTSTATUS status);

/*
 * Objects
 */

/* The interrupt object. Opaque: drivers only hold pointers to it. */
typedef struct _KINTERRUPT KINTERRUPT, *PKINTERRUPT, *PRKINTERRUPT;
typedef struct _KDPC KDPC, *PKDPC, *PRKDPC;
typedef struct _DEVICE_OBJECT DEVICE_OBJECT, *PDEVICE_OBJECT;

typedef struct _IRP *PIRP;

/* A processor: CPU Group * 64 + Number (64-bit), as in ProcessorEnableMask. */
typedef struct _PROCESSOR_NUMBER {
	USHORT Group;
	UCHAR Number;
	UCHAR Reserved;
} PROCESSOR_NUMBER, *PPROCESSOR_NUMBER;

/*
 * The interrupt spin lock a caller may pass to IoConnectInterrupt(Ex). It is
 * a raw spinlock so that PREEMPT_RT keeps its meaning (it never sleeps).
 */
typedef struct _KSPIN_LOCK {
	raw_spinlock_t rlock;
} KSPIN_LOCK, *PKSPIN_LOCK;

typedef enum _KINTERRUPT_MODE {
	LevelSensitive,
	Latched
} KINTERRUPT_MODE;

typedef enum _KINTERRUPT_POLARITY {
	InterruptPolarityUnknown,
	InterruptActiveHigh,
	InterruptRisingEdge = InterruptActiveHigh,
	InterruptActiveLow,
	InterruptFallingEdge = InterruptActiveLow,
	InterruptActiveBoth,
	InterruptActiveBothTriggerLow = InterruptActiveBoth,
	InterruptActiveBothTriggerHigh
} KINTERRUPT_POLARITY;

/*
 * The routine types: declare a routine with one, then define it under
 * _Use_decl_annotations_. Each P... type points to one (u8 is BOOLEAN).
 */
typedef BOOLEAN KSERVICE_ROUTINE(PKINTERRUPT Interrupt, PVOID ServiceContext);
typedef u8 (*PKSERVICE_ROUTINE)(PKINTERRUPT Interrupt, PVOID ServiceContext);

typedef BOOLEAN KMESSAGE_SERVICE_ROUTINE(PKINTERRUPT Interrupt,
					 PVOID ServiceContext,
					 ULONG MessageID);
typedef u8 (*PKMESSAGE_SERVICE_ROUTINE)(PKINTERRUPT Interrupt,
					     PVOID ServiceContext,
					     ULONG MessageID);

typedef BOOLEAN KSYNCHRONIZE_ROUTINE(PVOID SynchronizeContext);
typedef u8 (*PKSYNCHRONIZE_ROUTINE)(PVOID SynchronizeContext);

typedef VOID KDEFERRED_ROUTINE(PKDPC Dpc, PVOID DeferredContext,
			       PVOID SystemArgument1, PVOID SystemArgument2);
typedef void (*PKDEFERRED_ROUTINE)(PKDPC Dpc, PVOID DeferredContext,
				   PVOID SystemArgument1, PVOID SystemArgument2);

typedef VOID IO_DPC_ROUTINE(PKDPC Dpc, PDEVICE_OBJECT DeviceObject,
			    PIRP Irp, PVOID Context);
typedef void (*PIO_DPC_ROUTINE)(PKDPC Dpc, PDEVICE_OBJECT DeviceObject,
				PIRP Irp, PVOID Context);

/*
 * A deferred procedure call. Initialise it with KeInitializeDpc(); the
 * fields below the routine and context are the shim's.
 */
struct _KDPC {
	PKDEFERRED_ROUTINE DeferredRoutine;
	PVOID DeferredContext;
	PVOID SystemArgument1;
	PVOID SystemArgument2;
	/* private to wdm.ko */
	struct list_head entry;		/* on a queue while queued */
	struct wdm_dpc_queue *queue;	/* where it is queued, or NULL */
	u64 ticket;			/* queue order, for KeFlushQueuedDpcs */
	bool threaded;			/* KeInitializeThreadedDpc() */
	u8 importance;			/* KDPC_IMPORTANCE */
	int target_cpu;			/* KeSetTargetProcessorDpc(Ex), or -1 */
};

typedef enum _KDPC_IMPORTANCE {
	LowImportance,
	MediumImportance,
	HighImportance,
	MediumHighImportance
} KDPC_IMPORTANCE;

typedef struct _KDPC_WATCHDOG_INFORMATION {
	ULONG DpcTimeLimit;
	ULONG DpcTimeCount;
	ULONG DpcWatchdogLimit;
	ULONG DpcWatchdogCount;
	ULONG Reserved;
} KDPC_WATCHDOG_INFORMATION, *PKDPC_WATCHDOG_INFORMATION;

/* Interrupt types a device may be given, in WDM_DEVICE_OBJECT.MessageTypes */
#define WDM_MESSAGE_MSIX	0x1
#define WDM_MESSAGE_MSI		0x2

/*
 * The device object: a small wrapper around the struct pci_dev that the
 * PhysicalDeviceObject stands for. Fill it with wdm_init_device_object().
 * MessageTypes and MessageNumberLimit play the part of the INF's
 * MSISupported and MessageNumberLimit registry values.
 */
struct _DEVICE_OBJECT {
	struct pci_dev *PciDevice;
	PVOID DeviceExtension;
	ULONG MessageTypes;		/* WDM_MESSAGE_* allowed; 0: line only */
	ULONG MessageNumberLimit;	/* most messages to use; 0: no limit */
	KDPC Dpc;			/* the DpcForIsr (IoInitializeDpcRequest) */
	PIO_DPC_ROUTINE DpcForIsr;
};

/* Make a DEVICE_OBJECT stand for a PCI device (kernel-doc: wdm_connect.c). */
void wdm_init_device_object(PDEVICE_OBJECT DeviceObject, struct pci_dev *pdev);

/*
 * IoConnectInterruptEx
 */

#define CONNECT_FULLY_SPECIFIED		0x1
#define CONNECT_LINE_BASED		0x2
#define CONNECT_MESSAGE_BASED		0x3
#define CONNECT_FULLY_SPECIFIED_GROUP	0x4
#define CONNECT_MESSAGE_BASED_PASSIVE	0x5
#define CONNECT_CURRENT_VERSION		0x5

typedef struct _IO_INTERRUPT_MESSAGE_INFO_ENTRY {
	PHYSICAL_ADDRESS MessageAddress;
	KAFFINITY TargetProcessorSet;
	PKINTERRUPT InterruptObject;
	ULONG MessageData;
	ULONG Vector;			/* the Linux IRQ number */
	KIRQL Irql;
	KINTERRUPT_MODE Mode;
	KINTERRUPT_POLARITY Polarity;
} IO_INTERRUPT_MESSAGE_INFO_ENTRY, *PIO_INTERRUPT_MESSAGE_INFO_ENTRY;

typedef struct _IO_INTERRUPT_MESSAGE_INFO {
	KIRQL UnifiedIrql;
	ULONG MessageCount;
	IO_INTERRUPT_MESSAGE_INFO_ENTRY MessageInfo[];
} IO_INTERRUPT_MESSAGE_INFO, *PIO_INTERRUPT_MESSAGE_INFO;

typedef struct _IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS {
	PDEVICE_OBJECT PhysicalDeviceObject;
	PKINTERRUPT *InterruptObject;
	PKSERVICE_ROUTINE ServiceRoutine;
	PVOID ServiceContext;
	PKSPIN_LOCK SpinLock;
	KIRQL SynchronizeIrql;
	BOOLEAN FloatingSave;
	BOOLEAN ShareVector;
	ULONG Vector;			/* the Linux IRQ number */
	KIRQL Irql;
	KINTERRUPT_MODE InterruptMode;
	KAFFINITY ProcessorEnableMask;
	USHORT Group;
} IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS;

typedef struct _IO_CONNECT_INTERRUPT_LINE_BASED_PARAMETERS {
	PDEVICE_OBJECT PhysicalDeviceObject;
	PKINTERRUPT *InterruptObject;
	PKSERVICE_ROUTINE ServiceRoutine;
	PVOID ServiceContext;
	PKSPIN_LOCK SpinLock;
	KIRQL SynchronizeIrql;
	BOOLEAN FloatingSave;
} IO_CONNECT_INTERRUPT_LINE_BASED_PARAMETERS;

typedef struct _IO_CONNECT_INTERRUPT_MESSAGE_BASED_PARAMETERS {
	PDEVICE_OBJECT PhysicalDeviceObject;
	union {
		PVOID *Generic;
		PIO_INTERRUPT_MESSAGE_INFO *InterruptMessageTable;
		PKINTERRUPT *InterruptObject;
	} ConnectionContext;
	PKMESSAGE_SERVICE_ROUTINE MessageServiceRoutine;
	PVOID ServiceContext;
	PKSPIN_LOCK SpinLock;
	KIRQL SynchronizeIrql;
	BOOLEAN FloatingSave;
	PKSERVICE_ROUTINE FallBackServiceRoutine;
} IO_CONNECT_INTERRUPT_MESSAGE_BASED_PARAMETERS;

typedef struct _IO_CONNECT_INTERRUPT_PARAMETERS {
	ULONG Version;
	union {
		IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS FullySpecified;
		IO_CONNECT_INTERRUPT_LINE_BASED_PARAMETERS LineBased;
		IO_CONNECT_INTERRUPT_MESSAGE_BASED_PARAMETERS MessageBased;
	};
} IO_CONNECT_INTERRUPT_PARAMETERS, *PIO_CONNECT_INTERRUPT_PARAMETERS;

typedef struct _IO_DISCONNECT_INTERRUPT_PARAMETERS {
	ULONG Version;
	union {
		PVOID Generic;
		PKINTERRUPT InterruptObject;
		PIO_INTERRUPT_MESSAGE_INFO InterruptMessageTable;
	} ConnectionContext;
} IO_DISCONNECT_INTERRUPT_PARAMETERS, *PIO_DISCONNECT_INTERRUPT_PARAMETERS;

NTSTATUS IoConnectInterruptEx(PIO_CONNECT_INTERRUPT_PARAMETERS Parameters);
NTSTATUS IoDisconnectInterruptEx(PIO_DISCONNECT_INTERRUPT_PARAMETERS Parameters);

NTSTATUS IoConnectInterrupt(PKINTERRUPT *InterruptObject,
			    PKSERVICE_ROUTINE ServiceRoutine,
			    PVOID ServiceContext, PKSPIN_LOCK SpinLock,
			    ULONG Vector, KIRQL Irql, KIRQL SynchronizeIrql,
			    KINTERRUPT_MODE InterruptMode, BOOLEAN ShareVector,
			    KAFFINITY ProcessorEnableMask,
			    BOOLEAN FloatingSave);
VOID IoDisconnectInterrupt(PKINTERRUPT InterruptObject);

/*
 * Synchronisation
 */

/*
 * KeInitializeSpinLock() - initialise a spin lock (for IoConnectInterrupt(Ex)
 * or the executive spin lock routines). A macro, so that lockdep gives the
 * locks of each call site a class of their own.
 */
#define KeInitializeSpinLock(SpinLock)	raw_spin_lock_init(&(SpinLock)->rlock)
BOOLEAN KeSynchronizeExecution(PKINTERRUPT Interrupt,
			       PKSYNCHRONIZE_ROUTINE SynchronizeRoutine,
			       PVOID SynchronizeContext);
KIRQL KeAcquireInterruptSpinLock(PKINTERRUPT Interrupt);
VOID KeReleaseInterruptSpinLock(PKINTERRUPT Interrupt, KIRQL OldIrql);
KIRQL KeGetCurrentIrql(void);

/*
 * DPCs
 */

VOID KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
		     PVOID DeferredContext);
VOID KeInitializeThreadedDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
			     PVOID DeferredContext);
VOID KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance);
VOID KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number);
NTSTATUS KeSetTargetProcessorDpcEx(PKDPC Dpc, PPROCESSOR_NUMBER ProcNumber);
BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1,
			 PVOID SystemArgument2);
BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc);
VOID KeFlushQueuedDpcs(void);
BOOLEAN KeIsExecutingDpc(void);
NTSTATUS KeQueryDpcWatchdogInformation(PKDPC_WATCHDOG_INFORMATION WatchdogInformation);
VOID IoInitializeDpcRequest(PDEVICE_OBJECT DeviceObject,
			    PIO_DPC_ROUTINE DpcRoutine);
VOID IoRequestDpc(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context);

/*
 * Basic definitions: calling conventions, helpers, bit scans
 */

/*
 * Lists
 */

/*
 * Processors and affinity
 */

/*
 * Register and port access
 */

/*
 * Debug output and bug checks
 */

/*
 * Resources and I/O space
 */

/*
 * IRQL: raise and lower
 */

/*
 * KeRaiseIrql() and KeLowerIrql() move the current processor between the
 * Linux states that stand for each level (see "IRQL" above): DISPATCH_LEVEL
 * turns bottom halves and preemption off, so no DPC runs on the processor
 * until it lowers again; a device level or HIGH_LEVEL turns local interrupts
 * off too. KeGetCurrentIrql() then returns exactly the level raised to.
 * Kernel-doc: wdm_irql.c.
 */
KIRQL KfRaiseIrql(KIRQL NewIrql);
VOID KeLowerIrql(KIRQL NewIrql);
KIRQL KeRaiseIrqlToDpcLevel(void);
KIRQL KeRaiseIrqlToSynchLevel(void);
#define KeRaiseIrql(NewIrql, OldIrql)	(*(OldIrql) = KfRaiseIrql(NewIrql))

/*
 * Executive spin locks
 */

/*
 * The same KSPIN_LOCK as the interrupt spin lock. Kernel-doc: wdm_spinlock.c.
 */
typedef struct _KSPIN_LOCK_QUEUE {
	struct _KSPIN_LOCK_QUEUE *Next;
	PKSPIN_LOCK Lock;
} KSPIN_LOCK_QUEUE, *PKSPIN_LOCK_QUEUE;

typedef struct _KLOCK_QUEUE_HANDLE {
	KSPIN_LOCK_QUEUE LockQueue;
	KIRQL OldIrql;
} KLOCK_QUEUE_HANDLE, *PKLOCK_QUEUE_HANDLE;

KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock);
#define KeAcquireSpinLock(SpinLock, OldIrql) \
	(*(OldIrql) = KeAcquireSpinLockRaiseToDpc(SpinLock))
VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql);
VOID KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
VOID KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock);
BOOLEAN KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
KIRQL KeAcquireSpinLockForDpc(PKSPIN_LOCK SpinLock);
VOID KeReleaseSpinLockForDpc(PKSPIN_LOCK SpinLock, KIRQL OldIrql);
VOID KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock,
				    PKLOCK_QUEUE_HANDLE LockHandle);
VOID KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle);
VOID KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock,
					      PKLOCK_QUEUE_HANDLE LockHandle);
VOID KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle);
BOOLEAN KeTestSpinLock(PKSPIN_LOCK SpinLock);

/*
 * Interlocked operations
 */

#include <linux/atomic.h>
#include <linux/build_bug.h>

typedef s64 LONG64, *PLONG64;
typedef u64 ULONG64, *PULONG64;

/*
 * On x64 Windows these are compiler intrinsics (lock-prefixed instructions),
 * each a full barrier. Here they are the kernel's value-returning atomics,
 * which are fully ordered, on an atomic_t or atomic64_t view of the LONG or
 * LONG64: the two must agree in size and alignment. The _Acquire, _Release
 * and _NoFence forms are the same routines, as on x64, where every
 * interlocked instruction is a full barrier.
 */
static_assert(sizeof(atomic_t) == sizeof(LONG) &&
	      __alignof__(atomic_t) == __alignof__(LONG));
static_assert(sizeof(atomic64_t) == sizeof(LONG64) &&
	      __alignof__(atomic64_t) == __alignof__(LONG64));

/*
 * The targets: LONG volatile, LONG64 volatile and PVOID volatile, as Windows
 * declares them, so that drivers may pass volatile variables. The qualifier
 * is API compatibility, not synchronisation (what checkpatch warns of when
 * it sees volatile), so it is spelled __volatile__, GCC's other keyword.
 */
typedef LONG __volatile__ WDM_VOLATILE_LONG;
typedef LONG64 __volatile__ WDM_VOLATILE_LONG64;
typedef PVOID __volatile__ WDM_VOLATILE_PVOID;

#define WDM_ATOMIC(p)	((atomic_t *)(p))
#define WDM_ATOMIC64(p)	((atomic64_t *)(p))

/* Return: the new value. */
static inline LONG InterlockedIncrement(WDM_VOLATILE_LONG *Addend)
{
	return atomic_inc_return(WDM_ATOMIC(Addend));
}

/* Return: the new value. */
static inline LONG InterlockedDecrement(WDM_VOLATILE_LONG *Addend)
{
	return atomic_dec_return(WDM_ATOMIC(Addend));
}

/* Return: the value before the exchange. */
static inline LONG InterlockedExchange(WDM_VOLATILE_LONG *Target, LONG Value)
{
	return atomic_xchg(WDM_ATOMIC(Target), Value);
}

/* Return: the value before the addition. */
static inline LONG InterlockedExchangeAdd(WDM_VOLATILE_LONG *Addend, LONG Value)
{
	return atomic_fetch_add(Value, WDM_ATOMIC(Addend));
}

/* Return: the sum, the value after the addition. */
static inline LONG InterlockedAdd(WDM_VOLATILE_LONG *Addend, LONG Value)
{
	return atomic_add_return(Value, WDM_ATOMIC(Addend));
}

/*
 * Stores ExChange only if *Destination equals Comperand.
 * Return: the value of *Destination before the call, stored or not.
 */
static inline LONG InterlockedCompareExchange(WDM_VOLATILE_LONG *Destination,
					      LONG ExChange, LONG Comperand)
{
	return atomic_cmpxchg(WDM_ATOMIC(Destination), Comperand, ExChange);
}

/* Return: the original value, as Windows documents (not the result). */
static inline LONG InterlockedOr(WDM_VOLATILE_LONG *Destination, LONG Value)
{
	return atomic_fetch_or(Value, WDM_ATOMIC(Destination));
}

/* Return: the original value. */
static inline LONG InterlockedAnd(WDM_VOLATILE_LONG *Destination, LONG Value)
{
	return atomic_fetch_and(Value, WDM_ATOMIC(Destination));
}

/* Return: the original value. */
static inline LONG InterlockedXor(WDM_VOLATILE_LONG *Destination, LONG Value)
{
	return atomic_fetch_xor(Value, WDM_ATOMIC(Destination));
}

/*
 * Bit Offset of the bit string at Base, as the x64 lock bts/btr
 * instructions address it: bit Offset % 32 of LONG Offset / 32 (an
 * arithmetic shift, so a negative Offset addresses below Base).
 * Return: the bit before the call, 0 or 1.
 */
static inline BOOLEAN InterlockedBitTestAndSet(WDM_VOLATILE_LONG *Base, LONG Offset)
{
	ULONG mask = 1U << (Offset & 31);

	return !!(atomic_fetch_or(mask, WDM_ATOMIC(Base + (Offset >> 5))) & mask);
}

static inline BOOLEAN InterlockedBitTestAndReset(WDM_VOLATILE_LONG *Base, LONG Offset)
{
	ULONG mask = 1U << (Offset & 31);

	return !!(atomic_fetch_andnot(mask, WDM_ATOMIC(Base + (Offset >> 5))) & mask);
}

/* The 64-bit forms: the same return values as the LONG ones. */
static inline LONG64 InterlockedIncrement64(WDM_VOLATILE_LONG64 *Addend)
{
	return atomic64_inc_return(WDM_ATOMIC64(Addend));
}

static inline LONG64 InterlockedDecrement64(WDM_VOLATILE_LONG64 *Addend)
{
	return atomic64_dec_return(WDM_ATOMIC64(Addend));
}

static inline LONG64 InterlockedExchange64(WDM_VOLATILE_LONG64 *Target, LONG64 Value)
{
	return atomic64_xchg(WDM_ATOMIC64(Target), Value);
}

static inline LONG64 InterlockedExchangeAdd64(WDM_VOLATILE_LONG64 *Addend, LONG64 Value)
{
	return atomic64_fetch_add(Value, WDM_ATOMIC64(Addend));
}

static inline LONG64 InterlockedAdd64(WDM_VOLATILE_LONG64 *Addend, LONG64 Value)
{
	return atomic64_add_return(Value, WDM_ATOMIC64(Addend));
}

static inline LONG64 InterlockedCompareExchange64(WDM_VOLATILE_LONG64 *Destination,
						  LONG64 ExChange, LONG64 Comperand)
{
	return atomic64_cmpxchg(WDM_ATOMIC64(Destination), Comperand, ExChange);
}

static inline LONG64 InterlockedOr64(WDM_VOLATILE_LONG64 *Destination, LONG64 Value)
{
	return atomic64_fetch_or(Value, WDM_ATOMIC64(Destination));
}

static inline LONG64 InterlockedAnd64(WDM_VOLATILE_LONG64 *Destination, LONG64 Value)
{
	return atomic64_fetch_and(Value, WDM_ATOMIC64(Destination));
}

static inline LONG64 InterlockedXor64(WDM_VOLATILE_LONG64 *Destination, LONG64 Value)
{
	return atomic64_fetch_xor(Value, WDM_ATOMIC64(Destination));
}

/* Bit Offset % 64 of LONG64 Offset / 64. Return: the bit before, 0 or 1. */
static inline BOOLEAN InterlockedBitTestAndSet64(WDM_VOLATILE_LONG64 *Base, LONG64 Offset)
{
	ULONG64 mask = 1ULL << (Offset & 63);

	return !!(atomic64_fetch_or(mask, WDM_ATOMIC64(Base + (Offset >> 6))) & mask);
}

static inline BOOLEAN InterlockedBitTestAndReset64(WDM_VOLATILE_LONG64 *Base, LONG64 Offset)
{
	ULONG64 mask = 1ULL << (Offset & 63);

	return !!(atomic64_fetch_andnot(mask, WDM_ATOMIC64(Base + (Offset >> 6))) & mask);
}

/* Return: the pointer before the exchange. */
static inline PVOID InterlockedExchangePointer(WDM_VOLATILE_PVOID *Target, PVOID Value)
{
	return xchg((PVOID *)Target, Value);
}

/* Stores ExChange only if *Destination equals Comperand. Return: the old one. */
static inline PVOID InterlockedCompareExchangePointer(WDM_VOLATILE_PVOID *Destination,
						      PVOID ExChange, PVOID Comperand)
{
	return cmpxchg((PVOID *)Destination, Comperand, ExChange);
}

#define InterlockedIncrementAcquire		InterlockedIncrement
#define InterlockedIncrementRelease		InterlockedIncrement
#define InterlockedIncrementNoFence		InterlockedIncrement
#define InterlockedDecrementAcquire		InterlockedDecrement
#define InterlockedDecrementRelease		InterlockedDecrement
#define InterlockedDecrementNoFence		InterlockedDecrement
#define InterlockedExchangeAcquire		InterlockedExchange
#define InterlockedExchangeNoFence		InterlockedExchange
#define InterlockedExchangeAddAcquire		InterlockedExchangeAdd
#define InterlockedExchangeAddRelease		InterlockedExchangeAdd
#define InterlockedExchangeAddNoFence		InterlockedExchangeAdd
#define InterlockedAddAcquire			InterlockedAdd
#define InterlockedAddRelease			InterlockedAdd
#define InterlockedAddNoFence			InterlockedAdd
#define InterlockedCompareExchangeAcquire	InterlockedCompareExchange
#define InterlockedCompareExchangeRelease	InterlockedCompareExchange
#define InterlockedCompareExchangeNoFence	InterlockedCompareExchange
#define InterlockedOrAcquire			InterlockedOr
#define InterlockedOrRelease			InterlockedOr
#define InterlockedOrNoFence			InterlockedOr
#define InterlockedAndAcquire			InterlockedAnd
#define InterlockedAndRelease			InterlockedAnd
#define InterlockedAndNoFence			InterlockedAnd
#define InterlockedXorAcquire			InterlockedXor
#define InterlockedXorRelease			InterlockedXor
#define InterlockedXorNoFence			InterlockedXor
#define InterlockedBitTestAndSetAcquire		InterlockedBitTestAndSet
#define InterlockedBitTestAndSetRelease		InterlockedBitTestAndSet
#define InterlockedBitTestAndResetAcquire	InterlockedBitTestAndReset
#define InterlockedBitTestAndResetRelease	InterlockedBitTestAndReset
#define InterlockedIncrementAcquire64		InterlockedIncrement64
#define InterlockedIncrementRelease64		InterlockedIncrement64
#define InterlockedIncrementNoFence64		InterlockedIncrement64
#define InterlockedDecrementAcquire64		InterlockedDecrement64
#define InterlockedDecrementRelease64		InterlockedDecrement64
#define InterlockedDecrementNoFence64		InterlockedDecrement64
#define InterlockedExchangeAcquire64		InterlockedExchange64
#define InterlockedExchangeNoFence64		InterlockedExchange64
#define InterlockedExchangeAddAcquire64		InterlockedExchangeAdd64
#define InterlockedExchangeAddRelease64		InterlockedExchangeAdd64
#define InterlockedExchangeAddNoFence64		InterlockedExchangeAdd64
#define InterlockedAddAcquire64			InterlockedAdd64
#define InterlockedAddRelease64			InterlockedAdd64
#define InterlockedAddNoFence64			InterlockedAdd64
#define InterlockedCompareExchangeAcquire64	InterlockedCompareExchange64
#define InterlockedCompareExchangeRelease64	InterlockedCompareExchange64
#define InterlockedCompareExchangeNoFence64	InterlockedCompareExchange64
#define InterlockedOr64Acquire			InterlockedOr64
#define InterlockedOr64Release			InterlockedOr64
#define InterlockedOr64NoFence			InterlockedOr64
#define InterlockedAnd64Acquire			InterlockedAnd64
#define InterlockedAnd64Release			InterlockedAnd64
#define InterlockedAnd64NoFence			InterlockedAnd64
#define InterlockedXor64Acquire			InterlockedXor64
#define InterlockedXor64Release			InterlockedXor64
#define InterlockedXor64NoFence			InterlockedXor64
#define InterlockedExchangePointerAcquire	InterlockedExchangePointer
#define InterlockedExchangePointerNoFence	InterlockedExchangePointer
#define InterlockedCompareExchangePointerAcquire InterlockedCompareExchangePointer
#define InterlockedCompareExchangePointerRelease InterlockedCompareExchangePointer
#define InterlockedCompareExchangePointerNoFence InterlockedCompareExchangePointer

/*
 * Clocks
 */

typedef u64 ULONG64, *PULONG64;

/*
 * Times are in 100 ns units. The system time is CLOCK_REALTIME counted
 * from 1601-01-01 UTC, 11644473600 s before the Unix epoch; the interrupt
 * time, the tick count and the performance counter (10 MHz) count from boot
 * and go on during suspend (CLOCK_BOOTTIME), as Windows' do. A tick is a
 * jiffy long.
 */
VOID KeQuerySystemTime(PLARGE_INTEGER CurrentTime);
VOID KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime);
ULONGLONG KeQueryInterruptTime(void);
ULONG64 KeQueryInterruptTimePrecise(PULONG64 QpcTimeStamp);
VOID KeQueryTickCount(PLARGE_INTEGER CurrentCount);
ULONG KeQueryTimeIncrement(void);
LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency);
VOID KeStallExecutionProcessor(ULONG MicroSeconds);

/*
 * Dispatcher objects: events, timers and waits
 */

#include <linux/hrtimer.h>

typedef LONG KPRIORITY;

/* The priority boost a waker gives a waiter: accepted and ignored. */
#define IO_NO_INCREMENT			0
#define EVENT_INCREMENT			1
#define IO_CD_ROM_INCREMENT		1
#define IO_DISK_INCREMENT		1
#define IO_PARALLEL_INCREMENT		1
#define IO_VIDEO_INCREMENT		1
#define SEMAPHORE_INCREMENT		1
#define IO_MAILSLOT_INCREMENT		2
#define IO_NAMED_PIPE_INCREMENT		2
#define IO_NETWORK_INCREMENT		2
#define IO_SERIAL_INCREMENT		2
#define IO_KEYBOARD_INCREMENT		6
#define IO_MOUSE_INCREMENT		6
#define IO_SOUND_INCREMENT		8

typedef s8 KPROCESSOR_MODE;

typedef enum _MODE {
	KernelMode,
	UserMode,
	MaximumMode
} MODE;

typedef enum _KWAIT_REASON {
	Executive,
	FreePage,
	PageIn,
	PoolAllocation,
	DelayExecution,
	Suspended,
	UserRequest,
	WrExecutive,
	WrFreePage,
	WrPageIn,
	WrPoolAllocation,
	WrDelayExecution,
	WrSuspended,
	WrUserRequest,
	WrSpare0,
	WrQueue,
	WrLpcReceive,
	WrLpcReply,
	WrVirtualMemory,
	WrPageOut,
	WrRendezvous,
	WrKeyedEvent,
	WrTerminated,
	WrProcessInSwap,
	WrCpuRateControl,
	WrCalloutStack,
	WrKernel,
	WrResource,
	WrPushLock,
	WrMutex,
	WrQuantumEnd,
	WrDispatchInt,
	WrPreempted,
	WrYieldExecution,
	WrFastMutex,
	WrGuardedMutex,
	WrRundown,
	WrAlertByThreadId,
	WrDeferredPreempt,
	WrPhysicalFault,
	WrIoRing,
	WrMdlCache,
	WrRcu,
	MaximumWaitReason
} KWAIT_REASON;

typedef enum _WAIT_TYPE {
	WaitAll,
	WaitAny,
	WaitNotification,
	WaitDequeue,
	WaitDpc
} WAIT_TYPE;

typedef enum _EVENT_TYPE {
	NotificationEvent,
	SynchronizationEvent
} EVENT_TYPE;

typedef enum _TIMER_TYPE {
	NotificationTimer,
	SynchronizationTimer
} TIMER_TYPE;

/* DISPATCHER_HEADER.Type of each kind of object, as Windows numbers them */
typedef enum _KOBJECTS {
	EventNotificationObject = 0,
	EventSynchronizationObject = 1,
	TimerNotificationObject = 8,
	TimerSynchronizationObject = 9
} KOBJECTS;

/* Wait blocks a thread has of its own; more need a WaitBlockArray. */
#define THREAD_WAIT_OBJECTS	3
#define MAXIMUM_WAIT_OBJECTS	64

/*
 * The header every dispatcher object starts with. SignalState and the wait
 * list are protected by the shim's dispatcher lock; drivers only read
 * SignalState through KeReadStateEvent() and KeReadStateTimer().
 */
typedef struct _DISPATCHER_HEADER {
	UCHAR Type;			/* a KOBJECTS value */
	UCHAR Signalling;
	UCHAR Size;			/* of the whole object, in ULONGs */
	UCHAR Inserted;			/* a timer: set and not yet expired */
	LONG SignalState;
	struct list_head WaitListHead;	/* KWAIT_BLOCK.WaitListEntry, FIFO */
} DISPATCHER_HEADER;

struct wdm_waiter;

/*
 * One object of one wait. KeWaitForMultipleObjects() fills it: a caller
 * that waits on more than THREAD_WAIT_OBJECTS objects passes an array of
 * them, uninitialised, and must not touch it during the wait.
 */
typedef struct _KWAIT_BLOCK {
	struct list_head WaitListEntry;	/* on the object's WaitListHead */
	struct wdm_waiter *Thread;	/* the wait it belongs to */
	PVOID Object;
	USHORT WaitKey;			/* the object's index in the wait */
	UCHAR WaitType;
} KWAIT_BLOCK, *PKWAIT_BLOCK, *PRKWAIT_BLOCK;

typedef struct _KEVENT {
	DISPATCHER_HEADER Header;
} KEVENT, *PKEVENT, *PRKEVENT;

/*
 * A timer object. An absolute due time runs on CLOCK_REALTIME and a
 * relative one on CLOCK_BOOTTIME, each on a hrtimer of its own that
 * expires in hard-IRQ context.
 */
typedef struct _KTIMER {
	DISPATCHER_HEADER Header;
	LONGLONG DueTime;		/* as the last KeSetTimer*() gave it */
	PKDPC Dpc;
	LONG Period;			/* in ms; 0: one-shot */
	/* private to wdm.ko */
	struct hrtimer rel;
	struct hrtimer abs;
} KTIMER, *PKTIMER, *PRKTIMER;

VOID KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
LONG KePulseEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
VOID KeClearEvent(PRKEVENT Event);
LONG KeResetEvent(PRKEVENT Event);
LONG KeReadStateEvent(PRKEVENT Event);

VOID KeInitializeTimer(PKTIMER Timer);
VOID KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type);
BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc);
BOOLEAN KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period,
		     PKDPC Dpc);
BOOLEAN KeSetCoalescableTimer(PKTIMER Timer, LARGE_INTEGER DueTime,
			      ULONG Period, ULONG TolerableDelay, PKDPC Dpc);
BOOLEAN KeCancelTimer(PKTIMER Timer);
BOOLEAN KeReadStateTimer(PKTIMER Timer);

NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
			       KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
			       PLARGE_INTEGER Timeout);
NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[],
				  WAIT_TYPE WaitType, KWAIT_REASON WaitReason,
				  KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
				  PLARGE_INTEGER Timeout,
				  PKWAIT_BLOCK WaitBlockArray);

/*
 * Work items
 */

/*
 * A work item: opaque, allocated by IoAllocateWorkItem() or placed in
 * IoSizeofWorkItem() bytes of the caller's memory by IoInitializeWorkItem().
 * Its routine runs at PASSIVE_LEVEL in a kernel worker thread (a kworker of
 * one of wdm.ko's workqueues). While the item is queued or its routine runs,
 * the module that holds the routine cannot be unloaded, as Windows keeps the
 * device object, and with it the driver, while an item is queued.
 */
typedef struct _IO_WORKITEM IO_WORKITEM, *PIO_WORKITEM;

typedef VOID IO_WORKITEM_ROUTINE(PDEVICE_OBJECT DeviceObject, PVOID Context);
typedef void (*PIO_WORKITEM_ROUTINE)(PDEVICE_OBJECT DeviceObject, PVOID Context);

typedef VOID IO_WORKITEM_ROUTINE_EX(PVOID IoObject, PVOID Context,
				    PIO_WORKITEM IoWorkItem);
typedef void (*PIO_WORKITEM_ROUTINE_EX)(PVOID IoObject, PVOID Context,
					PIO_WORKITEM IoWorkItem);

/*
 * The system worker thread a work item asks for. Priorities of 13 and above
 * (CriticalWorkQueue and the ones above it, and CustomPriorityWorkQueue +
 * 13 to 31) run on a WQ_HIGHPRI workqueue, the others on an ordinary one.
 */
typedef enum _WORK_QUEUE_TYPE {
	CriticalWorkQueue,
	DelayedWorkQueue,
	HyperCriticalWorkQueue,
	NormalWorkQueue,
	BackgroundWorkQueue,
	RealTimeWorkQueue,
	SuperCriticalWorkQueue,
	MaximumWorkQueue,
	CustomPriorityWorkQueue = 32
} WORK_QUEUE_TYPE;

PIO_WORKITEM IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject);
VOID IoFreeWorkItem(PIO_WORKITEM IoWorkItem);
ULONG IoSizeofWorkItem(void);
VOID IoInitializeWorkItem(PVOID IoObject, PIO_WORKITEM IoWorkItem);
VOID IoUninitializeWorkItem(PIO_WORKITEM IoWorkItem);
VOID IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine,
		     WORK_QUEUE_TYPE QueueType, PVOID Context);
VOID IoQueueWorkItemEx(PIO_WORKITEM IoWorkItem,
		       PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
		       WORK_QUEUE_TYPE QueueType, PVOID Context);
BOOLEAN IoTryQueueWorkItem(PIO_WORKITEM IoWorkItem,
			   PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
			   WORK_QUEUE_TYPE QueueType, PVOID Context);

#endif /* _WDM_H */
