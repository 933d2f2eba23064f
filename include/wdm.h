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

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/swab.h>
#include <linux/types.h>
#include <asm/page.h>

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
#define _In_z_
#define _In_opt_z_
#define _Inout_z_
#define _In_range_(lo, hi)
#define _Out_range_(lo, hi)
#define _Ret_range_(lo, hi)
#define _In_reads_bytes_(n)
#define _In_reads_opt_(n)
#define _In_reads_bytes_opt_(n)
#define _Out_writes_opt_(n)
#define _Out_writes_bytes_(n)
#define _Out_writes_bytes_opt_(n)
#define _Out_writes_to_(size, count)
#define _Out_writes_bytes_to_(size, count)
#define _Out_writes_all_(n)
#define _Out_writes_bytes_all_(n)
#define _Inout_updates_(n)
#define _Inout_updates_opt_(n)
#define _Inout_updates_bytes_(n)
#define _Inout_updates_bytes_opt_(n)
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Outptr_opt_result_maybenull_
#define _Outptr_result_buffer_(n)
#define _Outptr_result_bytebuffer_(n)
#define _Outptr_result_nullonfailure_
#define _Deref_out_
#define _Deref_out_opt_
#define _Ret_maybenull_
#define _Ret_notnull_
#define _Ret_z_
#define _Notnull_
#define _Maybenull_
#define _Null_terminated_
#define _Field_size_(n)
#define _Field_size_opt_(n)
#define _Field_size_bytes_(n)
#define _Field_size_bytes_opt_(n)
#define _Field_range_(lo, hi)
#define _Struct_size_bytes_(n)
#define _Check_return_
#define _Return_type_success_(expr)
#define _Printf_format_string_
#define _Pre_satisfies_(expr)
#define _Post_satisfies_(expr)
#define _Pre_notnull_
#define _Post_invalid_
#define _Post_ptr_invalid_
#define _Post_writable_byte_size_(n)
#define _Analysis_assume_(expr)
#define _Analysis_assume_lock_held_(lock)
#define _Analysis_assume_lock_not_held_(lock)
#define _At_(target, anno)
#define _Always_(anno)
#define _Frees_ptr_
#define _Frees_ptr_opt_
#define _Reserved_
#define _Literal_
#define _Const_
#define _Strict_type_match_
#define _Guarded_by_(lock)
#define _Interlocked_operand_
#define _Dispatch_type_(major)
#define _Kernel_float_saved_
#define _Kernel_float_restored_
#define _Kernel_float_used_
#define _Kernel_clear_do_init_(yes_no)
#define _Kernel_requires_resource_held_(kind)
#define _Kernel_acquires_resource_(kind)
#define _Kernel_releases_resource_(kind)
#define _IRQL_is_cancel_
#define _IRQL_uses_cancel_
#define _IRQL_always_function_max_(x)
#define _IRQL_always_function_min_(x)
#define _Acquires_exclusive_lock_(x)
#define _Releases_exclusive_lock_(x)
#define _Acquires_shared_lock_(x)
#define _Releases_shared_lock_(x)
#define _Requires_shared_lock_held_(x)
#define _Requires_exclusive_lock_held_(x)
#define _Has_lock_kind_(kind)
#define _Has_lock_level_(level)
#define _Lock_level_order_(a, b)
#define _Create_lock_level_(level)
#define _Requires_no_locks_held_
/* driverspecs.h's older driver annotations */
#define __drv_aliasesMem
#define __drv_allocatesMem(kind)
#define __drv_freesMem(kind)
#define __drv_functionClass(x)
#define __drv_dispatchType(major)
#define __drv_maxIRQL(x)
#define __drv_minIRQL(x)
#define __drv_requiresIRQL(x)
#define __drv_setsIRQL(x)
#define __drv_savesIRQL
#define __drv_restoresIRQL
#define __drv_sameIRQL
#define __drv_when(cond, anno)

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
typedef size_t SIZE_T, *PSIZE_T;
typedef void *PVOID;
#define CONST const
typedef char CHAR, *PCHAR, *PCH, *PSTR, *LPSTR, *PSZ;
typedef const char *PCSTR, *LPCSTR, *PCCH, *PCSZ;
typedef char CCHAR;
typedef u16 WCHAR, *PWCHAR, *PWCH, *PWSTR, *LPWSTR;
typedef const u16 *PCWSTR, *LPCWSTR, *PCWCH;
typedef s16 SHORT, *PSHORT, CSHORT;
typedef int INT, *PINT;
typedef unsigned int UINT, *PUINT;
typedef ULONG CLONG, LOGICAL, *PLOGICAL;
typedef u64 ULONG64, *PULONG64, DWORD64, *PDWORD64, *PULONGLONG;
typedef s64 LONG64, *PLONG64, *PLONGLONG;
typedef u32 ULONG32, *PULONG32;
typedef s32 LONG32, *PLONG32;
typedef u8 BYTE, *PBYTE;
typedef u16 WORD, *PWORD;
typedef u32 DWORD, *PDWORD;
typedef long LONG_PTR, *PLONG_PTR, INT_PTR, *PINT_PTR;
typedef unsigned long UINT_PTR, *PUINT_PTR, DWORD_PTR, *PDWORD_PTR;
typedef LONG_PTR SSIZE_T, *PSSIZE_T;
typedef const void *PCVOID;
typedef void *PVOID64;
typedef PVOID HANDLE, *PHANDLE;
typedef LONG KPRIORITY;

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
	struct {
		ULONG LowPart;
		LONG HighPart;
	} u;
	LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
	struct {
		ULONG LowPart;
		ULONG HighPart;
	};
	struct {
		ULONG LowPart;
		ULONG HighPart;
	} u;
	ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

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
#define STATUS_ABANDONED		((NTSTATUS)0x00000080L)
#define STATUS_ABANDONED_WAIT_63	((NTSTATUS)0x000000BFL)
#define STATUS_KERNEL_APC		((NTSTATUS)0x00000100L)
#define STATUS_BUFFER_OVERFLOW		((NTSTATUS)0x80000005L)
#define STATUS_INVALID_HANDLE		((NTSTATUS)0xC0000008L)
#define STATUS_MORE_PROCESSING_REQUIRED	((NTSTATUS)0xC0000016L)
#define STATUS_CONFLICTING_ADDRESSES	((NTSTATUS)0xC0000018L)
#define STATUS_OBJECT_NAME_NOT_FOUND	((NTSTATUS)0xC0000034L)
#define STATUS_OBJECT_NAME_COLLISION	((NTSTATUS)0xC0000035L)
#define STATUS_DATA_ERROR		((NTSTATUS)0xC000003EL)
#define STATUS_CRC_ERROR		((NTSTATUS)0xC000003FL)
#define STATUS_REVISION_MISMATCH	((NTSTATUS)0xC0000059L)
#define STATUS_RESOURCE_TYPE_NOT_FOUND	((NTSTATUS)0xC000008AL)
#define STATUS_INTEGER_OVERFLOW		((NTSTATUS)0xC0000095L)
#define STATUS_DEVICE_DATA_ERROR	((NTSTATUS)0xC000009CL)
#define STATUS_DEVICE_POWER_FAILURE	((NTSTATUS)0xC000009EL)
#define STATUS_DEVICE_NOT_READY		((NTSTATUS)0xC00000A3L)
#define STATUS_IO_TIMEOUT		((NTSTATUS)0xC00000B5L)
#define STATUS_DEVICE_DOES_NOT_EXIST	((NTSTATUS)0xC00000C0L)
#define STATUS_ADAPTER_HARDWARE_ERROR	((NTSTATUS)0xC00000C2L)
#define STATUS_INTERNAL_ERROR		((NTSTATUS)0xC00000E5L)
#define STATUS_INVALID_USER_BUFFER	((NTSTATUS)0xC00000E8L)
#define STATUS_UNEXPECTED_IO_ERROR	((NTSTATUS)0xC00000E9L)
#define STATUS_INVALID_PARAMETER_2	((NTSTATUS)0xC00000F0L)
#define STATUS_INVALID_PARAMETER_3	((NTSTATUS)0xC00000F1L)
#define STATUS_INVALID_PARAMETER_4	((NTSTATUS)0xC00000F2L)
#define STATUS_INVALID_PARAMETER_5	((NTSTATUS)0xC00000F3L)
#define STATUS_INVALID_PARAMETER_6	((NTSTATUS)0xC00000F4L)
#define STATUS_INVALID_PARAMETER_7	((NTSTATUS)0xC00000F5L)
#define STATUS_INVALID_PARAMETER_8	((NTSTATUS)0xC00000F6L)
#define STATUS_INVALID_PARAMETER_9	((NTSTATUS)0xC00000F7L)
#define STATUS_INVALID_PARAMETER_11	((NTSTATUS)0xC00000F9L)
#define STATUS_INVALID_PARAMETER_12	((NTSTATUS)0xC00000FAL)
#define STATUS_CANCELLED		((NTSTATUS)0xC0000120L)
#define STATUS_INVALID_ADDRESS		((NTSTATUS)0xC0000141L)
#define STATUS_DEVICE_CONFIGURATION_ERROR	((NTSTATUS)0xC0000182L)
#define STATUS_IO_DEVICE_ERROR		((NTSTATUS)0xC0000185L)
#define STATUS_DEVICE_PROTOCOL_ERROR	((NTSTATUS)0xC0000186L)
#define STATUS_INVALID_BUFFER_SIZE	((NTSTATUS)0xC0000206L)
#define STATUS_RETRY			((NTSTATUS)0xC000022DL)
#define STATUS_REQUEST_ABORTED		((NTSTATUS)0xC0000240L)
#define STATUS_DEVICE_REMOVED		((NTSTATUS)0xC00002B6L)

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
	/* private to wdm.ko's statistics: the ISR that queued it, and when */
	struct _KINTERRUPT *wdm_private_origin;
	u64 wdm_private_queued_ns;
	/* private to wdm.ko's verifier: queued again from its own routine */
	u32 wdm_private_requeues;
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
 * IoReportInterruptActive/Inactive: Version is what IoConnectInterruptEx()
 * returned in Parameters->Version, ConnectionContext the object or message
 * table it gave for that Version.
 */
