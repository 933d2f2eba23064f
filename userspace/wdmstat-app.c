// SPDX-License-Identifier: GPL-2.0
/*
 * wdmstat mode dispatch and the refresh loop. Each refresh reads the whole
 * tree again and prints a table or a JSON line; --watch waits between them
 * with SIGINT and SIGTERM blocked and taken by sigtimedwait(), so a signal
 * ends the wait at once and the run ends with status 0. On a terminal each
 * table replaces the last one, as top does.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "wdmstat.h"

/* Wait @ms; true if SIGINT or SIGTERM came meanwhile (or before). */
static bool ws_wait(const sigset_t *stop, unsigned int ms)
{
	struct timespec left = { ms / 1000, (ms % 1000) * 1000000L };
	int sig;

	do {
		sig = sigtimedwait(stop, NULL, &left);
	} while (sig < 0 && errno == EINTR);
	return sig > 0;
}

/* The line above each table of --watch. */
static void ws_title(const struct ws_env *env, const struct ws_config *cfg,
		     const char *root, uint64_t refresh)
{
	FILE *out = env->out;

	if (env->out_tty)
		fputs("\033[H\033[2J", out);
	fprintf(out, WS_PROG ": %s: refresh %llu, every %g s", root,
		(unsigned long long)refresh, cfg->interval_ms / 1000.0);
	fputs(env->out_tty ? ", Ctrl-C quits\n\n" : "\n", out);
}

/* Read the tree once and print it; the exit status. */
static int ws_frame(const struct ws_env *env, const struct ws_config *cfg,
		    const char *root, uint64_t refresh)
{
	struct ws_snap snap;
	int ret;

	ret = ws_snap_load(env, root, &snap);
	if (ret)
		return ret;
	if (cfg->json) {
		ret = ws_json_print(env->out, &snap);
	} else {
		if (cfg->watch)
			ws_title(env, cfg, root, refresh);
		ret = ws_table_print(env->out, &snap, env->out_tty);
		if (cfg->watch && !env->out_tty)
			fputc('\n', env->out);
	}
	ws_snap_free(&snap);
	if (ret) {
		ws_err(env->err, root, "%s", strerror(ENOMEM));
		return WS_EXIT_FAIL;
	}
	if (fflush(env->out) == EOF) {
		ws_err(env->err, "stdout", "%s", strerror(errno));
		return WS_EXIT_FAIL;
	}
	return WS_EXIT_OK;
}

static int ws_show_run(const struct ws_env *env, const struct ws_config *cfg,
		       const char *root)
{
	sigset_t stop, old;
	uint64_t refresh;
	int ret;

	if (!cfg->watch)
		return ws_frame(env, cfg, root, 1);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &old);
	for (refresh = 1;; refresh++) {
		ret = ws_frame(env, cfg, root, refresh);
		if (ret || refresh == cfg->count || ws_wait(&stop, cfg->interval_ms))
			break;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

int ws_main(int argc, char **argv, const struct ws_env *env)
{
	char root[PATH_MAX];
	struct ws_config cfg;
	int ret;

	ret = ws_opts_parse(&cfg, argc, argv, env->err);
	if (ret)
		return ret;
	if (cfg.root)
		snprintf(root, sizeof(root), "%s", cfg.root);
	else
		snprintf(root, sizeof(root), "%s/wdm", env->debugfs);

	switch (cfg.mode) {
	case WS_MODE_HELP:
		ws_opts_help(env->out);
		return WS_EXIT_OK;
	case WS_MODE_VERSION:
		ws_opts_version(env->out);
		return WS_EXIT_OK;
	case WS_MODE_RESET:
		return ws_reset_run(env, root, cfg.reset_obj);
	case WS_MODE_SHOW:
		break;
	}
	return ws_show_run(env, &cfg, root);
}
