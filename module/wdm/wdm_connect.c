// SPDX-License-Identifier: GPL-2.0
/*
 * IoConnectInterrupt(Ex) and IoDisconnectInterrupt(Ex): parameter checks,
 * fully specified, line-based and message-based connections (MSI-X, else
 * MSI, else the line with the fallback routine), and the message table.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/irq.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "wdm_compat.h"
#include "wdm_internal.h"

/*
 * What is connected: every object and table that IoConnectInterrupt(Ex) gave
 * out and no disconnect has taken back. A disconnect finds its pointer here
 * before touching it, so a stale or repeated one gets STATUS_INVALID_PARAMETER
 * rather than reading freed memory.
 */
static LIST_HEAD(wdm_interrupts);	/* _KINTERRUPT.conn, not in a table */
static LIST_HEAD(wdm_tables);		/* wdm_message_table.conn */
static DEFINE_MUTEX(wdm_connections_lock);	/* protects both lists */

/*
 * A message-based connection. Drivers see only @info; disconnect finds the
 * rest with container_of().
 */
#define WDM_TABLE_MAGIC		0x494d5454	/* "IMTT" */

struct wdm_message_table {
	u32 magic;			/* WDM_TABLE_MAGIC while connected */
	struct list_head conn;		/* on wdm_tables while connected */
	bool passive;
	struct pci_dev *pdev;
	IO_INTERRUPT_MESSAGE_INFO info;	/* last: MessageInfo[] follows */
};

/**
 * wdm_init_device_object() - make a DEVICE_OBJECT stand for a PCI device
 * @DeviceObject: the object to fill
 * @pdev: the PCI device; it must outlive every connection made through it
 *
 * Allows MSI-X and MSI with no limit on the number of messages; change
 * MessageTypes and MessageNumberLimit afterwards to restrict them.
 *
 * Context: any.
 */
void wdm_init_device_object(PDEVICE_OBJECT DeviceObject, struct pci_dev *pdev)
{
	memset(DeviceObject, 0, sizeof(*DeviceObject));
	DeviceObject->PciDevice = pdev;
	DeviceObject->MessageTypes = WDM_MESSAGE_MSIX | WDM_MESSAGE_MSI;
}
EXPORT_SYMBOL_GPL(wdm_init_device_object);

static struct pci_dev *wdm_pdo_pci(PDEVICE_OBJECT pdo)
{
	return pdo ? pdo->PciDevice : NULL;
}

static void wdm_connection_add(struct list_head *node, struct list_head *list)
{
	mutex_lock(&wdm_connections_lock);
	list_add_tail(node, list);
	mutex_unlock(&wdm_connections_lock);
}

/* Take a connected object off the books, if @ptr is one, of @version. */
static struct _KINTERRUPT *wdm_interrupt_take(PKINTERRUPT ptr, ULONG version)
{
	struct _KINTERRUPT *ki, *found = NULL;

	mutex_lock(&wdm_connections_lock);
	list_for_each_entry(ki, &wdm_interrupts, conn) {
		if (ki == ptr && ki->version == version) {
			list_del_init(&ki->conn);
			found = ki;
			break;
		}
	}
	mutex_unlock(&wdm_connections_lock);
	return found;
}

/* The same for a message table. */
static struct wdm_message_table *
wdm_table_take(PIO_INTERRUPT_MESSAGE_INFO info, bool passive)
{
	struct wdm_message_table *t, *found = NULL;

	mutex_lock(&wdm_connections_lock);
	list_for_each_entry(t, &wdm_tables, conn) {
		if (&t->info == info && t->passive == passive) {
			list_del_init(&t->conn);
			found = t;
			break;
		}
	}
	mutex_unlock(&wdm_connections_lock);
	return found;
}

/**
 * wdm_connections_check() - report connections a driver never disconnected
 *
 * Context: module exit.
 * Return: the number of interrupt objects and message tables still connected.
 */
unsigned int wdm_connections_check(void)
{
	struct wdm_message_table *t;
	struct _KINTERRUPT *ki;
	unsigned int n = 0;

	mutex_lock(&wdm_connections_lock);
	list_for_each_entry(ki, &wdm_interrupts, conn)
		n++;
	list_for_each_entry(t, &wdm_tables, conn)
		n++;
	mutex_unlock(&wdm_connections_lock);
	return n;
}

