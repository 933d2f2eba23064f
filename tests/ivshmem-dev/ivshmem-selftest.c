// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-selftest: stands in for QEMU and the guest driver when testing
 * ivshmem-dev on the host. It connects to the server socket, checks every
 * setup message and descriptor, maps the shared memory and consumes the rings
 * as the "Consumer" section of docs/DEVICE-SPEC.md says, woken by its own
 * eventfds. At the end it prints its view in the format of ivshmem-dev's
 * report, so the two can be compared line by line.
 *
 * The layout is read with byte offsets taken from docs/DEVICE-SPEC.md, not
 * from ivshmem-dev.c, so that a layout mistake in one is caught by the other.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <zlib.h>

#define PROG			"ivshmem-selftest"

/* docs/DEVICE-SPEC.md: header */
#define H_MAGIC			0x00
#define H_VERSION		0x04
#define H_NRINGS		0x08
#define H_SLOTS			0x0C
#define H_RECORD_SIZE		0x10
#define H_RING_OFFSET		0x14
#define H_RING_STRIDE		0x18
#define H_READY			0x1C
#define H_SIZE			0x40
/* docs/DEVICE-SPEC.md: ring */
#define R_HEAD			0x00
#define R_TAIL			0x40
#define R_SLOTS			0x100
/* docs/DEVICE-SPEC.md: record */
#define REC_SEQ			0x00
#define REC_LEN			0x04
#define REC_CRC			0x10
#define REC_PAYLOAD		0x18
#define REC_SIZE		64
#define PAYLOAD_MAX		40
#define MAX_RINGS		64

#define DEF_VECTORS		8u
#define DEF_SHM_SIZE		(1u << 20)
#define DEF_TIMEOUT_MS		10000u
#define TICK_MS			5
#define HOLD_MS			5000

struct options {
	const char *socket_path;
	const char *until_file;
	unsigned int vectors;
	unsigned long shm_size;
	unsigned int timeout_ms;
	unsigned int max_batch;
	unsigned int doorbells;
	unsigned int consume_delay_ms;
	bool hold;
	bool fix_header;
};

struct cring {
	size_t base;			/* ring offset in shared memory */
	uint32_t tail;			/* ours: records consumed */
	uint32_t head;			/* last head read */
	bool pending;			/* stopped early, more to take */
	uint64_t events, good, malformed, signals;
	uint32_t crc;			/* chained over good payloads */
};

struct client {
	struct options opt;
	int sock;
	int shm_fd;
	int *peer_efd;			/* peer 0: our doorbell to the server */
	int *own_efd;			/* ours: the server signals these */
	uint8_t *shm;
	const char *bad_field;		/* header field found invalid */
	uint32_t nrings, slots;
	struct cring ring[MAX_RINGS];
	uint64_t stray_signals;		/* on vectors without a ring */
	unsigned int fixes;		/* --fix-header doorbells rung */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- Command line ---- */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " --socket PATH [options]\n"
"\n"
"Connect to an ivshmem server as QEMU would, check the setup messages, and\n"
"consume the docs/DEVICE-SPEC.md rings as the driver would; print the view.\n"
"\n"
"  -s, --socket PATH      server socket (required)\n"
"  -v, --vectors N        vectors expected per peer (default %u)\n"
"  -m, --shm-size BYTES   shared memory size expected (default %u)\n"
"  -u, --until-file FILE  finish once FILE exists (the server's report)\n"
"  -t, --timeout-ms T     give up after T ms (default %u)\n"
"  -B, --max-batch N      take at most N records per pass, then come back\n"
"                         without an interrupt (0 = no limit, default)\n"
"  -D, --doorbells N      ring the server's (peer 0) vectors N times,\n"
"                         round-robin, right after setup\n"
"  -w, --consume-delay-ms D  wait D ms before consuming, then print\n"
"                         'backlog ring K waiting N' (N = head - tail) per ring\n"
"  -k, --hold             after printing, stay connected until the server\n"
"                         closes the connection\n"
"  -F, --fix-header       while the header is invalid, print 'header invalid\n"
"                         FIELD', ring the server's vector 0 and wait for\n"
"                         the next header (ivshmem-dev --header-faults)\n"
"  -h, --help             this text\n"
"\n"
"Output: 'header invalid FIELD' if the header is ready but wrong, then\n"
"  ring K events E good G malformed B crc 0xXXXXXXXX published P consumed C signals S\n"
"  total events E good G malformed B published P consumed C signals S doorbells D state done|incomplete\n"
"Exit status 0 when the run finished with everything consumed and no\n"
"protocol error, 1 otherwise, 2 for bad options.\n",
		DEF_VECTORS, DEF_SHM_SIZE, DEF_TIMEOUT_MS);
}

