// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-dev: the ivshmem server that QEMU's ivshmem-doorbell device
 * connects to, and at the same time the device side ("producer") of the
 * shared-memory data device described in docs/DEVICE-SPEC.md. It hands QEMU
 * the shared memory and the eventfds, writes records into the rings, signals
 * the guest's MSI-X vectors, and reports what a correct consumer must have
 * seen.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <zlib.h>

#define PROG			"ivshmem-dev"

/* ---- The device layout (docs/DEVICE-SPEC.md, version 1) ---- */

#define WDMQ_MAGIC		0x514D4457u	/* "WDMQ" */
#define WDMQ_VERSION		1u
#define WDMQ_RECORD_SIZE	64u
#define WDMQ_RING_OFFSET	4096u
#define WDMQ_RING_HDR		256u		/* head, tail, reserved */
#define WDMQ_TAIL_OFF		0x40u
#define WDMQ_PAYLOAD_MAX	40u
#define WDMQ_MAX_RINGS		64u
#define WDMQ_SLOTS_MIN		16u
#define WDMQ_SLOTS_MAX		65536u

struct wdmq_header {
	uint32_t magic;
	uint32_t version;
	uint32_t nrings;
	uint32_t slots;
	uint32_t record_size;
	uint32_t ring_offset;
	uint32_t ring_stride;
	uint32_t ready;
	uint8_t reserved[32];
};

struct wdmq_record {
	uint32_t seq;
	uint16_t len;
	uint16_t flags;
	uint64_t stamp;
	uint32_t crc;
	uint32_t reserved;
	uint8_t payload[WDMQ_PAYLOAD_MAX];
};

_Static_assert(sizeof(struct wdmq_header) == 64, "header is 64 bytes");
_Static_assert(sizeof(struct wdmq_record) == WDMQ_RECORD_SIZE, "record size");
_Static_assert(offsetof(struct wdmq_record, payload) == 0x18, "payload offset");

/* ---- Configuration ---- */

#define DEF_SHM_SIZE		(1u << 20)
#define MIN_SHM_SIZE		(64u << 10)
#define MAX_SHM_SIZE		(1u << 30)
#define DEF_VECTORS		8u
#define MAX_VECTORS		1024u
#define DEF_SLOTS		256u
#define DEF_BURST		16u
#define DEF_RESTART_MS		3000u
#define MAX_RATE		100000000u
#define STEADY_QUANTUM		16u	/* records per ring per round, steady */
#define ROOM_POLL_NS		100000u	/* re-check a full ring after 100 us */
#define DRAIN_POLL_NS		1000000u /* re-check tails after 1 ms */
#define JUMP_EXTRA		5u	/* a jump puts head at tail + slots + 5 */
#define BAD_SEQ_DELTA		1000u
#define BAD_LEN_VALUE		200u
#define BAD_CRC_XOR		0xdeadbeefu
#define NS_PER_SEC		1000000000ull
#define NO_WAIT			UINT64_MAX

enum pattern { PATTERN_STEADY, PATTERN_BURST };

enum fault_kind {
	FAULT_SEQ	= 1u << 0,
	FAULT_LEN	= 1u << 1,
	FAULT_CRC	= 1u << 2,
	FAULT_JUMP	= 1u << 3,
	FAULT_FAR	= 1u << 4,
	FAULT_BACK	= 1u << 5,
};

/* The kinds that move head instead of publishing a record. */
#define FAULT_HEAD		(FAULT_JUMP | FAULT_FAR | FAULT_BACK)
#define FAR_DELTA		0x80000000u	/* head - tail = 2^31 */
#define BACK_DELTA		0xffffffffu	/* head = tail - 1 */

static const struct {
	const char *name;
	unsigned int kind;
} fault_names[] = {
	{ "seq", FAULT_SEQ }, { "len", FAULT_LEN },
	{ "crc", FAULT_CRC }, { "jump", FAULT_JUMP },
	{ "far", FAULT_FAR }, { "back", FAULT_BACK },
};

#define FAULT_ALL_RINGS		(-1)

struct fault {
	unsigned int kind;
	int ring;		/* FAULT_ALL_RINGS or a ring number */
	uint32_t index;		/* producer step in that ring, 0..count-1 */
};

/* Header fields --bad-header can spoil, in header order. */
static const char *const header_fields[] = {
	"magic", "version", "nrings", "slots",
	"record_size", "ring_offset", "ring_stride",
};

#define NO_BAD_HEADER		(-1)
#define NFIELDS			(int)(sizeof(header_fields) / sizeof(header_fields[0]))

struct config {
	const char *socket_path;
	const char *report_path;
	uint32_t shm_size;
	unsigned int vectors;
	unsigned int rings;		/* 0 until defaulted */
	unsigned int slots;
	uint32_t count;
	enum pattern pattern;
	unsigned int burst;
	unsigned int rate;		/* records/s per ring, 0 = unlimited */
	unsigned int start_delay_ms;
	struct fault *faults;
	size_t nfaults;
	int bad_header;			/* index in header_fields[] */
	int *header_faults;		/* --header-faults, indexes as bad_header */
	size_t nheader_faults;
	uint32_t restart_after;		/* 0: no restart */
	unsigned int restart_ms;
	uint32_t die_after;		/* 0: never */
	uint32_t spoil_after;		/* 0: never */
	uint32_t hold_after;		/* 0: never hold */
	uint32_t hold_step;
};

/* ---- Runtime state ---- */

struct ring_state {
	uint32_t *head;			/* in shared memory */
	uint32_t *tail;			/* in shared memory */
	uint8_t *slot;			/* slot[0] in shared memory */
	uint32_t head_val;		/* the last head value stored */
	uint32_t step;			/* records generated so far, 0..count */
	uint32_t unsignalled;		/* published since the last signal */
	uint64_t signals;		/* successful eventfd writes */
	uint64_t full_waits;		/* times the ring was found full */
	uint64_t events;		/* expected consumer view ... */
	uint64_t good;
	uint64_t malformed;
	uint32_t crc;			/* ... chained over good payloads */
};

enum phase {
	PHASE_LISTEN, PHASE_HEADERS, PHASE_DELAY, PHASE_PRODUCE, PHASE_RESTART, PHASE_DONE,
};