/*
 * Fully specified
 */

/* The CPUs of @mask in processor group @group; false if none is online. */
static bool wdm_affinity(KAFFINITY mask, USHORT group, struct cpumask *cpus)
{
	unsigned int bit, cpu;

	cpumask_clear(cpus);
	for (bit = 0; bit < BITS_PER_LONG; bit++) {
		cpu = group * BITS_PER_LONG + bit;
		if ((mask & BIT(bit)) && cpu < nr_cpu_ids)
			cpumask_set_cpu(cpu, cpus);
	}
	return cpumask_intersects(cpus, cpu_online_mask);
}

static NTSTATUS
wdm_connect_fully_specified(IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS *p,
			    ULONG version)
{
	struct pci_dev *pdev = wdm_pdo_pci(p->PhysicalDeviceObject);
	USHORT group = version == CONNECT_FULLY_SPECIFIED_GROUP ? p->Group : 0;
	struct wdm_connect_req req = {};
	cpumask_var_t cpus;
	struct _KINTERRUPT *ki;
	NTSTATUS status;
	char name[48];
	int err;

	if (!p->InterruptObject || !p->ServiceRoutine)
		return STATUS_INVALID_PARAMETER;
	if (p->InterruptMode != LevelSensitive && p->InterruptMode != Latched)
		return STATUS_INVALID_PARAMETER;
	/*
	 * Irql is the translated resource's level: PASSIVE_LEVEL, or a device
	 * IRQL (3 to 12 on x64) up to HIGH_LEVEL. No interrupt is at APC_LEVEL
	 * or DISPATCH_LEVEL. SynchronizeIrql may be no lower.
	 */
	if (p->Irql > HIGH_LEVEL || p->SynchronizeIrql > HIGH_LEVEL ||
	    p->Irql == APC_LEVEL || p->Irql == DISPATCH_LEVEL ||
	    p->SynchronizeIrql < p->Irql)
		return STATUS_INVALID_PARAMETER;
	/* Windows 8 and later: passive only if both levels are, with no lock. */
	req.passive = p->Irql == PASSIVE_LEVEL &&
		      p->SynchronizeIrql == PASSIVE_LEVEL;
	if (req.passive && p->SpinLock)
		return STATUS_INVALID_PARAMETER;
	/*
	 * A nested line (behind I2C or SPI) has no hard-IRQ context to run a
	 * DIRQL ISR in: its level is PASSIVE_LEVEL, and a resource says so.
	 */
	req.nested = wdm_irq_is_nested(p->Vector);
	if (req.nested && !req.passive) {
		pr_err("IRQ %u is a passive-level (nested) interrupt: connect it with Irql = SynchronizeIrql = PASSIVE_LEVEL\n",
		       p->Vector);
		return STATUS_INVALID_PARAMETER;
	}

	if (!zalloc_cpumask_var(&cpus, GFP_KERNEL))
		return STATUS_INSUFFICIENT_RESOURCES;
	/* Microsoft: "no bits set" in ProcessorEnableMask is _PARAMETER_10. */
	if (!wdm_affinity(p->ProcessorEnableMask, group, cpus)) {
		status = STATUS_INVALID_PARAMETER_10;
		goto out_free_cpus;
	}

	if (pdev)
		snprintf(name, sizeof(name), "wdm-irq[%u](%s)", p->Vector,
			 pci_name(pdev));
	else
		snprintf(name, sizeof(name), "wdm-irq[%u]", p->Vector);
	req.irq = p->Vector;
	req.name = name;
	req.isr = p->ServiceRoutine;
	req.context = p->ServiceContext;
	req.lock = p->SpinLock ? &p->SpinLock->rlock : NULL;
	req.cpus = cpus;
	req.shared = p->ShareVector;
	req.irql = p->Irql;
	req.sync_irql = p->SynchronizeIrql;
	req.version = version;
	/* The device's own level-triggered INTx line is watched for storms. */
	if (pdev && p->InterruptMode == LevelSensitive && p->Vector == pdev->irq &&
	    !pdev->msi_enabled && !pdev->msix_enabled)
		req.intx_pdev = pdev;
	status = wdm_interrupt_create(&req, &ki);
	if (!NT_SUCCESS(status))
		goto out_free_cpus;

	if (!cpumask_subset(cpu_online_mask, cpus)) {
		/* Put back at disconnect. On a shared line every handler moves. */
		cpumask_copy(ki->saved_affinity, irq_get_affinity_mask(ki->irq));
		err = irq_set_affinity(ki->irq, cpus);
		if (err) {
			wdm_interrupt_destroy(ki);
			status = wdm_errno_to_ntstatus(err);
			goto out_free_cpus;
		}
	}
	*p->InterruptObject = ki;
	wdm_connection_add(&ki->conn, &wdm_interrupts);
	wdm_interrupt_arm(ki);
out_free_cpus:
	free_cpumask_var(cpus);
	return status;
}

