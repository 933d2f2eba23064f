/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system calls wdmisr-read makes on a device node, behind a table of
 * function pointers so that the tests can stand in for the driver.
 */
#ifndef WR_DEVOPS_H
#define WR_DEVOPS_H

#include <poll.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * Each call behaves like the system call of the same name: -1 and errno on
 * failure.
 */
struct wr_dev_ops {
	int (*open)(const char *path, int flags);
	ssize_t (*read)(int fd, void *buf, size_t len);
	int (*poll)(struct pollfd *fds, nfds_t nfds, int timeout_ms);
	int (*ioctl)(int fd, unsigned long request, void *arg);
	int (*close)(int fd);
};

/* The real system calls. */
extern const struct wr_dev_ops wr_sys_ops;

/**
 * struct wr_env - what the tool runs against
 * @ops:	device system calls
 * @out:	where results go (stdout)
 * @err:	where messages go (stderr)
 * @sysfs:	sysfs mount point ($WDMISR_SYSFS, default /sys)
 */
struct wr_env {
	const struct wr_dev_ops *ops;
	FILE *out;
	FILE *err;
	const char *sysfs;
};

/*
 * Open @path with @flags through @env->ops; on failure print why to
 * @env->err and return -1.
 */
int wr_dev_open(const struct wr_env *env, const char *path, int flags);

#endif /* WR_DEVOPS_H */
