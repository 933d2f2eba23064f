// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of --info, --stats and --reset-stats against the fake device, and
 * of the open errors every mode shares.
 */
#include <errno.h>
#include <string.h>

#include "fakedev.h"
#include "harness.h"
#include "wdmisr-read.h"

static void t_names(void)
{
	WT_EXPECT_STR(wr_personality_name(WDMISR_PERS_GENERIC), "generic");
	WT_EXPECT_STR(wr_personality_name(WDMISR_PERS_EDU), "edu");
	WT_EXPECT_STR(wr_personality_name(WDMISR_PERS_IVSHMEM), "ivshmem");
	WT_EXPECT_TRUE(wr_personality_name(3) == NULL);
	WT_EXPECT_STR(wr_irq_mode_name(WDMISR_IRQ_INTX), "INTx");
	WT_EXPECT_STR(wr_irq_mode_name(WDMISR_IRQ_MSI), "MSI");
	WT_EXPECT_STR(wr_irq_mode_name(WDMISR_IRQ_MSIX), "MSI-X");
	WT_EXPECT_TRUE(wr_irq_mode_name(0) == NULL);
	WT_EXPECT_STR(wr_connect_name(2), "CONNECT_LINE_BASED");
	WT_EXPECT_STR(wr_connect_name(3), "CONNECT_MESSAGE_BASED");
	WT_EXPECT_TRUE(wr_connect_name(0) == NULL);
	WT_EXPECT_TRUE(wr_connect_name(6) == NULL);
}

static void t_info(void)
{
	struct wt_run r;

	wt_dev.path = "/dev/wdmisr2";
	wt_dev.info.personality = WDMISR_PERS_IVSHMEM;
	wt_dev.info.irq_mode = WDMISR_IRQ_MSIX;
	wt_dev.info.nvectors = 4;
	wt_dev.info.vendor = 0x1af4;
	wt_dev.info.device = 0x1110;
	wt_run(&r, NULL, "--info", "-d", "/dev/wdmisr2", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf,
		      "device           /dev/wdmisr2\n"
		      "bdf              0000:00:04.0\n"
		      "id               1af4:1110\n"
		      "personality      ivshmem\n"
		      "irq_mode         MSI-X\n"
		      "connect_version  CONNECT_MESSAGE_BASED\n"
		      "vectors          4\n"
		      "queue_len        1024\n"
		      "record_size      88\n"
		      "abi_version      1\n");
	WT_EXPECT_STR(r.err.buf, "");
	WT_EXPECT_INT(wt_dev.opens, 1);
	wt_run_free(&r);
}

static void t_info_line_based_unknowns(void)
{
	struct wt_run r;

	wt_dev.info.personality = 9;
	wt_dev.info.irq_mode = WDMISR_IRQ_INTX;
	wt_dev.info.connect_version = 2;
	wt_dev.info.abi_version = 2;	/* --info still shows a newer driver */
	memset(wt_dev.info.bdf, 'x', sizeof(wt_dev.info.bdf));	/* no NUL */
	wt_run(&r, NULL, "--info", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf,
		      "device           /dev/wdmisr0\n"
		      "bdf              xxxxxxxxxxxxxxxxxxxx\n"
		      "id               1234:11e8\n"
		      "personality      unknown (9)\n"
		      "irq_mode         INTx\n"
		      "connect_version  CONNECT_LINE_BASED\n"
		      "vectors          1\n"
		      "queue_len        1024\n"
		      "record_size      88\n"
		      "abi_version      2\n");
	wt_run_free(&r);
}

static void t_info_json(void)
{
	struct wt_run r;

	wt_dev.path = "/dev/wdmisr2";
	wt_dev.info.personality = WDMISR_PERS_IVSHMEM;
	wt_dev.info.irq_mode = WDMISR_IRQ_MSIX;
	wt_dev.info.nvectors = 4;
	wt_dev.info.vendor = 0x1af4;
	wt_dev.info.device = 0x1110;
	wt_run(&r, NULL, "--info", "--format", "json", "/dev/wdmisr2", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf,
		      "{\"device\":\"/dev/wdmisr2\",\"bdf\":\"0000:00:04.0\",\"id\":\"1af4:1110\","
		      "\"personality\":\"ivshmem\",\"irq_mode\":\"MSI-X\","
		      "\"connect_version\":\"CONNECT_MESSAGE_BASED\",\"vectors\":4,"
		      "\"queue_len\":1024,\"record_size\":88,\"abi_version\":1}\n");
	WT_EXPECT_STR(r.err.buf, "");
	wt_run_free(&r);
}