/*
 * A connect sleeps: above PASSIVE_LEVEL it is a driver bug (Driver
 * Verifier's IRQL rule), reported instead of sleeping in atomic context.
 */
static bool wdm_connect_irql_ok(const char *what, unsigned long caller)
{
	KIRQL irql = KeGetCurrentIrql();

	if (likely(irql == PASSIVE_LEVEL))
		return true;
	wdm_report_bug(caller, "%s() at IRQL %u, above PASSIVE_LEVEL (verifier: IRQL_NOT_PASSIVE)",
		       what, irql);
	return false;
}

/**
 * IoConnectInterrupt() - connect an ISR to an IRQ (the pre-Vista call)
 * @InterruptObject: receives the interrupt object
 * @ServiceRoutine: the ISR
 * @ServiceContext: the ISR's second argument
 * @SpinLock: a lock shared with other interrupt objects, or NULL
 * @Vector: the Linux IRQ number
 * @Irql: the device IRQL, as the translated interrupt resource gives it:
 *	PASSIVE_LEVEL or 3 to HIGH_LEVEL
 * @SynchronizeIrql: the IRQL the ISR runs at, no lower than @Irql; with
 *	@Irql, PASSIVE_LEVEL makes a passive-level ISR that runs in a thread
 *	and may sleep
 * @InterruptMode: LevelSensitive or Latched
 * @ShareVector: TRUE to share the IRQ (IRQF_SHARED)
 * @ProcessorEnableMask: the CPUs the interrupt may be delivered to
 * @FloatingSave: ignored, as on x64 Windows
 *
 * Same as IoConnectInterruptEx() with CONNECT_FULLY_SPECIFIED and no device
 * object.
 *
 * Context: process context; may sleep.
 * Return: STATUS_SUCCESS, or the reason for the failure with nothing
 * connected (STATUS_UNSUCCESSFUL, reported, above PASSIVE_LEVEL).
 */
NTSTATUS IoConnectInterrupt(PKINTERRUPT *InterruptObject,
			    PKSERVICE_ROUTINE ServiceRoutine,
			    PVOID ServiceContext, PKSPIN_LOCK SpinLock,
			    ULONG Vector, KIRQL Irql, KIRQL SynchronizeIrql,
			    KINTERRUPT_MODE InterruptMode, BOOLEAN ShareVector,
			    KAFFINITY ProcessorEnableMask,
			    BOOLEAN FloatingSave)
{
	IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS p = {
		.InterruptObject = InterruptObject,
		.ServiceRoutine = ServiceRoutine,
		.ServiceContext = ServiceContext,
		.SpinLock = SpinLock,
		.SynchronizeIrql = SynchronizeIrql,
		.FloatingSave = FloatingSave,
		.ShareVector = ShareVector,
		.Vector = Vector,
		.Irql = Irql,
		.InterruptMode = InterruptMode,
		.ProcessorEnableMask = ProcessorEnableMask,
	};

	if (!wdm_connect_irql_ok(__func__, _RET_IP_))
		return STATUS_UNSUCCESSFUL;
	return wdm_connect_fully_specified(&p, CONNECT_FULLY_SPECIFIED);
}
EXPORT_SYMBOL_GPL(IoConnectInterrupt);

/*
 * Line based
 */

