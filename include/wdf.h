/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdf.h - KMDF interrupt objects for Linux PCI drivers, on top of wdm.h.
 *
 * The part of the Kernel-Mode Driver Framework a PCI driver's interrupt path
 * uses: the driver and device objects (EvtDriverDeviceAdd, the PnP and power
 * callbacks, the resource lists), WDFINTERRUPT with its ISR, DPC and work
 * item, the framework's spin and wait locks and object context areas.
 * Implemented in wdm.ko (module/wdm/wdf_*.c) with the WDM shim: the
 * framework connects each WDFINTERRUPT with IoConnectInterruptEx() around D0,
 * as KMDF does; a driver never connects one itself. docs/windows-mapping.md
 * ("KMDF (wdf.h)") says where the meaning differs from Windows.
 *
 * The Linux glue: a KMDF driver names its DriverEntry and PCI ids in a
 * struct wdf_pci_driver and registers it with module_wdf_pci_driver(). The
 * first probe calls DriverEntry, which calls WdfDriverCreate(); each probe
 * then calls EvtDriverDeviceAdd with a PWDFDEVICE_INIT, and starts the
 * device as the PnP manager would: EvtDevicePrepareHardware (raw and
 * translated resource lists), EvtDeviceD0Entry, connect, EvtInterruptEnable,
 * EvtDeviceD0EntryPostInterruptsEnabled. Remove goes back in reverse order
 * (EvtDeviceD0ExitPreInterruptsDisabled, EvtInterruptDisable, disconnect,
 * EvtDeviceD0Exit(WdfPowerDeviceD3Final), EvtDeviceReleaseHardware), and
 * system suspend and resume are the D0 exit (WdfPowerDeviceD3) and entry
 * with the interrupts disabled and disconnected in between.
 */
#ifndef _WDF_H
#define _WDF_H

#include <linux/module.h>
#include <linux/pci.h>
#include <wdm.h>

/*
 * Handles and basic types
 */

/*
 * WDFOBJECT is untyped, so that any handle passes for it in C as in
 * KMDF's C headers; each other handle is a distinct opaque pointer.
 */
typedef PVOID WDFOBJECT, *PWDFOBJECT;
typedef PVOID WDFCONTEXT;
typedef struct WDFDRIVER__ *WDFDRIVER;
typedef struct WDFDEVICE__ *WDFDEVICE;
typedef struct WDFINTERRUPT__ *WDFINTERRUPT;
typedef struct WDFCMRESLIST__ *WDFCMRESLIST;
typedef struct WDFSPINLOCK__ *WDFSPINLOCK;
typedef struct WDFWAITLOCK__ *WDFWAITLOCK;
typedef struct WDFDEVICE_INIT WDFDEVICE_INIT, *PWDFDEVICE_INIT;

/* Returned for a configuration structure whose Size is not the one here. */
#ifndef STATUS_INFO_LENGTH_MISMATCH
#define STATUS_INFO_LENGTH_MISMATCH	((NTSTATUS)0xC0000004L)
#endif

#define WDF_NO_HANDLE		NULL
#define WDF_NO_OBJECT_ATTRIBUTES	NULL

typedef enum _WDF_TRI_STATE {
	WdfFalse = FALSE,
	WdfTrue = TRUE,
	WdfUseDefault = 2,
} WDF_TRI_STATE, *PWDF_TRI_STATE;

/* The driver object DriverEntry receives; the framework's own. */
typedef struct _DRIVER_OBJECT {
	struct wdf_pci_driver *WdfPciDriver;
} DRIVER_OBJECT, *PDRIVER_OBJECT;

