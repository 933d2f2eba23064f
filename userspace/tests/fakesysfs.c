// SPDX-License-Identifier: GPL-2.0
/*
 * Fake sysfs trees for the --list tests. The bus scan stays real (libpci);
 * the tree only decides which functions count as bound to wdmisr and which
 * /dev node each one has.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <pci/pci.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fakesysfs.h"

static void wt_die(const char *what, const char *path)
{
	fprintf(stderr, "fake sysfs: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

/* mkdir -p */
static void wt_mkdirs(const char *path)
{
	char buf[PATH_MAX];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			wt_die("mkdir", buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		wt_die("mkdir", buf);
}

char *wt_sysfs_new(void)
{
	char *root = strdup("/tmp/wdmisr-sysfs.XXXXXX");
	char path[PATH_MAX];

	if (!root || !mkdtemp(root))
		wt_die("mkdtemp", "/tmp");
	snprintf(path, sizeof(path), "%s/bus/pci/devices", root);
	wt_mkdirs(path);
	snprintf(path, sizeof(path), "%s/module/wdmisr", root);
	wt_mkdirs(path);
	return root;
}

void wt_sysfs_unload(const char *root)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/module/wdmisr", root);
	if (rmdir(path))
		wt_die("rmdir", path);
}

void wt_sysfs_bind(const char *root, const char *bdf, const char *driver)
{
	char dir[PATH_MAX], link[PATH_MAX + 16], target[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s", root, bdf);
	wt_mkdirs(dir);
	snprintf(link, sizeof(link), "%s/driver", dir);
	snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s", driver);
	if (symlink(target, link))
		wt_die("symlink", link);
}

void wt_sysfs_node(const char *root, const char *bdf, const char *name)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s/wdmisr/%s", root, bdf,
		 name);
	wt_mkdirs(dir);
}

static int wt_rm(const char *path, const struct stat *st, int flag,
		 struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void wt_sysfs_free(char *root)
{
	if (nftw(root, wt_rm, 16, FTW_DEPTH | FTW_PHYS))
		wt_die("remove", root);
	free(root);
}

static int wt_fn_cmp(const void *a, const void *b)
{
	return strcmp(((const struct wt_pci_fn *)a)->bdf,
		      ((const struct wt_pci_fn *)b)->bdf);
}

static unsigned int wt_read_hex(const char *bdf, const char *file)
{
	char path[PATH_MAX];
	unsigned int v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, file);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%x", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

size_t wt_real_pci(struct wt_pci_fn *fn, size_t max)
{
	struct dirent *de;
	size_t n = 0;
	DIR *dir;

	dir = opendir("/sys/bus/pci/devices");
	if (!dir)
		return 0;
	while ((de = readdir(dir)) && n < max) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(fn->bdf))
			continue;
		snprintf(fn[n].bdf, sizeof(fn[n].bdf), "%s", de->d_name);
		fn[n].vendor = wt_read_hex(de->d_name, "vendor");
		fn[n].device = wt_read_hex(de->d_name, "device");
		n++;
	}
	closedir(dir);
	qsort(fn, n, sizeof(*fn), wt_fn_cmp);
	return n;
}

void wt_pci_name(const struct wt_pci_fn *fn, char *buf, size_t size)
{
	struct pci_access *pacc = pci_alloc();
	const char *name;
	char tmp[256];

	pci_init(pacc);
	name = pci_lookup_name(pacc, tmp, sizeof(tmp),
			       PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE, fn->vendor,
			       fn->device);
	snprintf(buf, size, "%s [%04x:%04x]", name, fn->vendor, fn->device);
	pci_cleanup(pacc);
}