typedef struct _IO_REPORT_INTERRUPT_ACTIVE_STATE_PARAMETERS {
	ULONG Version;
	union {
		PVOID Generic;
		PKINTERRUPT InterruptObject;
		PIO_INTERRUPT_MESSAGE_INFO InterruptMessageTable;
	} ConnectionContext;
} IO_REPORT_INTERRUPT_ACTIVE_STATE_PARAMETERS,
	*PIO_REPORT_INTERRUPT_ACTIVE_STATE_PARAMETERS;

VOID IoReportInterruptActive(PIO_REPORT_INTERRUPT_ACTIVE_STATE_PARAMETERS Parameters);
VOID IoReportInterruptInactive(PIO_REPORT_INTERRUPT_ACTIVE_STATE_PARAMETERS Parameters);

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

/* Calling conventions and linkage: one convention on Linux, so all empty. */
#define NTAPI
#define NTSYSAPI
#define NTSYSCALLAPI
#define NTKERNELAPI
#define NTHALAPI
#define FASTCALL
#define DDKAPI
#define CALLBACK
#define WINAPI
#ifndef __stdcall
#define __stdcall
#endif
#ifndef __cdecl
#define __cdecl
#endif
#ifndef __fastcall
#define __fastcall
#endif
#define DECLSPEC_IMPORT
#define DECLSPEC_EXPORT
#define DECLSPEC_NORETURN	__noreturn
#define DECLSPEC_NOINLINE	noinline
#define DECLSPEC_ALIGN(x)	__aligned(x)
#define FORCEINLINE		__always_inline
#define EXTERN_C		extern

