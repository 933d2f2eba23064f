/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmisr.ko internals: the per-device state shared by the PCI glue, the
 * device personalities (edu, ivshmem, generic) and the character device.
 */
#ifndef _WDMISR_H
#define _WDMISR_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/wait.h>
#include <uapi/wdmisr.h>
#include <wdm.h>

struct wdmisr_dev;

/* One interrupt message (or the line, as message 0). */
struct wdmisr_vector {
	struct wdmisr_dev *wd;
	unsigned int index;
	PKINTERRUPT intr;		/* the interrupt object it arrives on */
	KDPC dpc;			/* wakes the reader */
	/* under the interrupt lock */
	struct wdmisr_vector_stats stats;
	u32 tail;			/* ivshmem: records consumed from ring */
	bool stalled;			/* ivshmem: stopped early, queue full */
	bool more;			/* ivshmem: stopped after a batch */
	bool started;			/* ivshmem: drained once after connect */
	bool intx_masked;		/* generic: the ISR masked INTx */
	bool intx_off;			/* generic: quiesced, INTx masked for good */
};

/* A device personality: how its ISR services the hardware. */
struct wdmisr_personality {
	const char *name;
	u32 id;				/* WDMISR_PERS_* */
	int (*setup)(struct wdmisr_dev *wd);
	/* ISRs; the ServiceContext of both is the struct wdmisr_dev */
	KSERVICE_ROUTINE *line_isr;
	KMESSAGE_SERVICE_ROUTINE *message_isr;
	/* optional: extra work in the DPC, before the reader is woken */
	void (*dpc)(struct wdmisr_vector *v, PKINTERRUPT intr);
	/* raise an interrupt for WDMISR_IOC_TRIGGER */
	int (*trigger)(struct wdmisr_dev *wd, const struct wdmisr_trigger *t);
	/*
	 * reader made room in the queue, or probe is done: resume what
	 * stopped early (or never started). Called with wd->lock held.
	 */
	void (*resume)(struct wdmisr_dev *wd);
	/*
	 * the driver is about to disconnect, at remove or when a probe fails
	 * after connecting: quiet the device, for good
	 */
	void (*quiesce)(struct wdmisr_dev *wd);
};

/* ivshmem shared memory; all but base and size under the interrupt lock */
struct wdmisr_shm {
	void *base;			/* BAR2, mapped write-back */
	size_t size;
	bool enabled;			/* connect done: ISRs may drain */
	bool checked;			/* header seen ready and checked */
	bool valid;			/* ... and it was valid */
	u32 nrings;
	u32 slots;
	u32 ring_offset;
	u32 ring_stride;
};

struct wdmisr_dev {
	struct device dev;		/* /dev/wdmisrN; holds the last reference */
	struct cdev cdev;
	struct dentry *debugfs;		/* wdmisr/wdmisrN/ in debugfs */
	struct pci_dev *pdev;
	const struct wdmisr_personality *pers;
	bool by_hand;			/* bound with driver_override */
	DEVICE_OBJECT devobj;
	void __iomem *regs;		/* BAR0 */
	struct wdmisr_shm shm;		/* ivshmem only */
	int minor;
	bool no_line;			/* INTx unusable: never connect the line */

	/* interrupts, as IoConnectInterruptEx() gave them */
	ULONG connect_version;		/* CONNECT_LINE_BASED or _MESSAGE_BASED */
	u32 irq_mode;			/* WDMISR_IRQ_* */
	union {				/* the ConnectionContext, by Version */
		PVOID generic;
		PKINTERRUPT line;
		PIO_INTERRUPT_MESSAGE_INFO messages;
	} conn;
	unsigned int nvectors;
	struct wdmisr_vector vec[WDMISR_MAX_VECTORS];
	/*
	 * The interrupt spin lock every message's ISR runs under: they share
	 * one event queue. Passed as MessageBased.SpinLock, since without it
	 * each message would have a lock of its own.
	 */
	KSPIN_LOCK intr_lock;

	/*
	 * The event queue: a ring in one vmalloc_user() area, a header page
	 * (the indices) then the records, that the reader may also map
	 * (include/uapi/wdmisr.h). The ISRs write records and head under the
	 * interrupt lock; the consumer, read() under read_lock or the reader
	 * through the mapping, writes ring->tail. Nothing the mapping can
	 * write is trusted: head is the driver's own, ring->head only a copy.
	 */
	struct wdmisr_ring_header *ring;
	struct wdmisr_event *records;	/* right after the header page */
	u32 ring_size;			/* records, a power of two */
	u32 head;			/* producer index */
	u32 resume_tail;		/* under lock: ring->tail at the last resume */
	/*
	 * One read() at a time takes records out of the queue, copying them
	 * straight to its buffer, and may wait in a page fault of that buffer
	 * while it holds read_lock: nothing remove() needs waits for read_lock.
	 */
	struct mutex read_lock;
	u64 next_seq;			/* under the interrupt lock */
	u64 dropped;			/* under the interrupt lock */

	/*
	 * Protects reader and gone, and keeps remove out of read/ioctl while
	 * they use the hardware. Never held across a copy from or to
	 * userspace: remove() takes it, and a copy may wait on a page fault
	 * as long as userspace likes.
	 */
	struct mutex lock;
	struct file *reader;		/* the one open file that reads */
	/*
	 * Device removed: no hardware access. Written under lock by remove;
	 * read under lock, except by read()'s wait condition (READ_ONCE),
	 * which only decides when to look again under the lock.
	 */
	bool gone;
	wait_queue_head_t wait;		/* readers and pollers */
};

/*
 * Records in the ring: more than ring_size when the consumer index the
 * reader's mapping wrote is out of range.
 */
static inline u32 wdmisr_ring_used(struct wdmisr_dev *wd)
{
	return READ_ONCE(wd->head) - READ_ONCE(wd->ring->tail);
}

/* No room for one more record. Under the interrupt lock: the producer. */
static inline bool wdmisr_ring_full(struct wdmisr_dev *wd)
{
	/* Acquire: the consumer's reads of a slot before it is written over. */
	return wd->head - smp_load_acquire(&wd->ring->tail) >= wd->ring_size;
}

static inline PKINTERRUPT wdmisr_intr(struct wdmisr_dev *wd, unsigned int k)
{
	return wd->vec[k].intr;
}

/* irq_mode=auto: MSI-X, else MSI, else the line. Never granted. */
#define WDMISR_IRQ_AUTO		0

extern const struct wdmisr_personality wdmisr_edu;
extern const struct wdmisr_personality wdmisr_ivshmem;
extern const struct wdmisr_personality wdmisr_generic;

const char *wdmisr_irq_mode_name(u32 mode);
const char *wdmisr_connect_name(ULONG version);
void wdmisr_queue_event(struct wdmisr_vector *v, struct wdmisr_event *ev);
void wdmisr_request_dpc(struct wdmisr_vector *v, PKINTERRUPT intr);

int wdmisr_cdev_init(void);
void wdmisr_cdev_exit(void);
int wdmisr_cdev_add(struct wdmisr_dev *wd);
void wdmisr_cdev_del(struct wdmisr_dev *wd);
void wdmisr_cdev_free_minor(struct wdmisr_dev *wd);

#endif /* _WDMISR_H */
