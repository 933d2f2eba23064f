// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-read error messages, and the hint that goes with each errno.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "diag.h"
#include "opts.h"

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
		return "check the node's permissions, or run as root";
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