#define UNREFERENCED_PARAMETER(P)		((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P)		((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V)	((void)(V))

/*
 * Checked and free builds. Windows builds a driver with DBG=1 (checked) or
 * DBG=0 (free); here the driver's Kbuild does the same (ccflags-y +=
 * -DDBG=1), and without it the build is a free one. In a free build ASSERT
 * and friends compile to nothing and do not evaluate their argument, as on
 * Windows. In a checked build a failed assertion is a WARN_ONCE with the
 * expression and, for ASSERTMSG, the message: Windows stops in the debugger
 * there, Linux logs a warning with the stack and goes on. NT_VERIFY always
 * evaluates its argument and returns it as a BOOLEAN.
 */
#if defined(DBG) && DBG
#define ASSERT(exp)		((void)WARN_ONCE(!(exp), "Assertion failed: %s\n", #exp))
#define ASSERTMSG(msg, exp)	((void)WARN_ONCE(!(exp), "%s: %s\n", (msg), #exp))
#define NT_VERIFY(exp)		((BOOLEAN)!WARN_ONCE(!(exp), "Assertion failed: %s\n", #exp))
#else
#define ASSERT(exp)		((void)0)
#define ASSERTMSG(msg, exp)	((void)0)
#define NT_VERIFY(exp)		((BOOLEAN)!!(exp))
#endif
#define NT_ASSERT(exp)			ASSERT(exp)
#define NT_ASSERTMSG(msg, exp)		ASSERTMSG(msg, exp)

/*
 * Pageable code runs at or below APC_LEVEL on Windows; here that is "may
 * sleep", which might_sleep() checks (with CONFIG_DEBUG_ATOMIC_SLEEP) in
 * every build. Linux does not page kernel code, so there is no pageable
 * section to put the code in.
 */
#define PAGED_CODE()		might_sleep()

#define CONTAINING_RECORD(address, type, field) \
	((type *)((PCHAR)(address) - offsetof(type, field)))
#define FIELD_OFFSET(type, field)	((LONG)offsetof(type, field))
#define RTL_FIELD_SIZE(type, field)	sizeof_field(type, field)
#define RTL_SIZEOF_THROUGH_FIELD(type, field)	offsetofend(type, field)
#define RTL_NUMBER_OF(a)		ARRAY_SIZE(a)
#define ARGUMENT_PRESENT(ArgumentPointer) \
	((CHAR *)((ULONG_PTR)(ArgumentPointer)) != (CHAR *)NULL)

#define BYTES_TO_PAGES(Size)		((ULONG)DIV_ROUND_UP((ULONG_PTR)(Size), PAGE_SIZE))
#define ROUND_TO_PAGES(Size) \
	(((ULONG_PTR)(Size) + PAGE_SIZE - 1) & ~((ULONG_PTR)PAGE_SIZE - 1))
#define ADDRESS_AND_SIZE_TO_SPAN_PAGES(Va, Size) \
	BYTES_TO_PAGES(((ULONG_PTR)(Va) & (PAGE_SIZE - 1)) + (ULONG_PTR)(Size))

/*
 * The bit scans: the index of the lowest (Forward) or highest (Reverse) set
 * bit of Mask in *Index, and TRUE; FALSE for a Mask of 0, with *Index left
 * untouched (Windows leaves it undefined).
 */
static inline BOOLEAN _BitScanForward(PULONG Index, ULONG Mask)
{
	if (!Mask)
		return FALSE;
	*Index = __ffs(Mask);
	return TRUE;
}

static inline BOOLEAN _BitScanReverse(PULONG Index, ULONG Mask)
{
	if (!Mask)
		return FALSE;
	*Index = __fls(Mask);
	return TRUE;
}

static inline BOOLEAN _BitScanForward64(PULONG Index, ULONG64 Mask)
{
	if (!Mask)
		return FALSE;
	*Index = __ffs64(Mask);
	return TRUE;
}

static inline BOOLEAN _BitScanReverse64(PULONG Index, ULONG64 Mask)
{
	if (!Mask)
		return FALSE;
	*Index = fls64(Mask) - 1;
	return TRUE;
}

#define BitScanForward		_BitScanForward
#define BitScanReverse		_BitScanReverse
#define BitScanForward64	_BitScanForward64
#define BitScanReverse64	_BitScanReverse64

#define RtlUshortByteSwap(Source)	swab16(Source)
#define RtlUlongByteSwap(Source)	swab32(Source)
#define RtlUlonglongByteSwap(Source)	swab64(Source)
#define _byteswap_ushort(Source)	swab16(Source)
#define _byteswap_ulong(Source)		swab32(Source)
#define _byteswap_uint64(Source)	swab64(Source)

/*
 * Lists
 */

/*
 * Doubly linked lists with a head, and singly linked lists, with the
 * routines of Windows' wdm.h and their exact results: RemoveHeadList() and
 * RemoveTailList() on an empty list return the head itself,
 * RemoveEntryList() returns TRUE when the list it leaves is empty,
 * PopEntryList() returns NULL on an empty list. Windows 8 and later check
 * the neighbours' links first and bug-check (0x139) on a corrupt list;
 * these routines do not check.
 */