static int parse_num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 0);
	return errno || *end || *out > max ? -1 : 0;
}

static int parse_args(struct options *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "vectors", required_argument, NULL, 'v' },
		{ "shm-size", required_argument, NULL, 'm' },
		{ "until-file", required_argument, NULL, 'u' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "max-batch", required_argument, NULL, 'B' },
		{ "doorbells", required_argument, NULL, 'D' },
		{ "consume-delay-ms", required_argument, NULL, 'w' },
		{ "hold", no_argument, NULL, 'k' },
		{ "fix-header", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c, bad = 0;

	*o = (struct options) { .vectors = DEF_VECTORS, .shm_size = DEF_SHM_SIZE,
				.timeout_ms = DEF_TIMEOUT_MS };
	while ((c = getopt_long(argc, argv, "s:v:m:u:t:B:D:w:kFh", lo, NULL)) != -1) {
		switch (c) {
		case 's': o->socket_path = optarg; break;
		case 'u': o->until_file = optarg; break;
		case 'k': o->hold = true; break;
		case 'F': o->fix_header = true; break;
		case 'h': usage(stdout); exit(0);
		case 'v': bad |= parse_num(optarg, 1024, &v); o->vectors = (unsigned int)v; break;
		case 'm': bad |= parse_num(optarg, 1ul << 31, &o->shm_size); break;
		case 't': bad |= parse_num(optarg, 3600000, &v); o->timeout_ms = (unsigned int)v; break;
		case 'B': bad |= parse_num(optarg, UINT_MAX, &v); o->max_batch = (unsigned int)v; break;
		case 'D': bad |= parse_num(optarg, 1000000, &v); o->doorbells = (unsigned int)v; break;
		case 'w': bad |= parse_num(optarg, 3600000, &v); o->consume_delay_ms = (unsigned int)v; break;
		default: bad = -1;
		}
	}
	if (bad || optind < argc || !o->socket_path || !o->vectors) {
		fprintf(stderr, PROG ": bad arguments; try '" PROG " --help'\n");
		return -1;
	}
	return 0;
}

/* ---- The setup messages ---- */

/* One message: 8 bytes and at most one descriptor. */
static int recv_msg(int sock, int64_t *val, int *fd)
{
	uint64_t le;
	struct iovec iov = { .iov_base = &le, .iov_len = sizeof(le) };
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(4 * sizeof(int))];
	} ctl;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *cm;
	int nfds = 0, fds[4];
	ssize_t n = recvmsg(sock, &msg, MSG_WAITALL | MSG_CMSG_CLOEXEC);

	if (n != (ssize_t)sizeof(le)) {
		fprintf(stderr, PROG ": short setup message (%zd bytes): %s\n", n,
			n < 0 ? strerror(errno) : "connection closed");
		return -1;
	}
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (ssize_t)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(fds + nfds, CMSG_DATA(cm), (size_t)n * sizeof(int));
		nfds += (int)n;
	}
	*val = (int64_t)le64toh(le);
	*fd = nfds ? fds[0] : -1;
	if (nfds > 1 || (msg.msg_flags & MSG_CTRUNC)) {
		fprintf(stderr, PROG ": message %" PRId64 " carried %d descriptors\n", *val, nfds);
		while (nfds--)
			close(fds[nfds]);
		return -1;
	}
	return 0;
}

