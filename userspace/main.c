// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-read: read interrupt event records from /dev/wdmisrN, show device
 * information and statistics, and list the devices bound to wdmisr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "wdmisr-read.h"

int main(int argc, char **argv)
{
	const char *sysfs = getenv("WDMISR_SYSFS");
	struct wr_env env = {
		.ops		= &wr_sys_ops,
		.out		= stdout,
		.err		= stderr,
		.sysfs		= sysfs && *sysfs ? sysfs : "/sys",
		.err_tty	= isatty(STDERR_FILENO),
	};

	return wr_main(argc, argv, &env);
}
