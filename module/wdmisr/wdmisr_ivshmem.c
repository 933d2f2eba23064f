// SPDX-License-Identifier: GPL-2.0
/*
 * The ivshmem-doorbell personality (1af4:1110): the consumer side of the
 * shared-memory data device (docs/DEVICE-SPEC.md, version 1). Ring k is
 * signalled on MSI-X message k; its ISR drains every record published so far
 * into the event queue, validating each, and stops early when the queue is
 * full. The records left wait in the ring (the producer waits for room), and
 * the reader resumes the drain when it makes room, through
 * KeSynchronizeExecution().
 *
 * Interrupts stay off while the lock is held, so no hold drains more than
 * WDMISR_DRAIN_BATCH records: the ISR takes one batch and leaves the rest to
 * its DPC, which drains batch after batch, taking the lock for each, up to
 * one event queue's worth.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/io.h>
#include <linux/log2.h>
#include <linux/pci.h>

#include <hw/ivshmem.h>

#include "wdmisr.h"
#include "wdmisr_compat.h"

/* BAR2: the shared-memory header */
#define SHM_MAGIC		0x514d4457	/* "WDMQ" */
#define SHM_VERSION		1
#define SHM_RECORD_SIZE		64
#define SHM_SLOTS_MIN		16
#define SHM_SLOTS_MAX		65536
#define SHM_RING_ALIGN		4096

/* Most records moved per hold of the interrupt lock. */
#define WDMISR_DRAIN_BATCH	64

struct shm_header {
	__le32 magic;
	__le32 version;
	__le32 nrings;
	__le32 slots;
	__le32 record_size;
	__le32 ring_offset;
	__le32 ring_stride;
	__le32 ready;
	u8 reserved[32];
};

/* A ring: head and tail on their own cache lines, then the slots. */
#define RING_HEAD		0x00
#define RING_TAIL		0x40
#define RING_SLOTS		0x100

struct shm_record {
	__le32 seq;
	__le16 len;
	__le16 flags;
	__le64 stamp;
	__le32 crc;
	__le32 reserved;
	u8 payload[WDMISR_DATA_MAX];
};

static_assert(sizeof(struct shm_header) == 64);
static_assert(sizeof(struct shm_record) == SHM_RECORD_SIZE);

static int wdmisr_ivshmem_setup(struct wdmisr_dev *wd)
{
	struct pci_dev *pdev = wd->pdev;
	resource_size_t start = pci_resource_start(pdev, 2);
	resource_size_t len = pci_resource_len(pdev, 2);
	void __iomem *regs = wdmisr_iomap_bar(pdev, 0, "wdmisr");
	u32 magic;

	if (IS_ERR(regs))
		return PTR_ERR(regs);
	wd->regs = regs;

	if (len < SHM_RING_ALIGN) {
		pci_err(pdev, "ivshmem: BAR2 is %pa bytes; the data device needs at least 4 KiB\n",
			&len);
		return -ENODEV;
	}
	if (!devm_request_mem_region(&pdev->dev, start, len, "wdmisr-shm"))
		return -EBUSY;
	/* Shared memory, not registers: map it cacheable. */
	wd->shm.base = devm_memremap(&pdev->dev, start, len, MEMREMAP_WB);
	if (IS_ERR(wd->shm.base))
		return PTR_ERR(wd->shm.base);
	wd->shm.size = len;

	/*
	 * Any guest may have ivshmem devices for other purposes: bind only to
	 * a data device (the producer wrote the magic before anything else),
	 * or to one given to this driver by hand with driver_override.
	 */
	magic = le32_to_cpu(READ_ONCE(((struct shm_header *)wd->shm.base)->magic));
	if (magic != SHM_MAGIC && !wd->by_hand) {
		pci_info(pdev, "ivshmem: not a wdmisr data device (magic 0x%08x, not 0x%08x): not binding; bind it by hand with driver_override\n",
			 magic, SHM_MAGIC);
		return -ENODEV;
	}

	/* Only the INTx fallback uses these; MSI-X ignores them. */
	iowrite32(~0U, wd->regs + IVSHMEM_REG_INTR_MASK);
	return 0;
}

static void wdmisr_shm_report(struct wdmisr_dev *wd, const char *field, u32 value)
{
	pci_err(wd->pdev, "ivshmem: shared-memory header is ready but invalid: %s = %u (0x%x); the rings will not be touched\n",
		field, value, value);
}

/*
 * Check the header once it is ready. An invalid one is reported once and the
 * rings are never touched. Under the interrupt lock.
 */
