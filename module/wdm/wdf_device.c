// SPDX-License-Identifier: GPL-2.0
/*
 * KMDF objects (wdf.h): object context areas and deletion, the driver and
 * device objects, resource lists, and the PCI driver glue that plays the
 * PnP manager: probe adds and starts a device (EvtDriverDeviceAdd,
 * EvtDevicePrepareHardware, EvtDeviceD0Entry, interrupts connected and
 * enabled), remove and suspend take it back down in reverse order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/pci.h>
#include <linux/pm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "wdm_internal.h"
#include "wdf_internal.h"

/* Protects every object's children and sibling. */
static DEFINE_RAW_SPINLOCK(wdf_tree_lock);

/*
 * Objects
 */

static size_t wdf_context_size(PWDF_OBJECT_ATTRIBUTES attr)
{
	PCWDF_OBJECT_CONTEXT_TYPE_INFO ti = attr->ContextTypeInfo;

	return max(ti->ContextSize, attr->ContextSizeOverride);
}

/*
 * Set up @obj with the context area and callbacks @attr asks for (@attr
 * may be NULL) under @parent, or @attr's ParentObject, or none.
 */
NTSTATUS wdf_object_init(struct wdf_object *obj, enum wdf_type type,
			 PWDF_OBJECT_ATTRIBUTES attr, struct wdf_object *parent,
			 void (*free)(struct wdf_object *obj))
{
	unsigned long flags;

	if (attr && attr->Size != sizeof(*attr))
		return STATUS_INVALID_PARAMETER;
	obj->type = type;
	obj->free = free;
	INIT_LIST_HEAD(&obj->children);
	INIT_LIST_HEAD(&obj->sibling);
	if (attr) {
		obj->cleanup = attr->EvtCleanupCallback;
		obj->destroy = attr->EvtDestroyCallback;
		if (!parent && attr->ParentObject) {
			if (!wdf_object_is(attr->ParentObject, 0, _RET_IP_))
				return STATUS_INVALID_PARAMETER;
			parent = attr->ParentObject;
		}
		if (attr->ContextTypeInfo) {
			obj->ctx = kzalloc(wdf_context_size(attr), GFP_KERNEL);
			if (!obj->ctx)
				return STATUS_INSUFFICIENT_RESOURCES;
			obj->ctx_type = attr->ContextTypeInfo;
		}
	}
	obj->parent = parent;
	if (parent) {
		raw_spin_lock_irqsave(&wdf_tree_lock, flags);
		list_add_tail(&obj->sibling, &parent->children);
		raw_spin_unlock_irqrestore(&wdf_tree_lock, flags);
	}
	obj->magic = WDF_OBJECT_MAGIC;
	return STATUS_SUCCESS;
}

/* Delete @obj's children (the youngest first), then @obj, as KMDF does. */
void wdf_object_delete(struct wdf_object *obj)
{
	struct wdf_object *child;
	unsigned long flags;

	for (;;) {
		raw_spin_lock_irqsave(&wdf_tree_lock, flags);
		child = list_empty(&obj->children) ? NULL :
			list_last_entry(&obj->children, struct wdf_object, sibling);
		raw_spin_unlock_irqrestore(&wdf_tree_lock, flags);
		if (!child)
			break;
		wdf_object_delete(child);
	}
	if (obj->cleanup)
		obj->cleanup(obj);
	if (obj->destroy)
		obj->destroy(obj);
	raw_spin_lock_irqsave(&wdf_tree_lock, flags);
	list_del_init(&obj->sibling);
	raw_spin_unlock_irqrestore(&wdf_tree_lock, flags);
	obj->magic = 0;
	kfree(obj->ctx);
	obj->free(obj);
}

/* @handle is an object (of @type, unless 0); a driver bug if not. */
bool wdf_object_is(const void *handle, enum wdf_type type, unsigned long caller)
{
	const struct wdf_object *obj = handle;

	if (likely(obj && obj->magic == WDF_OBJECT_MAGIC && (!type || obj->type == type)))
		return true;
	wdm_report_bug(caller, "%p is not a framework object of the right type", handle);
	return false;
}