typedef struct _LIST_ENTRY {
	struct _LIST_ENTRY *Flink;
	struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY, *PRLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
	struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

static inline VOID InitializeListHead(PLIST_ENTRY ListHead)
{
	ListHead->Flink = ListHead;
	ListHead->Blink = ListHead;
}

static inline BOOLEAN IsListEmpty(const LIST_ENTRY *ListHead)
{
	return ListHead->Flink == ListHead;
}

static inline BOOLEAN RemoveEntryList(PLIST_ENTRY Entry)
{
	PLIST_ENTRY Flink = Entry->Flink;
	PLIST_ENTRY Blink = Entry->Blink;

	Blink->Flink = Flink;
	Flink->Blink = Blink;
	return Flink == Blink;
}

static inline PLIST_ENTRY RemoveHeadList(PLIST_ENTRY ListHead)
{
	PLIST_ENTRY Entry = ListHead->Flink;
	PLIST_ENTRY Flink = Entry->Flink;

	ListHead->Flink = Flink;
	Flink->Blink = ListHead;
	return Entry;
}

static inline PLIST_ENTRY RemoveTailList(PLIST_ENTRY ListHead)
{
	PLIST_ENTRY Entry = ListHead->Blink;
	PLIST_ENTRY Blink = Entry->Blink;

	ListHead->Blink = Blink;
	Blink->Flink = ListHead;
	return Entry;
}

static inline VOID InsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry)
{
	PLIST_ENTRY Blink = ListHead->Blink;

	Entry->Flink = ListHead;
	Entry->Blink = Blink;
	Blink->Flink = Entry;
	ListHead->Blink = Entry;
}

static inline VOID InsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry)
{
	PLIST_ENTRY Flink = ListHead->Flink;

	Entry->Flink = Flink;
	Entry->Blink = ListHead;
	Flink->Blink = Entry;
	ListHead->Flink = Entry;
}

/*
 * Append the headless circular list whose first entry is ListToAppend to
 * the tail of the list at ListHead.
 */
static inline VOID AppendTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListToAppend)
{
	PLIST_ENTRY ListEnd = ListHead->Blink;

	ListHead->Blink->Flink = ListToAppend;
	ListHead->Blink = ListToAppend->Blink;
	ListToAppend->Blink->Flink = ListHead;
	ListToAppend->Blink = ListEnd;
}

static inline PSINGLE_LIST_ENTRY PopEntryList(PSINGLE_LIST_ENTRY ListHead)
{
	PSINGLE_LIST_ENTRY FirstEntry = ListHead->Next;

	if (FirstEntry)
		ListHead->Next = FirstEntry->Next;
	return FirstEntry;
}

static inline VOID PushEntryList(PSINGLE_LIST_ENTRY ListHead, PSINGLE_LIST_ENTRY Entry)
{
	Entry->Next = ListHead->Next;
	ListHead->Next = Entry;
}

/*
 * Processors and affinity
 */

/*
 * Processor groups of BITS_PER_LONG processors: Linux CPU c is number
 * c % BITS_PER_LONG of group c / BITS_PER_LONG, the rule
 * IoConnectInterruptEx() applies to a ProcessorEnableMask and its Group.
 * The processor index is the Linux CPU number, so indices run from 0 to
 * KeQueryMaximumProcessorCountEx(ALL_PROCESSOR_GROUPS) - 1 (nr_cpu_ids).
 */
#define MAXIMUM_PROC_PER_GROUP		BITS_PER_LONG
#define ALL_PROCESSOR_GROUPS		0xffff
#define INVALID_PROCESSOR_INDEX		0xffffffff

typedef struct _GROUP_AFFINITY {
	KAFFINITY Mask;
	USHORT Group;
	USHORT Reserved[3];
} GROUP_AFFINITY, *PGROUP_AFFINITY;

ULONG KeGetCurrentProcessorNumber(void);
ULONG KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber);
ULONG KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors);
KAFFINITY KeQueryActiveProcessors(void);
ULONG KeQueryActiveProcessorCountEx(USHORT GroupNumber);
ULONG KeQueryMaximumProcessorCount(void);
ULONG KeQueryMaximumProcessorCountEx(USHORT GroupNumber);
USHORT KeQueryActiveGroupCount(void);
USHORT KeQueryMaximumGroupCount(void);
KAFFINITY KeQueryGroupAffinity(USHORT GroupNumber);
NTSTATUS KeGetProcessorNumberFromIndex(ULONG ProcIndex, PPROCESSOR_NUMBER ProcNumber);
ULONG KeGetProcessorIndexFromNumber(PPROCESSOR_NUMBER ProcNumber);
NTSTATUS IoGetAffinityInterrupt(PKINTERRUPT InterruptObject, PGROUP_AFFINITY GroupAffinity);

/*
 * Register and port access
 */

/*
 * Device registers, at addresses that MmMapIoSpace() returned (an __iomem
 * mapping: the casts below only drop the annotation). As in Windows' x64
 * wdm.h, every write is followed by a full barrier (mb(), Windows'
 * FastFence), so it is ordered before any later access, memory or I/O. The
 * _BUFFER_ forms copy Count values between the buffer and consecutive
 * registers starting at Register, the way Windows' rep movs does.
 */
/* Windows' signatures take volatile pointers, so drivers may pass them. */
#define WDM_REG_PARAM(type, name)	volatile type *(name)

#define WDM_REG_READ(type, suffix, acc)					\
static inline type READ_REGISTER_##suffix(WDM_REG_PARAM(type, Register))	\
{									\
	return acc((const void __iomem __force *)Register);		\
}

#define WDM_REG_WRITE(type, suffix, acc)				\
static inline VOID WRITE_REGISTER_##suffix(WDM_REG_PARAM(type, Register),	\
					   type Value)			\
{									\
	acc(Value, (void __iomem __force *)Register);			\
	mb();	/* Windows' FastFence: the write before anything later */ \
}

#define WDM_REG_BUFFER(type, suffix, rd, wr)				\
static inline VOID READ_REGISTER_BUFFER_##suffix(WDM_REG_PARAM(type, Register), \
						 type *Buffer,		\
						 ULONG Count)		\
{									\
	while (Count--)							\
		*Buffer++ = rd((const void __iomem __force *)Register++); \
}									\
static inline VOID WRITE_REGISTER_BUFFER_##suffix(WDM_REG_PARAM(type, Register), \
						  type *Buffer,		\
						  ULONG Count)		\
{									\
	while (Count--)							\
		wr(*Buffer++, (void __iomem __force *)Register++);	\
	mb();	/* Windows' FastFence: the writes before anything later */ \
}