static bool wdmisr_shm_check(struct wdmisr_dev *wd)
{
	struct wdmisr_shm *s = &wd->shm;
	const struct shm_header *h = s->base;
	u32 magic, version, record_size, nrings, slots, offset, stride;
	unsigned int k;

	if (s->checked)
		return s->valid;
	if (le32_to_cpu(READ_ONCE(h->ready)) != 1)
		return false;
	/* ready is written last: read the rest after it. */
	smp_rmb();
	magic = le32_to_cpu(READ_ONCE(h->magic));
	version = le32_to_cpu(READ_ONCE(h->version));
	record_size = le32_to_cpu(READ_ONCE(h->record_size));
	nrings = le32_to_cpu(READ_ONCE(h->nrings));
	slots = le32_to_cpu(READ_ONCE(h->slots));
	offset = le32_to_cpu(READ_ONCE(h->ring_offset));
	stride = le32_to_cpu(READ_ONCE(h->ring_stride));
	s->checked = true;

	if (magic != SHM_MAGIC)
		wdmisr_shm_report(wd, "magic", magic);
	else if (version != SHM_VERSION)
		wdmisr_shm_report(wd, "version", version);
	else if (record_size != SHM_RECORD_SIZE)
		wdmisr_shm_report(wd, "record_size", record_size);
	else if (slots < SHM_SLOTS_MIN || slots > SHM_SLOTS_MAX ||
		 !is_power_of_2(slots))
		wdmisr_shm_report(wd, "slots", slots);
	else if (nrings < 1 || nrings > wd->nvectors)
		wdmisr_shm_report(wd, "nrings", nrings);
	else if (offset < sizeof(*h) || offset % SHM_RECORD_SIZE ||
		 offset >= s->size)
		wdmisr_shm_report(wd, "ring_offset", offset);
	/* Ring 0 starts inside BAR2: rings that do not fit are the stride's. */
	else if (stride % SHM_RING_ALIGN ||
		 stride < RING_SLOTS + slots * SHM_RECORD_SIZE ||
		 (u64)offset + (u64)nrings * stride > s->size)
		wdmisr_shm_report(wd, "ring_stride", stride);
	else
		s->valid = true;
	if (!s->valid)
		return false;

	s->nrings = nrings;
	s->slots = slots;
	s->ring_offset = offset;
	s->ring_stride = stride;
	/* Pick up where an earlier consumer stopped. */
	for (k = 0; k < nrings; k++)
		wd->vec[k].tail = le32_to_cpu(READ_ONCE(*(__le32 *)(s->base + offset +
						(size_t)k * stride + RING_TAIL)));
	return true;
}

/* Turn one record, copied out of the ring, into an event. */
static void wdmisr_record_event(struct wdmisr_vector *v,
				const struct shm_record *r, u32 index, u64 now)
{
	struct wdmisr_event ev = {
		.ts_ns = now,
		.src_seq = index,
		.src_stamp = le64_to_cpu(r->stamp),
	};
	u16 len = le16_to_cpu(r->len);

	if (le32_to_cpu(r->seq) != index)
		ev.flags |= WDMISR_EV_BAD_SEQ;
	if (len > WDMISR_DATA_MAX)
		ev.flags |= WDMISR_EV_BAD_LEN;
	else if ((crc32_le(~0, r->payload, len) ^ ~0) != le32_to_cpu(r->crc))
		ev.flags |= WDMISR_EV_BAD_CRC;

	if (ev.flags) {
		ev.flags |= WDMISR_EV_MALFORMED;
		v->stats.malformed++;
	} else {
		ev.len = len;
		memcpy(ev.data, r->payload, len);
	}
	wdmisr_queue_event(v, &ev);
}

/*
 * wdmisr_ring_drain() - move the records waiting in ring @v->index to the
 * event queue, at most one batch
 *
 * Stops early when the queue is full, marking the vector stalled, or after
 * WDMISR_DRAIN_BATCH records, marking it more.
 *
 * Context: under the interrupt lock (the ISR, or KeSynchronizeExecution()).
 * Return: the number of events queued.
 */
static unsigned int wdmisr_ring_drain(struct wdmisr_dev *wd,
				      struct wdmisr_vector *v)
{
	struct wdmisr_shm *s = &wd->shm;
	struct wdmisr_event ev = {};
	struct shm_record rec;
	unsigned int n = 0;
	u32 head, tail;
	__le32 *tailp;
	void *ring;
	u64 now;

	v->stalled = false;
	v->more = false;
	if (!s->enabled || !wdmisr_shm_check(wd) || v->index >= s->nrings)
		return 0;

	ring = s->base + s->ring_offset + (size_t)v->index * s->ring_stride;
	tailp = ring + RING_TAIL;
	head = le32_to_cpu(READ_ONCE(*(__le32 *)(ring + RING_HEAD)));
	/* Read the records only after head. */
	smp_rmb();
	now = ktime_get_ns();
	tail = v->tail;

	if (head - tail > s->slots) {
		if (wdmisr_ring_full(wd))
			goto stalled;
		/* Corrupt: one malformed event, and start again from head. */
		ev.ts_ns = now;
		ev.src_seq = tail;
		ev.flags = WDMISR_EV_MALFORMED | WDMISR_EV_RING_CORRUPT;
		v->stats.malformed++;
		wdmisr_queue_event(v, &ev);
		tail = head;
		n = 1;
	}
	for (; tail != head; tail++, n++) {
		if (n == WDMISR_DRAIN_BATCH) {
			v->more = true;
			break;
		}
		if (wdmisr_ring_full(wd))
			goto stalled;
		memcpy(&rec, ring + RING_SLOTS +
		       (size_t)(tail & (s->slots - 1)) * SHM_RECORD_SIZE,
		       sizeof(rec));
		wdmisr_record_event(v, &rec, tail, now);
	}
	goto publish;

stalled:
	v->stalled = true;
publish:
	if (tail != v->tail) {
		v->tail = tail;
		/* The records are copied out: give their slots back. */
		smp_store_release(tailp, cpu_to_le32(tail));
	}
	return n;
}

