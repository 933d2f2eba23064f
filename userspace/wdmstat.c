// SPDX-License-Identifier: GPL-2.0
/*
 * wdmstat: show the ISR and DPC statistics wdm.ko keeps per interrupt
 * object in debugfs, once, live or as JSON, and reset them.
 */
#include <stdio.h>
#include <unistd.h>

#include "wdmstat.h"

int main(int argc, char **argv)
{
	struct ws_env env = {
		.out		= stdout,
		.err		= stderr,
		.out_tty	= isatty(STDOUT_FILENO),
		.debugfs	= WS_DEBUGFS,
		.is_debugfs	= ws_sys_is_debugfs,
	};

	return ws_main(argc, argv, &env);
}
