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
#include <linux/spinlock_types.h>
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
 * PASSIVE_LEVEL is process context, DISPATCH_LEVEL is "cannot sleep"
 * (softirq or preemption off), and every device level (DIRQL) is hard-IRQ
 * context with local interrupts off. All device interrupts are one level in
 * Linux, so the shim reports WDM_DEVICE_IRQL as the IRQL of every line and
 * message, and a nested line (behind I2C or SPI) as PASSIVE_LEVEL. Drivers
 * pass what Windows drivers pass: PASSIVE_LEVEL as the SynchronizeIrql of a
 * line- or message-based connection (a minimum), and the resource's level
 * (3 to 12 on x64) to a fully specified one; inside the ISR, under its spin
 * lock and in KeSynchronizeExecution() KeGetCurrentIrql() is that
 * interrupt's SynchronizeIrql.
 */
typedef UCHAR KIRQL, *PKIRQL;

#define PASSIVE_LEVEL	0
#define LOW_LEVEL	0
#define APC_LEVEL	1
#define DISPATCH_LEVEL	2
#define WDM_DEVICE_IRQL	12
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
	struct list_head entry;		/* on queue->pending while queued */
	struct wdm_dpc_queue *queue;	/* where it is queued, or NULL */
	u64 ticket;			/* queue order, for KeFlushQueuedDpcs */
};

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

VOID KeInitializeSpinLock(PKSPIN_LOCK SpinLock);
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
BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1,
			 PVOID SystemArgument2);
BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc);
VOID KeFlushQueuedDpcs(void);
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
 * Executive spin locks
 */

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

/*
 * Dispatcher objects: events, timers and waits
 */

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