static KMESSAGE_SERVICE_ROUTINE wdmisr_ivshmem_message_isr;

_Use_decl_annotations_
static BOOLEAN wdmisr_ivshmem_message_isr(struct _KINTERRUPT *Interrupt,
					  PVOID ServiceContext, ULONG MessageID)
{
	struct wdmisr_dev *wd = ServiceContext;
	struct wdmisr_vector *v = &wd->vec[MessageID];

	v->stats.interrupts++;
	/* An MSI-X message is never shared: it is always ours. */
	v->stats.isr_true++;
	if (wdmisr_ring_drain(wd, v))
		wdmisr_request_dpc(v, Interrupt);
	return TRUE;
}

static KSERVICE_ROUTINE wdmisr_ivshmem_isr;

_Use_decl_annotations_
static BOOLEAN wdmisr_ivshmem_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct wdmisr_dev *wd = ServiceContext;
	struct wdmisr_vector *v = &wd->vec[0];
	u32 status;

	v->stats.interrupts++;
	/* Reading IntrStatus clears it. */
	status = ioread32(wd->regs + IVSHMEM_REG_INTR_STATUS);
	if (!status || status == ~0U) {
		v->stats.isr_false++;
		return FALSE;
	}
	v->stats.isr_true++;
	if (wdmisr_ring_drain(wd, v))
		wdmisr_request_dpc(v, Interrupt);
	return TRUE;
}

static KSYNCHRONIZE_ROUTINE wdmisr_ivshmem_sync_drain;

_Use_decl_annotations_
static BOOLEAN wdmisr_ivshmem_sync_drain(PVOID SynchronizeContext)
{
	struct wdmisr_vector *v = SynchronizeContext;
	struct wdmisr_dev *wd = v->wd;

	/*
	 * The first call for each ring (from probe) drains it: records may
	 * have waited there since before the driver connected, their signals
	 * lost. Later calls drain a ring that stopped early; stalled is read
	 * here, under the lock the ISR sets it under, so a stall that races
	 * with the reader is not missed.
	 */
	if (v->started && !v->stalled && !v->more)
		return FALSE;
	v->started = true;
	/* From now on the ISRs drain too: the connect is complete. */
	wd->shm.enabled = true;
	wdmisr_ring_drain(wd, v);
	/* TRUE: one more batch waits. */
	return v->more;
}

/*
 * Drain ring @v->index a batch per hold of the interrupt lock, as long as
 * one more batch waits, but never past one event queue's worth: the reader
 * may be emptying the queue meanwhile, and its next read() resumes the rest.
 */
static void wdmisr_ivshmem_drain(struct wdmisr_vector *v)
{
	unsigned int batches = v->wd->ring_size / WDMISR_DRAIN_BATCH + 1;

	while (batches-- &&
	       KeSynchronizeExecution(v->intr, wdmisr_ivshmem_sync_drain, v))
		;
}

/*
 * Drain what waits in the rings: at the end of probe (records published
 * before the driver was there), and when the reader made room for a
 * stalled one. Moving a tail gives the records up for good, so probe calls
 * this only once nothing can fail any more.
 */
static void wdmisr_ivshmem_resume(struct wdmisr_dev *wd)
{
	unsigned int k;

	lockdep_assert_held(&wd->lock);
	for (k = 0; k < wd->nvectors; k++)
		wdmisr_ivshmem_drain(&wd->vec[k]);
}

/* The ISR stopped after one batch: drain the rest. */
static void wdmisr_ivshmem_dpc(struct wdmisr_vector *v, PKINTERRUPT intr)
{
	wdmisr_ivshmem_drain(v);
}

static int wdmisr_ivshmem_trigger(struct wdmisr_dev *wd,
				  const struct wdmisr_trigger *t)
{
	u32 self;

	if (t->vector >= wd->nvectors)
		return -EINVAL;
	self = ioread32(wd->regs + IVSHMEM_REG_IV_POSITION);
	iowrite32(IVSHMEM_DOORBELL(self, t->vector), wd->regs + IVSHMEM_REG_DOORBELL);
	return 0;
}

const struct wdmisr_personality wdmisr_ivshmem = {
	.name = "ivshmem",
	.id = WDMISR_PERS_IVSHMEM,
	.setup = wdmisr_ivshmem_setup,
	.line_isr = wdmisr_ivshmem_isr,
	.message_isr = wdmisr_ivshmem_message_isr,
	.dpc = wdmisr_ivshmem_dpc,
	.trigger = wdmisr_ivshmem_trigger,
	.resume = wdmisr_ivshmem_resume,
};
