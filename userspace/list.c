// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-read --list. sysfs says whether wdmisr.ko is loaded; libpci scans
 * the bus and names each device from pci.ids; sysfs says which of them
 * wdmisr is bound to and which /dev node each one got; WDMISR_IOC_INFO on the
 * node adds the interrupt mode. One row per device, or one JSON object.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pci/pci.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wdmisr-read.h"

#define WR_LIST_ROW	"%-12s  %-14s  %-6s  %7s  %s\n"

/* One PCI function as the bus scan found it. */
struct wr_list_dev {
	char bdf[16];
	unsigned int vendor;
	unsigned int device;
};

/* The fields of one row as text; "-" where unknown. */
struct wr_list_row {
	const char *bdf;
	char node[64];
	char irq[16];
	char vectors[16];
	char name[300];
};

bool wr_list_loaded(const char *sysfs)
{
	char path[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s/module/wdmisr", sysfs) >=
	    sizeof(path))
		return false;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

bool wr_list_bound(const char *sysfs, const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;

	if ((size_t)snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver",
			     sysfs, bdf) >= sizeof(path))
		return false;
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	base = strrchr(link, '/');
	return !strcmp(base ? base + 1 : link, "wdmisr");
}

/* The N of "wdmisrN", or -1 if @name is not of that form. */
static long wr_list_minor(const char *name)
{
	const char *p = name + strlen("wdmisr");

	if (strncmp(name, "wdmisr", strlen("wdmisr")) || !*p ||
	    strlen(p) > 9)
		return -1;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	return atol(name + strlen("wdmisr"));
}

bool wr_list_node(const char *sysfs, const char *bdf, char *node, size_t size)
{
	char path[PATH_MAX];
	struct dirent *de;
	long n, best = -1;
	DIR *dir;

	if ((size_t)snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/wdmisr",
			     sysfs, bdf) >= sizeof(path))
		return false;
	dir = opendir(path);
	if (!dir)
		return false;
	while ((de = readdir(dir))) {
		n = wr_list_minor(de->d_name);
		if (n >= 0 && (best < 0 || n < best))
			best = n;
	}
	closedir(dir);
	if (best < 0)
		return false;
	snprintf(node, size, "/dev/wdmisr%ld", best);
	return true;
}

/* Interrupt mode and vector count from the node; left alone if unknown. */
static void wr_list_irq(const struct wr_env *env, const char *node,
			char *irq, char *vectors, size_t size)
{
	struct wdmisr_info info;
	const char *name;
	int fd, ret;

	fd = env->ops->open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ret = env->ops->ioctl(fd, WDMISR_IOC_INFO, &info);
	env->ops->close(fd);
	if (ret < 0)
		return;
	name = wr_irq_mode_name(info.irq_mode);
	if (name)
		snprintf(irq, size, "%s", name);
	else
		snprintf(irq, size, "%u", info.irq_mode);
	snprintf(vectors, size, "%u", info.nvectors);
}

static int wr_list_cmp(const void *a, const void *b)
{
	return strcmp(((const struct wr_list_dev *)a)->bdf,
		      ((const struct wr_list_dev *)b)->bdf);
}

/* Every function on the bus, sorted by address; NULL only if out of memory. */
static struct wr_list_dev *wr_list_scan(struct pci_access *pacc, size_t *n)
{
	struct wr_list_dev *devs;
	struct pci_dev *dev;
	size_t i = 0;

	*n = 0;
	for (dev = pacc->devices; dev; dev = dev->next)
		(*n)++;
	devs = calloc(*n ? *n : 1, sizeof(*devs));
	if (!devs)
		return NULL;
	for (dev = pacc->devices; dev; dev = dev->next, i++) {
		pci_fill_info(dev, PCI_FILL_IDENT);
		snprintf(devs[i].bdf, sizeof(devs[i].bdf), "%04x:%02x:%02x.%d",
			 dev->domain, dev->bus, dev->dev, dev->func);
		devs[i].vendor = dev->vendor_id;
		devs[i].device = dev->device_id;
	}
	qsort(devs, *n, sizeof(*devs), wr_list_cmp);
	return devs;
}

static void wr_list_fill(const struct wr_env *env, struct pci_access *pacc,
			 const struct wr_list_dev *d, struct wr_list_row *row)
{
	const char *name;
	char buf[256];

	row->bdf = d->bdf;
	snprintf(row->irq, sizeof(row->irq), "-");
	snprintf(row->vectors, sizeof(row->vectors), "-");
	if (wr_list_node(env->sysfs, d->bdf, row->node, sizeof(row->node)))
		wr_list_irq(env, row->node, row->irq, row->vectors,
			    sizeof(row->irq));
	else
		snprintf(row->node, sizeof(row->node), "-");
	name = pci_lookup_name(pacc, buf, sizeof(buf),
			       PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE, d->vendor,
			       d->device);
	snprintf(row->name, sizeof(row->name), "%s [%04x:%04x]", name,
		 d->vendor, d->device);
}

/* A text field as a JSON string, or null where it is "-". */
static void wr_list_json_str(FILE *out, const char *key, const char *val)
{
	fprintf(out, ",\"%s\":", key);
	if (strcmp(val, "-"))
		wr_json_str(out, val, SIZE_MAX);
	else
		fputs("null", out);
}

/* Row number @i (from 0) of the table, or of the JSON "devices" array. */
static void wr_list_print(FILE *out, enum wr_format format, size_t i,
			  const struct wr_list_row *row)
{
	if (format != WR_FMT_JSON) {
		if (!i)
			fprintf(out, WR_LIST_ROW, "bdf", "node", "irq",
				"vectors", "name");
		fprintf(out, WR_LIST_ROW, row->bdf, row->node, row->irq,
			row->vectors, row->name);
		return;
	}
	fprintf(out, "%s{\"bdf\":", i ? "," : "");
	wr_json_str(out, row->bdf, SIZE_MAX);
	wr_list_json_str(out, "node", row->node);
	wr_list_json_str(out, "irq", row->irq);
	fprintf(out, ",\"vectors\":%s", strcmp(row->vectors, "-") ?
		row->vectors : "null");
	wr_list_json_str(out, "name", row->name);
	fputc('}', out);
}

int wr_list_run(const struct wr_env *env, enum wr_format format)
{
	struct wr_list_row row;
	struct pci_access *pacc;
	struct wr_list_dev *devs;
	size_t i, n, rows = 0;

	if (!wr_list_loaded(env->sysfs)) {
		wr_err(env->err, "--list",
		       "wdmisr.ko is not loaded (no %s/module/wdmisr)",
		       env->sysfs);
		return WR_EXIT_NO_DRIVER;
	}
	pacc = pci_alloc();	/* libpci reports its own errors and exits */
	pci_init(pacc);
	pci_scan_bus(pacc);
	devs = wr_list_scan(pacc, &n);
	if (!devs) {
		fprintf(env->err, WR_PROG ": --list: %s\n", strerror(ENOMEM));
		pci_cleanup(pacc);
		return WR_EXIT_FAIL;
	}
	if (format == WR_FMT_JSON)
		fputs("{\"devices\":[", env->out);
	for (i = 0; i < n; i++) {
		if (!wr_list_bound(env->sysfs, devs[i].bdf))
			continue;
		wr_list_fill(env, pacc, &devs[i], &row);
		wr_list_print(env->out, format, rows++, &row);
	}
	if (format == WR_FMT_JSON)
		fputs("]}\n", env->out);
	else if (!rows)
		fputs("no devices bound to wdmisr\n", env->out);
	free(devs);
	pci_cleanup(pacc);
	return WR_EXIT_OK;
}
