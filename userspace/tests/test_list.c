// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of --list: the real libpci scan, with a fake sysfs tree deciding
 * which functions are bound to wdmisr and which node each one has.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fakedev.h"
#include "fakesysfs.h"
#include "harness.h"
#include "wdmisr-read.h"

#define LIST_HEAD "bdf           node            irq     vectors  name\n"
#define NOT_ON_BUS "0000:fe:1f.7"	/* bound in the tree, absent from the bus */

static void t_bound(void)
{
	char *root = wt_sysfs_new();

	wt_sysfs_bind(root, "0000:00:01.0", "wdmisr");
	wt_sysfs_bind(root, "0000:00:02.0", "virtio-pci");
	wt_sysfs_bind(root, "0000:00:03.0", "wdmisr-old");
	wt_sysfs_node(root, "0000:00:04.0", "wdmisr0");	/* node, no driver */
	WT_EXPECT_INT(wr_list_bound(root, "0000:00:01.0"), true);
	WT_EXPECT_INT(wr_list_bound(root, "0000:00:02.0"), false);
	WT_EXPECT_INT(wr_list_bound(root, "0000:00:03.0"), false);
	WT_EXPECT_INT(wr_list_bound(root, "0000:00:04.0"), false);
	WT_EXPECT_INT(wr_list_bound(root, "0000:00:05.0"), false);
	wt_sysfs_free(root);
}

static void t_node(void)
{
	char *root = wt_sysfs_new();
	char node[64] = "";

	wt_sysfs_bind(root, "0000:00:01.0", "wdmisr");
	wt_sysfs_node(root, "0000:00:01.0", "wdmisr12");
	wt_sysfs_node(root, "0000:00:01.0", "wdmisr3");
	wt_sysfs_node(root, "0000:00:01.0", "wdmisrX");
	wt_sysfs_node(root, "0000:00:01.0", "wdmisr");
	wt_sysfs_node(root, "0000:00:01.0", "foo");
	WT_EXPECT_INT(wr_list_node(root, "0000:00:01.0", node, sizeof(node)), true);
	WT_EXPECT_STR(node, "/dev/wdmisr3");
	WT_EXPECT_INT(wr_list_node(root, "0000:00:02.0", node, sizeof(node)), false);
	wt_sysfs_free(root);
}

static void t_list_none(void)
{
	char *root = wt_sysfs_new();
	struct wt_pci_fn fn[256];
	struct wt_run r;
	size_t n;

	/* every real function bound to something else */
	n = wt_real_pci(fn, WT_ARRAY_SIZE(fn));
	if (n)
		wt_sysfs_bind(root, fn[0].bdf, "virtio-pci");
	wt_sysfs_bind(root, NOT_ON_BUS, "wdmisr");
	wt_sysfs_node(root, NOT_ON_BUS, "wdmisr0");
	wt_run(&r, root, "--list", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf, "no devices bound to wdmisr\n");
	WT_EXPECT_STR(r.err.buf, "");
	WT_EXPECT_INT(wt_dev.opens, 0);
	wt_run_free(&r);
	wt_sysfs_free(root);
}

static void t_loaded(void)
{
	char *root = wt_sysfs_new();
	char path[512];
	FILE *f;

	WT_EXPECT_INT(wr_list_loaded(root), true);
	wt_sysfs_unload(root);
	WT_EXPECT_INT(wr_list_loaded(root), false);
	snprintf(path, sizeof(path), "%s/module/wdmisr", root);	/* not a directory */
	f = fopen(path, "w");
	WT_ASSERT_TRUE(f != NULL);
	fclose(f);
	WT_EXPECT_INT(wr_list_loaded(root), false);
	remove(path);
	wt_sysfs_free(root);
}

static void t_list_not_loaded(void)
{
	char *root = wt_sysfs_new();
	char want[512];
	struct wt_run r;

	/* bound on paper, but the module is gone: nothing is scanned or opened */
	wt_sysfs_bind(root, NOT_ON_BUS, "wdmisr");
	wt_sysfs_node(root, NOT_ON_BUS, "wdmisr0");
	wt_sysfs_unload(root);
	snprintf(want, sizeof(want),
		 "wdmisr-read: --list: wdmisr.ko is not loaded (no %s/module/wdmisr)\n",
		 root);
	wt_run(&r, root, "--list", NULL);
	WT_EXPECT_INT(r.status, WR_EXIT_NO_DRIVER);
	WT_EXPECT_STR(r.out.buf, "");
	WT_EXPECT_STR(r.err.buf, want);
	WT_EXPECT_INT(wt_dev.opens, 0);
	wt_run_free(&r);
	wt_sysfs_free(root);
}

static void t_list_json_none(void)
{
	char *root = wt_sysfs_new();
	struct wt_run r;

	wt_sysfs_bind(root, NOT_ON_BUS, "wdmisr");
	wt_run(&r, root, "--list", "--format", "json", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf, "{\"devices\":[]}\n");
	WT_EXPECT_STR(r.err.buf, "");
	wt_run_free(&r);
	wt_sysfs_free(root);
}

