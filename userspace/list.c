// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-read --list. libpci scans the bus and names each device from
 * pci.ids; sysfs says which of them wdmisr is bound to and which /dev node
 * each one got; WDMISR_IOC_INFO on the node adds the interrupt mode.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pci/pci.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wdmisr-read.h"

#define WR_LIST_ROW	"%-12s  %-14s  %-6s  %7s  %s\n"

/* One PCI function as the bus scan found it. */
struct wr_list_dev {
	char bdf[16];
	unsigned int vendor;
	unsigned int device;
};

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

static void wr_list_print(const struct wr_env *env, struct pci_access *pacc,
			  const struct wr_list_dev *d, bool *header)
{
	char node[64], irq[16], vectors[16], buf[256], label[300];
	const char *name;

	snprintf(irq, sizeof(irq), "-");
	snprintf(vectors, sizeof(vectors), "-");
	if (wr_list_node(env->sysfs, d->bdf, node, sizeof(node)))
		wr_list_irq(env, node, irq, vectors, sizeof(irq));
	else
		snprintf(node, sizeof(node), "-");
	name = pci_lookup_name(pacc, buf, sizeof(buf),
			       PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE, d->vendor,
			       d->device);
	snprintf(label, sizeof(label), "%s [%04x:%04x]", name, d->vendor,
		 d->device);
	if (!*header)
		fprintf(env->out, WR_LIST_ROW, "bdf", "node", "irq", "vectors",
			"name");
	*header = true;
	fprintf(env->out, WR_LIST_ROW, d->bdf, node, irq, vectors, label);
}

int wr_list_run(const struct wr_env *env)
{
	struct pci_access *pacc;
	struct wr_list_dev *devs;
	bool header = false;
	size_t i, n;

	pacc = pci_alloc();	/* libpci reports its own errors and exits */
	pci_init(pacc);
	pci_scan_bus(pacc);
	devs = wr_list_scan(pacc, &n);
	if (!devs) {
		fprintf(env->err, WR_PROG ": --list: %s\n", strerror(ENOMEM));
		pci_cleanup(pacc);
		return WR_EXIT_FAIL;
	}
	for (i = 0; i < n; i++)
		if (wr_list_bound(env->sysfs, devs[i].bdf))
			wr_list_print(env, pacc, &devs[i], &header);
	if (!header)
		fputs("no devices bound to wdmisr\n", env->out);
	free(devs);
	pci_cleanup(pacc);
	return WR_EXIT_OK;
}
