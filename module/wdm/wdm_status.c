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
	{ STATUS_IO_TIMEOUT,		 -ETIMEDOUT },
	{ STATUS_CANCELLED,		 -ECANCELED },
	{ STATUS_DEVICE_NOT_READY,	 -EAGAIN },
	{ STATUS_REVISION_MISMATCH,	 -EPROTO },
	{ STATUS_INVALID_ADDRESS,	 -EFAULT },
	{ STATUS_INVALID_HANDLE,	 -EBADF },
	{ STATUS_OBJECT_NAME_COLLISION,	 -EEXIST },
	{ STATUS_CRC_ERROR,		 -EBADMSG },
	{ STATUS_MORE_PROCESSING_REQUIRED, -EINPROGRESS },
	{ STATUS_INVALID_PARAMETER_2,	 -EINVAL },
	{ STATUS_INVALID_PARAMETER_3,	 -EINVAL },
	{ STATUS_INVALID_PARAMETER_4,	 -EINVAL },
	{ STATUS_INVALID_PARAMETER_5,	 -EINVAL },
	{ STATUS_INVALID_PARAMETER_6,	 -EINVAL },
	{ STATUS_INVALID_PARAMETER_7,	 -EINVAL },
	{ STATUS_INVALID_PARAMETER_8,	 -EINVAL },
	{ STATUS_INVALID_PARAMETER_9,	 -EINVAL },
	{ STATUS_INVALID_PARAMETER_11,	 -EINVAL },
	{ STATUS_INVALID_PARAMETER_12,	 -EINVAL },
	{ STATUS_INVALID_BUFFER_SIZE,	 -EINVAL },
	{ STATUS_IO_DEVICE_ERROR,	 -EIO },
	{ STATUS_INTERNAL_ERROR,	 -EIO },
	{ STATUS_UNEXPECTED_IO_ERROR,	 -EIO },
	{ STATUS_DEVICE_DATA_ERROR,	 -EIO },
	{ STATUS_DATA_ERROR,		 -EIO },
	{ STATUS_ADAPTER_HARDWARE_ERROR, -EIO },
	{ STATUS_DEVICE_POWER_FAILURE,	 -EIO },
	{ STATUS_DEVICE_CONFIGURATION_ERROR, -EIO },
	{ STATUS_DEVICE_PROTOCOL_ERROR,	 -EPROTO },
	{ STATUS_DEVICE_DOES_NOT_EXIST,	 -ENODEV },
	{ STATUS_DEVICE_REMOVED,	 -ENODEV },
	{ STATUS_RETRY,			 -EAGAIN },
	{ STATUS_REQUEST_ABORTED,	 -ECANCELED },
	{ STATUS_INVALID_USER_BUFFER,	 -EFAULT },
	{ STATUS_OBJECT_NAME_NOT_FOUND,	 -ENOENT },
	{ STATUS_RESOURCE_TYPE_NOT_FOUND, -ENOENT },
	{ STATUS_CONFLICTING_ADDRESSES,	 -EBUSY },
	{ STATUS_INTEGER_OVERFLOW,	 -EOVERFLOW },
	{ STATUS_BUFFER_OVERFLOW,	 -EOVERFLOW },
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
