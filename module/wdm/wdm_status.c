// SPDX-License-Identifier: GPL-2.0
/*
 * The one table that maps NTSTATUS codes to Linux errnos, read in both
 * directions.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>

#include "wdm_compat.h"
#include "wdm_internal.h"

static const struct {
	NTSTATUS status;
	int err;
} wdm_status_map[] = {
	/* First match wins in each direction: keep the preferred one first. */
	{ STATUS_SUCCESS,		 0 },
	{ STATUS_UNSUCCESSFUL,		 -EIO },
	{ STATUS_INVALID_PARAMETER,	 -EINVAL },
	{ STATUS_INVALID_PARAMETER_1,	 -EINVAL },
	{ STATUS_INVALID_PARAMETER_10,	 -EINVAL },
	{ STATUS_INSUFFICIENT_RESOURCES, -ENOMEM },
	{ STATUS_NO_MEMORY,		 -ENOMEM },
	{ STATUS_INSUFFICIENT_RESOURCES, -ENOSPC },
	{ STATUS_DEVICE_BUSY,		 -EBUSY },
	{ STATUS_INVALID_DEVICE_REQUEST, -ENXIO },
	{ STATUS_INVALID_DEVICE_STATE,	 -EIO },
	{ STATUS_NO_SUCH_DEVICE,	 -ENODEV },
	{ STATUS_DEVICE_NOT_CONNECTED,	 -ENOTCONN },
	{ STATUS_NOT_SUPPORTED,		 -EOPNOTSUPP },
	{ STATUS_NOT_IMPLEMENTED,	 -EOPNOTSUPP },
	{ STATUS_ACCESS_DENIED,		 -EACCES },
	{ STATUS_BUFFER_TOO_SMALL,	 -EOVERFLOW },
	{ STATUS_NOT_FOUND,		 -ENOENT },
};

/**
 * wdm_ntstatus_to_errno() - the Linux errno that stands for an NTSTATUS
 * @status: an NTSTATUS value
 *
 * Context: any.
 * Return: 0 for any success status (NT_SUCCESS), the table's errno for a
 * known failure status, else -EIO.
 */
int wdm_ntstatus_to_errno(NTSTATUS status)
{
	size_t i;

	if (NT_SUCCESS(status))
		return 0;
	for (i = 0; i < ARRAY_SIZE(wdm_status_map); i++)
		if (wdm_status_map[i].status == status)
			return wdm_status_map[i].err;
	return -EIO;
}
EXPORT_SYMBOL_GPL(wdm_ntstatus_to_errno);

/*
 * wdm_errno_to_ntstatus() - the NTSTATUS the shim returns for a kernel error
 * @err: 0 or a negative errno
 *
 * Return: STATUS_SUCCESS for 0, the table's status for a known errno, else
 * STATUS_UNSUCCESSFUL.
 */
NTSTATUS wdm_errno_to_ntstatus(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(wdm_status_map); i++)
		if (wdm_status_map[i].err == err)
			return wdm_status_map[i].status;
	return STATUS_UNSUCCESSFUL;
}
EXPORT_SYMBOL_IF_KUNIT(wdm_errno_to_ntstatus);