/* A row with everything known, one without a node: null where text has "-". */
static void t_list_json(void)
{
	char *root, name0[512], name1[512], want[2048];
	struct wt_pci_fn fn[256];
	struct wt_run r;

	if (wt_real_pci(fn, WT_ARRAY_SIZE(fn)) < 2) {
		wt_skip("fewer than two PCI functions on this machine");
		return;
	}
	root = wt_sysfs_new();
	wt_sysfs_bind(root, fn[0].bdf, "wdmisr");
	wt_sysfs_node(root, fn[0].bdf, "wdmisr3");
	wt_sysfs_bind(root, fn[1].bdf, "wdmisr");
	wt_dev.path = "/dev/wdmisr3";
	wt_dev.info.irq_mode = WDMISR_IRQ_MSIX;
	wt_dev.info.nvectors = 4;
	wt_run(&r, root, "--list", "-F", "json", NULL);
	wt_pci_name(&fn[0], name0, sizeof(name0));
	wt_pci_name(&fn[1], name1, sizeof(name1));
	snprintf(want, sizeof(want),
		 "{\"devices\":["
		 "{\"bdf\":\"%s\",\"node\":\"/dev/wdmisr3\",\"irq\":\"MSI-X\",\"vectors\":4,\"name\":\"%s\"},"
		 "{\"bdf\":\"%s\",\"node\":null,\"irq\":null,\"vectors\":null,\"name\":\"%s\"}"
		 "]}\n", fn[0].bdf, name0, fn[1].bdf, name1);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf, want);
	WT_EXPECT_STR(r.err.buf, "");
	WT_EXPECT_INT(wt_dev.opens, 1);
	wt_run_free(&r);
	wt_sysfs_free(root);
}

static void t_list_bound(void)
{
	char *root, name[512], want[2048];
	struct wt_pci_fn fn[256];
	struct wt_run r;
	size_t n;

	n = wt_real_pci(fn, WT_ARRAY_SIZE(fn));
	if (!n) {
		wt_skip("no PCI functions on this machine");
		return;
	}
	root = wt_sysfs_new();
	wt_sysfs_bind(root, fn[0].bdf, "wdmisr");
	wt_sysfs_node(root, fn[0].bdf, "wdmisr3");
	if (n > 1)
		wt_sysfs_bind(root, fn[1].bdf, "virtio-pci");
	wt_sysfs_bind(root, NOT_ON_BUS, "wdmisr");
	wt_sysfs_node(root, NOT_ON_BUS, "wdmisr0");
	wt_dev.path = "/dev/wdmisr3";
	wt_dev.info.irq_mode = WDMISR_IRQ_MSIX;
	wt_dev.info.nvectors = 4;

	wt_run(&r, root, "--list", NULL);
	wt_pci_name(&fn[0], name, sizeof(name));
	snprintf(want, sizeof(want), LIST_HEAD "%-12s  /dev/wdmisr3    MSI-X         4  %s\n",
		 fn[0].bdf, name);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf, want);
	WT_EXPECT_STR(r.err.buf, "");
	WT_EXPECT_INT(wt_dev.opens, 1);
	wt_run_free(&r);
	wt_sysfs_free(root);
}

static void t_list_no_node_info(void)
{
	char *root, name0[512], name1[512], want[2048];
	struct wt_pci_fn fn[256];
	struct wt_run r;
	size_t n;

	n = wt_real_pci(fn, WT_ARRAY_SIZE(fn));
	if (n < 2) {
		wt_skip("fewer than two PCI functions on this machine");
		return;
	}
	/* the first has a node that cannot be opened, the second no node */
	root = wt_sysfs_new();
	wt_sysfs_bind(root, fn[0].bdf, "wdmisr");
	wt_sysfs_node(root, fn[0].bdf, "wdmisr5");
	wt_sysfs_bind(root, fn[1].bdf, "wdmisr");
	wt_run(&r, root, "--list", NULL);
	wt_pci_name(&fn[0], name0, sizeof(name0));
	wt_pci_name(&fn[1], name1, sizeof(name1));
	snprintf(want, sizeof(want),
		 LIST_HEAD
		 "%-12s  /dev/wdmisr5    -             -  %s\n"
		 "%-12s  -               -             -  %s\n",
		 fn[0].bdf, name0, fn[1].bdf, name1);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf, want);
	WT_EXPECT_INT(wt_dev.opens, 0);
	wt_run_free(&r);
	wt_sysfs_free(root);
}

static void t_list_info_fails(void)
{
	char *root, name[512], want[2048];
	struct wt_pci_fn fn[256];
	struct wt_run r;

	if (!wt_real_pci(fn, WT_ARRAY_SIZE(fn))) {
		wt_skip("no PCI functions on this machine");
		return;
	}
	root = wt_sysfs_new();
	wt_sysfs_bind(root, fn[0].bdf, "wdmisr");
	wt_sysfs_node(root, fn[0].bdf, "wdmisr0");
	wt_dev.info_errno = ENOTTY;
	wt_run(&r, root, "--list", NULL);
	wt_pci_name(&fn[0], name, sizeof(name));
	snprintf(want, sizeof(want), LIST_HEAD "%-12s  /dev/wdmisr0    -             -  %s\n",
		 fn[0].bdf, name);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf, want);
	WT_EXPECT_INT(wt_dev.opens, 1);		/* and closed again */
	wt_run_free(&r);
	wt_sysfs_free(root);
}

WT_SUITE(wt_list_suite,
	{ "list: driver link decides binding", t_bound },
	{ "list: lowest wdmisrN entry is the node", t_node },
	{ "list: /sys/module/wdmisr says whether it is loaded", t_loaded },
	{ "list: wdmisr.ko not loaded: message and exit 4", t_list_not_loaded },
	{ "list: nothing bound on the bus", t_list_none },
	{ "list: --format json, nothing bound", t_list_json_none },
	{ "list: --format json, known and unknown fields", t_list_json },
	{ "list: bound function with node and info", t_list_bound },
	{ "list: node missing or not openable", t_list_no_node_info },
	{ "list: info ioctl fails", t_list_info_fails },
);