WDM_REG_READ(UCHAR, UCHAR, readb)
WDM_REG_READ(USHORT, USHORT, readw)
WDM_REG_READ(ULONG, ULONG, readl)
WDM_REG_READ(ULONG64, ULONG64, readq)
WDM_REG_WRITE(UCHAR, UCHAR, writeb)
WDM_REG_WRITE(USHORT, USHORT, writew)
WDM_REG_WRITE(ULONG, ULONG, writel)
WDM_REG_WRITE(ULONG64, ULONG64, writeq)
WDM_REG_BUFFER(UCHAR, UCHAR, readb, writeb)
WDM_REG_BUFFER(USHORT, USHORT, readw, writew)
WDM_REG_BUFFER(ULONG, ULONG, readl, writel)
WDM_REG_BUFFER(ULONG64, ULONG64, readq, writeq)

/*
 * I/O ports: x86 only (elsewhere a call is a build error).
 * A port is the address an I/O BAR's translated
 * descriptor carries (u.Port.Start), passed as a PUCHAR/PUSHORT/PULONG as
 * Windows drivers do. Port I/O is serialising on x86, so no barrier is
 * needed. The _BUFFER_ forms move Count values through the one port
 * (ins/outs).
 */
#ifdef CONFIG_X86
#define WDM_PORT(type, suffix, in, out, ins, outs)			\
static inline type READ_PORT_##suffix(type *Port)			\
{									\
	return in((unsigned long)Port);					\
}									\
static inline VOID WRITE_PORT_##suffix(type *Port, type Value)		\
{									\
	out(Value, (unsigned long)Port);				\
}									\
static inline VOID READ_PORT_BUFFER_##suffix(type *Port, type *Buffer,	\
					     ULONG Count)		\
{									\
	ins((unsigned long)Port, Buffer, Count);			\
}									\
static inline VOID WRITE_PORT_BUFFER_##suffix(type *Port, type *Buffer, \
					      ULONG Count)		\
{									\
	outs((unsigned long)Port, Buffer, Count);			\
}

WDM_PORT(UCHAR, UCHAR, inb, outb, insb, outsb)
WDM_PORT(USHORT, USHORT, inw, outw, insw, outsw)
WDM_PORT(ULONG, ULONG, inl, outl, insl, outsl)
#else
#define WDM_NO_PORT_IO(name) \
	({ BUILD_BUG_ON_MSG(1, name ": port I/O is x86 only"); 0; })
#define READ_PORT_UCHAR(Port)	WDM_NO_PORT_IO("READ_PORT_UCHAR")
#define WRITE_PORT_UCHAR(Port, Value)	WDM_NO_PORT_IO("WRITE_PORT_UCHAR")
#define READ_PORT_BUFFER_UCHAR(Port, Buffer, Count)	WDM_NO_PORT_IO("READ_PORT_BUFFER_UCHAR")
#define WRITE_PORT_BUFFER_UCHAR(Port, Buffer, Count)	WDM_NO_PORT_IO("WRITE_PORT_BUFFER_UCHAR")
#define READ_PORT_USHORT(Port)	WDM_NO_PORT_IO("READ_PORT_USHORT")
#define WRITE_PORT_USHORT(Port, Value)	WDM_NO_PORT_IO("WRITE_PORT_USHORT")
#define READ_PORT_BUFFER_USHORT(Port, Buffer, Count)	WDM_NO_PORT_IO("READ_PORT_BUFFER_USHORT")
#define WRITE_PORT_BUFFER_USHORT(Port, Buffer, Count)	WDM_NO_PORT_IO("WRITE_PORT_BUFFER_USHORT")
#define READ_PORT_ULONG(Port)	WDM_NO_PORT_IO("READ_PORT_ULONG")
#define WRITE_PORT_ULONG(Port, Value)	WDM_NO_PORT_IO("WRITE_PORT_ULONG")
#define READ_PORT_BUFFER_ULONG(Port, Buffer, Count)	WDM_NO_PORT_IO("READ_PORT_BUFFER_ULONG")
#define WRITE_PORT_BUFFER_ULONG(Port, Buffer, Count)	WDM_NO_PORT_IO("WRITE_PORT_BUFFER_ULONG")
#endif

/*
 * Debug output and bug checks
 */

/*
 * Debug output goes to the kernel log (printk: safe at any IRQL). Each
 * message has a component and a level, filtered as Windows filters them:
 * a Level of 0 to 31 stands for the mask 1 << Level, a larger Level is a
 * mask itself, and the message is printed when that mask meets the
 * component's mask or the system-wide one (Windows' Kd_WIN2000_Mask,
 * DPFLTR_ERROR_LEVEL by default). The masks are wdm.ko module parameters
 * named as Windows names them (Kd_IHVDRIVER_Mask, Kd_DEFAULT_Mask, ...;
 * all 0 at load) and can be changed with DbgSetDebugFilterState(). As on
 * Windows, DbgPrint() is DbgPrintEx(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL),
 * which the default masks filter out. The level picks the printk level:
 * ERROR KERN_ERR, WARNING KERN_WARNING, TRACE KERN_NOTICE, the rest
 * KERN_INFO; each message is prefixed "wdm: ". Formats are the kernel's
 * printf formats (%wZ, %ws and %I64 do not exist).
 */
typedef enum _DPFLTR_TYPE {
	DPFLTR_SYSTEM_ID = 0,
	DPFLTR_SCSIPORT_ID = 12,
	DPFLTR_SCSIMINIPORT_ID = 13,
	DPFLTR_ACPI_ID = 24,
	DPFLTR_VIDEO_ID = 27,
	DPFLTR_VIDEOPRT_ID = 29,
	DPFLTR_SERIAL_ID = 39,
	DPFLTR_PCI_ID = 66,
	DPFLTR_PROCESSOR_ID = 73,
	DPFLTR_IHVDRIVER_ID = 77,
	DPFLTR_IHVVIDEO_ID = 78,
	DPFLTR_IHVAUDIO_ID = 79,
	DPFLTR_IHVNETWORK_ID = 80,
	DPFLTR_IHVSTREAMING_ID = 81,
	DPFLTR_IHVBUS_ID = 82,
	DPFLTR_STORPORT_ID = 89,
	DPFLTR_STORMINIPORT_ID = 90,
	DPFLTR_DEFAULT_ID = 101,
	DPFLTR_NDIS_ID = 120,
	DPFLTR_ENDOFTABLE_ID = 139
} DPFLTR_TYPE;