/*
 * @sync_irql is a minimum, as Microsoft documents for line- and
 * message-based connections: "the system uses this value only if it is
 * greater than the maximum IRQL of the set of interrupts". The ISR is
 * passive-level only if the line is (it nests into another thread), or if
 * @passive (CONNECT_MESSAGE_BASED_PASSIVE falling back to the line).
 */
static NTSTATUS wdm_connect_line(PDEVICE_OBJECT pdo, PKINTERRUPT *out,
				 PKSERVICE_ROUTINE isr, PVOID context,
				 PKSPIN_LOCK lock, KIRQL sync_irql,
				 bool passive)
{
	struct pci_dev *pdev = wdm_pdo_pci(pdo);
	struct wdm_connect_req req = {};
	struct _KINTERRUPT *ki;
	NTSTATUS status;
	char name[48];

	if (!pdev || !out || !isr || sync_irql > HIGH_LEVEL)
		return STATUS_INVALID_PARAMETER;
	if (!pdev->pin || !pdev->irq)
		return STATUS_INVALID_DEVICE_REQUEST;
	if (pdev->msi_enabled || pdev->msix_enabled)
		return STATUS_INVALID_DEVICE_STATE;
	req.nested = wdm_irq_is_nested(pdev->irq);
	req.passive = passive || req.nested;
	if (req.passive && (lock || sync_irql != PASSIVE_LEVEL))
		return STATUS_INVALID_PARAMETER;

	snprintf(name, sizeof(name), "wdm-intx(%s)", pci_name(pdev));
	req.irq = pdev->irq;
	req.name = name;
	req.isr = isr;
	req.context = context;
	req.lock = lock ? &lock->rlock : NULL;
	req.shared = true;		/* a PCI INTx line may always be shared */
	req.irql = req.passive ? PASSIVE_LEVEL : WDM_DEVICE_IRQL;
	req.sync_irql = max_t(KIRQL, req.irql, sync_irql);
	req.version = CONNECT_LINE_BASED;
	req.intx_pdev = pdev;		/* PCI INTx is level-triggered */
	/* A device left with INTx disabled would never interrupt: enable it. */
	pci_intx(pdev, 1);
	status = wdm_interrupt_create(&req, &ki);
	if (!NT_SUCCESS(status))
		return status;
	*out = ki;
	wdm_connection_add(&ki->conn, &wdm_interrupts);
	wdm_interrupt_arm(ki);
	return STATUS_SUCCESS;
}

/*
 * Message based
 */

/*
 * Allocate the device's messages: MSI-X if allowed and present, else MSI.
 * Returns the number of vectors (> 0), 0 if the device has no message
 * capability it may use, or a negative errno if allocation failed.
 */
static int wdm_alloc_messages(PDEVICE_OBJECT pdo, bool *msix)
{
	static const struct {
		ULONG type;
		unsigned int flag;
	} kinds[] = {
		{ WDM_MESSAGE_MSIX, PCI_IRQ_MSIX },
		{ WDM_MESSAGE_MSI, PCI_IRQ_MSI },
	};
	struct pci_dev *pdev = pdo->PciDevice;
	int i, count, ret = 0;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (!(pdo->MessageTypes & kinds[i].type))
			continue;
		count = kinds[i].flag == PCI_IRQ_MSIX ? pci_msix_vec_count(pdev) :
							 pci_msi_vec_count(pdev);
		if (count <= 0)
			continue;
		if (pdo->MessageNumberLimit && count > pdo->MessageNumberLimit)
			count = pdo->MessageNumberLimit;
		ret = pci_alloc_irq_vectors(pdev, 1, count, kinds[i].flag);
		if (ret > 0) {
			*msix = kinds[i].flag == PCI_IRQ_MSIX;
			return ret;
		}
	}
	return ret;
}

static KAFFINITY wdm_irq_affinity(unsigned int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);
	const struct cpumask *m;

	if (!d)
		return 0;
	m = irq_data_get_effective_affinity_mask(d);
	if (cpumask_empty(m))
		m = irq_data_get_affinity_mask(d);
	return cpumask_bits(m)[0];
}

/* Describe message @i as it was programmed into the device. */
static void wdm_fill_message(IO_INTERRUPT_MESSAGE_INFO_ENTRY *e,
			     struct _KINTERRUPT *ki)
{
	struct msi_desc *desc = irq_get_msi_desc(ki->irq);

