/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * wdmisr character device ABI: the records read() returns from
 * /dev/wdmisrN and the ioctls on it. Shared by the driver and userspace.
 *
 * read() returns whole struct wdmisr_event records, as many as fit in the
 * buffer and are queued; a buffer smaller than one record gets EINVAL.
 * With nothing queued it waits (interruptibly), or fails with EAGAIN under
 * O_NONBLOCK (also while another thread is in read() on the same file).
 * poll() reports POLLIN while records are queued. A buffer that faults
 * part way gets the whole records copied before the fault; the record the
 * fault hit, and every one after it, stay queued, first, for the next
 * read(); if the first record faulted, read() gets EFAULT. No record is
 * lost to a fault.
 *
 * One open file reads at a time: the first open for reading that calls
 * read() or poll() owns the queue until it is closed. read() from any
 * other gets EBUSY and poll() reports POLLERR alone. A file opened
 * without read access (O_WRONLY) never owns the queue: its poll() reports
 * nothing while the device is there (no POLLIN: it cannot read what is
 * queued), and POLLHUP|POLLERR once it is gone. The ioctls work on every
 * open file.
 *
 * When the device goes away (unbind, rmmod), the records still queued can
 * be read; after them read() gets ENODEV, poll() reports POLLHUP|POLLERR
 * and every ioctl gets ENODEV.
 *
 * The queue is a ring the reader can also map (WDMISR_INFO_RING, struct
 * wdmisr_ring_header below) and take the records from in place, without a
 * system call or a copy per batch. read() and the mapping are two ways
 * into the same ring: read() works while it is mapped, and takes records
 * from where the consumer index stands.
 */
#ifndef _UAPI_WDMISR_H
#define _UAPI_WDMISR_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define WDMISR_ABI_VERSION	1

/* Largest payload one event carries (the device record payload size). */
#define WDMISR_DATA_MAX		40
/* Most interrupt messages (MSI-X vectors) one device can use. */
#define WDMISR_MAX_VECTORS	64

/* struct wdmisr_event.flags */
#define WDMISR_EV_MALFORMED	0x0001	/* device record failed validation */
#define WDMISR_EV_BAD_SEQ	0x0002	/* record seq != its index in the ring */
#define WDMISR_EV_BAD_LEN	0x0004	/* record len > WDMISR_DATA_MAX */
#define WDMISR_EV_BAD_CRC	0x0008	/* CRC-32 of the payload did not match */
#define WDMISR_EV_RING_CORRUPT	0x0010	/* head - tail > slots; tail was reset */

/**
 * struct wdmisr_event - one record as read() returns it
 * @seq:	per-device sequence number, from 0; a gap means events were lost
 * @ts_ns:	ktime_get_ns() taken in the ISR
 * @dropped:	events lost before this one on this device, cumulative
 * @src_stamp:	the device record's stamp, passed through (0 for edu/generic)
 * @msg:	MessageID the event came in on (0 for a line interrupt)
 * @src_seq:	the device record's seq (ivshmem), or 0
 * @len:	valid bytes in @data
 * @flags:	WDMISR_EV_* bits
 * @reserved:	0
 * @data:	payload; bytes past @len are 0
 *
 * Every field is written by the driver; there is no uninitialised padding.
 */
struct wdmisr_event {
	__u64 seq;
	__u64 ts_ns;
	__u64 dropped;
	__u64 src_stamp;
	__u32 msg;
	__u32 src_seq;
	__u16 len;
	__u16 flags;
	__u32 reserved;
	__u8 data[WDMISR_DATA_MAX];
};

/* struct wdmisr_info.personality */
#define WDMISR_PERS_GENERIC	0
#define WDMISR_PERS_EDU		1
#define WDMISR_PERS_IVSHMEM	2

/* struct wdmisr_info.connect_version: the Version IoConnectInterruptEx wrote */
#define WDMISR_CONNECT_LINE_BASED	2
#define WDMISR_CONNECT_MESSAGE_BASED	3

/* struct wdmisr_info.irq_mode: what was granted */
#define WDMISR_IRQ_INTX		1
#define WDMISR_IRQ_MSI		2
#define WDMISR_IRQ_MSIX		3

/* struct wdmisr_info.flags */
#define WDMISR_INFO_RING	0x0001	/* the queue can be mapped: WDMISR_RING_* */

/**
 * struct wdmisr_info - WDMISR_IOC_INFO
 * @abi_version:	WDMISR_ABI_VERSION
 * @personality:	WDMISR_PERS_*
 * @irq_mode:		WDMISR_IRQ_* granted
 * @connect_version:	WDMISR_CONNECT_*: the Version IoConnectInterruptEx()
 *			wrote back
 * @nvectors:		interrupt messages connected (1 for a line)
 * @queue_len:		event queue capacity, in records
 * @record_size:	sizeof(struct wdmisr_event)
 * @vendor:		PCI vendor ID
 * @device:		PCI device ID
 * @flags:		WDMISR_INFO_* (0 before the event ring existed)
 * @bdf:		PCI address, "dddd:bb:dd.f", NUL-terminated
 */
struct wdmisr_info {
	__u32 abi_version;
	__u32 personality;
	__u32 irq_mode;
	__u32 connect_version;
	__u32 nvectors;
	__u32 queue_len;
	__u32 record_size;
	__u16 vendor;
	__u16 device;
	__u32 flags;
	char bdf[20];
};