#define DPFLTR_ERROR_LEVEL	0
#define DPFLTR_WARNING_LEVEL	1
#define DPFLTR_TRACE_LEVEL	2
#define DPFLTR_INFO_LEVEL	3
#define DPFLTR_MASK		0x80000000

__printf(1, 2) ULONG DbgPrint(PCSTR Format, ...);
__printf(3, 4) ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...);
__printf(3, 0) ULONG vDbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format,
				 va_list arglist);
NTSTATUS DbgQueryDebugFilterState(ULONG ComponentId, ULONG Level);
NTSTATUS DbgSetDebugFilterState(ULONG ComponentId, ULONG Level, BOOLEAN State);

/*
 * KdPrint((...)) and KdPrintEx((...)) take their arguments in a second pair
 * of parentheses and, as on Windows, print only in a checked build (DBG=1).
 */
#if defined(DBG) && DBG
#define KdPrint(_x_)		(DbgPrint _x_)
#define KdPrintEx(_x_)		(DbgPrintEx _x_)
#define KdBreakPoint()		DbgBreakPoint()
#else
#define KdPrint(_x_)		((void)0)
#define KdPrintEx(_x_)		((void)0)
#define KdBreakPoint()		((void)0)
#endif

/*
 * No kernel debugger stops the machine here: DbgBreakPoint() logs the
 * caller with a stack dump and returns; KeBugCheck(Ex) logs the code and
 * parameters with a stack dump and returns too, unless wdm.ko was loaded
 * with bugcheck_panic=1 (then it panics, as Windows stops).
 */
VOID DbgBreakPoint(void);
VOID KeBugCheck(ULONG BugCheckCode);
VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR BugCheckParameter1,
		  ULONG_PTR BugCheckParameter2, ULONG_PTR BugCheckParameter3,
		  ULONG_PTR BugCheckParameter4);

/*
 * Resources and I/O space
 */

typedef enum _INTERFACE_TYPE {
	InterfaceTypeUndefined = -1,
	Internal,
	Isa,
	Eisa,
	MicroChannel,
	TurboChannel,
	PCIBus,
	VMEBus,
	NuBus,
	PCMCIABus,
	CBus,
	MPIBus,
	MPSABus,
	ProcessorInternal,
	InternalPowerBus,
	PNPISABus,
	PNPBus,
	Vmcs,
	ACPIBus,
	MaximumInterfaceType
} INTERFACE_TYPE, *PINTERFACE_TYPE;

#define CmResourceTypeNull		0
#define CmResourceTypePort		1
#define CmResourceTypeInterrupt		2
#define CmResourceTypeMemory		3
#define CmResourceTypeDma		4
#define CmResourceTypeDeviceSpecific	5
#define CmResourceTypeBusNumber		6
#define CmResourceTypeMemoryLarge	7
#define CmResourceTypeNonArbitrated	128
#define CmResourceTypeConfigData	128
#define CmResourceTypeDevicePrivate	129

typedef enum _CM_SHARE_DISPOSITION {
	CmResourceShareUndetermined = 0,
	CmResourceShareDeviceExclusive,
	CmResourceShareDriverExclusive,
	CmResourceShareShared
} CM_SHARE_DISPOSITION;

#define CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE	0x0000
#define CM_RESOURCE_INTERRUPT_LATCHED		0x0001
#define CM_RESOURCE_INTERRUPT_MESSAGE		0x0002
#define CM_RESOURCE_INTERRUPT_POLICY_INCLUDED	0x0004
#define CM_RESOURCE_INTERRUPT_LEVEL_LATCHED_BITS 0x0001

#define CM_RESOURCE_MEMORY_READ_WRITE		0x0000
#define CM_RESOURCE_MEMORY_READ_ONLY		0x0001
#define CM_RESOURCE_MEMORY_WRITE_ONLY		0x0002
#define CM_RESOURCE_MEMORY_WRITEABILITY_MASK	0x0003
#define CM_RESOURCE_MEMORY_PREFETCHABLE		0x0004
#define CM_RESOURCE_MEMORY_COMBINEDWRITE	0x0008
#define CM_RESOURCE_MEMORY_24			0x0010
#define CM_RESOURCE_MEMORY_CACHEABLE		0x0020
#define CM_RESOURCE_MEMORY_WINDOW_DECODE	0x0040
#define CM_RESOURCE_MEMORY_BAR			0x0080
#define CM_RESOURCE_MEMORY_LARGE		0x0E00
#define CM_RESOURCE_MEMORY_LARGE_40		0x0200
#define CM_RESOURCE_MEMORY_LARGE_48		0x0400
#define CM_RESOURCE_MEMORY_LARGE_64		0x0800

#define CM_RESOURCE_PORT_MEMORY			0x0000
#define CM_RESOURCE_PORT_IO			0x0001
#define CM_RESOURCE_PORT_10_BIT_DECODE		0x0004
#define CM_RESOURCE_PORT_12_BIT_DECODE		0x0008
#define CM_RESOURCE_PORT_16_BIT_DECODE		0x0010
#define CM_RESOURCE_PORT_POSITIVE_DECODE	0x0020
#define CM_RESOURCE_PORT_PASSIVE_DECODE		0x0040
#define CM_RESOURCE_PORT_WINDOW_DECODE		0x0080
#define CM_RESOURCE_PORT_BAR			0x0100

#define ANYSIZE_ARRAY	1

