// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-read mode dispatch: the command line picks one mode, and each mode
 * returns the exit status.
 */
#include "wdmisr-read.h"

int wr_main(int argc, char **argv, const struct wr_env *env)
{
	struct wr_config cfg;
	int ret;

	ret = wr_opts_parse(&cfg, argc, argv, env->err);
	if (ret)
		return ret;

	switch (cfg.mode) {
	case WR_MODE_HELP:
		wr_opts_help(env->out);
		return WR_EXIT_OK;
	case WR_MODE_VERSION:
		wr_opts_version(env->out);
		return WR_EXIT_OK;
	case WR_MODE_STATS:
		return wr_stats_run(env, cfg.device, cfg.format);
	case WR_MODE_RESET_STATS:
		return wr_stats_reset_run(env, cfg.device);
	case WR_MODE_INFO:
		return wr_info_run(env, cfg.device, cfg.format);
	case WR_MODE_LIST:
		return wr_list_run(env, cfg.format);
	case WR_MODE_READ:
		break;
	}
	return wr_read_run(env, &cfg);
}