/* The descriptor's kind, as /proc names it, starts with 'kind'. */
static bool fd_is(int fd, const char *kind)
{
	char path[64], link[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	return !strncmp(link, kind, strlen(kind));
}

/*
 * Receive one message and insist on its value and on whether it carries a
 * descriptor of the given kind (NULL: none). Returns the descriptor or -1.
 */
static int expect_msg(struct client *c, const char *what, int64_t want,
		      const char *kind, int *fd_out)
{
	int64_t val;
	int fd;

	if (recv_msg(c->sock, &val, &fd))
		return -1;
	if (val != want || (kind == NULL) != (fd < 0) || (kind && !fd_is(fd, kind))) {
		fprintf(stderr, PROG ": %s: expected %" PRId64 " %s, got %" PRId64 " %s\n",
			what, want, kind ? kind : "without fd", val,
			fd < 0 ? "without fd" : "with an fd of another kind");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*fd_out = fd;
	return 0;
}

static int receive_setup(struct client *c)
{
	unsigned int i;
	struct stat st;
	int none;

	if (expect_msg(c, "protocol version", 0, NULL, &none) ||
	    expect_msg(c, "own peer id", 1, NULL, &none) ||
	    expect_msg(c, "shared memory", -1, "/memfd:", &c->shm_fd))
		return -1;
	for (i = 0; i < c->opt.vectors; i++)
		if (expect_msg(c, "server vector", 0, "anon_inode:[eventfd]", &c->peer_efd[i]))
			return -1;
	for (i = 0; i < c->opt.vectors; i++) {
		if (expect_msg(c, "own vector", 1, "anon_inode:[eventfd]", &c->own_efd[i]))
			return -1;
		/* As QEMU does: drain them without blocking. */
		fcntl(c->own_efd[i], F_SETFL, O_NONBLOCK);
	}
	if (fstat(c->shm_fd, &st) || (unsigned long)st.st_size != c->opt.shm_size) {
		fprintf(stderr, PROG ": shared memory is %lld bytes, expected %lu\n",
			(long long)st.st_size, c->opt.shm_size);
		return -1;
	}
	c->shm = mmap(NULL, c->opt.shm_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->shm_fd, 0);
	if (c->shm == MAP_FAILED) {
		c->shm = NULL;
		perror(PROG ": mmap");
		return -1;
	}
	return 0;
}

static int connect_server(struct client *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = c->opt.timeout_ms / 1000,
			      .tv_usec = (c->opt.timeout_ms % 1000) * 1000 };

	if (strlen(c->opt.socket_path) >= sizeof(sa.sun_path))
		return fprintf(stderr, PROG ": socket path too long\n"), -1;
	strcpy(sa.sun_path, c->opt.socket_path);
	c->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->sock < 0 || connect(c->sock, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(c->sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		fprintf(stderr, PROG ": connect %s: %s\n", c->opt.socket_path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- Shared memory access ---- */

static uint32_t *u32_at(const struct client *c, size_t off)
{
	return (uint32_t *)(c->shm + off);
}

static uint32_t rd32(const struct client *c, size_t off)
{
	return le32toh(*u32_at(c, off));
}

static uint32_t load_acquire(const struct client *c, size_t off)
{
	return le32toh(__atomic_load_n(u32_at(c, off), __ATOMIC_ACQUIRE));
}

/* Returns the name of the first wrong field, or NULL if the header is valid. */
static const char *check_header(struct client *c)
{
	uint64_t size = c->opt.shm_size;
	uint32_t nrings = rd32(c, H_NRINGS), slots = rd32(c, H_SLOTS);
	uint32_t off = rd32(c, H_RING_OFFSET), stride = rd32(c, H_RING_STRIDE);

	if (rd32(c, H_MAGIC) != 0x514D4457u)
		return "magic";
	if (rd32(c, H_VERSION) != 1)
		return "version";
	if (nrings < 1 || nrings > MAX_RINGS || nrings > c->opt.vectors)
		return "nrings";
	if (slots < 16 || slots > 65536 || (slots & (slots - 1)))
		return "slots";
	if (rd32(c, H_RECORD_SIZE) != REC_SIZE)
		return "record_size";
	if (off < H_SIZE || off % 64 || off >= size)
		return "ring_offset";
	if (stride % 4096 || stride < R_SLOTS + (uint64_t)slots * REC_SIZE ||
	    off + (uint64_t)nrings * stride > size)
		return "ring_stride";
	c->nrings = nrings;
	c->slots = slots;
	return NULL;
}

/* Wait for ready, then validate. Returns 0 when the header is settled. */
static int read_header(struct client *c, uint64_t deadline)
{
	uint32_t k;

	while (load_acquire(c, H_READY) != 1) {
		if (now_ms() > deadline)
			return fprintf(stderr, PROG ": header never became ready\n"), -1;
		usleep(1000);
	}
	c->bad_field = check_header(c);
	if (c->bad_field)
		return 0;
	for (k = 0; k < c->nrings; k++) {
		c->ring[k].base = rd32(c, H_RING_OFFSET) + (size_t)k * rd32(c, H_RING_STRIDE);
		c->ring[k].tail = load_acquire(c, c->ring[k].base + R_TAIL);
	}
	return 0;
}

/*
 * --fix-header: ring the server's vector 0 and wait until a header other
 * than the current one is published (ready read as 1 around two equal
 * copies of it), then check that one.
 */
static int next_header(struct client *c, uint64_t deadline)
{
	uint8_t old[H_READY], cur[H_READY], again[H_READY];
	uint64_t one = 1;

	memcpy(old, c->shm, sizeof(old));
	if (write(c->peer_efd[0], &one, sizeof(one)) != sizeof(one))
		return perror(PROG ": doorbell"), -1;
	c->fixes++;
	for (;;) {
		if (now_ms() > deadline)
			return fprintf(stderr, PROG ": no new header came\n"), -1;
		usleep(1000);
		if (load_acquire(c, H_READY) != 1)
			continue;
		memcpy(cur, c->shm, sizeof(cur));
		memcpy(again, c->shm, sizeof(again));
		if (load_acquire(c, H_READY) == 1 && memcmp(cur, old, sizeof(cur)) &&
		    !memcmp(cur, again, sizeof(cur)))
			return read_header(c, deadline);
	}
}

/* ---- Consumer ---- */

static void take_record(struct cring *r, const uint8_t *rec)
{
	uint32_t seq, crc;
	uint16_t len;

	memcpy(&seq, rec + REC_SEQ, sizeof(seq));
	memcpy(&len, rec + REC_LEN, sizeof(len));
	memcpy(&crc, rec + REC_CRC, sizeof(crc));
	seq = le32toh(seq);
	len = le16toh(len);
	crc = le32toh(crc);
	r->events++;
	/* len is checked before it is used. */
	if (seq != r->tail || len > PAYLOAD_MAX ||
	    crc32(0, rec + REC_PAYLOAD, len) != crc) {
		r->malformed++;
		return;
	}
	r->good++;
	r->crc = (uint32_t)crc32(r->crc, rec + REC_PAYLOAD, len);
}

/* One pass over ring k, at most --max-batch records. */
static void drain_ring(struct client *c, unsigned int k)
{
	struct cring *r = &c->ring[k];
	uint8_t rec[REC_SIZE];
	uint32_t avail, n;

	r->head = load_acquire(c, r->base + R_HEAD);
	avail = r->head - r->tail;
	if (avail > c->slots) {
		r->events++;
		r->malformed++;
		r->tail = r->head;
		r->pending = false;
	} else {
		n = c->opt.max_batch && avail > c->opt.max_batch ? c->opt.max_batch : avail;
		r->pending = n < avail;
		while (n--) {
			memcpy(rec, c->shm + r->base + R_SLOTS +
			       (size_t)(r->tail & (c->slots - 1)) * REC_SIZE, sizeof(rec));
			take_record(r, rec);
			r->tail++;
		}
	}
	__atomic_store_n(u32_at(c, r->base + R_TAIL), htole32(r->tail), __ATOMIC_RELEASE);
}

/* Read vector i's eventfd; returns true if it had been signalled. */
static bool take_signals(struct client *c, unsigned int i)
{
	uint64_t v, sum = 0;

	while (read(c->own_efd[i], &v, sizeof(v)) == (ssize_t)sizeof(v))
		sum += v;
	if (i < c->nrings)
		c->ring[i].signals += sum;
	else
		c->stray_signals += sum;
	return sum != 0;
}

/* Returns 1 while the server is connected and silent, 0 once it closed, -1 on data. */
static int server_state(struct client *c)
{
	char b;
	ssize_t n = recv(c->sock, &b, 1, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n > 0)
		fprintf(stderr, PROG ": unexpected message from the server\n");
	return n > 0 ? -1 : 0;
}

/* ---- Main loop ---- */

/* Returns 0 once --until-file appeared, -1 on timeout or a server problem. */
static int consume(struct client *c, uint64_t deadline)
{
	unsigned int nv = c->opt.vectors, i;
	struct pollfd *pfd = calloc(nv + 1, sizeof(*pfd));
	int ret = -1, st;

	for (i = 0; pfd && i < nv; i++)
		pfd[i] = (struct pollfd) { .fd = c->own_efd[i], .events = POLLIN };
	while (pfd) {
		bool pending = false;

		if (c->opt.until_file && !access(c->opt.until_file, F_OK)) {
			ret = 0;
			break;
		}
		if (now_ms() > deadline) {
			fprintf(stderr, PROG ": timed out\n");
			break;
		}
		for (i = 0; i < c->nrings; i++)
			pending |= c->ring[i].pending;
		pfd[nv] = (struct pollfd) { .fd = c->sock, .events = POLLIN };
		if (poll(pfd, nv + 1, pending ? 0 : TICK_MS) < 0 && errno != EINTR)
			break;
		if (pfd[nv].revents && (st = server_state(c)) <= 0) {
			fprintf(stderr, PROG ": the server %s\n", st ? "misbehaved" : "went away");
			break;
		}
		for (i = 0; i < nv; i++)
			if ((pfd[i].revents & POLLIN) && take_signals(c, i) && i < c->nrings)
				c->ring[i].pending = true;
		for (i = 0; i < c->nrings; i++)
			if (c->ring[i].pending)
				drain_ring(c, i);
	}
	free(pfd);
	return ret;
}

static void ring_doorbells(struct client *c)
{
	uint64_t one = 1;
	unsigned int i;

	for (i = 0; i < c->opt.doorbells; i++)
		if (write(c->peer_efd[i % c->opt.vectors], &one, sizeof(one)) != sizeof(one))
			perror(PROG ": doorbell");
}

/* Prints the view; returns true if everything published was consumed. */
static bool print_view(struct client *c, bool finished)
{
	uint64_t ev = 0, good = 0, bad = 0, pub = 0, con = 0, sig = c->stray_signals;
	bool consumed = true;
	unsigned int k;

	if (c->bad_field)
		printf("header invalid %s\n", c->bad_field);
	for (k = 0; k < c->nrings; k++) {
		struct cring *r = &c->ring[k];

		r->head = load_acquire(c, r->base + R_HEAD);
		printf("ring %u events %" PRIu64 " good %" PRIu64 " malformed %" PRIu64
		       " crc 0x%08" PRIx32 " published %" PRIu32 " consumed %" PRIu32
		       " signals %" PRIu64 "\n", k, r->events, r->good, r->malformed,
		       r->crc, r->head, r->tail, r->signals);
		ev += r->events;
		good += r->good;
		bad += r->malformed;
		pub += r->head;
		con += r->tail;
		sig += r->signals;
		consumed &= r->head == r->tail;
	}
	printf("total events %" PRIu64 " good %" PRIu64 " malformed %" PRIu64
	       " published %" PRIu64 " consumed %" PRIu64 " signals %" PRIu64
	       " doorbells %u state %s\n", ev, good, bad, pub, con, sig,
	       c->opt.doorbells + c->fixes, finished && consumed ? "done" : "incomplete");
	fflush(stdout);
	return finished && consumed;
}

/* --hold: stay connected until the server closes its end. */
static int hold(struct client *c)
{
	struct pollfd p = { .fd = c->sock, .events = POLLIN };
	uint64_t deadline = now_ms() + HOLD_MS;
	int st = 1;

	while (st > 0 && now_ms() < deadline)
		if (poll(&p, 1, TICK_MS) > 0)
			st = server_state(c);
	if (st)
		fprintf(stderr, PROG ": the server did not close the connection\n");
	return st ? -1 : 0;
}

/* --consume-delay-ms: let the producer run into full rings, and show it. */
static void show_backlog(struct client *c)
{
	unsigned int k;

	if (!c->opt.consume_delay_ms)
		return;
	usleep(c->opt.consume_delay_ms * 1000u);
	for (k = 0; k < c->nrings; k++)
		printf("backlog ring %u waiting %" PRIu32 "\n", k,
		       load_acquire(c, c->ring[k].base + R_HEAD) - c->ring[k].tail);
	fflush(stdout);
}

static int run(struct client *c)
{
	uint64_t deadline = now_ms() + c->opt.timeout_ms;
	bool finished;
	unsigned int i;

	if (connect_server(c) || receive_setup(c) || read_header(c, deadline))
		return -1;
	while (c->opt.fix_header && c->bad_field) {
		printf("header invalid %s\n", c->bad_field);
		if (next_header(c, deadline))
			return -1;
	}
	ring_doorbells(c);
	show_backlog(c);
	finished = consume(c, deadline) == 0;
	for (i = 0; i < c->opt.vectors; i++)
		take_signals(c, i);
	if (!print_view(c, finished))
		return -1;
	return c->opt.hold ? hold(c) : 0;
}

static void release(struct client *c)
{
	unsigned int i;

	for (i = 0; i < c->opt.vectors; i++) {
		if (c->peer_efd[i] >= 0)
			close(c->peer_efd[i]);
		if (c->own_efd[i] >= 0)
			close(c->own_efd[i]);
	}
	if (c->shm)
		munmap(c->shm, c->opt.shm_size);
	if (c->shm_fd >= 0)
		close(c->shm_fd);
	if (c->sock >= 0)
		close(c->sock);
	free(c->peer_efd);
	free(c->own_efd);
}

int main(int argc, char **argv)
{
	struct client c = { .sock = -1, .shm_fd = -1 };
	unsigned int i;
	int ret;

	if (parse_args(&c.opt, argc, argv))
		return 2;
	c.peer_efd = malloc(c.opt.vectors * sizeof(int));
	c.own_efd = malloc(c.opt.vectors * sizeof(int));
	if (!c.peer_efd || !c.own_efd) {
		perror(PROG ": malloc");
		return 1;
	}
	for (i = 0; i < c.opt.vectors; i++)
		c.peer_efd[i] = c.own_efd[i] = -1;
	ret = run(&c);
	release(&c);
	return ret ? 1 : 0;
}
