/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdm.ko's KMDF objects (wdf.h): the object header with its context area,
 * the driver, device, resource list, interrupt and lock objects.
 */
#ifndef _WDF_INTERNAL_H
#define _WDF_INTERNAL_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/swait.h>
#include <wdf.h>

#define WDF_OBJECT_MAGIC	0x57444f42	/* "WDOB" */

enum wdf_type {
	WDF_TYPE_DRIVER = 1,
	WDF_TYPE_DEVICE,
	WDF_TYPE_CMRESLIST,
	WDF_TYPE_INTERRUPT,
	WDF_TYPE_SPINLOCK,
	WDF_TYPE_WAITLOCK,
};

/*
 * What every handle points at first. An object with a parent is deleted
 * with it, children first; children and sibling are under wdf_tree_lock.
 */
struct wdf_object {
	u32 magic;
	enum wdf_type type;
	PFN_WDF_OBJECT_CONTEXT_CLEANUP cleanup;
	PFN_WDF_OBJECT_CONTEXT_DESTROY destroy;
	PCWDF_OBJECT_CONTEXT_TYPE_INFO ctx_type;
	void *ctx;
	struct wdf_object *parent;
	struct list_head children;
	struct list_head sibling;
	void (*free)(struct wdf_object *obj);	/* frees the object itself */
};

struct WDFDRIVER__ {
	struct wdf_object hdr;
	WDF_DRIVER_CONFIG config;
	struct wdf_pci_driver *drv;
};

struct WDFDEVICE_INIT {
	struct wdf_pci_driver *drv;
	struct pci_dev *pdev;
	WDF_PNPPOWER_EVENT_CALLBACKS pnp;
	struct WDFDEVICE__ *device;	/* what WdfDeviceCreate() made */
};

struct WDFCMRESLIST__ {
	struct wdf_object hdr;
	PCM_RESOURCE_LIST list;
};

struct WDFDEVICE__ {
	struct wdf_object hdr;
	struct WDFDRIVER__ *driver;
	struct pci_dev *pdev;
	DEVICE_OBJECT pdo;
	WDF_PNPPOWER_EVENT_CALLBACKS pnp;
	/* serialises the PnP and power transitions and the lists below */
	struct mutex lock;
	struct list_head interrupts;	/* WDFINTERRUPT node, creation order */
	ULONG interrupt_count;
	struct WDFCMRESLIST__ raw, translated;
	bool prepared;			/* in EvtDevicePrepareHardware or after */
	bool in_d0;
	bool vectors;			/* MSI-X or MSI vectors allocated */
};

struct WDFSPINLOCK__ {
	struct wdf_object hdr;
	KSPIN_LOCK lock;
	KIRQL irql;			/* raised to: DISPATCH_LEVEL or a DIRQL */
	KIRQL old_irql;			/* under the lock */
};

struct WDFWAITLOCK__ {
	struct wdf_object hdr;
	KEVENT event;			/* a SynchronizationEvent, signalled when free */
};

struct WDFINTERRUPT__ {
	struct wdf_object hdr;
	struct WDFDEVICE__ *device;
	struct list_head node;		/* on device->interrupts */
	WDF_INTERRUPT_CONFIG config;
	bool passive;			/* PassiveHandling */
	bool in_prepare_hardware;	/* created there: deleted after release */
	bool has_resource;
	bool force_disconnected;	/* WdfInterruptDisable() */
	CM_PARTIAL_RESOURCE_DESCRIPTOR raw, translated;
	WDF_INTERRUPT_INFO info;
	KSPIN_LOCK own_lock;
	PKSPIN_LOCK lock;		/* own_lock, or the config's WDFSPINLOCK */
	struct WDFWAITLOCK__ *waitlock;	/* passive: the config's or own_waitlock */
	struct WDFWAITLOCK__ *own_waitlock;
	PKINTERRUPT ki;			/* while connected */
	ULONG version;			/* the connect's Version */
	KIRQL old_irql;			/* saved by WdfInterruptAcquireLock() */
	KDPC dpc;
	PIO_WORKITEM workitem;
	bool set_policy;
	WDF_INTERRUPT_EXTENDED_POLICY policy;
};

NTSTATUS wdf_object_init(struct wdf_object *obj, enum wdf_type type,
			 PWDF_OBJECT_ATTRIBUTES attr, struct wdf_object *parent,
			 void (*free)(struct wdf_object *obj));
void wdf_object_delete(struct wdf_object *obj);
bool wdf_object_is(const void *handle, enum wdf_type type, unsigned long caller);

NTSTATUS wdf_interrupts_connect(struct WDFDEVICE__ *dev);
void wdf_interrupts_disconnect(struct WDFDEVICE__ *dev);
void wdf_interrupt_assign(struct WDFINTERRUPT__ *wi,
			  PCM_PARTIAL_RESOURCE_DESCRIPTOR raw,
			  PCM_PARTIAL_RESOURCE_DESCRIPTOR translated);

#endif /* _WDF_INTERNAL_H */