	e->InterruptObject = ki;
	e->Vector = ki->irq;
	e->Irql = ki->irql;
	e->Mode = Latched;
	e->Polarity = InterruptRisingEdge;	/* a message is an edge */
	e->TargetProcessorSet = wdm_irq_affinity(ki->irq);
	if (desc) {
		e->MessageAddress.QuadPart =
			(u64)desc->msg.address_hi << 32 | desc->msg.address_lo;
		/* Multi-message MSI: vector n sets the low bits of the data. */
		e->MessageData = desc->msg.data + (ki->irq - desc->irq);
	}
}

static void wdm_table_free(struct wdm_message_table *t, ULONG connected)
{
	t->magic = 0;
	while (connected--)
		wdm_interrupt_destroy(t->info.MessageInfo[connected].InterruptObject);
	pci_free_irq_vectors(t->pdev);
	kfree(t);
}

static NTSTATUS wdm_connect_table(IO_CONNECT_INTERRUPT_MESSAGE_BASED_PARAMETERS *p,
				  int nvec, bool msix, bool passive)
{
	struct pci_dev *pdev = p->PhysicalDeviceObject->PciDevice;
	struct wdm_connect_req req = {};
	struct wdm_message_table *t;
	struct _KINTERRUPT *ki;
	NTSTATUS status;
	char name[48];
	ULONG i;

	t = kzalloc(struct_size(t, info.MessageInfo, nvec), GFP_KERNEL);
	if (!t) {
		pci_free_irq_vectors(pdev);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	t->passive = passive;
	t->pdev = pdev;
	t->info.MessageCount = nvec;
	if (passive)
		t->info.UnifiedIrql = PASSIVE_LEVEL;
	else
		t->info.UnifiedIrql = max_t(KIRQL, WDM_DEVICE_IRQL,
					    p->SynchronizeIrql);

	req.name = name;
	req.misr = p->MessageServiceRoutine;
	req.context = p->ServiceContext;
	/*
	 * Without the caller's SpinLock each message's interrupt object has a
	 * lock of its own, as on Windows (see docs/windows-mapping.md): the
	 * ISRs of two messages run at once on two CPUs. With it, every
	 * message runs under that one lock.
	 */
	req.lock = p->SpinLock ? &p->SpinLock->rlock : NULL;
	req.passive = passive;
	req.version = passive ? CONNECT_MESSAGE_BASED_PASSIVE : CONNECT_MESSAGE_BASED;
	req.irql = passive ? PASSIVE_LEVEL : WDM_DEVICE_IRQL;
	req.sync_irql = t->info.UnifiedIrql;
	for (i = 0; i < nvec; i++) {
		snprintf(name, sizeof(name), "wdm-%s[%u](%s)",
			 msix ? "msix" : "msi", i, pci_name(pdev));
		req.irq = pci_irq_vector(pdev, i);
		req.message_id = i;
		status = wdm_interrupt_create(&req, &ki);
		if (!NT_SUCCESS(status)) {
			wdm_table_free(t, i);
			return status;
		}
		wdm_fill_message(&t->info.MessageInfo[i], ki);
	}

	t->magic = WDM_TABLE_MAGIC;
	*p->ConnectionContext.InterruptMessageTable = &t->info;
	wdm_connection_add(&t->conn, &wdm_tables);
	for (i = 0; i < nvec; i++)
		wdm_interrupt_arm(t->info.MessageInfo[i].InterruptObject);
	return STATUS_SUCCESS;
}

static NTSTATUS
wdm_connect_message_based(IO_CONNECT_INTERRUPT_MESSAGE_BASED_PARAMETERS *p,
			  ULONG *version)
{
	bool passive = *version == CONNECT_MESSAGE_BASED_PASSIVE;
	struct pci_dev *pdev = wdm_pdo_pci(p->PhysicalDeviceObject);
	bool msix = false;
	NTSTATUS status;
	int nvec;

	if (!pdev || !p->ConnectionContext.Generic || !p->MessageServiceRoutine)
		return STATUS_INVALID_PARAMETER;
	if (passive && (p->SpinLock || p->SynchronizeIrql != PASSIVE_LEVEL))
		return STATUS_INVALID_PARAMETER;
	/* A minimum: PASSIVE_LEVEL, what drivers almost always pass, is fine. */
	if (p->SynchronizeIrql > HIGH_LEVEL)
		return STATUS_INVALID_PARAMETER;
	if (pdev->msi_enabled || pdev->msix_enabled)
		return STATUS_INVALID_DEVICE_STATE;

	nvec = wdm_alloc_messages(p->PhysicalDeviceObject, &msix);
	if (nvec > 0)
		return wdm_connect_table(p, nvec, msix, passive);

	if (!p->FallBackServiceRoutine)
		return nvec ? wdm_errno_to_ntstatus(nvec) :
			      STATUS_INVALID_DEVICE_REQUEST;

	/* No messages: the line, with the fallback routine. */
	status = wdm_connect_line(p->PhysicalDeviceObject,
				  p->ConnectionContext.InterruptObject,
				  p->FallBackServiceRoutine, p->ServiceContext,
				  p->SpinLock, p->SynchronizeIrql, passive);
	if (NT_SUCCESS(status))
		*version = CONNECT_LINE_BASED;
	return status;
}

/*
 * The Ex entry points
 */

/**
 * IoConnectInterruptEx() - connect a driver's ISR(s)
 * @Parameters: Version and the matching member of the union
 *
 * CONNECT_FULLY_SPECIFIED(_GROUP): one ISR on a Linux IRQ number, with the
 * sharing, affinity and IRQLs the caller gives; passive-level only when
 * Irql and SynchronizeIrql are both PASSIVE_LEVEL. CONNECT_LINE_BASED: the
 * device's INTx line (always shareable, INTx enabled in the command
 * register). CONNECT_MESSAGE_BASED(_PASSIVE): every message of the device
 * (MSI-X, else MSI, as DEVICE_OBJECT allows) to one message ISR, all under
 * one spin lock, with the table written to
 * *ConnectionContext.InterruptMessageTable; with no messages and a
 * FallBackServiceRoutine, the line instead, and Version becomes
 * CONNECT_LINE_BASED. For line- and message-based connections
 * SynchronizeIrql is a minimum, as Microsoft documents: PASSIVE_LEVEL, what
 * drivers pass, gives an ISR at the device IRQL in hard-IRQ context; the
 * ISR is passive-level (a thread that may sleep) only on a line that nests
 * into another thread, or with CONNECT_MESSAGE_BASED_PASSIVE. The ISR is
 * not entered before this call has filled in its results, and every
 * connection holds a reference on wdm.ko until it is disconnected.
 *
 * Context: process context; may sleep.
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 for an unknown Version;
 * STATUS_INVALID_PARAMETER_10 for a ProcessorEnableMask with no online CPU
 * (as Microsoft documents both); STATUS_INVALID_PARAMETER for other bad
 * input (NULL pointers, SynchronizeIrql below Irql, a SpinLock for a
 * passive ISR);
 * STATUS_INVALID_DEVICE_REQUEST for a device without the interrupt asked
 * for; STATUS_INVALID_DEVICE_STATE if the device's messages are already in
 * use; STATUS_UNSUCCESSFUL (a reported driver bug) above PASSIVE_LEVEL;
 * else the status for the kernel's error. On failure nothing is connected.
 */
NTSTATUS IoConnectInterruptEx(PIO_CONNECT_INTERRUPT_PARAMETERS Parameters)
{
	IO_CONNECT_INTERRUPT_LINE_BASED_PARAMETERS *line;

	if (!Parameters)
		return STATUS_INVALID_PARAMETER;
	if (!wdm_connect_irql_ok(__func__, _RET_IP_))
		return STATUS_UNSUCCESSFUL;

	switch (Parameters->Version) {
	case CONNECT_FULLY_SPECIFIED:
	case CONNECT_FULLY_SPECIFIED_GROUP:
		if (!Parameters->FullySpecified.PhysicalDeviceObject)
			return STATUS_INVALID_PARAMETER;
		return wdm_connect_fully_specified(&Parameters->FullySpecified,
						   Parameters->Version);
	case CONNECT_LINE_BASED:
		line = &Parameters->LineBased;
		return wdm_connect_line(line->PhysicalDeviceObject,
					line->InterruptObject,
					line->ServiceRoutine,
					line->ServiceContext, line->SpinLock,
					line->SynchronizeIrql, false);
	case CONNECT_MESSAGE_BASED:
	case CONNECT_MESSAGE_BASED_PASSIVE:
		return wdm_connect_message_based(&Parameters->MessageBased,
						 &Parameters->Version);
	default:
		/* Microsoft: an invalid Version is STATUS_INVALID_PARAMETER_1. */
		return STATUS_INVALID_PARAMETER_1;
	}
}
EXPORT_SYMBOL_GPL(IoConnectInterruptEx);

static NTSTATUS wdm_disconnect_table(PIO_INTERRUPT_MESSAGE_INFO info,
				     ULONG version)
{
	bool passive = version == CONNECT_MESSAGE_BASED_PASSIVE;
	struct wdm_message_table *t = wdm_table_take(info, passive);

	if (!t)
		return STATUS_INVALID_PARAMETER;
	wdm_table_free(t, info->MessageCount);
	return STATUS_SUCCESS;
}

/**
 * IoDisconnectInterruptEx() - disconnect what IoConnectInterruptEx() connected
 * @Parameters: the Version IoConnectInterruptEx() returned, and its object
 *	or message table
 *
 * When it returns the ISR(s) are never entered again and every DPC they
 * queued has finished running, and the affinity ProcessorEnableMask gave the
 * line is put back. Unlike Windows, where it returns VOID, it reports bad
 * input.
 *
 * Context: process context; may sleep. Not from a DPC or ISR.
 * Return: STATUS_SUCCESS, or STATUS_INVALID_PARAMETER if @Parameters does
 * not name a connection of that Version (nothing is changed then).
 */
NTSTATUS IoDisconnectInterruptEx(PIO_DISCONNECT_INTERRUPT_PARAMETERS Parameters)
{
	struct _KINTERRUPT *ki;

	if (!Parameters)
		return STATUS_INVALID_PARAMETER;

	switch (Parameters->Version) {
	case CONNECT_FULLY_SPECIFIED:
	case CONNECT_FULLY_SPECIFIED_GROUP:
	case CONNECT_LINE_BASED:
		ki = wdm_interrupt_take(Parameters->ConnectionContext.InterruptObject,
					Parameters->Version);
		if (!ki)
			return STATUS_INVALID_PARAMETER;
		wdm_interrupt_destroy(ki);
		return STATUS_SUCCESS;
	case CONNECT_MESSAGE_BASED:
	case CONNECT_MESSAGE_BASED_PASSIVE:
		return wdm_disconnect_table(Parameters->ConnectionContext.InterruptMessageTable,
					    Parameters->Version);
	default:
		return STATUS_INVALID_PARAMETER;
	}
}
EXPORT_SYMBOL_GPL(IoDisconnectInterruptEx);

/**
 * IoDisconnectInterrupt() - disconnect what IoConnectInterrupt() connected
 * @InterruptObject: the object IoConnectInterrupt() returned
 *
 * Context: process context; may sleep. Not from a DPC or ISR.
 */
void IoDisconnectInterrupt(PKINTERRUPT InterruptObject)
{
	IO_DISCONNECT_INTERRUPT_PARAMETERS p = {
		.Version = CONNECT_FULLY_SPECIFIED,
		.ConnectionContext.InterruptObject = InterruptObject,
	};

	if (!NT_SUCCESS(IoDisconnectInterruptEx(&p)))
		pr_err("%s(%p) from %pS: not an interrupt object from IoConnectInterrupt()\n",
		       __func__, InterruptObject, (void *)_RET_IP_);
}
EXPORT_SYMBOL_GPL(IoDisconnectInterrupt);

/*
 * Active and inactive
 */

/* Make every interrupt object of @p's connection (in)active. */
static void wdm_report_active_state(PIO_REPORT_INTERRUPT_ACTIVE_STATE_PARAMETERS p,
				    bool active, unsigned long caller)
{
	const char *what = active ? "IoReportInterruptActive" :
				    "IoReportInterruptInactive";
	struct wdm_message_table *t;
	KIRQL irql = KeGetCurrentIrql();
	struct _KINTERRUPT *ki;
	bool passive;
	ULONG i;

	/* Above DISPATCH_LEVEL, maybe under the interrupt's own lock. */
	if (irql > DISPATCH_LEVEL) {
		wdm_report_bug(caller, "%s() at IRQL %u", what, irql);
		return;
	}
	if (!p || !p->ConnectionContext.Generic) {
		wdm_report_bug(caller, "%s() without a connection context", what);
		return;
	}
	switch (p->Version) {
	case CONNECT_FULLY_SPECIFIED:
	case CONNECT_FULLY_SPECIFIED_GROUP:
	case CONNECT_LINE_BASED:
		ki = p->ConnectionContext.InterruptObject;
		if (!wdm_interrupt_valid(ki) || ki->version != p->Version)
			break;
		wdm_interrupt_set_active(ki, active);
		return;
	case CONNECT_MESSAGE_BASED:
	case CONNECT_MESSAGE_BASED_PASSIVE:
		/*
		 * An interrupt object for a table, the likely mix-up: its magic
		 * is never a table's first word (UnifiedIrql, at most 31).
		 */
		if (wdm_interrupt_valid(p->ConnectionContext.InterruptObject))
			break;
		t = container_of(p->ConnectionContext.InterruptMessageTable,
				 struct wdm_message_table, info);
		passive = p->Version == CONNECT_MESSAGE_BASED_PASSIVE;
		if (t->magic != WDM_TABLE_MAGIC || t->passive != passive)
			break;
		for (i = 0; i < t->info.MessageCount; i++)
			wdm_interrupt_set_active(t->info.MessageInfo[i].InterruptObject,
						 active);
		return;
	}
	wdm_report_bug(caller, "%s(Version %u, %p): not a connection of that Version",
		       what, p->Version, p->ConnectionContext.Generic);
}

/**
 * IoReportInterruptActive() - let a connection's ISR be called again
 * @Parameters: the Version IoConnectInterruptEx() returned and the
 *	connection context it gave: the interrupt object, or for
 *	CONNECT_MESSAGE_BASED(_PASSIVE) the message table
 *
 * Undoes IoReportInterruptInactive(); a connection is active from its
 * connect on, and reporting it active again changes nothing. An interrupt
 * an exclusive IRQ (a message, or a fully specified connection without
 * ShareVector) raised while inactive is delivered to the ISR now, once.
 * A Version or context that names no connection is a driver bug: reported,
 * nothing changes.
 *
 * Context: IRQL <= DISPATCH_LEVEL, not under the connection's interrupt
 * spin lock.
 */
void IoReportInterruptActive(PIO_REPORT_INTERRUPT_ACTIVE_STATE_PARAMETERS Parameters)
{
	wdm_report_active_state(Parameters, true, _RET_IP_);
}
EXPORT_SYMBOL_GPL(IoReportInterruptActive);

/**
 * IoReportInterruptInactive() - stop calling a connection's ISR
 * @Parameters: as for IoReportInterruptActive()
 *
 * A "soft disconnect" that keeps the registration: the ISR is not called
 * until IoReportInterruptActive(). An exclusive IRQ is disabled
 * (disable_irq_nosync()), so genirq holds what the device raises meanwhile
 * for delivery when the connection is active again. A shared line stays
 * enabled, as disabling it would stop the other devices on it: their ISRs
 * are still called, this one is skipped (and what the device raises
 * meanwhile is not kept, as Microsoft warns for shared level-triggered
 * lines). A nested line is treated the same way. When this returns, a
 * DIRQL ISR of the connection is not running on another CPU; a
 * passive-level ISR already running is not waited for. Reporting it
 * inactive again changes nothing, and one IoReportInterruptActive() undoes
 * any number of these. IoDisconnectInterruptEx() may be called in either
 * state.
 *
 * Context: IRQL <= DISPATCH_LEVEL, not under the connection's interrupt
 * spin lock.
 */
void IoReportInterruptInactive(PIO_REPORT_INTERRUPT_ACTIVE_STATE_PARAMETERS Parameters)
{
	wdm_report_active_state(Parameters, false, _RET_IP_);
}
EXPORT_SYMBOL_GPL(IoReportInterruptInactive);
