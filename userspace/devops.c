// SPDX-License-Identifier: GPL-2.0
/*
 * The real system calls behind struct wr_dev_ops, and opening a device node
 * with a message that says what to check when it fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "devops.h"
#include "diag.h"

static int wr_sys_open(const char *path, int flags)
{
	return open(path, flags);
}

static int wr_sys_ioctl(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg);
}

const struct wr_dev_ops wr_sys_ops = {
	.open	= wr_sys_open,
	.read	= read,
	.poll	= poll,
	.ioctl	= wr_sys_ioctl,
	.close	= close,
};

int wr_dev_open(const struct wr_env *env, const char *path, int flags)
{
	int fd = env->ops->open(path, flags);

	if (fd < 0)
		wr_err_errno(env->err, path, NULL, errno);
	return fd;
}