/**
 * struct wdmisr_vector_stats - counters of one interrupt message
 * @interrupts:	ISR calls
 * @isr_true:	calls that returned TRUE
 * @isr_false:	calls that returned FALSE (not this device's interrupt)
 * @dpc_queued:	DPC requests that queued the DPC (not already queued)
 * @dpc_run:	DPC routine runs
 * @events:	events queued for the reader
 * @dropped:	events lost because the queue was full
 * @malformed:	device records that failed validation
 */
struct wdmisr_vector_stats {
	__u64 interrupts;
	__u64 isr_true;
	__u64 isr_false;
	__u64 dpc_queued;
	__u64 dpc_run;
	__u64 events;
	__u64 dropped;
	__u64 malformed;
};

/**
 * struct wdmisr_stats - WDMISR_IOC_STATS
 * @nvectors:	entries of @v that are in use
 * @reserved:	0
 * @v:		per-message counters, index = MessageID
 */
struct wdmisr_stats {
	__u32 nvectors;
	__u32 reserved;
	struct wdmisr_vector_stats v[WDMISR_MAX_VECTORS];
};

/**
 * struct wdmisr_trigger - WDMISR_IOC_TRIGGER
 * @vector:	MessageID to raise: ivshmem rings its own doorbell for that
 *		vector; edu has only 0
 * @value:	edu: the bits to raise in its status (non-zero); ignored by
 *		ivshmem
 *
 * EINVAL for a vector the device does not have or a zero edu value,
 * EOPNOTSUPP for a device that cannot raise its own interrupt (generic).
 */
struct wdmisr_trigger {
	__u32 vector;
	__u32 value;
};

/*
 * The event ring, version WDMISR_RING_VERSION: the queue read() takes
 * records from, mapped into the reader. Two mmap() calls, both MAP_SHARED,
 * each of exactly one part:
 *
 *   offset WDMISR_RING_HEADER_OFFSET, length one page: struct
 *   wdmisr_ring_header; PROT_READ | PROT_WRITE (the consumer index is
 *   written here), which needs the node open O_RDWR;
 *
 *   offset @records_offset, length @records_len (both in the header): the
 *   records, an array of @nrecords struct wdmisr_event; PROT_READ only,
 *   never writable (EACCES).
 *
 * Any other offset or length gets EINVAL, as does a private mapping; a
 * file not open for reading gets EACCES; a file that is not the reader
 * gets EBUSY: mapping claims the queue as read() does. Neither mapping
 * grows (mremap()). They stay valid after close() and after the device is
 * gone: they hold the ring until they are unmapped.
 *
 * @head and @tail count records from 0 and wrap at 2^32; record i is
 * records[i % nrecords]. The ring holds head - tail records, from index
 * tail. The driver writes a record, then @head, with release semantics;
 * the reader loads @head with acquire semantics (__atomic_load_n(...,
 * __ATOMIC_ACQUIRE)), uses records tail to head - 1 in place, and then
 * stores the new @tail with release semantics: the slots are the driver's
 * again once @tail has passed them. A full ring loses the event exactly as
 * read() sees it: a gap in seq and a larger dropped. After taking records
 * with @tail, call poll() (it returns at once while records wait): a
 * device that stopped for room (ivshmem) resumes there, or at the next
 * read(). The driver trusts nothing in the header page: a @tail outside
 * head - nrecords .. head makes the driver treat the ring as full (events
 * are lost, counted) and read() fail with EIO until it is back in range;
 * the next reader finds it reset to head (the ring empty).
 */
#define WDMISR_RING_VERSION		1
#define WDMISR_RING_HEADER_OFFSET	0

/**
 * struct wdmisr_ring_header - the first page of the mapped event ring
 * @version:		WDMISR_RING_VERSION
 * @flags:		0
 * @record_size:	sizeof(struct wdmisr_event)
 * @nrecords:		ring capacity in records, a power of two (the
 *			queue_len module parameter)
 * @records_offset:	mmap() offset of the records (one page)
 * @records_len:	mmap() length of the records, whole pages
 * @reserved:		0
 * @head:		producer index, written by the driver
 * @pad_head:		0: @head has its cache line to itself
 * @tail:		consumer index, written by the reader
 * @pad_tail:		0
 */
struct wdmisr_ring_header {
	__u32 version;
	__u32 flags;
	__u32 record_size;
	__u32 nrecords;
	__u64 records_offset;
	__u64 records_len;
	__u8 reserved[32];
	__u32 head;
	__u8 pad_head[60];
	__u32 tail;
	__u8 pad_tail[60];
};

/*
 * The ioctls. Any of them may fail with ENODEV (the device is gone) or
 * EINTR (a signal while waiting for the device lock); INFO, STATS and
 * TRIGGER with EFAULT (a bad argument pointer); STATS with ENOMEM; TRIGGER
 * with EPERM (no CAP_SYS_ADMIN), EINVAL and EOPNOTSUPP as struct
 * wdmisr_trigger says. Any other command gets ENOTTY. RESET_STATS needs no privilege
 * beyond the node's mode. tests/progs/wdmisr-fuzz.c checks that nothing else comes
 * back.
 */
#define WDMISR_IOC_MAGIC	'W'
#define WDMISR_IOC_INFO		_IOR(WDMISR_IOC_MAGIC, 0x00, struct wdmisr_info)
#define WDMISR_IOC_STATS	_IOR(WDMISR_IOC_MAGIC, 0x01, struct wdmisr_stats)
#define WDMISR_IOC_RESET_STATS	_IO(WDMISR_IOC_MAGIC, 0x02)
/* Raise a device interrupt; needs CAP_SYS_ADMIN. */
#define WDMISR_IOC_TRIGGER	_IOW(WDMISR_IOC_MAGIC, 0x03, struct wdmisr_trigger)

#endif /* _UAPI_WDMISR_H */
