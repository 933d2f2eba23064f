/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit test harness for wdmisr-read and wdmstat: checks that record exact values, a
 * case table per file, output capture, and running the tool in-process.
 */
#ifndef WT_HARNESS_H
#define WT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define WT_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct wt_case {
	const char *name;
	void (*fn)(void);
};

struct wt_suite {
	const struct wt_case *cases;
	size_t ncases;
};

#define WT_SUITE(id, ...)						\
	static const struct wt_case id##_cases[] = { __VA_ARGS__ };	\
	const struct wt_suite id = { id##_cases, WT_ARRAY_SIZE(id##_cases) }

/* A case can skip itself (counted as passed, printed with "# SKIP"). */
void wt_skip(const char *why);

bool wt_check_int(const char *file, int line, const char *expr,
		  long long got, long long want);
bool wt_check_str(const char *file, int line, const char *expr,
		  const char *got, const char *want);
bool wt_check_true(const char *file, int line, const char *expr, bool ok);

/* EXPECT records a failure and goes on; ASSERT also ends the case. */
#define WT_EXPECT_INT(got, want) \
	wt_check_int(__FILE__, __LINE__, #got, (long long)(got), (long long)(want))
#define WT_EXPECT_STR(got, want) \
	wt_check_str(__FILE__, __LINE__, #got, (got), (want))
#define WT_EXPECT_TRUE(expr) \
	wt_check_true(__FILE__, __LINE__, #expr, (expr))
#define WT_ASSERT_INT(got, want) \
	do { if (!WT_EXPECT_INT(got, want)) return; } while (0)
#define WT_ASSERT_TRUE(expr) \
	do { if (!WT_EXPECT_TRUE(expr)) return; } while (0)

/* A FILE that writes to memory; wt_cap_str() gives what was written. */
struct wt_cap {
	FILE *f;
	char *buf;
	size_t len;
};

void wt_cap_open(struct wt_cap *c);
const char *wt_cap_str(struct wt_cap *c);
void wt_cap_close(struct wt_cap *c);

/* Result of one in-process run of the tool. */
struct wt_run {
	int status;
	struct wt_cap out;
	struct wt_cap err;
};

/*
 * Run wr_main() on the NULL-terminated arguments (argv[0] is added) with the
 * fake device, @sysfs (NULL: "/sys") and wt_err_tty. Free with wt_run_free().
 */
void wt_run(struct wt_run *r, const char *sysfs, ...);
void wt_run_free(struct wt_run *r);
/* The run in progress, for fake-device hooks; NULL outside wt_run(). */
extern struct wt_run *wt_current;
/* wt_run() tells the tool that stderr is a terminal; false at each case start. */
extern bool wt_err_tty;

/*
 * Path of the built wdmisr-read binary (the runner's first argument);
 * wdmstat and the man pages are next to it.
 */
extern const char *wt_bin;

#endif /* WT_HARNESS_H */