/**
 * WdfObjectGetTypedContextWorker() - an object's context area
 * @Handle: the object
 * @TypeInfo: the context type (WDF_GET_CONTEXT_TYPE_INFO())
 *
 * The area is the one WDF_OBJECT_ATTRIBUTES.ContextTypeInfo asked for at
 * creation, zeroed then. Types match by name and size: the information
 * wdf.h declares is static in each file that uses it.
 *
 * Context: any IRQL.
 * Return: the area, or NULL if the object has no context of that type.
 */
PVOID WdfObjectGetTypedContextWorker(WDFOBJECT Handle,
				     PCWDF_OBJECT_CONTEXT_TYPE_INFO TypeInfo)
{
	struct wdf_object *obj = Handle;
	PCWDF_OBJECT_CONTEXT_TYPE_INFO have;

	if (!wdf_object_is(Handle, 0, _RET_IP_) || !TypeInfo)
		return NULL;
	have = obj->ctx_type;
	if (!have)
		return NULL;
	if (have == TypeInfo->UniqueType ||
	    (have->ContextSize == TypeInfo->ContextSize &&
	     !strcmp(have->ContextName, TypeInfo->ContextName)))
		return obj->ctx;
	return NULL;
}
EXPORT_SYMBOL_GPL(WdfObjectGetTypedContextWorker);

/**
 * WdfObjectDelete() - delete a framework object and its children
 * @Object: a WDFSPINLOCK or WDFWAITLOCK
 *
 * Runs the object's EvtCleanupCallback and EvtDestroyCallback. As in KMDF,
 * a driver may not delete the driver, a PnP device, its resource lists or
 * its interrupts (the framework does): that is reported as a driver bug.
 *
 * Context: PASSIVE_LEVEL.
 */
void WdfObjectDelete(WDFOBJECT Object)
{
	struct wdf_object *obj = Object;

	if (!wdf_object_is(Object, 0, _RET_IP_))
		return;
	if (obj->type != WDF_TYPE_SPINLOCK && obj->type != WDF_TYPE_WAITLOCK) {
		wdm_report_bug(_RET_IP_, "%s() of a framework object the driver may not delete",
			       __func__);
		return;
	}
	wdf_object_delete(obj);
}
EXPORT_SYMBOL_GPL(WdfObjectDelete);

/*
 * Driver
 */

static void wdf_driver_free(struct wdf_object *obj)
{
	kfree(container_of(obj, struct WDFDRIVER__, hdr));
}

/**
 * WdfDriverCreate() - create the driver object, from DriverEntry
 * @DriverObject: what DriverEntry received
 * @RegistryPath: what DriverEntry received (unused)
 * @DriverAttributes: context and callbacks, or WDF_NO_OBJECT_ATTRIBUTES
 * @DriverConfig: EvtDriverDeviceAdd and EvtDriverUnload
 * @Driver: receives the handle, or WDF_NO_HANDLE
 *
 * Context: PASSIVE_LEVEL, from DriverEntry.
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for a missing driver
 * object or configuration, or a bad Size;
 * STATUS_INVALID_DEVICE_STATE if the driver object exists already;
 * STATUS_INSUFFICIENT_RESOURCES.
 */