struct dev {
	struct config cfg;
	int listen_fd;
	int client_fd;
	int sig_fd;
	int shm_fd;
	int *own_efd;			/* peer 0 (us): the guest rings these */
	int *guest_efd;			/* peer 1 (guest): write fires vector k */
	uint8_t *shm;
	uint32_t ring_stride;
	struct ring_state *ring;
	uint64_t doorbells;
	uint64_t t_connect;
	uint64_t t_start;
	enum phase phase;
	bool produced_all;		/* every ring made its count steps */
	bool listen_linked;		/* socket_path is ours to unlink */
	/* --header-faults, --restart-after, --die-after, --spoil-header-after */
	size_t headers_shown;		/* invalid headers published so far */
	uint64_t doorbells_seen;	/* doorbells acted on (--header-faults) */
	uint64_t t_restart;		/* end of the restart gap */
	unsigned int restarts;
	bool spoiled;
	bool died;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* ---- Command line ---- */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " --socket PATH [options]\n"
"\n"
"The ivshmem server for QEMU's ivshmem-doorbell device, and the producer of\n"
"the shared-memory data device (docs/DEVICE-SPEC.md, version 1).\n"
"QEMU connects with\n"
"  -chardev socket,path=PATH,id=iv -device ivshmem-doorbell,chardev=iv,vectors=N\n"
"It gets peer id 1; this program is peer 0 and accepts one connection only.\n"
"\n"
"Server:\n"
"  -s, --socket PATH        UNIX socket to listen on (required); a stale socket\n"
"                           there is replaced, any other file is an error\n"
"  -m, --shm-size BYTES     shared memory (BAR2) size: a power of two, 64K..1G;\n"
"                           K, M, G suffixes allowed (default 1M)\n"
"  -v, --vectors N          eventfds per peer = the device's MSI-X vectors,\n"
"                           1..%u (default %u); must equal QEMU's vectors=\n"
"\n"
"Producer:\n"
"  -r, --rings R            rings, 1..min(vectors, 64) (default: vectors)\n"
"  -S, --slots S            records per ring, a power of two 16..65536 (default %u)\n"
"  -n, --count M            records each ring produces (default 0)\n"
"  -p, --pattern P          steady: signal vector k after every record (default)\n"
"                           burst: signal once per --burst records\n"
"  -b, --burst B            records per signal with --pattern burst (default %u)\n"
"  -R, --rate N             at most N records/s per ring; 0 = unlimited (default)\n"
"                           (burst: each batch of B starts on that schedule)\n"
"  -d, --start-delay-ms D   wait D ms after QEMU connects before producing\n"
"  -x, --bad KIND@RING:INDEX  spoil record INDEX (0..M-1, counted per ring) of\n"
"                           RING (a number or * for all); repeatable. KIND:\n"
"                           seq  seq field = i + 1000\n"
"                           len  len field = 200 (40 data bytes, crc over 40)\n"
"                           crc  crc field ^ 0xdeadbeef\n"
"                           jump instead of the record, wait until the ring is\n"
"                                empty, then set head = tail + slots + 5 and go\n"
"                                on from there (one corrupt-ring event)\n"
"                           far  as jump, head = tail + 2^31\n"
"                           back as jump, head = tail - 1 (behind the tail)\n"
"  -H, --bad-header FIELD   publish a ready but invalid header and no records:\n"
"                           magic=0x57444D51 version=2 nrings=vectors+1\n"
"                           slots=100 record_size=128 ring_offset=shm size\n"
"                           ring_stride=0x80000000 (overflows 32-bit math)\n"
"  -F, --header-faults F,F,...  publish these invalid headers (fields as for\n"
"                           --bad-header, no field twice in a row) one after\n"
"                           the other: each doorbell from the guest (peer 0,\n"
"                           any vector) publishes the next, ready going 0 and\n"
"                           back to 1; the doorbell after the last publishes\n"
"                           the valid header, and production starts\n"
"  -A, --restart-after N    once every ring has published N records, restart\n"
"                           the producer: publish nothing for --restart-ms,\n"
"                           then publish the header again (ready 0, then 1)\n"
"                           and go on from each ring's head in shared memory\n"
"  -M, --restart-ms MS      the restart's silence (default 3000)\n"
"  -K, --die-after N        once every ring has published N records, write\n"
"                           the report and die by SIGKILL, mid-stream\n"
"  -P, --spoil-header-after N  once the consumer has taken N records from\n"
"                           every ring (so it has checked the header),\n"
"                           overwrite the header with invalid values, ready\n"
"                           left 1 (a consumer must keep the layout it\n"
"                           checked), and go on\n"
"  -L, --hold-after N       once every ring has published N records, hold:\n"
"                           each doorbell from the guest (peer 0, any vector;\n"
"                           those before the hold count too) lets every ring\n"
"                           publish --hold-step more, up to --count\n"
"  -T, --hold-step S        records per ring per doorbell with --hold-after\n"
"                           (required with it)\n"
"\n"
"Output:\n"
"  -o, --report FILE        write the report to FILE (atomically) once every\n"
"                           ring is produced and consumed, and again at exit;\n"
"                           without it the report goes to stdout at exit\n"
"  -h, --help               this text\n"
"\n"
"Record i of ring k: seq = i, len = (i*7 + k*3) %% 41, flags = 0,\n"
"stamp = CLOCK_MONOTONIC ns, payload[j] = (k*67 + i*29 + (i>>8) + j*13 + 1)\n"
"mod 256 for j < len, 0 after, crc = zlib crc32 over payload[0..len).\n"
"\n"
"Report, one line per ring and a total:\n"
"  ring K events E good G malformed B crc 0xXXXXXXXX published P consumed C signals S\n"
"  total events E good G malformed B published P consumed C signals S doorbells D state done|incomplete\n"
"With --header-faults, --restart-after, --die-after or --spoil-header-after\n"
"one more line follows:\n"
"  lifecycle header_faults H restarts R spoiled 0|1 died 0|1\n"
"events/good/malformed/crc are what a correct consumer delivers (crc chains\n"
"zlib crc32 over good payloads); published is head, consumed is tail, signals\n"
"counts eventfd writes, doorbells counts the guest's rings of peer 0.\n"
"SIGTERM, SIGINT or QEMU disconnecting end the program with status 0;\n"
"--die-after ends it with SIGKILL.\n"
"Bad options exit with status 2.\n",
		MAX_VECTORS, DEF_VECTORS, DEF_SLOTS, DEF_BURST);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	uint64_t v;

	if (parse_u64(s, max, &v))
		return -1;
	*out = (unsigned int)v;
	return 0;
}