/*
 * Windows' layout, with two differences: the structures are naturally
 * aligned (Windows packs them to 4 bytes), and the interrupt Level is a
 * ULONG unless NT_PROCESSOR_GROUPS is defined (then USHORT Level and
 * Group), as in Windows' wdm.h.
 */
typedef struct _CM_PARTIAL_RESOURCE_DESCRIPTOR {
	UCHAR Type;
	UCHAR ShareDisposition;
	USHORT Flags;
	union {
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length;
		} Generic, Port, Memory;
		struct {
#ifdef NT_PROCESSOR_GROUPS
			USHORT Level;
			USHORT Group;
#else
			ULONG Level;
#endif
			ULONG Vector;
			KAFFINITY Affinity;
		} Interrupt;
		struct {
			union {
				struct {
#ifdef NT_PROCESSOR_GROUPS
					USHORT Group;
#else
					USHORT Reserved;
#endif
					USHORT MessageCount;
					ULONG Vector;
					KAFFINITY Affinity;
				} Raw;
				struct {
#ifdef NT_PROCESSOR_GROUPS
					USHORT Level;
					USHORT Group;
#else
					ULONG Level;
#endif
					ULONG Vector;
					KAFFINITY Affinity;
				} Translated;
			};
		} MessageInterrupt;
		struct {
			ULONG Channel;
			ULONG Port;
			ULONG Reserved1;
		} Dma;
		struct {
			ULONG Data[3];
		} DevicePrivate;
		struct {
			ULONG Start;
			ULONG Length;
			ULONG Reserved;
		} BusNumber;
		struct {
			ULONG DataSize;
			ULONG Reserved1;
			ULONG Reserved2;
		} DeviceSpecificData;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length40;
		} Memory40;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length48;
		} Memory48;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length64;
		} Memory64;
	} u;
} CM_PARTIAL_RESOURCE_DESCRIPTOR, *PCM_PARTIAL_RESOURCE_DESCRIPTOR;

typedef struct _CM_PARTIAL_RESOURCE_LIST {
	USHORT Version;
	USHORT Revision;
	ULONG Count;
	CM_PARTIAL_RESOURCE_DESCRIPTOR PartialDescriptors[ANYSIZE_ARRAY];
} CM_PARTIAL_RESOURCE_LIST, *PCM_PARTIAL_RESOURCE_LIST;

typedef struct _CM_FULL_RESOURCE_DESCRIPTOR {
	INTERFACE_TYPE InterfaceType;
	ULONG BusNumber;
	CM_PARTIAL_RESOURCE_LIST PartialResourceList;
} CM_FULL_RESOURCE_DESCRIPTOR, *PCM_FULL_RESOURCE_DESCRIPTOR;

typedef struct _CM_RESOURCE_LIST {
	ULONG Count;
	CM_FULL_RESOURCE_DESCRIPTOR List[ANYSIZE_ARRAY];
} CM_RESOURCE_LIST, *PCM_RESOURCE_LIST;

/*
 * The raw and translated resource lists of a PCI device, the two lists
 * IRP_MN_START_DEVICE carries (kernel-doc: wdm_resource.c). Free each with
 * wdm_free_resources().
 */
NTSTATUS wdm_get_resources(PDEVICE_OBJECT DeviceObject, PCM_RESOURCE_LIST *Raw,
			   PCM_RESOURCE_LIST *Translated);
VOID wdm_free_resources(PCM_RESOURCE_LIST ResourceList);

typedef enum _MEMORY_CACHING_TYPE {
	MmNonCached = 0,
	MmCached = 1,
	MmWriteCombined = 2,
	MmHardwareCoherentCached,
	MmNonCachedUnordered,
	MmUSWCCached,
	MmMaximumCacheType,
	MmNotMapped = -1
} MEMORY_CACHING_TYPE;

/*
 * MmMapIoSpaceEx()'s protections. PAGE_READONLY is not defined here:
 * Linux's x86 headers use that name for a page protection of their own.
 */
#define PAGE_READWRITE		0x04
#define PAGE_NOCACHE		0x200
#define PAGE_WRITECOMBINE	0x400

PVOID MmMapIoSpace(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes,
		   MEMORY_CACHING_TYPE CacheType);
PVOID MmMapIoSpaceEx(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes,
		     ULONG Protect);
VOID MmUnmapIoSpace(PVOID BaseAddress, SIZE_T NumberOfBytes);
ULONG HalGetInterruptVector(INTERFACE_TYPE InterfaceType, ULONG BusNumber,
			    ULONG BusInterruptLevel, ULONG BusInterruptVector,
			    PKIRQL Irql, PKAFFINITY Affinity);

/*
 * Memory pools and executive interlocked lists
 */

/*
 * Pool memory is slab memory (kmalloc), resident at every IRQL: paged and
 * nonpaged pool differ only in the IRQL they may be allocated at (PagedPool
 * below DISPATCH_LEVEL). The values are Windows' own; the types a driver may
 * pass are NonPagedPool (NonPagedPoolExecute), NonPagedPoolNx and
 * PagedPool, with the POOL_RAISE_IF_ALLOCATION_FAILURE and
 * POOL_COLD_ALLOCATION modifiers. Kernel-doc: wdm_pool.c.
 */
typedef enum _POOL_TYPE {
	NonPagedPool,
	NonPagedPoolExecute = NonPagedPool,
	PagedPool,
	NonPagedPoolMustSucceed = NonPagedPool + 2,
	DontUseThisType,
	NonPagedPoolCacheAligned = NonPagedPool + 4,
	PagedPoolCacheAligned,
	NonPagedPoolCacheAlignedMustS = NonPagedPool + 6,
	MaxPoolType,
	NonPagedPoolBase = 0,
	NonPagedPoolBaseMustSucceed = NonPagedPoolBase + 2,
	NonPagedPoolBaseCacheAligned = NonPagedPoolBase + 4,
	NonPagedPoolBaseCacheAlignedMustS = NonPagedPoolBase + 6,
	NonPagedPoolSession = 32,
	PagedPoolSession = NonPagedPoolSession + 1,
	NonPagedPoolMustSucceedSession = PagedPoolSession + 1,
	DontUseThisTypeSession = NonPagedPoolMustSucceedSession + 1,
	NonPagedPoolCacheAlignedSession = DontUseThisTypeSession + 1,
	PagedPoolCacheAlignedSession = NonPagedPoolCacheAlignedSession + 1,
	NonPagedPoolCacheAlignedMustSSession = PagedPoolCacheAlignedSession + 1,
	NonPagedPoolNx = 512,
	NonPagedPoolNxCacheAligned = NonPagedPoolNx + 4,
	NonPagedPoolSessionNx = NonPagedPoolNx + 32,
} POOL_TYPE;