NTSTATUS WdfDriverCreate(PDRIVER_OBJECT DriverObject, PCUNICODE_STRING RegistryPath,
			 PWDF_OBJECT_ATTRIBUTES DriverAttributes,
			 PWDF_DRIVER_CONFIG DriverConfig, WDFDRIVER *Driver)
{
	struct wdf_pci_driver *drv;
	struct WDFDRIVER__ *d;
	NTSTATUS status;

	if (!DriverObject || !DriverObject->WdfPciDriver || !DriverConfig)
		return STATUS_INVALID_PARAMETER;
	if (DriverConfig->Size != sizeof(*DriverConfig))
		return STATUS_INVALID_PARAMETER;
	drv = DriverObject->WdfPciDriver;
	if (drv->driver)
		return STATUS_INVALID_DEVICE_STATE;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return STATUS_INSUFFICIENT_RESOURCES;
	status = wdf_object_init(&d->hdr, WDF_TYPE_DRIVER, DriverAttributes, NULL,
				 wdf_driver_free);
	if (!NT_SUCCESS(status)) {
		kfree(d);
		return status;
	}
	d->config = *DriverConfig;
	d->drv = drv;
	drv->driver = d;
	if (Driver)
		*Driver = d;
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(WdfDriverCreate);

/*
 * Device
 */

/**
 * WdfDeviceInitSetPnpPowerEventCallbacks() - the device's PnP and power callbacks
 * @DeviceInit: what EvtDriverDeviceAdd received
 * @PnpPowerEventCallbacks: the callbacks (WDF_PNPPOWER_EVENT_CALLBACKS_INIT)
 *
 * Context: PASSIVE_LEVEL, in EvtDriverDeviceAdd before WdfDeviceCreate().
 */
void WdfDeviceInitSetPnpPowerEventCallbacks(PWDFDEVICE_INIT DeviceInit,
					    PWDF_PNPPOWER_EVENT_CALLBACKS PnpPowerEventCallbacks)
{
	if (!DeviceInit || !PnpPowerEventCallbacks ||
	    PnpPowerEventCallbacks->Size != sizeof(*PnpPowerEventCallbacks)) {
		wdm_report_bug(_RET_IP_, "%s(%p, %p): bad argument", __func__,
			       DeviceInit, PnpPowerEventCallbacks);
		return;
	}
	DeviceInit->pnp = *PnpPowerEventCallbacks;
}
EXPORT_SYMBOL_GPL(WdfDeviceInitSetPnpPowerEventCallbacks);

static void wdf_device_free(struct wdf_object *obj)
{
	struct WDFDEVICE__ *dev = container_of(obj, struct WDFDEVICE__, hdr);

	mutex_destroy(&dev->lock);
	kfree(dev);
}

static void wdf_reslist_init(struct WDFCMRESLIST__ *l)
{
	l->hdr.magic = WDF_OBJECT_MAGIC;
	l->hdr.type = WDF_TYPE_CMRESLIST;
}

/**
 * WdfDeviceCreate() - create the device object, from EvtDriverDeviceAdd
 * @DeviceInit: what EvtDriverDeviceAdd received; set to NULL on success
 * @DeviceAttributes: context and callbacks, or WDF_NO_OBJECT_ATTRIBUTES
 * @Device: receives the handle
 *
 * The device is the PCI device being probed; it is deleted when the PCI
 * device is removed.
 *
 * Context: PASSIVE_LEVEL, in EvtDriverDeviceAdd.
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for missing arguments;
 * STATUS_INVALID_DEVICE_STATE if @DeviceInit already made a device;
 * STATUS_INSUFFICIENT_RESOURCES.
 */
NTSTATUS WdfDeviceCreate(PWDFDEVICE_INIT *DeviceInit,
			 PWDF_OBJECT_ATTRIBUTES DeviceAttributes, WDFDEVICE *Device)
{
	PWDFDEVICE_INIT init;
	struct WDFDEVICE__ *dev;
	NTSTATUS status;

	if (!DeviceInit || !*DeviceInit || !Device)
		return STATUS_INVALID_PARAMETER;
	init = *DeviceInit;
	if (init->device)
		return STATUS_INVALID_DEVICE_STATE;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return STATUS_INSUFFICIENT_RESOURCES;
	status = wdf_object_init(&dev->hdr, WDF_TYPE_DEVICE, DeviceAttributes,
				 &init->drv->driver->hdr, wdf_device_free);
	if (!NT_SUCCESS(status)) {
		kfree(dev);
		return status;
	}
	dev->driver = init->drv->driver;
	dev->pdev = init->pdev;
	wdm_init_device_object(&dev->pdo, init->pdev);
	dev->pnp = init->pnp;
	mutex_init(&dev->lock);
	INIT_LIST_HEAD(&dev->interrupts);
	wdf_reslist_init(&dev->raw);
	wdf_reslist_init(&dev->translated);
	init->device = dev;
	*DeviceInit = NULL;
	*Device = dev;
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(WdfDeviceCreate);

/**
 * WdfDeviceWdmGetPhysicalDevice() - the WDM device object of the PCI device
 * @Device: the device
 *
 * Context: any IRQL.
 * Return: the DEVICE_OBJECT that stands for the PCI device.
 */
PDEVICE_OBJECT WdfDeviceWdmGetPhysicalDevice(WDFDEVICE Device)
{
	if (!wdf_object_is(Device, WDF_TYPE_DEVICE, _RET_IP_))
		return NULL;
	return &Device->pdo;
}
EXPORT_SYMBOL_GPL(WdfDeviceWdmGetPhysicalDevice);

/**
 * WdfDeviceGetDriver() - the driver object a device belongs to
 * @Device: the device
 *
 * Context: any IRQL.
 * Return: the WDFDRIVER.
 */
WDFDRIVER WdfDeviceGetDriver(WDFDEVICE Device)
{
	if (!wdf_object_is(Device, WDF_TYPE_DEVICE, _RET_IP_))
		return NULL;
	return Device->driver;
}
EXPORT_SYMBOL_GPL(WdfDeviceGetDriver);

/*
 * Resource lists
 */

static PCM_PARTIAL_RESOURCE_LIST wdf_partial(WDFCMRESLIST List)
{
	if (!wdf_object_is(List, WDF_TYPE_CMRESLIST, _RET_IP_) || !List->list)
		return NULL;
	return &List->list->List[0].PartialResourceList;
}

/**
 * WdfCmResourceListGetCount() - the number of descriptors in a resource list
 * @List: the raw or translated list EvtDevicePrepareHardware received
 *
 * Context: any IRQL.
 * Return: the count (0 for a list the device no longer has).
 */
ULONG WdfCmResourceListGetCount(WDFCMRESLIST List)
{
	PCM_PARTIAL_RESOURCE_LIST p = wdf_partial(List);

	return p ? p->Count : 0;
}
EXPORT_SYMBOL_GPL(WdfCmResourceListGetCount);

/**
 * WdfCmResourceListGetDescriptor() - one descriptor of a resource list
 * @List: the raw or translated list
 * @Index: 0 to WdfCmResourceListGetCount() - 1
 *
 * Raw and translated descriptors of one resource have the same index.
 *
 * Context: any IRQL.
 * Return: the descriptor, or NULL if @Index is out of range.
 */
PCM_PARTIAL_RESOURCE_DESCRIPTOR WdfCmResourceListGetDescriptor(WDFCMRESLIST List,
							       ULONG Index)
{
	PCM_PARTIAL_RESOURCE_LIST p = wdf_partial(List);

	if (!p || Index >= p->Count)
		return NULL;
	return &p->PartialDescriptors[Index];
}
EXPORT_SYMBOL_GPL(WdfCmResourceListGetDescriptor);

static bool wdf_is_message(PCM_PARTIAL_RESOURCE_DESCRIPTOR d)
{
	return d->Type == CmResourceTypeInterrupt && (d->Flags & CM_RESOURCE_INTERRUPT_MESSAGE);
}

static bool wdf_is_line(PCM_PARTIAL_RESOURCE_DESCRIPTOR d)
{
	return d->Type == CmResourceTypeInterrupt && !(d->Flags & CM_RESOURCE_INTERRUPT_MESSAGE);
}

static void wdf_resources_free(struct WDFDEVICE__ *dev)
{
	if (dev->vectors)
		pci_free_irq_vectors(dev->pdev);
	dev->vectors = false;
	wdm_free_resources(dev->raw.list);
	wdm_free_resources(dev->translated.list);
	dev->raw.list = NULL;
	dev->translated.list = NULL;
}

/*
 * Allocate the messages the translated list names, as the PnP manager has
 * them before IRP_MN_START_DEVICE: each translated message descriptor's
 * Vector becomes its Linux IRQ.
 */
static NTSTATUS wdf_alloc_messages(struct WDFDEVICE__ *dev)
{
	PCM_PARTIAL_RESOURCE_LIST p = &dev->translated.list->List[0].PartialResourceList;
	ULONG i, n = 0;
	int ret;

	for (i = 0; i < p->Count; i++)
		n += wdf_is_message(&p->PartialDescriptors[i]);
	if (!n)
		return STATUS_SUCCESS;
	ret = pci_alloc_irq_vectors(dev->pdev, n, n, PCI_IRQ_MSIX | PCI_IRQ_MSI);
	if (ret < 0)
		return wdm_errno_to_ntstatus(ret);
	dev->vectors = true;
	for (i = 0; i < p->Count; i++) {
		PCM_PARTIAL_RESOURCE_DESCRIPTOR d = &p->PartialDescriptors[i];

		if (wdf_is_message(d))
			d->u.MessageInterrupt.Translated.Vector =
				pci_irq_vector(dev->pdev, d->u.MessageInterrupt.Translated.Vector);
	}
	return STATUS_SUCCESS;
}

/*
 * Give the interrupts created in EvtDriverDeviceAdd the device's interrupt
 * resources in order: its messages if it has any, else its line.
 */
static void wdf_assign_interrupts(struct WDFDEVICE__ *dev)
{
	PCM_PARTIAL_RESOURCE_LIST raw = &dev->raw.list->List[0].PartialResourceList;
	PCM_PARTIAL_RESOURCE_LIST tr = &dev->translated.list->List[0].PartialResourceList;
	bool (*want)(PCM_PARTIAL_RESOURCE_DESCRIPTOR d) = wdf_is_line;
	struct WDFINTERRUPT__ *wi;
	ULONG i = 0;

	for (i = 0; i < tr->Count; i++)
		if (wdf_is_message(&tr->PartialDescriptors[i]))
			want = wdf_is_message;
	i = 0;
	list_for_each_entry(wi, &dev->interrupts, node) {
		if (wi->in_prepare_hardware)
			continue;
		while (i < tr->Count && !want(&tr->PartialDescriptors[i]))
			i++;
		if (i == tr->Count)
			break;
		wdf_interrupt_assign(wi, &raw->PartialDescriptors[i], &tr->PartialDescriptors[i]);
		i++;
	}
}

static NTSTATUS wdf_resources_get(struct WDFDEVICE__ *dev)
{
	NTSTATUS status;

	status = wdm_get_resources(&dev->pdo, &dev->raw.list, &dev->translated.list);
	if (!NT_SUCCESS(status))
		return status;
	status = wdf_alloc_messages(dev);
	if (!NT_SUCCESS(status)) {
		wdf_resources_free(dev);
		return status;
	}
	wdf_assign_interrupts(dev);
	return STATUS_SUCCESS;
}

/*
 * Power
 */

/*
 * Into D0, in KMDF's order: EvtDeviceD0Entry, each interrupt connected and
 * its EvtInterruptEnable called, EvtDeviceD0EntryPostInterruptsEnabled.
 */
static NTSTATUS wdf_device_d0_entry(struct WDFDEVICE__ *dev, WDF_POWER_DEVICE_STATE prev)
{
	NTSTATUS status = STATUS_SUCCESS;

	lockdep_assert_held(&dev->lock);
	if (dev->pnp.EvtDeviceD0Entry) {
		status = dev->pnp.EvtDeviceD0Entry(dev, prev);
		if (!NT_SUCCESS(status))
			return status;
	}
	status = wdf_interrupts_connect(dev);
	if (NT_SUCCESS(status) && dev->pnp.EvtDeviceD0EntryPostInterruptsEnabled) {
		status = dev->pnp.EvtDeviceD0EntryPostInterruptsEnabled(dev, prev);
		if (!NT_SUCCESS(status))
			wdf_interrupts_disconnect(dev);
	}
	if (!NT_SUCCESS(status)) {
		if (dev->pnp.EvtDeviceD0Exit)
			dev->pnp.EvtDeviceD0Exit(dev, WdfPowerDeviceD3Final);
		return status;
	}
	dev->in_d0 = true;
	return STATUS_SUCCESS;
}

/*
 * Out of D0, the reverse: EvtDeviceD0ExitPreInterruptsDisabled, each
 * interrupt's EvtInterruptDisable and disconnect, EvtDeviceD0Exit.
 */
static void wdf_device_d0_exit(struct WDFDEVICE__ *dev, WDF_POWER_DEVICE_STATE target)
{
	lockdep_assert_held(&dev->lock);
	if (dev->pnp.EvtDeviceD0ExitPreInterruptsDisabled)
		dev->pnp.EvtDeviceD0ExitPreInterruptsDisabled(dev, target);
	wdf_interrupts_disconnect(dev);
	if (dev->pnp.EvtDeviceD0Exit)
		dev->pnp.EvtDeviceD0Exit(dev, target);
	dev->in_d0 = false;
}

/* After EvtDeviceReleaseHardware: interrupts made in Prepare go, the rest lose their resources. */
static void wdf_device_release(struct WDFDEVICE__ *dev)
{
	struct WDFINTERRUPT__ *wi, *tmp;

	if (dev->pnp.EvtDeviceReleaseHardware)
		dev->pnp.EvtDeviceReleaseHardware(dev, &dev->translated);
	list_for_each_entry_safe(wi, tmp, &dev->interrupts, node) {
		if (wi->in_prepare_hardware)
			wdf_object_delete(&wi->hdr);
		else
			wi->has_resource = false;
	}
	wdf_resources_free(dev);
	dev->prepared = false;
}

static NTSTATUS wdf_device_start(struct WDFDEVICE__ *dev)
{
	NTSTATUS status;

	mutex_lock(&dev->lock);
	status = wdf_resources_get(dev);
	if (!NT_SUCCESS(status))
		goto out_unlock;
	dev->prepared = true;
	if (dev->pnp.EvtDevicePrepareHardware) {
		status = dev->pnp.EvtDevicePrepareHardware(dev, &dev->raw, &dev->translated);
		if (!NT_SUCCESS(status)) {
			wdf_device_release(dev);
			goto out_unlock;
		}
	}
	status = wdf_device_d0_entry(dev, WdfPowerDeviceD3Final);
	if (!NT_SUCCESS(status))
		wdf_device_release(dev);
out_unlock:
	mutex_unlock(&dev->lock);
	return status;
}

/*
 * The PCI glue
 */

/* DriverEntry, once per driver, from the first probe. */
static NTSTATUS wdf_driver_entry(struct wdf_pci_driver *drv)
{
	static const WCHAR path[] = { 'w', 'd', 'f' };
	UNICODE_STRING regpath = {
		.Length = sizeof(path),
		.MaximumLength = sizeof(path),
		.Buffer = (PWSTR)path,
	};
	NTSTATUS status = STATUS_SUCCESS;

	mutex_lock(&drv->lock);
	if (!drv->driver) {
		status = drv->DriverEntry(&drv->DriverObject, &regpath);
		if (NT_SUCCESS(status) && !drv->driver)
			status = STATUS_INVALID_DEVICE_STATE;
		if (!NT_SUCCESS(status) && drv->driver) {
			wdf_object_delete(&drv->driver->hdr);
			drv->driver = NULL;
		}
	}
	mutex_unlock(&drv->lock);
	return status;
}

/**
 * wdf_pci_device_add() - add and start a KMDF device for a PCI device
 * @drv: the driver
 * @pdev: the PCI device, enabled (bus mastering on if it does DMA)
 * @Device: receives the started device
 *
 * What probe does: DriverEntry if the driver object does not exist yet,
 * EvtDriverDeviceAdd, then the start sequence: EvtDevicePrepareHardware
 * with the raw and translated resource lists, EvtDeviceD0Entry
 * (WdfPowerDeviceD3Final), each interrupt connected then its
 * EvtInterruptEnable, EvtDeviceD0EntryPostInterruptsEnabled.
 *
 * Context: process context; may sleep.
 * Return: STATUS_SUCCESS, or the failing callback's status (nothing is
 * left behind then).
 */
NTSTATUS wdf_pci_device_add(struct wdf_pci_driver *drv, struct pci_dev *pdev,
			    WDFDEVICE *Device)
{
	struct WDFDEVICE__ *dev;
	PWDFDEVICE_INIT init;
	NTSTATUS status;

	status = wdf_driver_entry(drv);
	if (!NT_SUCCESS(status))
		return status;
	if (!drv->driver->config.EvtDriverDeviceAdd)
		return STATUS_INVALID_DEVICE_REQUEST;
	init = kzalloc(sizeof(*init), GFP_KERNEL);
	if (!init)
		return STATUS_INSUFFICIENT_RESOURCES;
	init->drv = drv;
	init->pdev = pdev;
	status = drv->driver->config.EvtDriverDeviceAdd(drv->driver, init);
	dev = init->device;
	kfree(init);
	if (NT_SUCCESS(status) && !dev)
		status = STATUS_INVALID_DEVICE_STATE;
	if (NT_SUCCESS(status))
		status = wdf_device_start(dev);
	if (!NT_SUCCESS(status)) {
		if (dev)
			wdf_object_delete(&dev->hdr);
		return status;
	}
	*Device = dev;
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(wdf_pci_device_add);

/**
 * wdf_pci_device_remove() - stop and delete a device wdf_pci_device_add() made
 * @Device: the device
 *
 * What remove does: EvtDeviceD0ExitPreInterruptsDisabled, each interrupt's
 * EvtInterruptDisable then its disconnect, EvtDeviceD0Exit
 * (WdfPowerDeviceD3Final), EvtDeviceReleaseHardware, then the device and
 * its children are deleted (their cleanup callbacks run).
 *
 * Context: process context; may sleep.
 */
void wdf_pci_device_remove(WDFDEVICE Device)
{
	if (!wdf_object_is(Device, WDF_TYPE_DEVICE, _RET_IP_))
		return;
	mutex_lock(&Device->lock);
	if (Device->in_d0)
		wdf_device_d0_exit(Device, WdfPowerDeviceD3Final);
	if (Device->prepared)
		wdf_device_release(Device);
	mutex_unlock(&Device->lock);
	wdf_object_delete(&Device->hdr);
}
EXPORT_SYMBOL_GPL(wdf_pci_device_remove);

/**
 * wdf_pci_device_suspend() - take a device out of D0 for system sleep
 * @Device: the device
 *
 * EvtDeviceD0ExitPreInterruptsDisabled, EvtInterruptDisable and
 * disconnect, EvtDeviceD0Exit(WdfPowerDeviceD3). The resources stay.
 *
 * Context: process context; may sleep.
 * Return: STATUS_SUCCESS.
 */
NTSTATUS wdf_pci_device_suspend(WDFDEVICE Device)
{
	if (!wdf_object_is(Device, WDF_TYPE_DEVICE, _RET_IP_))
		return STATUS_INVALID_PARAMETER;
	mutex_lock(&Device->lock);
	if (Device->in_d0)
		wdf_device_d0_exit(Device, WdfPowerDeviceD3);
	mutex_unlock(&Device->lock);
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(wdf_pci_device_suspend);

/**
 * wdf_pci_device_resume() - bring a suspended device back to D0
 * @Device: the device
 *
 * EvtDeviceD0Entry(WdfPowerDeviceD3), connect and EvtInterruptEnable,
 * EvtDeviceD0EntryPostInterruptsEnabled.
 *
 * Context: process context; may sleep.
 * Return: STATUS_SUCCESS, or the failing callback's status.
 */
NTSTATUS wdf_pci_device_resume(WDFDEVICE Device)
{
	NTSTATUS status = STATUS_SUCCESS;

	if (!wdf_object_is(Device, WDF_TYPE_DEVICE, _RET_IP_))
		return STATUS_INVALID_PARAMETER;
	mutex_lock(&Device->lock);
	if (Device->prepared && !Device->in_d0)
		status = wdf_device_d0_entry(Device, WdfPowerDeviceD3);
	mutex_unlock(&Device->lock);
	return status;
}
EXPORT_SYMBOL_GPL(wdf_pci_device_resume);

static struct wdf_pci_driver *wdf_pci_driver_of(struct pci_dev *pdev)
{
	return container_of(to_pci_driver(pdev->dev.driver), struct wdf_pci_driver, pci);
}

static int wdf_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	WDFDEVICE device;
	NTSTATUS status;
	int err;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	pci_set_master(pdev);
	status = wdf_pci_device_add(wdf_pci_driver_of(pdev), pdev, &device);
	if (!NT_SUCCESS(status))
		return wdm_ntstatus_to_errno(status);
	pci_set_drvdata(pdev, device);
	return 0;
}

static void wdf_pci_remove(struct pci_dev *pdev)
{
	wdf_pci_device_remove(pci_get_drvdata(pdev));
}

static int wdf_pci_suspend(struct device *dev)
{
	return wdm_ntstatus_to_errno(wdf_pci_device_suspend(dev_get_drvdata(dev)));
}

static int wdf_pci_resume(struct device *dev)
{
	return wdm_ntstatus_to_errno(wdf_pci_device_resume(dev_get_drvdata(dev)));
}

static DEFINE_SIMPLE_DEV_PM_OPS(wdf_pci_pm_ops, wdf_pci_suspend, wdf_pci_resume);

/**
 * __wdf_pci_driver_register() - register a KMDF driver as a PCI driver
 * @drv: the driver; name, id_table and DriverEntry filled in
 * @owner: the driver's module (THIS_MODULE)
 *
 * Use module_wdf_pci_driver() or wdf_pci_driver_register() rather than
 * calling this.
 *
 * Context: module init.
 * Return: 0 or the negative errno of pci_register_driver().
 */
int __wdf_pci_driver_register(struct wdf_pci_driver *drv, struct module *owner)
{
	if (!drv->name || !drv->id_table || !drv->DriverEntry)
		return -EINVAL;
	mutex_init(&drv->lock);
	drv->DriverObject.WdfPciDriver = drv;
	drv->driver = NULL;
	drv->pci.name = drv->name;
	drv->pci.id_table = drv->id_table;
	drv->pci.probe = wdf_pci_probe;
	drv->pci.remove = wdf_pci_remove;
	drv->pci.dev_groups = drv->dev_groups;
	drv->pci.groups = drv->groups;
	drv->pci.driver.pm = pm_sleep_ptr(&wdf_pci_pm_ops);
	return __pci_register_driver(&drv->pci, owner, drv->name);
}
EXPORT_SYMBOL_GPL(__wdf_pci_driver_register);

/**
 * wdf_pci_driver_unregister() - unregister a KMDF driver
 * @drv: the driver
 *
 * Removes its devices, then calls EvtDriverUnload and deletes the driver
 * object.
 *
 * Context: module exit.
 */
void wdf_pci_driver_unregister(struct wdf_pci_driver *drv)
{
	pci_unregister_driver(&drv->pci);
	if (drv->driver) {
		if (drv->driver->config.EvtDriverUnload)
			drv->driver->config.EvtDriverUnload(drv->driver);
		wdf_object_delete(&drv->driver->hdr);
		drv->driver = NULL;
	}
	mutex_destroy(&drv->lock);
}
EXPORT_SYMBOL_GPL(wdf_pci_driver_unregister);