/* 1..2^32-1: a record count after which something happens. */
static int parse_u32_min1(const char *s, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(s, UINT32_MAX, &v) || !v)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_size(const char *s, uint32_t *out)
{
	char buf[32];
	size_t n = strlen(s);
	unsigned int shift = 0;
	uint64_t v;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n + 1);
	switch (buf[n - 1]) {
	case 'K': case 'k': shift = 10; break;
	case 'M': case 'm': shift = 20; break;
	case 'G': case 'g': shift = 30; break;
	}
	if (shift)
		buf[n - 1] = '\0';
	if (parse_u64(buf, MAX_SHM_SIZE >> shift, &v))
		return -1;
	*out = (uint32_t)(v << shift);
	return 0;
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* KIND@RING:INDEX; RING may be '*'. Ranges are checked later. */
static int parse_fault(const char *arg, struct fault *f)
{
	const char *at = strchr(arg, '@');
	const char *colon = at ? strchr(at, ':') : NULL;
	size_t i, klen;
	uint64_t v;
	char ring[16];

	if (!at || !colon || (size_t)(colon - at - 1) >= sizeof(ring))
		return -1;
	klen = (size_t)(at - arg);
	f->kind = 0;
	for (i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++)
		if (strlen(fault_names[i].name) == klen &&
		    !strncmp(arg, fault_names[i].name, klen))
			f->kind = fault_names[i].kind;
	if (!f->kind)
		return -1;
	memcpy(ring, at + 1, (size_t)(colon - at - 1));
	ring[colon - at - 1] = '\0';
	if (!strcmp(ring, "*"))
		f->ring = FAULT_ALL_RINGS;
	else if (!parse_u64(ring, WDMQ_MAX_RINGS - 1, &v))
		f->ring = (int)v;
	else
		return -1;
	if (parse_u64(colon + 1, UINT32_MAX, &v))
		return -1;
	f->index = (uint32_t)v;
	return 0;
}

static int add_fault(struct config *c, const char *arg)
{
	struct fault f, *n;

	if (parse_fault(arg, &f)) {
		fprintf(stderr, PROG ": --bad %s: expected KIND@RING:INDEX, KIND one of seq, len, crc, jump\n",
			arg);
		return -1;
	}
	n = realloc(c->faults, (c->nfaults + 1) * sizeof(*n));
	if (!n) {
		perror(PROG ": realloc");
		return -1;
	}
	c->faults = n;
	c->faults[c->nfaults++] = f;
	return 0;
}

static int parse_field(const char *arg)
{
	int i;

	for (i = 0; i < NFIELDS; i++)
		if (!strcmp(arg, header_fields[i]))
			return i;
	return NO_BAD_HEADER;
}

/* --header-faults F,F,...: a list of header fields, none twice in a row. */
static int parse_header_faults(struct config *c, const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	int field, *n, ret = -1;

	for (tok = copy ? strtok_r(copy, ",", &save) : NULL; tok;
	     tok = strtok_r(NULL, ",", &save)) {
		field = parse_field(tok);
		if (field == NO_BAD_HEADER ||
		    (c->nheader_faults && c->header_faults[c->nheader_faults - 1] == field))
			goto out;
		n = realloc(c->header_faults, (c->nheader_faults + 1) * sizeof(*n));
		if (!n)
			goto out;
		c->header_faults = n;
		c->header_faults[c->nheader_faults++] = field;
	}
	ret = c->nheader_faults ? 0 : -1;
out:
	free(copy);
	return ret;
}

