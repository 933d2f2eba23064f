/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmisr-read: what its source files share, grouped by the file that
 * defines it. Every mode takes a struct wr_env (the device system calls and
 * the output streams), so that the unit tests and wdm-bench-read can run the
 * tool in-process against a stand-in for the driver.
 */
#ifndef WDMISR_READ_H
#define WDMISR_READ_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "wdmisr.h"

/*
 * common.c: the system calls wdmisr-read makes on a device node, behind a
 * table of function pointers so that the tests can stand in for the driver;
 * and the error messages, one line each, "wdmisr-read: <object>: <what>",
 * with a hint at the usual cause where there is one.
 */

/*
 * Each call behaves like the system call of the same name: -1 (MAP_FAILED
 * for mmap) and errno on failure. mmap and munmap may be NULL: the device
 * cannot be mapped, and the read mode uses read().
 */
struct wr_dev_ops {
	int (*open)(const char *path, int flags);
	ssize_t (*read)(int fd, void *buf, size_t len);
	int (*poll)(struct pollfd *fds, nfds_t nfds, int timeout_ms);
	int (*ioctl)(int fd, unsigned long request, void *arg);
	int (*close)(int fd);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd,
		      off_t off);
	int (*munmap)(void *addr, size_t len);
};

/* The real system calls. */
extern const struct wr_dev_ops wr_sys_ops;

/**
 * struct wr_env - what the tool runs against
 * @ops:	device system calls
 * @out:	where results go (stdout)
 * @err:	where messages go (stderr)
 * @sysfs:	sysfs mount point ($WDMISR_SYSFS, default /sys)
 * @err_tty:	@err is a terminal: --format summary shows its progress there
 */
struct wr_env {
	const struct wr_dev_ops *ops;
	FILE *out;
	FILE *err;
	const char *sysfs;
	bool err_tty;
};

/*
 * Open @path with @flags through @env->ops; on failure print why to
 * @env->err and return -1.
 */
int wr_dev_open(const struct wr_env *env, const char *path, int flags);