/* Unknown values as in the text; the path and bdf escaped as JSON strings. */
static void t_info_json_unknowns_escapes(void)
{
	struct wdmisr_info info = wt_dev.info;
	struct wt_cap out;

	info.personality = 9;
	info.irq_mode = 0;
	info.connect_version = 6;
	memset(info.bdf, 'x', sizeof(info.bdf));	/* no NUL */
	info.bdf[3] = '"';
	wt_cap_open(&out);
	wr_info_print_json(out.f, "/tmp/a\"b\\c\td\x01", &info);
	WT_EXPECT_STR(wt_cap_str(&out),
		      "{\"device\":\"/tmp/a\\\"b\\\\c\\u0009d\\u0001\","
		      "\"bdf\":\"xxx\\\"xxxxxxxxxxxxxxxx\",\"id\":\"1234:11e8\","
		      "\"personality\":\"unknown (9)\",\"irq_mode\":\"unknown (0)\","
		      "\"connect_version\":\"unknown (6)\",\"vectors\":1,"
		      "\"queue_len\":1024,\"record_size\":88,\"abi_version\":1}\n");
	wt_cap_close(&out);
}

static void t_info_errors(void)
{
	struct wt_run r;

	wt_dev.info_errno = ENOTTY;
	wt_run(&r, NULL, "--info", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.out.buf, "");
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: WDMISR_IOC_INFO: Inappropriate ioctl for device (not a wdmisr device?)\n");
	wt_run_free(&r);

	wt_dev.info_errno = ENODEV;
	wt_run(&r, NULL, "--info", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: device removed\n");
	wt_run_free(&r);
}

/* The open errors, the same for every mode that opens the node. */
static void t_open_errors(void)
{
	static const struct {
		int err;
		const char *mode;
		const char *msg;
	} t[] = {
		{ ENOENT, "--info", "wdmisr-read: /dev/wdmisr0: No such file or directory (is wdmisr.ko loaded?)\n" },
		{ EACCES, "--stats", "wdmisr-read: /dev/wdmisr0: Permission denied (the udev rule lets group wdmisr open it: join the group, or run as root)\n" },
		{ ENXIO, "--reset-stats", "wdmisr-read: /dev/wdmisr0: No such device or address (no device behind the node)\n" },
		{ ENODEV, "-n1", "wdmisr-read: /dev/wdmisr0: device removed\n" },
		{ EMFILE, "-n1", "wdmisr-read: /dev/wdmisr0: Too many open files\n" },
	};
	struct wt_run r;
	size_t i;

	for (i = 0; i < WT_ARRAY_SIZE(t); i++) {
		wt_dev.open_errno = t[i].err;
		wt_run(&r, NULL, t[i].mode, NULL);
		WT_EXPECT_INT(r.status, 1);
		WT_EXPECT_STR(r.out.buf, "");
		WT_EXPECT_STR(r.err.buf, t[i].msg);
		wt_run_free(&r);
	}
	/* a node that does not exist at all */
	wt_dev.open_errno = 0;
	wt_run(&r, NULL, "--info", "-d", "/dev/wdmisr7", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr7: No such file or directory (is wdmisr.ko loaded?)\n");
	wt_run_free(&r);
}

static void set_vector(struct wdmisr_vector_stats *v, unsigned long long base)
{
	v->interrupts = base + 10;
	v->isr_true = base + 9;
	v->isr_false = 1;
	v->dpc_queued = base + 8;
	v->dpc_run = base + 8;
	v->events = base + 7;
	v->dropped = 2;
	v->malformed = base;
}

static void t_stats(void)
{
	struct wt_run r;

	wt_dev.stats.nvectors = 2;
	set_vector(&wt_dev.stats.v[0], 0);
	set_vector(&wt_dev.stats.v[1], 1000000000000ULL);
	set_vector(&wt_dev.stats.v[2], 5);	/* beyond nvectors: not shown */
	wt_run(&r, NULL, "--stats", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf,
		      "vector     interrupts           true  false     dpc_queued        dpc_run         events  dropped      malformed\n"
		      "     0             10              9      1              8              8              7        2              0\n"
		      "     1  1000000000010  1000000000009      1  1000000000008  1000000000008  1000000000007        2  1000000000000\n"
		      " total  1000000000020  1000000000018      2  1000000000016  1000000000016  1000000000014        4  1000000000000\n");
	WT_EXPECT_STR(r.err.buf, "");
	wt_run_free(&r);
}

static void t_stats_json(void)
{
	struct wt_run r;

	wt_dev.stats.nvectors = 2;
	set_vector(&wt_dev.stats.v[0], 0);
	set_vector(&wt_dev.stats.v[1], 1000000000000ULL);
	set_vector(&wt_dev.stats.v[2], 5);	/* beyond nvectors: not shown */
	wt_run(&r, NULL, "--stats", "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf,
		      "{\"vectors\":["
		      "{\"vector\":0,\"interrupts\":10,\"true\":9,\"false\":1,\"dpc_queued\":8,"
		      "\"dpc_run\":8,\"events\":7,\"dropped\":2,\"malformed\":0},"
		      "{\"vector\":1,\"interrupts\":1000000000010,\"true\":1000000000009,\"false\":1,"
		      "\"dpc_queued\":1000000000008,\"dpc_run\":1000000000008,"
		      "\"events\":1000000000007,\"dropped\":2,\"malformed\":1000000000000}],"
		      "\"total\":{\"interrupts\":1000000000020,\"true\":1000000000018,\"false\":2,"
		      "\"dpc_queued\":1000000000016,\"dpc_run\":1000000000016,"
		      "\"events\":1000000000014,\"dropped\":4,\"malformed\":1000000000000}}\n");
	WT_EXPECT_STR(r.err.buf, "");
	wt_run_free(&r);
}

/* No vector in use: an empty array and zero totals; at most 64 vectors. */
static void t_stats_json_edges(void)
{
	struct wdmisr_stats st = { 0 };
	struct wt_cap out;
	const char *p;
	int objects = 0;

	wt_cap_open(&out);
	wr_stats_print_json(out.f, &st);
	WT_EXPECT_STR(wt_cap_str(&out),
		      "{\"vectors\":[],\"total\":{\"interrupts\":0,\"true\":0,\"false\":0,"
		      "\"dpc_queued\":0,\"dpc_run\":0,\"events\":0,\"dropped\":0,\"malformed\":0}}\n");
	wt_cap_close(&out);

	st.nvectors = 1000;
	wt_cap_open(&out);
	wr_stats_print_json(out.f, &st);
	for (p = wt_cap_str(&out); *p; p++)
		objects += *p == '{';
	WT_EXPECT_INT(objects, 1 + WDMISR_MAX_VECTORS + 1);
	WT_EXPECT_TRUE(strstr(out.buf, "{\"vector\":63,") != NULL);
	WT_EXPECT_TRUE(strstr(out.buf, "{\"vector\":64,") == NULL);
	wt_cap_close(&out);
}

static void t_stats_clamped(void)
{
	const char *p;
	struct wt_run r;
	int lines = 0;

	wt_dev.stats.nvectors = 1000;
	wt_run(&r, NULL, "--stats", NULL);
	WT_EXPECT_INT(r.status, 0);
	for (p = r.out.buf; *p; p++)
		lines += *p == '\n';
	WT_EXPECT_INT(lines, 1 + WDMISR_MAX_VECTORS + 1);
	WT_EXPECT_TRUE(strstr(r.out.buf, "\n    63  ") != NULL);
	WT_EXPECT_TRUE(strstr(r.out.buf, "\n    64  ") == NULL);
	wt_run_free(&r);
}

static void t_stats_errors(void)
{
	struct wt_run r;

	wt_dev.stats_errno = EFAULT;
	wt_run(&r, NULL, "--stats", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.out.buf, "");
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: WDMISR_IOC_STATS: Bad address\n");
	wt_run_free(&r);
}

static void t_reset_stats(void)
{
	struct wt_run r;

	wt_run(&r, NULL, "--reset-stats", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf, "");
	WT_EXPECT_STR(r.err.buf, "");
	WT_EXPECT_INT(wt_dev.resets, 1);
	wt_run_free(&r);

	wt_dev.reset_errno = EPERM;
	wt_run(&r, NULL, "--reset-stats", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: WDMISR_IOC_RESET_STATS: Operation not permitted (needs CAP_SYS_ADMIN)\n");
	WT_EXPECT_INT(wt_dev.resets, 1);
	wt_run_free(&r);
}

WT_SUITE(wt_info_suite,
	{ "info: names of personality, irq mode, connect version", t_names },
	{ "info: --info output", t_info },
	{ "info: --info line-based, unknown values, unterminated bdf", t_info_line_based_unknowns },
	{ "info: --info --format json", t_info_json },
	{ "info: JSON of unknown values, escaped path and bdf", t_info_json_unknowns_escapes },
	{ "info: --info ioctl errors", t_info_errors },
	{ "info: open errors and their hints", t_open_errors },
	{ "stats: --stats table", t_stats },
	{ "stats: --stats --format json", t_stats_json },
	{ "stats: JSON with no vector, and clamped to 64", t_stats_json_edges },
	{ "stats: --stats clamps nvectors to 64", t_stats_clamped },
	{ "stats: --stats ioctl error", t_stats_errors },
	{ "stats: --reset-stats", t_reset_stats },
);