static const struct option long_opts[] = {
	{ "socket",		required_argument, NULL, 's' },
	{ "shm-size",		required_argument, NULL, 'm' },
	{ "vectors",		required_argument, NULL, 'v' },
	{ "rings",		required_argument, NULL, 'r' },
	{ "slots",		required_argument, NULL, 'S' },
	{ "count",		required_argument, NULL, 'n' },
	{ "pattern",		required_argument, NULL, 'p' },
	{ "burst",		required_argument, NULL, 'b' },
	{ "rate",		required_argument, NULL, 'R' },
	{ "start-delay-ms",	required_argument, NULL, 'd' },
	{ "bad",		required_argument, NULL, 'x' },
	{ "bad-header",		required_argument, NULL, 'H' },
	{ "header-faults",	required_argument, NULL, 'F' },
	{ "restart-after",	required_argument, NULL, 'A' },
	{ "restart-ms",		required_argument, NULL, 'M' },
	{ "die-after",		required_argument, NULL, 'K' },
	{ "spoil-header-after",	required_argument, NULL, 'P' },
	{ "hold-after",		required_argument, NULL, 'L' },
	{ "hold-step",		required_argument, NULL, 'T' },
	{ "report",		required_argument, NULL, 'o' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int bad_value(const char *opt, const char *arg)
{
	fprintf(stderr, PROG ": invalid value for --%s: '%s'\n", opt, arg);
	return -1;
}

/* One option; returns 0, or -1 after a message. */
static int parse_opt(struct config *c, int opt, const char *arg)
{
	uint64_t v;

	switch (opt) {
	case 's': c->socket_path = arg; return 0;
	case 'o': c->report_path = arg; return 0;
	case 'x': return add_fault(c, arg);
	case 'm':
		return parse_size(arg, &c->shm_size) ? bad_value("shm-size", arg) : 0;
	case 'v':
		return parse_uint(arg, MAX_VECTORS, &c->vectors) ? bad_value("vectors", arg) : 0;
	case 'r':
		return parse_uint(arg, WDMQ_MAX_RINGS, &c->rings) ? bad_value("rings", arg) : 0;
	case 'S':
		return parse_uint(arg, WDMQ_SLOTS_MAX, &c->slots) ? bad_value("slots", arg) : 0;
	case 'n':
		if (parse_u64(arg, UINT32_MAX, &v))
			return bad_value("count", arg);
		c->count = (uint32_t)v;
		return 0;
	case 'b':
		return parse_uint(arg, UINT32_MAX, &c->burst) ? bad_value("burst", arg) : 0;
	case 'R':
		return parse_uint(arg, MAX_RATE, &c->rate) ? bad_value("rate", arg) : 0;
	case 'd':
		return parse_uint(arg, 3600000, &c->start_delay_ms) ?
		       bad_value("start-delay-ms", arg) : 0;
	case 'p':
		if (!strcmp(arg, "steady"))
			c->pattern = PATTERN_STEADY;
		else if (!strcmp(arg, "burst"))
			c->pattern = PATTERN_BURST;
		else
			return bad_value("pattern", arg);
		return 0;
	case 'H':
		c->bad_header = parse_field(arg);
		return c->bad_header == NO_BAD_HEADER ? bad_value("bad-header", arg) : 0;
	case 'F':
		return parse_header_faults(c, arg) ? bad_value("header-faults", arg) : 0;
	case 'A':
		return parse_u32_min1(arg, &c->restart_after) ? bad_value("restart-after", arg) : 0;
	case 'M':
		return parse_uint(arg, 3600000, &c->restart_ms) ? bad_value("restart-ms", arg) : 0;
	case 'K':
		return parse_u32_min1(arg, &c->die_after) ? bad_value("die-after", arg) : 0;
	case 'P':
		return parse_u32_min1(arg, &c->spoil_after) ? bad_value("spoil-header-after", arg) : 0;
	case 'L':
		return parse_u32_min1(arg, &c->hold_after) ? bad_value("hold-after", arg) : 0;
	case 'T':
		return parse_u32_min1(arg, &c->hold_step) ? bad_value("hold-step", arg) : 0;
	}
	return -1;
}

static int check_faults(const struct config *c)
{
	size_t i, j;

	for (i = 0; i < c->nfaults; i++) {
		const struct fault *f = &c->faults[i];

		if (f->ring != FAULT_ALL_RINGS && (unsigned int)f->ring >= c->rings) {
			fprintf(stderr, PROG ": --bad: ring %d, but there are %u rings\n",
				f->ring, c->rings);
			return -1;
		}
		if (f->index >= c->count) {
			fprintf(stderr, PROG ": --bad: index %" PRIu32 " never happens with --count %" PRIu32 "\n",
				f->index, c->count);
			return -1;
		}
		for (j = 0; j < c->nfaults; j++) {
			const struct fault *g = &c->faults[j];

			if (i != j && f->index == g->index && (f->kind | g->kind) & FAULT_HEAD &&
			    (f->ring == g->ring || f->ring == FAULT_ALL_RINGS ||
			     g->ring == FAULT_ALL_RINGS)) {
				fprintf(stderr, PROG ": --bad: jump, far and back cannot share index %" PRIu32 " with another fault\n",
					f->index);
				return -1;
			}
		}
	}
	return 0;
}

/* --header-faults, --restart-after, --die-after, --spoil-header-after. */
static int check_lifecycle(const struct config *c)
{
	if (c->nheader_faults && c->bad_header != NO_BAD_HEADER)
		return fprintf(stderr, PROG ": --header-faults and --bad-header exclude each other\n"), -1;
	if ((c->restart_after && c->restart_after >= c->count) || c->die_after > c->count ||
	    c->spoil_after > c->count)
		return fprintf(stderr, PROG ": --restart-after must be below --count, --die-after and --spoil-header-after at most --count\n"), -1;
	if (c->restart_after && c->die_after && c->die_after <= c->restart_after)
		return fprintf(stderr, PROG ": --die-after must come after --restart-after\n"), -1;
	if (!c->hold_after != !c->hold_step)
		return fprintf(stderr, PROG ": --hold-after and --hold-step go together\n"), -1;
	if (c->hold_after && (c->hold_after >= c->count || c->nheader_faults ||
			      c->restart_after || c->die_after))
		return fprintf(stderr, PROG ": --hold-after must be below --count, and excludes --header-faults, --restart-after and --die-after\n"), -1;
	return 0;
}

static uint64_t ring_stride(unsigned int slots)
{
	uint64_t need = WDMQ_RING_HDR + (uint64_t)slots * WDMQ_RECORD_SIZE;

	return (need + 4095) & ~(uint64_t)4095;
}

/* Cross-option checks and defaults; returns 0, or -1 after a message. */
static int check_config(struct config *c)
{
	uint64_t need;

	if (!c->socket_path)
		return fprintf(stderr, PROG ": --socket is required\n"), -1;
	if (strlen(c->socket_path) + 24 > sizeof(((struct sockaddr_un *)0)->sun_path))
		return fprintf(stderr, PROG ": --socket path is too long\n"), -1;
	if (!is_pow2(c->shm_size) || c->shm_size < MIN_SHM_SIZE)
		return fprintf(stderr, PROG ": --shm-size must be a power of two, 64K..1G\n"), -1;
	if (c->vectors == 0)
		return fprintf(stderr, PROG ": --vectors must be 1..%u\n", MAX_VECTORS), -1;
	if (c->rings == 0)
		c->rings = c->vectors < WDMQ_MAX_RINGS ? c->vectors : WDMQ_MAX_RINGS;
	if (c->rings > c->vectors)
		return fprintf(stderr, PROG ": --rings %u exceeds --vectors %u\n",
			       c->rings, c->vectors), -1;
	if (!is_pow2(c->slots) || c->slots < WDMQ_SLOTS_MIN)
		return fprintf(stderr, PROG ": --slots must be a power of two, 16..65536\n"), -1;
	if (c->burst == 0)
		return fprintf(stderr, PROG ": --burst must be at least 1\n"), -1;
	need = WDMQ_RING_OFFSET + (uint64_t)c->rings * ring_stride(c->slots);
	if (need > c->shm_size) {
		fprintf(stderr, PROG ": %u rings of %u slots need %" PRIu64 " bytes of shared memory, --shm-size is %" PRIu32 "\n",
			c->rings, c->slots, need, c->shm_size);
		return -1;
	}
	return check_lifecycle(c) ? -1 : check_faults(c);
}

static int parse_args(struct config *c, int argc, char **argv)
{
	int opt;

	*c = (struct config) {
		.shm_size = DEF_SHM_SIZE, .vectors = DEF_VECTORS,
		.slots = DEF_SLOTS, .burst = DEF_BURST,
		.pattern = PATTERN_STEADY, .bad_header = NO_BAD_HEADER,
		.restart_ms = DEF_RESTART_MS,
	};
	while ((opt = getopt_long(argc, argv, "s:m:v:r:S:n:p:b:R:d:x:H:F:A:M:K:P:L:T:o:h",
				  long_opts, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			exit(0);
		}
		if (opt == '?' || parse_opt(c, opt, optarg))
			goto err_usage;
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\n", argv[optind]);
		goto err_usage;
	}
	if (check_config(c))
		goto err_usage;
	return 0;

err_usage:
	fprintf(stderr, "Try '" PROG " --help'.\n");
	return -1;
}

/* ---- Shared memory and header ---- */

static uint32_t bad_header_value(const struct config *c, int field)
{
	switch (field) {
	case 0: return 0x57444D51u;		/* magic, byte-swapped */
	case 1: return WDMQ_VERSION + 1;
	case 2: return c->vectors + 1;		/* more rings than vectors */
	case 3: return 100;			/* not a power of two */
	case 4: return 2 * WDMQ_RECORD_SIZE;
	case 5: return c->shm_size;		/* ring 0 starts past BAR2 */
	default: return 0x80000000u;		/* rings * stride wraps u32 */
	}
}

/*
 * Publish the header, with header_fields[bad] spoilt unless bad is
 * NO_BAD_HEADER. Published again, ready goes to 0 first.
 */
static void write_header(struct dev *d, int bad)
{
	const struct config *c = &d->cfg;
	struct wdmq_header *h = (struct wdmq_header *)d->shm;
	uint32_t v[NFIELDS] = {
		WDMQ_MAGIC, WDMQ_VERSION, c->rings, c->slots,
		WDMQ_RECORD_SIZE, WDMQ_RING_OFFSET, d->ring_stride,
	};

	if (bad != NO_BAD_HEADER)
		v[bad] = bad_header_value(c, bad);
	__atomic_store_n(&h->ready, 0, __ATOMIC_RELEASE);
	h->magic = htole32(v[0]);
	h->version = htole32(v[1]);
	h->nrings = htole32(v[2]);
	h->slots = htole32(v[3]);
	h->record_size = htole32(v[4]);
	h->ring_offset = htole32(v[5]);
	h->ring_stride = htole32(v[6]);
	memset(h->reserved, 0, sizeof(h->reserved));
	/* Everything above is visible before ready reads 1. */
	__atomic_store_n(&h->ready, htole32(1), __ATOMIC_RELEASE);
}

static int setup_shm(struct dev *d)
{
	unsigned int k;

	d->shm_fd = memfd_create("wdmq-ivshmem", MFD_CLOEXEC);
	if (d->shm_fd < 0 || ftruncate(d->shm_fd, d->cfg.shm_size)) {
		perror(PROG ": shared memory");
		return -1;
	}
	d->shm = mmap(NULL, d->cfg.shm_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      d->shm_fd, 0);
	if (d->shm == MAP_FAILED) {
		d->shm = NULL;
		perror(PROG ": mmap");
		return -1;
	}
	d->ring_stride = (uint32_t)ring_stride(d->cfg.slots);
	/* The true layout; with --bad-header the rings are only read back. */
	for (k = 0; k < d->cfg.rings; k++) {
		uint8_t *base = d->shm + WDMQ_RING_OFFSET + (size_t)k * d->ring_stride;

		d->ring[k].head = (uint32_t *)base;
		d->ring[k].tail = (uint32_t *)(base + WDMQ_TAIL_OFF);
		d->ring[k].slot = base + WDMQ_RING_HDR;
	}
	if (d->cfg.nheader_faults) {
		write_header(d, d->cfg.header_faults[0]);
		d->headers_shown = 1;
	} else {
		write_header(d, d->cfg.bad_header);
	}
	return 0;
}

/*
 * --spoil-header-after: invalid values in every layout field, ready left 1.
 * A consumer that read them again would index far outside its rings.
 */
static void spoil_header(struct dev *d)
{
	struct wdmq_header *h = (struct wdmq_header *)d->shm;

	h->magic = 0;
	h->version = htole32(0xffffffffu);
	h->nrings = htole32(WDMQ_MAX_RINGS);
	h->slots = htole32(0x80000000u);
	h->record_size = htole32(1);
	h->ring_offset = htole32(0xfffff000u);
	h->ring_stride = htole32(0x80000000u);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	d->spoiled = true;
	fprintf(stderr, PROG ": header spoilt, ready left 1\n");
}

static int setup_eventfds(struct dev *d)
{
	unsigned int i;

	for (i = 0; i < d->cfg.vectors; i++) {
		d->own_efd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		d->guest_efd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (d->own_efd[i] < 0 || d->guest_efd[i] < 0) {
			perror(PROG ": eventfd");
			return -1;
		}
	}
	return 0;
}

/* ---- The ivshmem server protocol ---- */

/*
 * Bind to a temporary name and rename it into place once listening, so that
 * the socket path existing means connections are accepted.
 */
static int setup_listen(struct dev *d)
{
	const char *path = d->cfg.socket_path;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;

	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode)) {
			fprintf(stderr, PROG ": %s exists and is not a socket\n", path);
			return -1;
		}
		unlink(path);
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s.%ld.tmp", path, (long)getpid());
	unlink(sa.sun_path);
	d->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (d->listen_fd < 0 ||
	    bind(d->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(d->listen_fd, 1) || rename(sa.sun_path, path)) {
		fprintf(stderr, PROG ": listen on %s: %s\n", path, strerror(errno));
		unlink(sa.sun_path);
		return -1;
	}
	d->listen_linked = true;
	fprintf(stderr, PROG ": listening on %s\n", path);
	return 0;
}

/* One message: a little-endian int64, with fd as SCM_RIGHTS if fd >= 0. */
static int send_msg(int sock, int64_t val, int fd)
{
	uint64_t le = htole64((uint64_t)val);
	struct iovec iov = { .iov_base = &le, .iov_len = sizeof(le) };
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cmsg;
	ssize_t n;

	if (fd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(le) ? 0 : -1;
}

#define OWN_PEER_ID		0
#define GUEST_PEER_ID		1
#define PROTOCOL_VERSION	0

/* Version, the guest's id, the memory, our vectors, then the guest's own. */
static int send_setup(struct dev *d)
{
	int s = d->client_fd;
	unsigned int i;

	if (send_msg(s, PROTOCOL_VERSION, -1) || send_msg(s, GUEST_PEER_ID, -1) ||
	    send_msg(s, -1, d->shm_fd))
		return -1;
	for (i = 0; i < d->cfg.vectors; i++)
		if (send_msg(s, OWN_PEER_ID, d->own_efd[i]))
			return -1;
	for (i = 0; i < d->cfg.vectors; i++)
		if (send_msg(s, GUEST_PEER_ID, d->guest_efd[i]))
			return -1;
	return 0;
}

static void close_listen(struct dev *d)
{
	if (d->listen_linked)
		unlink(d->cfg.socket_path);
	d->listen_linked = false;
	if (d->listen_fd >= 0)
		close(d->listen_fd);
	d->listen_fd = -1;
}

/* Returns 1 to go on, 0 if the client left during setup, -1 on error. */
static int accept_client(struct dev *d)
{
	d->client_fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (d->client_fd < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED)
			return 1;
		perror(PROG ": accept");
		return -1;
	}
	close_listen(d);
	if (send_setup(d)) {
		fprintf(stderr, PROG ": sending the setup messages failed: %s\n", strerror(errno));
		return errno == EPIPE || errno == ECONNRESET ? 0 : -1;
	}
	fprintf(stderr, PROG ": client connected, peer id %d, %u vectors\n",
		GUEST_PEER_ID, d->cfg.vectors);
	d->t_connect = now_ns();
	d->phase = d->cfg.nheader_faults ? PHASE_HEADERS : PHASE_DELAY;
	return 1;
}

/* The client never sends data; returns false once it has gone. */
static bool client_alive(struct dev *d)
{
	char buf[64];
	ssize_t n = recv(d->client_fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
		return true;
	return false;
}

static void read_doorbells(struct dev *d)
{
	unsigned int i;
	uint64_t v;

	for (i = 0; i < d->cfg.vectors; i++)
		while (read(d->own_efd[i], &v, sizeof(v)) == (ssize_t)sizeof(v))
			d->doorbells += v;
}

/* ---- Producer ---- */

static unsigned int record_len(uint32_t i, unsigned int k)
{
	return (unsigned int)(((uint64_t)i * 7 + (uint64_t)k * 3) % 41);
}

static uint8_t payload_byte(unsigned int k, uint32_t i, unsigned int j)
{
	return (uint8_t)(k * 67u + i * 29u + (i >> 8) + j * 13u + 1u);
}

static unsigned int faults_at(const struct config *c, unsigned int k, uint32_t step)
{
	unsigned int kinds = 0;
	size_t i;

	for (i = 0; i < c->nfaults; i++)
		if (c->faults[i].index == step &&
		    (c->faults[i].ring == FAULT_ALL_RINGS || (unsigned int)c->faults[i].ring == k))
			kinds |= c->faults[i].kind;
	return kinds;
}

static uint32_t load_tail(const struct ring_state *rs)
{
	return le32toh(__atomic_load_n(rs->tail, __ATOMIC_ACQUIRE));
}

/* Record number head_val, spoilt as 'bad' says; then publish it. */
static void publish_record(struct dev *d, struct ring_state *rs, unsigned int k,
			   unsigned int bad)
{
	uint32_t i = rs->head_val;
	unsigned int len = record_len(i, k);
	unsigned int fill = (bad & FAULT_LEN) ? WDMQ_PAYLOAD_MAX : len;
	struct wdmq_record rec;
	uint32_t crc;
	unsigned int j;

	memset(&rec, 0, sizeof(rec));
	for (j = 0; j < fill; j++)
		rec.payload[j] = payload_byte(k, i, j);
	crc = (uint32_t)crc32(0, rec.payload, fill);
	rec.seq = htole32((bad & FAULT_SEQ) ? i + BAD_SEQ_DELTA : i);
	rec.len = htole16((uint16_t)((bad & FAULT_LEN) ? BAD_LEN_VALUE : len));
	rec.stamp = htole64(now_ns());
	rec.crc = htole32((bad & FAULT_CRC) ? crc ^ BAD_CRC_XOR : crc);
	memcpy(rs->slot + (size_t)(i & (d->cfg.slots - 1)) * WDMQ_RECORD_SIZE,
	       &rec, sizeof(rec));
	/* The record is visible before the new head. */
	__atomic_store_n(rs->head, htole32(i + 1), __ATOMIC_RELEASE);
	rs->head_val = i + 1;
	rs->events++;
	if (bad) {
		rs->malformed++;
	} else {
		rs->good++;
		rs->crc = (uint32_t)crc32(rs->crc, rec.payload, len);
	}
}

/* Corrupt the ring on purpose: head - tail > slots, in u32 arithmetic. */
static void publish_jump(struct dev *d, struct ring_state *rs, uint32_t tail,
			 unsigned int kind)
{
	uint32_t delta = kind & FAULT_FAR ? FAR_DELTA :
			 kind & FAULT_BACK ? BACK_DELTA : d->cfg.slots + JUMP_EXTRA;

	rs->head_val = tail + delta;
	__atomic_store_n(rs->head, htole32(rs->head_val), __ATOMIC_RELEASE);
	rs->events++;
	rs->malformed++;
}

static void signal_ring(struct dev *d, unsigned int k)
{
	uint64_t one = 1;

	if (write(d->guest_efd[k], &one, sizeof(one)) == (ssize_t)sizeof(one))
		d->ring[k].signals++;
	d->ring[k].unsignalled = 0;
}

/* Nanoseconds until ring k may make step 'step' under --rate, or 0. */
static uint64_t rate_wait(const struct dev *d, uint32_t step, uint64_t now)
{
	const struct config *c = &d->cfg;
	uint64_t first = step, due;

	if (!c->rate)
		return 0;
	if (c->pattern == PATTERN_BURST)
		first -= step % c->burst;
	due = d->t_start + first * NS_PER_SEC / c->rate;
	return now >= due ? 0 : due - now;
}

/*
 * One step of ring k: a record or a jump. Returns 0 when the step was made,
 * else how long to wait before trying again.
 */
static uint64_t produce_step(struct dev *d, unsigned int k, uint64_t now)
{
	struct ring_state *rs = &d->ring[k];
	unsigned int bad = faults_at(&d->cfg, k, rs->step);
	uint32_t tail = load_tail(rs);
	uint64_t wait = rate_wait(d, rs->step, now);

	if (wait)
		return wait;
	if (bad & FAULT_HEAD) {
		if (rs->head_val != tail)	/* wait until the ring is empty */
			return ROOM_POLL_NS;
		publish_jump(d, rs, tail, bad);
	} else {
		if (rs->head_val - tail >= d->cfg.slots) {	/* full */
			rs->full_waits++;
			return ROOM_POLL_NS;
		}
		publish_record(d, rs, k, bad);
	}
	rs->step++;
	rs->unsignalled++;
	if (d->cfg.pattern == PATTERN_STEADY || rs->unsignalled >= d->cfg.burst)
		signal_ring(d, k);
	return 0;
}

static void die_now(struct dev *d);

/*
 * Where every ring stops for now: the restart or death point, the hold
 * point that the doorbells so far have moved, or --count.
 */
static uint32_t step_limit(const struct dev *d)
{
	const struct config *c = &d->cfg;
	uint64_t held;

	if (c->restart_after && !d->restarts)
		return c->restart_after;
	if (c->hold_after) {
		held = c->hold_after + d->doorbells * c->hold_step;
		return held < c->count ? (uint32_t)held : c->count;
	}
	return c->die_after ? c->die_after : c->count;
}

/*
 * Up to one quantum of steps for ring k, stopping at @limit. Returns 0 if
 * it made progress, NO_WAIT once the ring is at the limit, else how long it
 * is blocked.
 */
static uint64_t produce_ring(struct dev *d, unsigned int k, uint64_t now, uint32_t limit)
{
	struct ring_state *rs = &d->ring[k];
	unsigned int quantum = d->cfg.pattern == PATTERN_BURST ? d->cfg.burst : STEADY_QUANTUM;
	unsigned int done;
	uint64_t wait = 0;

	for (done = 0; done < quantum && rs->step < limit; done++) {
		wait = produce_step(d, k, now);
		if (wait)
			break;
	}
	/* Whatever is published but not yet signalled must not sit silent. */
	if (rs->unsignalled && (wait || rs->step == limit))
		signal_ring(d, k);
	if (done)
		return 0;
	return rs->step == limit ? NO_WAIT : wait;
}

/* The consumer has taken at least @n records from every ring. */
static bool consumed_at_least(const struct dev *d, uint32_t n)
{
	unsigned int k;

	for (k = 0; k < d->cfg.rings; k++)
		if (load_tail(&d->ring[k]) < n)
			return false;
	return true;
}

/* Serve every ring once, round-robin. Returns the time to wait next. */
static uint64_t produce_round(struct dev *d, uint64_t now)
{
	uint32_t limit = step_limit(d);
	uint64_t wait = NO_WAIT, w;
	unsigned int k;

	if (d->cfg.bad_header != NO_BAD_HEADER) {
		d->produced_all = true;
		return NO_WAIT;
	}
	for (k = 0; k < d->cfg.rings; k++) {
		w = produce_ring(d, k, now, limit);
		if (w < wait)
			wait = w;
	}
	if (d->cfg.spoil_after && !d->spoiled && consumed_at_least(d, d->cfg.spoil_after))
		spoil_header(d);
	d->produced_all = false;
	if (wait != NO_WAIT)
		return wait;
	/* Every ring is at the limit: a hold, the restart, the death, or the end. */
	if (limit < d->cfg.count && d->cfg.hold_after)
		return NO_WAIT;		/* until the next doorbell */
	if (d->cfg.restart_after && !d->restarts) {
		fprintf(stderr, PROG ": restarting: silent for %u ms\n", d->cfg.restart_ms);
		d->t_restart = now + (uint64_t)d->cfg.restart_ms * 1000000u;
		d->phase = PHASE_RESTART;
		return d->t_restart - now;
	}
	if (d->cfg.die_after)
		die_now(d);
	d->produced_all = true;
	return NO_WAIT;
}

static bool all_consumed(const struct dev *d)
{
	unsigned int k;

	for (k = 0; k < d->cfg.rings; k++)
		if (load_tail(&d->ring[k]) != d->ring[k].head_val)
			return false;
	return true;
}

/* ---- Report ---- */

static void print_report(const struct dev *d, FILE *f)
{
	uint64_t ev = 0, good = 0, bad = 0, pub = 0, con = 0, sig = 0;
	bool consumed = true;
	unsigned int k;

	for (k = 0; k < d->cfg.rings; k++) {
		const struct ring_state *rs = &d->ring[k];
		uint32_t tail = load_tail(rs);

		fprintf(f, "ring %u events %" PRIu64 " good %" PRIu64 " malformed %" PRIu64
			" crc 0x%08" PRIx32 " published %" PRIu32 " consumed %" PRIu32
			" signals %" PRIu64 "\n", k, rs->events, rs->good, rs->malformed,
			rs->crc, rs->head_val, tail, rs->signals);
		ev += rs->events;
		good += rs->good;
		bad += rs->malformed;
		pub += rs->head_val;
		con += tail;
		sig += rs->signals;
		consumed &= tail == rs->head_val;
	}
	fprintf(f, "total events %" PRIu64 " good %" PRIu64 " malformed %" PRIu64
		" published %" PRIu64 " consumed %" PRIu64 " signals %" PRIu64
		" doorbells %" PRIu64 " state %s\n", ev, good, bad, pub, con, sig,
		d->doorbells, d->produced_all && consumed ? "done" : "incomplete");
	if (d->cfg.nheader_faults || d->cfg.restart_after || d->cfg.die_after ||
	    d->cfg.spoil_after)
		fprintf(f, "lifecycle header_faults %zu restarts %u spoiled %d died %d\n",
			d->headers_shown, d->restarts, d->spoiled, d->died);
}

/* Atomically replace the report file. */
static int write_report_file(const struct dev *d)
{
	const char *path = d->cfg.report_path;
	size_t n = strlen(path) + 8;
	char *tmp = malloc(n);
	FILE *f;
	int ret = -1;

	if (!tmp)
		return -1;
	snprintf(tmp, n, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f) {
		int err;

		print_report(d, f);
		err = ferror(f);
		if (fclose(f) || err || rename(tmp, path))
			unlink(tmp);
		else
			ret = 0;
	}
	if (ret)
		fprintf(stderr, PROG ": writing %s: %s\n", path, strerror(errno));
	free(tmp);
	return ret;
}

static int final_report(struct dev *d)
{
	uint64_t waits = 0;
	unsigned int k;

	for (k = 0; k < d->cfg.rings; k++)
		waits += d->ring[k].full_waits;
	fprintf(stderr, PROG ": found a ring full %" PRIu64 " times\n", waits);
	read_doorbells(d);
	if (d->cfg.report_path)
		return write_report_file(d);
	print_report(d, stdout);
	return fflush(stdout) ? -1 : 0;
}

/* --die-after: the report, then SIGKILL: no orderly shutdown of anything. */
static void die_now(struct dev *d)
{
	fprintf(stderr, PROG ": every ring published %" PRIu32 " records: dying by SIGKILL\n",
		d->cfg.die_after);
	d->died = true;
	final_report(d);
	fflush(NULL);
	raise(SIGKILL);
}

/* --restart-after: the silence is over; a new producer takes the rings over. */
static void restart_producer(struct dev *d)
{
	unsigned int k;

	write_header(d, NO_BAD_HEADER);
	for (k = 0; k < d->cfg.rings; k++) {
		d->ring[k].head_val = le32toh(__atomic_load_n(d->ring[k].head, __ATOMIC_ACQUIRE));
		d->ring[k].unsignalled = 0;
	}
	d->restarts++;
	d->phase = PHASE_PRODUCE;
	fprintf(stderr, PROG ": restarted\n");
}

/* --header-faults: each doorbell from the guest publishes the next header. */
static void next_header(struct dev *d, uint64_t now)
{
	if (d->doorbells == d->doorbells_seen)
		return;
	d->doorbells_seen = d->doorbells;
	if (d->headers_shown < d->cfg.nheader_faults) {
		write_header(d, d->cfg.header_faults[d->headers_shown++]);
		return;
	}
	write_header(d, NO_BAD_HEADER);
	d->t_connect = now;
	d->phase = PHASE_DELAY;
}

/* ---- Main loop ---- */

/* Advance the phases; returns the time until something is due. */
static uint64_t advance(struct dev *d, uint64_t now)
{
	uint64_t due, wait;

	if (d->phase == PHASE_HEADERS)
		next_header(d, now);
	if (d->phase == PHASE_RESTART) {
		if (now < d->t_restart)
			return d->t_restart - now;
		restart_producer(d);
	}
	if (d->phase == PHASE_DELAY) {
		due = d->t_connect + (uint64_t)d->cfg.start_delay_ms * 1000000u;
		if (now < due)
			return due - now;
		d->t_start = now;
		d->phase = PHASE_PRODUCE;
	}
	if (d->phase != PHASE_PRODUCE)
		return NO_WAIT;
	wait = produce_round(d, now);
	if (!d->produced_all)
		return wait;
	if (!all_consumed(d))
		return DRAIN_POLL_NS;
	d->phase = PHASE_DONE;
	fprintf(stderr, PROG ": every record is published and consumed\n");
	if (d->cfg.report_path)
		write_report_file(d);
	return NO_WAIT;
}

enum { PFD_SIG, PFD_SOCK, PFD_EFD };

static int build_pollset(const struct dev *d, struct pollfd *pfd)
{
	unsigned int i, n = PFD_EFD;

	pfd[PFD_SIG] = (struct pollfd) { .fd = d->sig_fd, .events = POLLIN };
	pfd[PFD_SOCK] = (struct pollfd) {
		.fd = d->client_fd >= 0 ? d->client_fd : d->listen_fd, .events = POLLIN,
	};
	if (d->client_fd >= 0)
		for (i = 0; i < d->cfg.vectors; i++)
			pfd[n++] = (struct pollfd) { .fd = d->own_efd[i], .events = POLLIN };
	return (int)n;
}

/* Returns 1 to go on, 0 to finish, -1 on error. */
static int handle_events(struct dev *d, const struct pollfd *pfd, int n)
{
	struct signalfd_siginfo si;
	uint64_t v;
	int i;

	if (pfd[PFD_SIG].revents & POLLIN) {
		if (read(d->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			fprintf(stderr, PROG ": %s, exiting\n", strsignal((int)si.ssi_signo));
		return 0;
	}
	for (i = PFD_EFD; i < n; i++)
		while ((pfd[i].revents & POLLIN) &&
		       read(pfd[i].fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
			d->doorbells += v;
	if (!pfd[PFD_SOCK].revents)
		return 1;
	if (d->client_fd < 0)
		return accept_client(d);
	if (!client_alive(d)) {
		fprintf(stderr, PROG ": client disconnected\n");
		return 0;
	}
	return 1;
}

static int run(struct dev *d)
{
	struct pollfd *pfd = calloc(PFD_EFD + d->cfg.vectors, sizeof(*pfd));
	uint64_t wait = NO_WAIT;
	struct timespec ts;
	int n, ret = 1;

	while (pfd && ret > 0) {
		n = build_pollset(d, pfd);
		ts.tv_sec = (time_t)(wait / NS_PER_SEC);
		ts.tv_nsec = (long)(wait % NS_PER_SEC);
		if (ppoll(pfd, (nfds_t)n, wait == NO_WAIT ? NULL : &ts, NULL) < 0) {
			if (errno == EINTR)
				continue;
			perror(PROG ": ppoll");
			ret = -1;
			break;
		}
		ret = handle_events(d, pfd, n);
		if (ret > 0)
			wait = advance(d, now_ns());
	}
	free(pfd);
	return pfd ? ret : -1;
}

static int setup_signals(struct dev *d)
{
	sigset_t set;

	/* An ignored disposition inherited from a shell must not hide them. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	d->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return d->sig_fd < 0 ? -1 : 0;
}

static int dev_init(struct dev *d)
{
	unsigned int i, nv = d->cfg.vectors;

	d->listen_fd = d->client_fd = d->sig_fd = d->shm_fd = -1;
	d->own_efd = malloc(nv * sizeof(int));
	d->guest_efd = malloc(nv * sizeof(int));
	d->ring = calloc(d->cfg.rings, sizeof(*d->ring));
	if (!d->own_efd || !d->guest_efd || !d->ring) {
		perror(PROG ": malloc");
		return -1;
	}
	for (i = 0; i < nv; i++)
		d->own_efd[i] = d->guest_efd[i] = -1;
	if (setup_signals(d)) {
		perror(PROG ": signals");
		return -1;
	}
	if (setup_shm(d) || setup_eventfds(d) || setup_listen(d))
		return -1;
	return 0;
}

static void close_fd(int fd)
{
	if (fd >= 0)
		close(fd);
}

static void dev_release(struct dev *d)
{
	unsigned int i;

	close_listen(d);
	close_fd(d->client_fd);
	close_fd(d->sig_fd);
	for (i = 0; d->own_efd && d->guest_efd && i < d->cfg.vectors; i++) {
		close_fd(d->own_efd[i]);
		close_fd(d->guest_efd[i]);
	}
	if (d->shm)
		munmap(d->shm, d->cfg.shm_size);
	close_fd(d->shm_fd);
	free(d->own_efd);
	free(d->guest_efd);
	free(d->ring);
	free(d->cfg.faults);
	free(d->cfg.header_faults);
}

int main(int argc, char **argv)
{
	struct dev d = { .listen_fd = -1 };
	int ret;

	if (parse_args(&d.cfg, argc, argv)) {
		free(d.cfg.faults);
		free(d.cfg.header_faults);
		return 2;
	}
	if (dev_init(&d)) {
		dev_release(&d);
		return 1;
	}
	ret = run(&d);
	if (final_report(&d))
		ret = -1;
	dev_release(&d);
	return ret < 0 ? 1 : 0;
}