#define POOL_RAISE_IF_ALLOCATION_FAILURE	16
#define POOL_COLD_ALLOCATION			256

/*
 * ExAllocatePool2()'s flags. The low 32 bits are required: an unknown one,
 * or one that cannot be met, fails the allocation. The high 32 bits are
 * optional and ignored when unknown.
 */
typedef ULONG64 POOL_FLAGS;

#define POOL_FLAG_REQUIRED_START	0x0000000000000001ULL
#define POOL_FLAG_USE_QUOTA		0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED		0x0000000000000002ULL
#define POOL_FLAG_SESSION		0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED		0x0000000000000008ULL
#define POOL_FLAG_RESERVED1		0x0000000000000010ULL
#define POOL_FLAG_RAISE_ON_FAILURE	0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED		0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE	0x0000000000000080ULL
#define POOL_FLAG_PAGED			0x0000000000000100ULL
#define POOL_FLAG_RESERVED2		0x0000000000000200ULL
#define POOL_FLAG_RESERVED3		0x0000000000000400ULL
#define POOL_FLAG_REQUIRED_END		0x0000000080000000ULL
#define POOL_FLAG_OPTIONAL_START	0x0000000100000000ULL
#define POOL_FLAG_SPECIAL_POOL		0x0000000100000000ULL
#define POOL_FLAG_OPTIONAL_END		0x8000000000000000ULL

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes);
PVOID ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
PVOID ExAllocatePoolUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
				  ULONG Tag);
PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag);
VOID ExFreePool(PVOID P);
VOID ExFreePoolWithTag(PVOID P, ULONG Tag);

/*
 * The list routines of "Lists" done under a KSPIN_LOCK taken with local
 * interrupts off, so that they may be called at any IRQL. Use the lock for
 * nothing else. Kernel-doc: wdm_pool.c.
 */
PLIST_ENTRY ExInterlockedInsertHeadList(PLIST_ENTRY ListHead,
					PLIST_ENTRY ListEntry,
					PKSPIN_LOCK Lock);
PLIST_ENTRY ExInterlockedInsertTailList(PLIST_ENTRY ListHead,
					PLIST_ENTRY ListEntry,
					PKSPIN_LOCK Lock);
PLIST_ENTRY ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock);
PSINGLE_LIST_ENTRY ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead,
					      PSINGLE_LIST_ENTRY ListEntry,
					      PKSPIN_LOCK Lock);
PSINGLE_LIST_ENTRY ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead,
					     PKSPIN_LOCK Lock);

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
/*
 * KeAcquireSpinLockForDpc() raises to DISPATCH_LEVEL only from below it,
 * which is what KeAcquireSpinLockRaiseToDpc() does too: the same routines.
 */
#define KeAcquireSpinLockForDpc(SpinLock) KeAcquireSpinLockRaiseToDpc(SpinLock)
#define KeReleaseSpinLockForDpc(SpinLock, OldIrql) \
	KeReleaseSpinLock(SpinLock, OldIrql)
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
 * is API compatibility, not synchronisation.
 */
typedef LONG volatile WDM_VOLATILE_LONG;
typedef LONG64 volatile WDM_VOLATILE_LONG64;
typedef PVOID volatile WDM_VOLATILE_PVOID;

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

/*
 * Fast mutexes, delays and memory barriers
 */

/*
 * A fast mutex is a Linux mutex: a waiter sleeps. Acquiring one raises the
 * IRQL to APC_LEVEL (preemption off here) and records the level to restore
 * at release; the wait for it is at PASSIVE_LEVEL. Not recursive: the owner
 * acquiring it again is a reported bug. Kernel-doc: wdm_fastmutex.c.
 */
typedef struct _FAST_MUTEX {
	struct mutex Lock;		/* held by the owner */
	struct task_struct *Owner;	/* the owner, NULL when free */
	KIRQL OldIrql;			/* the owner's IRQL before it acquired */
} FAST_MUTEX, *PFAST_MUTEX;

/*
 * ExInitializeFastMutex() - initialise a fast mutex, unowned. A macro, so
 * that lockdep gives the mutexes of each call site a class of their own.
 * Context: IRQL <= DISPATCH_LEVEL.
 */
#define ExInitializeFastMutex(FastMutex)				\
	do {								\
		PFAST_MUTEX __wdm_fm = (FastMutex);			\
									\
		mutex_init(&__wdm_fm->Lock);				\
		__wdm_fm->Owner = NULL;					\
		__wdm_fm->OldIrql = PASSIVE_LEVEL;			\
	} while (0)
VOID ExAcquireFastMutex(PFAST_MUTEX FastMutex);
BOOLEAN ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex);
VOID ExReleaseFastMutex(PFAST_MUTEX FastMutex);

/* Kernel-doc: wdm_wait.c. */
NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
				PLARGE_INTEGER Interval);

/*
 * Neither the compiler nor the processor moves a memory access across
 * KeMemoryBarrier(): a full barrier, as Windows' locked xchg is.
 */
#define KeMemoryBarrier()	mb()

/* The 64-bit product of two 32-bit signed values: Windows' macro. */
#define Int32x32To64(a, b)	((LONGLONG)(LONG)(a) * (LONGLONG)(LONG)(b))

#endif /* _WDM_H */