/* "wdmisr-read: <obj>: <printf message>" */
void wr_err(FILE *err, const char *obj, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * "wdmisr-read: <obj>: [<op>: ]<strerror> (<hint>)", or "<obj>: device
 * removed" for ENODEV. @op names the ioctl, NULL for open/read/poll.
 */
void wr_err_errno(FILE *err, const char *obj, const char *op, int errnum);

/*
 * @s as a JSON string, quotes included: at most @max bytes, up to the first
 * NUL; '"', '\\' and control characters escaped.
 */
void wr_json_str(FILE *out, const char *s, size_t max);

/*
 * opts.c: the command line: the configuration struct that getopt_long
 * fills, and the help and version texts.
 */

#define WR_PROG		"wdmisr-read"
#define WR_DEFAULT_DEV	"/dev/wdmisr0"

/*
 * Exit status of the tool (the man page's EXIT STATUS and --help list them).
 * A timeout after at least one record, SIGINT and SIGTERM end a run with
 * WR_EXIT_OK.
 */
#define WR_EXIT_OK		0
#define WR_EXIT_FAIL		1	/* open, ioctl, read or output failed */
#define WR_EXIT_USAGE		2
#define WR_EXIT_TIMEOUT		3	/* -t expired before any record */
#define WR_EXIT_NO_DRIVER	4	/* --list: wdmisr.ko is not loaded */

enum wr_mode {
	WR_MODE_READ,
	WR_MODE_STATS,
	WR_MODE_RESET_STATS,
	WR_MODE_INFO,
	WR_MODE_LIST,
	WR_MODE_HELP,
	WR_MODE_VERSION,
};

enum wr_format {
	WR_FMT_TEXT,
	WR_FMT_JSON,
	WR_FMT_SUMMARY,
};

/**
 * struct wr_config - what the command line asked for
 * @mode:		what to do
 * @device:		device node (-d or the argument)
 * @count:		records to read (-n); 0 = no limit
 * @timeout_ms:		idle timeout (-t); -1 = wait forever
 * @format:		output format (--stats, --info and --list: text or json)
 * @follow:		--follow: read forever, -t is ignored
 * @trigger:		--trigger: raise one interrupt before each record
 * @trigger_vector:	--trigger-vector
 * @trigger_seq:	--trigger-value seq (the default): value = record index + 1
 * @trigger_value:	--trigger-value V when not @trigger_seq
 * @no_mmap:		--no-mmap: read() even where the event ring can be
 *			mapped
 */
struct wr_config {
	enum wr_mode mode;
	const char *device;
	uint64_t count;
	int timeout_ms;
	enum wr_format format;
	bool follow;
	bool trigger;
	uint32_t trigger_vector;
	bool trigger_seq;
	uint32_t trigger_value;
	bool no_mmap;
};

/*
 * Fill @cfg from the command line. Returns WR_EXIT_OK, or WR_EXIT_USAGE after
 * writing a one-line message and a hint to @err. Never exits.
 */
int wr_opts_parse(struct wr_config *cfg, int argc, char **argv, FILE *err);
/* --help: the usage text. */
void wr_opts_help(FILE *out);
/* --version: "wdmisr-read <version>". */
void wr_opts_version(FILE *out);

/*
 * app.c: wdmisr-read as a function: parse the command line and run the mode
 * it names against a given environment, so that tests can run it in-process.
 */

/* The exit status, one of WR_EXIT_*. Never exits. */
int wr_main(int argc, char **argv, const struct wr_env *env);

/*
 * reader.c: the read mode: the poll loop that takes event records in
 * batches, from the mapped event ring where the device has one (else with
 * read()), and hands them to the chosen output format. SIGINT and SIGTERM
 * become a readable pipe that the loop polls next to the device.
 */

/* Records asked for per read() when nothing limits the batch. */
#define WR_BATCH	64

/* Read mode: the exit status. */
int wr_read_run(const struct wr_env *env, const struct wr_config *cfg);

/* Shortest time between two progress lines of --format summary. */
#define WR_PROGRESS_MS	500

/* Records per second from @n records in @ns nanoseconds; 0 if @ns <= 0. */
uint64_t wr_progress_rate(uint64_t n, int64_t ns);
/* The progress line: "<records> records, <rate> records/s, <dropped> dropped" */
void wr_progress_format(char *buf, size_t size, uint64_t records,
			uint64_t rate, uint64_t dropped);

/*
 * format.c: per-record output of the read mode: aligned text columns with
 * gap lines, and one JSON object per line.
 */

/* Longest wr_format_flags() result, NUL included. */
#define WR_FLAGS_BUF	64
/* wr_format_hex() result: two digits per payload byte, NUL included. */
#define WR_HEX_BUF	(2 * WDMISR_DATA_MAX + 1)

/* What the text format remembers between records to spot gaps. */
struct wr_text_state {
	bool have_prev;
	uint64_t prev_seq;
	uint64_t prev_dropped;
};

/* Flag names joined by '|', unknown bits as 0x%04x, "-" for none. */
void wr_format_flags(char *buf, size_t size, uint16_t flags);
/* Lowercase hex of data[0..len), len capped at WDMISR_DATA_MAX. */
void wr_format_hex(char *buf, const struct wdmisr_event *ev);

/* The text format's column header line. */
void wr_text_header(FILE *out);
/* One text row, after a "# gap" line if @ev does not follow on from @st. */
void wr_text_record(FILE *out, struct wr_text_state *st,
		    const struct wdmisr_event *ev);
/* One JSON object on one line. */
void wr_json_record(FILE *out, const struct wdmisr_event *ev);

/*
 * summary.c: --format summary: per-message counts, CRC-32 of the good
 * payloads and source ordering, reported once at the end.
 */

/**
 * struct wr_summary_msg - what one MessageID delivered
 * @msg:		the MessageID
 * @events:		records
 * @good:		records without WDMISR_EV_MALFORMED
 * @malformed:		records with WDMISR_EV_MALFORMED
 * @crc:		zlib crc32() over the good payloads, in arrival order
 * @first_src_seq:	src_seq of the first record
 * @last_src_seq:	src_seq of the last record
 * @order_bad:		some src_seq did not follow the one before
 * @last_corrupt:	the last record had WDMISR_EV_RING_CORRUPT
 */
struct wr_summary_msg {
	uint32_t msg;
	uint64_t events;
	uint64_t good;
	uint64_t malformed;
	uint32_t crc;
	uint32_t first_src_seq;
	uint32_t last_src_seq;
	bool order_bad;
	bool last_corrupt;
};

/**
 * struct wr_summary - the whole stream
 * @m:		one entry per MessageID seen, sorted by msg
 * @nmsg:	entries in @m
 * @cap:	entries allocated
 * @events:	records
 * @good:	records without WDMISR_EV_MALFORMED
 * @malformed:	records with WDMISR_EV_MALFORMED
 * @dropped:	the last record's dropped counter
 * @seq_gaps:	records whose seq is not the previous seq + 1
 * @prev_seq:	seq of the last record
 */
struct wr_summary {
	struct wr_summary_msg *m;
	size_t nmsg;
	size_t cap;
	uint64_t events;
	uint64_t good;
	uint64_t malformed;
	uint64_t dropped;
	uint64_t seq_gaps;
	uint64_t prev_seq;
};

/* An empty summary. */
void wr_summary_init(struct wr_summary *s);
/* Account one record. Returns 0, or -1 with errno ENOMEM. */
int wr_summary_add(struct wr_summary *s, const struct wdmisr_event *ev);
/* The report: one "summary msg=..." line per MessageID, then the total. */
void wr_summary_print(const struct wr_summary *s, FILE *out);
/* Free the entries and leave @s empty. */
void wr_summary_free(struct wr_summary *s);

/*
 * info.c: --info, and the names of the values in struct wdmisr_info.
 */

/* Name of a personality, or NULL if the tool does not know it. */
const char *wr_personality_name(uint32_t personality);
/* Name of an interrupt mode, or NULL if the tool does not know it. */
const char *wr_irq_mode_name(uint32_t irq_mode);
/* Name of a CONNECT_* version, or NULL if the tool does not know it. */
const char *wr_connect_name(uint32_t connect_version);

/* WDMISR_IOC_INFO on @fd; 0, or -1 after printing why. */
int wr_info_query(const struct wr_env *env, int fd, const char *path,
		  struct wdmisr_info *info);
/* 0 if @info describes the ABI this tool was built for, else -1 and a message. */
int wr_info_check(const struct wr_env *env, const char *path,
		  const struct wdmisr_info *info);
/* The --info report: one "key value" line per field. */
void wr_info_print(FILE *out, const char *path, const struct wdmisr_info *info);
/* The same fields as one JSON object, on one line. */
void wr_info_print_json(FILE *out, const char *path,
			const struct wdmisr_info *info);

/* --info: the exit status; @format is WR_FMT_TEXT or WR_FMT_JSON. */
int wr_info_run(const struct wr_env *env, const char *path,
		enum wr_format format);

/*
 * stats.c: --stats and --reset-stats: the per-vector counters of
 * WDMISR_IOC_STATS as an aligned table.
 */

/* One row per vector in use (at most WDMISR_MAX_VECTORS) and a total row. */
void wr_stats_print(FILE *out, const struct wdmisr_stats *st);
/*
 * The same as one JSON object on one line: "vectors", an array of one object
 * per vector keyed by the column names, and "total", the counters' sums.
 */
void wr_stats_print_json(FILE *out, const struct wdmisr_stats *st);

/* --stats: the exit status; @format is WR_FMT_TEXT or WR_FMT_JSON. */
int wr_stats_run(const struct wr_env *env, const char *path,
		 enum wr_format format);
/* --reset-stats: the exit status. */
int wr_stats_reset_run(const struct wr_env *env, const char *path);

/*
 * list.c: --list: the PCI devices bound to wdmisr.
 */

/* Whether <sysfs>/bus/pci/devices/<bdf>/driver names the wdmisr driver. */
bool wr_list_bound(const char *sysfs, const char *bdf);
/*
 * The /dev node of a bound device, from the lowest-numbered wdmisrN entry
 * under <sysfs>/bus/pci/devices/<bdf>/wdmisr/. False if there is none.
 */
bool wr_list_node(const char *sysfs, const char *bdf, char *node, size_t size);

/* Whether wdmisr.ko is loaded: <sysfs>/module/wdmisr exists. */
bool wr_list_loaded(const char *sysfs);

/* --list: the exit status; @format is WR_FMT_TEXT or WR_FMT_JSON. */
int wr_list_run(const struct wr_env *env, enum wr_format format);

#endif /* WDMISR_READ_H */
