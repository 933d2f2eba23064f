// SPDX-License-Identifier: GPL-2.0
/*
 * What every wdmisr-read mode shares: the error messages and the hint that
 * goes with each errno, JSON strings, the real system calls behind struct
 * wr_dev_ops, and opening a device node with a message that says what to
 * check when it fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wdmisr-read.h"

void wr_err(FILE *err, const char *obj, const char *fmt, ...)
{
	va_list ap;

	fprintf(err, WR_PROG ": %s: ", obj);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
}

static const char *wr_errno_hint(int errnum)
{
	switch (errnum) {
	case ENOENT:
		return "is wdmisr.ko loaded?";
	case EACCES:
		return "the udev rule lets group wdmisr open it: join the group, or run as root";
	case EPERM:
		return "needs CAP_SYS_ADMIN";
	case EBUSY:
		return "another reader has it open";
	case ENOTTY:
		return "not a wdmisr device?";
	case ENXIO:
		return "no device behind the node";
	}
	return NULL;
}

void wr_err_errno(FILE *err, const char *obj, const char *op, int errnum)
{
	const char *hint = wr_errno_hint(errnum);

	if (errnum == ENODEV) {
		wr_err(err, obj, "device removed");
		return;
	}
	fprintf(err, WR_PROG ": %s: ", obj);
	if (op)
		fprintf(err, "%s: ", op);
	fputs(strerror(errnum), err);
	if (hint)
		fprintf(err, " (%s)", hint);
	fputc('\n', err);
}

void wr_json_str(FILE *out, const char *s, size_t max)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

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
	.mmap	= mmap,
	.munmap	= munmap,
};

int wr_dev_open(const struct wr_env *env, const char *path, int flags)
{
	int fd = env->ops->open(path, flags);

	if (fd < 0)
		wr_err_errno(env->err, path, NULL, errno);
	return fd;
}
