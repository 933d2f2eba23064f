/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmisr-read error messages: one line, "wdmisr-read: <object>: <what>",
 * with a hint at the usual cause where there is one.
 */
#ifndef WR_DIAG_H
#define WR_DIAG_H

#include <stdio.h>

/* "wdmisr-read: <obj>: <printf message>" */
void wr_err(FILE *err, const char *obj, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * "wdmisr-read: <obj>: [<op>: ]<strerror> (<hint>)", or "<obj>: device
 * removed" for ENODEV. @op names the ioctl, NULL for open/read/poll.
 */
void wr_err_errno(FILE *err, const char *obj, const char *op, int errnum);

#endif /* WR_DIAG_H */
