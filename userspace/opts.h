/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmisr-read command line: the configuration struct that getopt_long
 * fills, and the help and version texts.
 */
#ifndef WR_OPTS_H
#define WR_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define WR_PROG		"wdmisr-read"
#define WR_DEFAULT_DEV	"/dev/wdmisr0"

/* Exit status of the tool. */
#define WR_EXIT_OK	0
#define WR_EXIT_FAIL	1
#define WR_EXIT_USAGE	2

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
 * @device:		device node (-d)
 * @count:		records to read (-n); 0 = no limit
 * @timeout_ms:		idle timeout (-t); -1 = wait forever
 * @format:		output format of the read mode
 * @follow:		--follow: read forever, -t is ignored
 * @trigger:		--trigger: raise one interrupt before each record
 * @trigger_vector:	--trigger-vector
 * @trigger_seq:	--trigger-value seq (the default): value = record index + 1
 * @trigger_value:	--trigger-value V when not @trigger_seq
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
};

/*
 * Fill @cfg from the command line. Returns WR_EXIT_OK, or WR_EXIT_USAGE after
 * writing a one-line message and a hint to @err. Never exits.
 */
int wr_opts_parse(struct wr_config *cfg, int argc, char **argv, FILE *err);
void wr_opts_help(FILE *out);
void wr_opts_version(FILE *out);

#endif /* WR_OPTS_H */