typedef struct _UNICODE_STRING {
	USHORT Length;
	USHORT MaximumLength;
	PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const struct _UNICODE_STRING *PCUNICODE_STRING;

typedef NTSTATUS DRIVER_INITIALIZE(PDRIVER_OBJECT DriverObject,
				   PUNICODE_STRING RegistryPath);
typedef typeof(DRIVER_INITIALIZE) *PDRIVER_INITIALIZE;

/*
 * Object attributes and context areas
 */

typedef VOID EVT_WDF_OBJECT_CONTEXT_CLEANUP(WDFOBJECT Object);
typedef typeof(EVT_WDF_OBJECT_CONTEXT_CLEANUP) *PFN_WDF_OBJECT_CONTEXT_CLEANUP;
typedef VOID EVT_WDF_OBJECT_CONTEXT_DESTROY(WDFOBJECT Object);
typedef typeof(EVT_WDF_OBJECT_CONTEXT_DESTROY) *PFN_WDF_OBJECT_CONTEXT_DESTROY;

typedef struct _WDF_OBJECT_CONTEXT_TYPE_INFO {
	ULONG Size;
	PCHAR ContextName;
	size_t ContextSize;
	const struct _WDF_OBJECT_CONTEXT_TYPE_INFO *UniqueType;
	PVOID EvtDriverGetUniqueContextType;
} WDF_OBJECT_CONTEXT_TYPE_INFO, *PWDF_OBJECT_CONTEXT_TYPE_INFO;
typedef const struct _WDF_OBJECT_CONTEXT_TYPE_INFO *PCWDF_OBJECT_CONTEXT_TYPE_INFO;

typedef enum _WDF_EXECUTION_LEVEL {
	WdfExecutionLevelInvalid = 0,
	WdfExecutionLevelInheritFromParent,
	WdfExecutionLevelPassive,
	WdfExecutionLevelDispatch,
} WDF_EXECUTION_LEVEL;

typedef enum _WDF_SYNCHRONIZATION_SCOPE {
	WdfSynchronizationScopeInvalid = 0,
	WdfSynchronizationScopeInheritFromParent,
	WdfSynchronizationScopeDevice,
	WdfSynchronizationScopeQueue,
	WdfSynchronizationScopeNone,
} WDF_SYNCHRONIZATION_SCOPE;

/*
 * ExecutionLevel, SynchronizationScope and ParentObject are accepted; the
 * objects here have no queues to synchronise, and each is deleted with the
 * object it belongs to (a WDFINTERRUPT with its device).
 */
typedef struct _WDF_OBJECT_ATTRIBUTES {
	ULONG Size;
	PFN_WDF_OBJECT_CONTEXT_CLEANUP EvtCleanupCallback;
	PFN_WDF_OBJECT_CONTEXT_DESTROY EvtDestroyCallback;
	WDF_EXECUTION_LEVEL ExecutionLevel;
	WDF_SYNCHRONIZATION_SCOPE SynchronizationScope;
	WDFOBJECT ParentObject;
	size_t ContextSizeOverride;
	PCWDF_OBJECT_CONTEXT_TYPE_INFO ContextTypeInfo;
} WDF_OBJECT_ATTRIBUTES, *PWDF_OBJECT_ATTRIBUTES;

static inline VOID WDF_OBJECT_ATTRIBUTES_INIT(PWDF_OBJECT_ATTRIBUTES Attributes)
{
	RtlZeroMemory(Attributes, sizeof(*Attributes));
	Attributes->Size = sizeof(*Attributes);
	Attributes->ExecutionLevel = WdfExecutionLevelInheritFromParent;
	Attributes->SynchronizationScope = WdfSynchronizationScopeInheritFromParent;
}

#define WDF_TYPE_NAME_TO_TYPE_INFO(type) _WDF_ ## type ## _TYPE_INFO
#define WDF_GET_CONTEXT_TYPE_INFO(type) (&WDF_TYPE_NAME_TO_TYPE_INFO(type))

#define WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE(_attributes, type) \
	((_attributes)->ContextTypeInfo = WDF_GET_CONTEXT_TYPE_INFO(type)->UniqueType)

static inline VOID WdfObjectAttributesInitContext(PWDF_OBJECT_ATTRIBUTES Attributes,
						  PCWDF_OBJECT_CONTEXT_TYPE_INFO TypeInfo)
{
	WDF_OBJECT_ATTRIBUTES_INIT(Attributes);
	Attributes->ContextTypeInfo = TypeInfo->UniqueType;
}

#define WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(_attributes, type) \
	WdfObjectAttributesInitContext(_attributes, WDF_GET_CONTEXT_TYPE_INFO(type))

PVOID WdfObjectGetTypedContextWorker(WDFOBJECT Handle,
				     PCWDF_OBJECT_CONTEXT_TYPE_INFO TypeInfo);

#define WdfObjectGetTypedContext(handle, type)				\
	((type *)WdfObjectGetTypedContextWorker((WDFOBJECT)(handle),	\
						WDF_GET_CONTEXT_TYPE_INFO(type)))

/*
 * A context type and the function that returns an object's area of it.
 * The type information is static in each file that declares the type (KMDF
 * makes it one object with __declspec(selectany)), so the framework matches
 * a type by its name and size, not by the address of its information.
 */
#define WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(type, _castingfunction)		\
	typedef type *WDF_POINTER_TYPE_ ## type;				\
	static const WDF_OBJECT_CONTEXT_TYPE_INFO __maybe_unused		\
	WDF_TYPE_NAME_TO_TYPE_INFO(type) = {					\
		sizeof(WDF_OBJECT_CONTEXT_TYPE_INFO),				\
		#type,								\
		sizeof(type),							\
		&WDF_TYPE_NAME_TO_TYPE_INFO(type),				\
		NULL,								\
	};									\
	static inline __maybe_unused WDF_POINTER_TYPE_ ## type			\
	_castingfunction(WDFOBJECT Handle)					\
	{									\
		return (type *)WdfObjectGetTypedContextWorker(Handle,		\
			WDF_GET_CONTEXT_TYPE_INFO(type));			\
	}

#define WDF_DECLARE_CONTEXT_TYPE(type) \
	WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(type, WdfObjectGet_ ## type)

VOID WdfObjectDelete(WDFOBJECT Object);

/*
 * Driver object
 */

typedef NTSTATUS EVT_WDF_DRIVER_DEVICE_ADD(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit);
typedef typeof(EVT_WDF_DRIVER_DEVICE_ADD) *PFN_WDF_DRIVER_DEVICE_ADD;
typedef VOID EVT_WDF_DRIVER_UNLOAD(WDFDRIVER Driver);
typedef typeof(EVT_WDF_DRIVER_UNLOAD) *PFN_WDF_DRIVER_UNLOAD;

typedef struct _WDF_DRIVER_CONFIG {
	ULONG Size;
	PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd;
	PFN_WDF_DRIVER_UNLOAD EvtDriverUnload;
	ULONG DriverInitFlags;		/* accepted */
	ULONG DriverPoolTag;		/* accepted */
} WDF_DRIVER_CONFIG, *PWDF_DRIVER_CONFIG;

static inline VOID WDF_DRIVER_CONFIG_INIT(PWDF_DRIVER_CONFIG Config,
					  PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd)
{
	RtlZeroMemory(Config, sizeof(*Config));
	Config->Size = sizeof(*Config);
	Config->EvtDriverDeviceAdd = EvtDriverDeviceAdd;
}

NTSTATUS WdfDriverCreate(PDRIVER_OBJECT DriverObject, PCUNICODE_STRING RegistryPath,
			 PWDF_OBJECT_ATTRIBUTES DriverAttributes,
			 PWDF_DRIVER_CONFIG DriverConfig, WDFDRIVER *Driver);

/*
 * Device object, PnP and power callbacks
 */

typedef enum _WDF_POWER_DEVICE_STATE {
	WdfPowerDeviceInvalid = 0,
	WdfPowerDeviceD0,
	WdfPowerDeviceD1,
	WdfPowerDeviceD2,
	WdfPowerDeviceD3,
	WdfPowerDeviceD3Final,
	WdfPowerDevicePrepareForHibernation,
	WdfPowerDeviceMaximum,
} WDF_POWER_DEVICE_STATE, *PWDF_POWER_DEVICE_STATE;

typedef NTSTATUS EVT_WDF_DEVICE_PREPARE_HARDWARE(WDFDEVICE Device,
						 WDFCMRESLIST ResourcesRaw,
						 WDFCMRESLIST ResourcesTranslated);
typedef typeof(EVT_WDF_DEVICE_PREPARE_HARDWARE) *PFN_WDF_DEVICE_PREPARE_HARDWARE;
typedef NTSTATUS EVT_WDF_DEVICE_RELEASE_HARDWARE(WDFDEVICE Device,
						 WDFCMRESLIST ResourcesTranslated);
typedef typeof(EVT_WDF_DEVICE_RELEASE_HARDWARE) *PFN_WDF_DEVICE_RELEASE_HARDWARE;
typedef NTSTATUS EVT_WDF_DEVICE_D0_ENTRY(WDFDEVICE Device,
					 WDF_POWER_DEVICE_STATE PreviousState);
typedef typeof(EVT_WDF_DEVICE_D0_ENTRY) *PFN_WDF_DEVICE_D0_ENTRY;
typedef NTSTATUS EVT_WDF_DEVICE_D0_ENTRY_POST_INTERRUPTS_ENABLED(WDFDEVICE Device,
		WDF_POWER_DEVICE_STATE PreviousState);
typedef typeof(EVT_WDF_DEVICE_D0_ENTRY_POST_INTERRUPTS_ENABLED)
	*PFN_WDF_DEVICE_D0_ENTRY_POST_INTERRUPTS_ENABLED;
typedef NTSTATUS EVT_WDF_DEVICE_D0_EXIT(WDFDEVICE Device,
					WDF_POWER_DEVICE_STATE TargetState);
typedef typeof(EVT_WDF_DEVICE_D0_EXIT) *PFN_WDF_DEVICE_D0_EXIT;
typedef NTSTATUS EVT_WDF_DEVICE_D0_EXIT_PRE_INTERRUPTS_DISABLED(WDFDEVICE Device,
		WDF_POWER_DEVICE_STATE TargetState);
typedef typeof(EVT_WDF_DEVICE_D0_EXIT_PRE_INTERRUPTS_DISABLED)
	*PFN_WDF_DEVICE_D0_EXIT_PRE_INTERRUPTS_DISABLED;

/* KMDF's structure up to the callbacks the framework here calls. */
typedef struct _WDF_PNPPOWER_EVENT_CALLBACKS {
	ULONG Size;
	PFN_WDF_DEVICE_D0_ENTRY EvtDeviceD0Entry;
	PFN_WDF_DEVICE_D0_ENTRY_POST_INTERRUPTS_ENABLED EvtDeviceD0EntryPostInterruptsEnabled;
	PFN_WDF_DEVICE_D0_EXIT EvtDeviceD0Exit;
	PFN_WDF_DEVICE_D0_EXIT_PRE_INTERRUPTS_DISABLED EvtDeviceD0ExitPreInterruptsDisabled;
	PFN_WDF_DEVICE_PREPARE_HARDWARE EvtDevicePrepareHardware;
	PFN_WDF_DEVICE_RELEASE_HARDWARE EvtDeviceReleaseHardware;
} WDF_PNPPOWER_EVENT_CALLBACKS, *PWDF_PNPPOWER_EVENT_CALLBACKS;

static inline VOID
WDF_PNPPOWER_EVENT_CALLBACKS_INIT(PWDF_PNPPOWER_EVENT_CALLBACKS Callbacks)
{
	RtlZeroMemory(Callbacks, sizeof(*Callbacks));
	Callbacks->Size = sizeof(*Callbacks);
}

VOID WdfDeviceInitSetPnpPowerEventCallbacks(PWDFDEVICE_INIT DeviceInit,
					    PWDF_PNPPOWER_EVENT_CALLBACKS PnpPowerEventCallbacks);
NTSTATUS WdfDeviceCreate(PWDFDEVICE_INIT *DeviceInit,
			 PWDF_OBJECT_ATTRIBUTES DeviceAttributes, WDFDEVICE *Device);
PDEVICE_OBJECT WdfDeviceWdmGetPhysicalDevice(WDFDEVICE Device);
WDFDRIVER WdfDeviceGetDriver(WDFDEVICE Device);

ULONG WdfCmResourceListGetCount(WDFCMRESLIST List);
PCM_PARTIAL_RESOURCE_DESCRIPTOR WdfCmResourceListGetDescriptor(WDFCMRESLIST List,
							       ULONG Index);

/*
 * Framework locks
 */

/*
 * WdfSpinLockAcquire() raises to DISPATCH_LEVEL, or, for a lock that is a
 * WDFINTERRUPT's SpinLock, to that interrupt's SynchronizeIrql.
 */
NTSTATUS WdfSpinLockCreate(PWDF_OBJECT_ATTRIBUTES SpinLockAttributes,
			   WDFSPINLOCK *SpinLock);
VOID WdfSpinLockAcquire(WDFSPINLOCK SpinLock);
VOID WdfSpinLockRelease(WDFSPINLOCK SpinLock);

/*
 * A wait lock is a synchronisation event, as in KMDF. Timeout: NULL waits
 * for ever, 0 tries once, else 100 ns units, negative for relative.
 */
NTSTATUS WdfWaitLockCreate(PWDF_OBJECT_ATTRIBUTES LockAttributes, WDFWAITLOCK *Lock);
NTSTATUS WdfWaitLockAcquire(WDFWAITLOCK Lock, PLONGLONG Timeout);
VOID WdfWaitLockRelease(WDFWAITLOCK Lock);

/*
 * Interrupt objects
 */

typedef BOOLEAN EVT_WDF_INTERRUPT_ISR(WDFINTERRUPT Interrupt, ULONG MessageID);
typedef typeof(EVT_WDF_INTERRUPT_ISR) *PFN_WDF_INTERRUPT_ISR;
typedef VOID EVT_WDF_INTERRUPT_DPC(WDFINTERRUPT Interrupt, WDFOBJECT AssociatedObject);
typedef typeof(EVT_WDF_INTERRUPT_DPC) *PFN_WDF_INTERRUPT_DPC;
typedef VOID EVT_WDF_INTERRUPT_WORKITEM(WDFINTERRUPT Interrupt, WDFOBJECT AssociatedObject);
typedef typeof(EVT_WDF_INTERRUPT_WORKITEM) *PFN_WDF_INTERRUPT_WORKITEM;
typedef NTSTATUS EVT_WDF_INTERRUPT_ENABLE(WDFINTERRUPT Interrupt, WDFDEVICE AssociatedDevice);
typedef typeof(EVT_WDF_INTERRUPT_ENABLE) *PFN_WDF_INTERRUPT_ENABLE;
typedef NTSTATUS EVT_WDF_INTERRUPT_DISABLE(WDFINTERRUPT Interrupt, WDFDEVICE AssociatedDevice);
typedef typeof(EVT_WDF_INTERRUPT_DISABLE) *PFN_WDF_INTERRUPT_DISABLE;
typedef BOOLEAN EVT_WDF_INTERRUPT_SYNCHRONIZE(WDFINTERRUPT Interrupt, WDFCONTEXT Context);
typedef typeof(EVT_WDF_INTERRUPT_SYNCHRONIZE) *PFN_WDF_INTERRUPT_SYNCHRONIZE;

/*
 * The configuration of WdfInterruptCreate(). FloatingSave is accepted (no
 * floating-point state needs saving in a Linux ISR), AutomaticSerialization
 * is accepted: with no queues there is no device-wide callback lock to
 * serialise the DPC or work item with. CanWakeDevice must be FALSE and
 * ReportInactiveOnPowerDown is accepted. With PassiveHandling the ISR runs
 * in the interrupt's thread, under the wait lock.
 */
typedef struct _WDF_INTERRUPT_CONFIG {
	ULONG Size;
	WDFSPINLOCK SpinLock;
	WDF_TRI_STATE ShareVector;
	BOOLEAN FloatingSave;
	BOOLEAN AutomaticSerialization;
	PFN_WDF_INTERRUPT_ISR EvtInterruptIsr;
	PFN_WDF_INTERRUPT_DPC EvtInterruptDpc;
	PFN_WDF_INTERRUPT_ENABLE EvtInterruptEnable;
	PFN_WDF_INTERRUPT_DISABLE EvtInterruptDisable;
	PFN_WDF_INTERRUPT_WORKITEM EvtInterruptWorkItem;
	PCM_PARTIAL_RESOURCE_DESCRIPTOR InterruptRaw;
	PCM_PARTIAL_RESOURCE_DESCRIPTOR InterruptTranslated;
	WDFWAITLOCK WaitLock;
	BOOLEAN PassiveHandling;
	WDF_TRI_STATE ReportInactiveOnPowerDown;
	BOOLEAN CanWakeDevice;
} WDF_INTERRUPT_CONFIG, *PWDF_INTERRUPT_CONFIG;

static inline VOID WDF_INTERRUPT_CONFIG_INIT(PWDF_INTERRUPT_CONFIG Configuration,
					     PFN_WDF_INTERRUPT_ISR EvtInterruptIsr,
					     PFN_WDF_INTERRUPT_DPC EvtInterruptDpc)
{
	RtlZeroMemory(Configuration, sizeof(*Configuration));
	Configuration->Size = sizeof(*Configuration);
	Configuration->ShareVector = WdfUseDefault;
	Configuration->EvtInterruptIsr = EvtInterruptIsr;
	Configuration->EvtInterruptDpc = EvtInterruptDpc;
	Configuration->ReportInactiveOnPowerDown = WdfUseDefault;
}

typedef enum _WDF_INTERRUPT_POLARITY {
	WdfInterruptPolarityUnknown = 0,
	WdfInterruptActiveHigh,
	WdfInterruptActiveLow,
} WDF_INTERRUPT_POLARITY, *PWDF_INTERRUPT_POLARITY;

/*
 * What WdfInterruptGetInfo() reports. Vector is the Linux IRQ number, Irql
 * the level the shim gives a device interrupt (WDM_DEVICE_IRQL, or
 * PASSIVE_LEVEL for a nested line), MessageNumber the message's index.
 */
typedef struct _WDF_INTERRUPT_INFO {
	ULONG Size;
	ULONG64 Reserved1;
	KAFFINITY TargetProcessorSet;
	ULONG Reserved2;
	ULONG MessageNumber;
	ULONG Vector;
	KIRQL Irql;
	KINTERRUPT_MODE Mode;
	WDF_INTERRUPT_POLARITY Polarity;
	BOOLEAN MessageSignaled;
	UCHAR ShareDisposition;
	USHORT Group;
} WDF_INTERRUPT_INFO, *PWDF_INTERRUPT_INFO;

static inline VOID WDF_INTERRUPT_INFO_INIT(PWDF_INTERRUPT_INFO Info)
{
	RtlZeroMemory(Info, sizeof(*Info));
	Info->Size = sizeof(*Info);
}

typedef enum _WDF_INTERRUPT_POLICY {
	WdfIrqPolicyMachineDefault = 0,
	WdfIrqPolicyAllCloseProcessors,
	WdfIrqPolicyOneCloseProcessor,
	WdfIrqPolicyAllProcessorsInMachine,
	WdfIrqPolicySpecifiedProcessors,
	WdfIrqPolicySpreadMessagesAcrossAllProcessors,
} WDF_INTERRUPT_POLICY, *PWDF_INTERRUPT_POLICY;

/* Recorded and reported; Linux gives device interrupts no priorities. */
typedef enum _WDF_INTERRUPT_PRIORITY {
	WdfIrqPriorityUndefined = 0,
	WdfIrqPriorityLow,
	WdfIrqPriorityNormal,
	WdfIrqPriorityHigh,
} WDF_INTERRUPT_PRIORITY, *PWDF_INTERRUPT_PRIORITY;

typedef struct _WDF_INTERRUPT_EXTENDED_POLICY {
	ULONG Size;
	WDF_INTERRUPT_POLICY Policy;
	WDF_INTERRUPT_PRIORITY Priority;
	GROUP_AFFINITY TargetProcessorSetAndGroup;
} WDF_INTERRUPT_EXTENDED_POLICY, *PWDF_INTERRUPT_EXTENDED_POLICY;

static inline VOID WDF_INTERRUPT_EXTENDED_POLICY_INIT(PWDF_INTERRUPT_EXTENDED_POLICY Policy)
{
	RtlZeroMemory(Policy, sizeof(*Policy));
	Policy->Size = sizeof(*Policy);
	Policy->Policy = WdfIrqPolicyMachineDefault;
	Policy->Priority = WdfIrqPriorityUndefined;
}

NTSTATUS WdfInterruptCreate(WDFDEVICE Device, PWDF_INTERRUPT_CONFIG Configuration,
			    PWDF_OBJECT_ATTRIBUTES Attributes, WDFINTERRUPT *Interrupt);
BOOLEAN WdfInterruptQueueDpcForIsr(WDFINTERRUPT Interrupt);
BOOLEAN WdfInterruptQueueWorkItemForIsr(WDFINTERRUPT Interrupt);
BOOLEAN WdfInterruptSynchronize(WDFINTERRUPT Interrupt,
				PFN_WDF_INTERRUPT_SYNCHRONIZE Callback, WDFCONTEXT Context);
VOID WdfInterruptAcquireLock(WDFINTERRUPT Interrupt);
VOID WdfInterruptReleaseLock(WDFINTERRUPT Interrupt);
BOOLEAN WdfInterruptTryToAcquireLock(WDFINTERRUPT Interrupt);
VOID WdfInterruptEnable(WDFINTERRUPT Interrupt);
VOID WdfInterruptDisable(WDFINTERRUPT Interrupt);
VOID WdfInterruptGetInfo(WDFINTERRUPT Interrupt, PWDF_INTERRUPT_INFO Info);
WDFDEVICE WdfInterruptGetDevice(WDFINTERRUPT Interrupt);
VOID WdfInterruptReportActive(WDFINTERRUPT Interrupt);
VOID WdfInterruptReportInactive(WDFINTERRUPT Interrupt);
VOID WdfInterruptSetPolicy(WDFINTERRUPT Interrupt, WDF_INTERRUPT_POLICY Policy,
			   WDF_INTERRUPT_PRIORITY Priority, KAFFINITY TargetProcessorSet);
VOID WdfInterruptSetExtendedPolicy(WDFINTERRUPT Interrupt,
				   PWDF_INTERRUPT_EXTENDED_POLICY PolicyAndGroup);
PKINTERRUPT WdfInterruptWdmGetInterrupt(WDFINTERRUPT Interrupt);

/*
 * Linux glue: a KMDF PCI driver
 */

/**
 * struct wdf_pci_driver - a KMDF driver for PCI devices
 * @name: the Linux driver's name
 * @id_table: the devices it binds to
 * @DriverEntry: its DriverEntry, called once, from the first probe; it
 *	calls WdfDriverCreate()
 * @dev_groups: sysfs attributes of each device (optional); drvdata is the
 *	WDFDEVICE
 * @groups: sysfs attributes of the driver (optional)
 * @pci: the pci_driver module_wdf_pci_driver() registers (the framework's)
 * @DriverObject: the driver object DriverEntry receives (the framework's)
 * @driver: the WDFDRIVER WdfDriverCreate() made (the framework's)
 * @lock: serialises the first probe's DriverEntry (the framework's)
 */
struct wdf_pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	PDRIVER_INITIALIZE DriverEntry;
	const struct attribute_group **dev_groups;
	const struct attribute_group **groups;
	struct pci_driver pci;
	DRIVER_OBJECT DriverObject;
	WDFDRIVER driver;
	struct mutex lock;	/* serialises the first probes' DriverEntry */
};

int __wdf_pci_driver_register(struct wdf_pci_driver *drv, struct module *owner);
void wdf_pci_driver_unregister(struct wdf_pci_driver *drv);

/* Register @drv as the calling module's. */
#define wdf_pci_driver_register(drv) __wdf_pci_driver_register(drv, THIS_MODULE)

/* Register @__drv at module load and unregister it at unload. */
#define module_wdf_pci_driver(__drv) \
	module_driver(__drv, wdf_pci_driver_register, wdf_pci_driver_unregister)

/*
 * What probe, remove, suspend and resume do, for a device bound some other
 * way (the KUnit suite): add creates the WDFDRIVER if need be, calls
 * EvtDriverDeviceAdd and starts the device.
 */
NTSTATUS wdf_pci_device_add(struct wdf_pci_driver *drv, struct pci_dev *pdev,
			    WDFDEVICE *Device);
void wdf_pci_device_remove(WDFDEVICE Device);
NTSTATUS wdf_pci_device_suspend(WDFDEVICE Device);
NTSTATUS wdf_pci_device_resume(WDFDEVICE Device);

#endif /* _WDF_H */
