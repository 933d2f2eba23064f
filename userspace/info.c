// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-read --info: what the device is, which interrupts it was granted
 * and how the driver connected them, as "key value" lines or one JSON object.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>

#include "wdmisr-read.h"

const char *wr_personality_name(uint32_t personality)
{
	switch (personality) {
	case WDMISR_PERS_GENERIC:
		return "generic";
	case WDMISR_PERS_EDU:
		return "edu";
	case WDMISR_PERS_IVSHMEM:
		return "ivshmem";
	}
	return NULL;
}

const char *wr_irq_mode_name(uint32_t irq_mode)
{
	switch (irq_mode) {
	case WDMISR_IRQ_INTX:
		return "INTx";
	case WDMISR_IRQ_MSI:
		return "MSI";
	case WDMISR_IRQ_MSIX:
		return "MSI-X";
	}
	return NULL;
}

/* The IoConnectInterruptEx Version values (wdm.h CONNECT_*). */
const char *wr_connect_name(uint32_t connect_version)
{
	switch (connect_version) {
	case 1:
		return "CONNECT_FULLY_SPECIFIED";
	case 2:
		return "CONNECT_LINE_BASED";
	case 3:
		return "CONNECT_MESSAGE_BASED";
	case 4:
		return "CONNECT_FULLY_SPECIFIED_GROUP";
	case 5:
		return "CONNECT_MESSAGE_BASED_PASSIVE";
	}
	return NULL;
}

int wr_info_query(const struct wr_env *env, int fd, const char *path,
		  struct wdmisr_info *info)
{
	if (env->ops->ioctl(fd, WDMISR_IOC_INFO, info) < 0) {
		wr_err_errno(env->err, path, "WDMISR_IOC_INFO", errno);
		return -1;
	}
	return 0;
}

int wr_info_check(const struct wr_env *env, const char *path,
		  const struct wdmisr_info *info)
{
	if (info->abi_version == WDMISR_ABI_VERSION &&
	    info->record_size == sizeof(struct wdmisr_event))
		return 0;
	wr_err(env->err, path,
	       "driver ABI version %u with %u-byte records; this tool reads version %d, %zu-byte records",
	       info->abi_version, info->record_size, WDMISR_ABI_VERSION,
	       sizeof(struct wdmisr_event));
	return -1;
}

/* A name, or "unknown (<value>)" where the tool does not know the value. */
static const char *wr_info_name(char *buf, size_t size, const char *name,
				uint32_t value)
{
	if (name)
		return name;
	snprintf(buf, size, "unknown (%u)", value);
	return buf;
}

static void wr_info_line(FILE *out, const char *key, const char *name,
			 uint32_t value)
{
	char buf[32];

	fprintf(out, "%-16s %s\n", key, wr_info_name(buf, sizeof(buf), name, value));
}

void wr_info_print(FILE *out, const char *path, const struct wdmisr_info *info)
{
	fprintf(out, "%-16s %s\n", "device", path);
	fprintf(out, "%-16s %.*s\n", "bdf", (int)sizeof(info->bdf), info->bdf);
	fprintf(out, "%-16s %04x:%04x\n", "id", info->vendor, info->device);
	wr_info_line(out, "personality",
		     wr_personality_name(info->personality), info->personality);
	wr_info_line(out, "irq_mode", wr_irq_mode_name(info->irq_mode),
		     info->irq_mode);
	wr_info_line(out, "connect_version",
		     wr_connect_name(info->connect_version),
		     info->connect_version);
	fprintf(out, "%-16s %u\n", "vectors", info->nvectors);
	fprintf(out, "%-16s %u\n", "queue_len", info->queue_len);
	fprintf(out, "%-16s %u\n", "record_size", info->record_size);
	fprintf(out, "%-16s %u\n", "abi_version", info->abi_version);
}

/* One "key":"name" member of the JSON object, after a comma. */
static void wr_info_json_name(FILE *out, const char *key, const char *name,
			      uint32_t value)
{
	char buf[32];

	fprintf(out, ",\"%s\":", key);
	wr_json_str(out, wr_info_name(buf, sizeof(buf), name, value), SIZE_MAX);
}

void wr_info_print_json(FILE *out, const char *path,
			const struct wdmisr_info *info)
{
	fputs("{\"device\":", out);
	wr_json_str(out, path, SIZE_MAX);
	fputs(",\"bdf\":", out);
	wr_json_str(out, info->bdf, sizeof(info->bdf));
	fprintf(out, ",\"id\":\"%04x:%04x\"", info->vendor, info->device);
	wr_info_json_name(out, "personality",
			  wr_personality_name(info->personality),
			  info->personality);
	wr_info_json_name(out, "irq_mode", wr_irq_mode_name(info->irq_mode),
			  info->irq_mode);
	wr_info_json_name(out, "connect_version",
			  wr_connect_name(info->connect_version),
			  info->connect_version);
	fprintf(out,
		",\"vectors\":%u,\"queue_len\":%u,\"record_size\":%u,\"abi_version\":%u}\n",
		info->nvectors, info->queue_len, info->record_size,
		info->abi_version);
}

int wr_info_run(const struct wr_env *env, const char *path,
		enum wr_format format)
{
	struct wdmisr_info info;
	int fd, ret;

	fd = wr_dev_open(env, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return WR_EXIT_FAIL;
	ret = wr_info_query(env, fd, path, &info);
	env->ops->close(fd);
	if (ret)
		return WR_EXIT_FAIL;
	if (format == WR_FMT_JSON)
		wr_info_print_json(env->out, path, &info);
	else
		wr_info_print(env->out, path, &info);
	return WR_EXIT_OK;
}
