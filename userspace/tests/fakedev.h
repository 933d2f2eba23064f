/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in for /dev/wdmisrN behind struct wr_dev_ops: the event queue is a
 * pipe the test writes records into, the ioctls answer from this struct, and
 * errors and signals can be injected at a chosen call.
 */
#ifndef WT_FAKEDEV_H
#define WT_FAKEDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "wdmisr-read.h"
#include "wdmisr.h"

#define WT_LOG_MAX	256

/**
 * struct wt_fakedev - the fake device, reset before every case
 * @path:		the node it answers to; other paths give ENOENT
 * @rfd:		read end of the queue; each open hands out a dup
 * @wfd:		write end, for wt_push()
 * @open_errno:		open fails with this, if set
 * @open_flags:		flags of the last open
 * @opens:		successful opens
 * @closes:		closes of a handed-out fd
 * @info:		WDMISR_IOC_INFO answer
 * @stats:		WDMISR_IOC_STATS answer
 * @info_errno:		WDMISR_IOC_INFO fails with this, if set
 * @stats_errno:	WDMISR_IOC_STATS fails with this, if set
 * @reset_errno:	WDMISR_IOC_RESET_STATS fails with this, if set
 * @trigger_errno:	WDMISR_IOC_TRIGGER fails with this, if set
 * @resets:		successful WDMISR_IOC_RESET_STATS calls
 * @triggers:		arguments of the successful WDMISR_IOC_TRIGGER calls
 * @ntriggers:		entries in @triggers
 * @trigger_emits:	each trigger queues one record (msg = vector)
 * @reads:		read calls
 * @read_len:		buffer length of each read call
 * @eagain_reads:	the first this many reads fail with EAGAIN
 * @read_errno:		reads fail with this once @read_errno_after reads
 *			returned data
 * @read_errno_after:	see @read_errno
 * @good_reads:		reads that returned data
 * @polls:		poll calls
 * @poll_timeout:	timeout argument of each poll call
 * @poll_revents:	from poll number @poll_revents_after on, poll returns
 *			at once with these revents on the device
 * @poll_revents_after:	see @poll_revents
 * @signal:		raise this signal at the start of poll number
 *			@signal_after (0-based)
 * @signal_after:	see @signal
 * @on_poll:		called at the start of every poll with its number
 * @ring:		the device can be mapped: mmap() answers with wt_ring
 *			(set WDMISR_INFO_RING in @info too)
 * @maps:		successful mmap calls
 * @unmaps:		munmap calls
 * @log:		'T' per trigger, 'R' per read that returned data
 */
struct wt_fakedev {
	const char *path;
	int rfd;
	int wfd;
	int open_errno;
	int open_flags;
	unsigned int opens;
	unsigned int closes;
	struct wdmisr_info info;
	struct wdmisr_stats stats;
	int info_errno;
	int stats_errno;
	int reset_errno;
	int trigger_errno;
	unsigned int resets;
	struct wdmisr_trigger triggers[WT_LOG_MAX];
	unsigned int ntriggers;
	bool trigger_emits;
	unsigned int reads;
	size_t read_len[WT_LOG_MAX];
	unsigned int eagain_reads;
	int read_errno;
	unsigned int read_errno_after;
	unsigned int good_reads;
	unsigned int polls;
	int poll_timeout[WT_LOG_MAX];
	short poll_revents;
	unsigned int poll_revents_after;
	int signal;
	unsigned int signal_after;
	void (*on_poll)(unsigned int n);
	bool ring;
	unsigned int maps;
	unsigned int unmaps;
	char log[WT_LOG_MAX + 1];
};

/* Records in the fake event ring: one page of them. */
#define WT_RING_RECORDS	16

/**
 * struct wt_ring - the fake event ring, reset before every case: a header
 * page (nrecords WT_RING_RECORDS, records at offset 4096), then the records
 * @h:		the header
 * @page:	the rest of its page
 * @rec:	the records
 */
struct wt_ring {
	union {
		struct wdmisr_ring_header h;
		char page[4096];
	};
	struct wdmisr_event rec[WT_RING_RECORDS];
};

extern struct wt_ring wt_ring;
/* Write @n records with seq first..first+n-1 at head, as the driver does. */
void wt_ring_push_seq(uint64_t first, size_t n);

extern struct wt_fakedev wt_dev;
extern const struct wr_dev_ops wt_fake_ops;

void wt_fakedev_setup(void);
void wt_fakedev_teardown(void);

/* A record with fixed timestamps (ts_ns = 1000000 + seq) and no payload. */
struct wdmisr_event wt_ev(uint64_t seq, uint32_t msg, uint32_t src_seq,
			  uint16_t flags, uint64_t dropped);
/* Set the payload of @ev to the @len bytes at @data. */
void wt_ev_data(struct wdmisr_event *ev, const void *data, uint16_t len);

/* Queue records, or raw bytes, on the fake device. */
void wt_push(const struct wdmisr_event *ev, size_t n);
void wt_push_raw(const void *buf, size_t len);
/* Queue @n records with seq first..first+n-1 on msg 0. */
void wt_push_seq(uint64_t first, size_t n);
/* Bytes still queued. */
size_t wt_pending(void);

#endif /* WT_FAKEDEV_H */
