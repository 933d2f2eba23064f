// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/wdmisrN: whole event records to one reader at a time, poll, the
 * ioctls of include/uapi/wdmisr.h, and the same statistics in sysfs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "wdmisr_compat.h"
#include "wdmisr.h"
#include "wdmisr_trace.h"

#define WDMISR_MINORS	256

/*
 * The records and ioctl arguments are ABI: their layout must be the same for
 * 32- and 64-bit userspace and every compiler, with no implicit padding.
 */
static_assert(sizeof(struct wdmisr_event) == 88);
static_assert(offsetof(struct wdmisr_event, msg) == 32);
static_assert(offsetof(struct wdmisr_event, len) == 40);
static_assert(offsetof(struct wdmisr_event, data) == 48);
static_assert(sizeof(struct wdmisr_info) == 56);
static_assert(sizeof(struct wdmisr_vector_stats) == 64);
static_assert(sizeof(struct wdmisr_stats) == 8 + 64 * WDMISR_MAX_VECTORS);

static struct class *wdmisr_class;
static dev_t wdmisr_devt;
static DEFINE_IDA(wdmisr_ida);

static unsigned short dev_mode = 0600;

static int dev_mode_set(const char *val, const struct kernel_param *kp)
{
	u16 mode;

	if (kstrtou16(val, 8, &mode) || mode & ~0666) {
		pr_err("dev_mode=%s: must be an octal mode of at most 0666\n", val);
		return -EINVAL;
	}
	*(unsigned short *)kp->arg = mode;
	return 0;
}

static int dev_mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "0%o\n", *(unsigned short *)kp->arg);
}

static const struct kernel_param_ops dev_mode_ops = {
	.set = dev_mode_set,
	.get = dev_mode_get,
};
module_param_cb(dev_mode, &dev_mode_ops, &dev_mode, 0444);
MODULE_PARM_DESC(dev_mode, "mode of /dev/wdmisrN when no udev rule sets it (default 0600)");

/*
 * Statistics
 */

struct wdmisr_stats_op {
	struct wdmisr_vector *v;
	struct wdmisr_vector_stats *out;	/* NULL: reset */
};

static KSYNCHRONIZE_ROUTINE wdmisr_stats_sync;

_Use_decl_annotations_
static BOOLEAN wdmisr_stats_sync(PVOID SynchronizeContext)
{
	struct wdmisr_stats_op *op = SynchronizeContext;

	if (op->out)
		*op->out = op->v->stats;
	else
		memset(&op->v->stats, 0, sizeof(op->v->stats));
	return TRUE;
}

/*
 * Copy (or, with @out NULL, reset) every vector's counters, each under its
 * interrupt lock so that no ISR is half way through them.
 */
static void wdmisr_stats_op(struct wdmisr_dev *wd, struct wdmisr_stats *out)
{
	struct wdmisr_stats_op op;
	unsigned int k;

	lockdep_assert_held(&wd->lock);
	if (out)
		out->nvectors = wd->nvectors;
	for (k = 0; k < wd->nvectors; k++) {
		op.v = &wd->vec[k];
		op.out = out ? &out->v[k] : NULL;
		KeSynchronizeExecution(wdmisr_intr(wd, k), wdmisr_stats_sync, &op);
	}
}

/*
 * File operations
 */

static int wdmisr_open(struct inode *inode, struct file *file)
{
	struct wdmisr_dev *wd = container_of(inode->i_cdev, struct wdmisr_dev, cdev);

	get_device(&wd->dev);
	file->private_data = wd;
	return stream_open(inode, file);
}

static int wdmisr_release(struct inode *inode, struct file *file)
{
	struct wdmisr_dev *wd = file->private_data;

	mutex_lock(&wd->lock);
	if (wd->reader == file)
		wd->reader = NULL;
	mutex_unlock(&wd->lock);
	put_device(&wd->dev);
	return 0;
}

/* One open file reads at a time: the first to read or poll. */
static int wdmisr_claim(struct wdmisr_dev *wd, struct file *file)
{
	lockdep_assert_held(&wd->lock);
	if (!wd->reader)
		wd->reader = file;
	return wd->reader == file ? 0 : -EBUSY;
}

static ssize_t wdmisr_read(struct file *file, char __user *buf, size_t count,
			   loff_t *ppos)
{
	struct wdmisr_dev *wd = file->private_data;
	const size_t esize = sizeof(struct wdmisr_event);
	struct wdmisr_event first;
	unsigned int copied = 0;
	u64 first_seq = 0;
	int ret;

	if (count < esize)
		return -EINVAL;
	count = min_t(size_t, count, kfifo_size(&wd->events) * esize);

	ret = mutex_lock_interruptible(&wd->lock);
	if (ret)
		return ret;
	ret = wdmisr_claim(wd, file);
	while (!ret && kfifo_is_empty(&wd->events)) {
		if (wd->gone) {
			ret = -ENODEV;
			break;
		}
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&wd->lock);
		ret = wait_event_interruptible(wd->wait,
					       !kfifo_is_empty(&wd->events) ||
					       READ_ONCE(wd->gone));
		if (ret)
			return ret;
		ret = mutex_lock_interruptible(&wd->lock);
		if (ret)
			return ret;
	}
	if (!ret) {
		if (trace_wdmisr_deliver_enabled() && kfifo_peek(&wd->events, &first))
			first_seq = first.seq;
		ret = kfifo_to_user(&wd->events, buf, count, &copied);
		/*
		 * A fault part way still consumed the whole records before it:
		 * return those; only a fault on the first one is -EFAULT.
		 */
		if (copied) {
			ret = 0;
			trace_wdmisr_deliver(wd->minor, copied / esize, first_seq);
		}
		/* Room was made: what stopped early may go on. */
		if (copied && !wd->gone && wd->pers->resume)
			wd->pers->resume(wd);
	}
	mutex_unlock(&wd->lock);
	/* Not "ret ? ret : copied": that would be unsigned, and -ENODEV huge. */
	if (ret)
		return ret;
	return copied;
}

static __poll_t wdmisr_poll(struct file *file, poll_table *wait)
{
	struct wdmisr_dev *wd = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &wd->wait, wait);
	mutex_lock(&wd->lock);
	if (wdmisr_claim(wd, file)) {
		mask = EPOLLERR;
	} else {
		if (!kfifo_is_empty(&wd->events))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (wd->gone)
			mask |= EPOLLHUP | EPOLLERR;
	}
	mutex_unlock(&wd->lock);
	return mask;
}

static int wdmisr_ioctl_info(struct wdmisr_dev *wd, void __user *arg)
{
	struct wdmisr_info info = {
		.abi_version = WDMISR_ABI_VERSION,
		.personality = wd->pers->id,
		.irq_mode = wd->irq_mode,
		.connect_version = wd->connect_version,
		.nvectors = wd->nvectors,
		.queue_len = kfifo_size(&wd->events),
		.record_size = sizeof(struct wdmisr_event),
		.vendor = wd->pdev->vendor,
		.device = wd->pdev->device,
	};

	strscpy(info.bdf, pci_name(wd->pdev), sizeof(info.bdf));
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static int wdmisr_ioctl_stats(struct wdmisr_dev *wd, void __user *arg)
{
	struct wdmisr_stats *st;
	int ret = 0;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	wdmisr_stats_op(wd, st);
	if (copy_to_user(arg, st, sizeof(*st)))
		ret = -EFAULT;
	kfree(st);
	return ret;
}

static int wdmisr_ioctl_trigger(struct wdmisr_dev *wd, void __user *arg)
{
	struct wdmisr_trigger t;

	if (copy_from_user(&t, arg, sizeof(t)))
		return -EFAULT;
	if (!wd->pers->trigger)
		return -EOPNOTSUPP;
	return wd->pers->trigger(wd, &t);
}

static long wdmisr_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct wdmisr_dev *wd = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	switch (cmd) {
	case WDMISR_IOC_INFO:
	case WDMISR_IOC_STATS:
	case WDMISR_IOC_RESET_STATS:
		break;
	case WDMISR_IOC_TRIGGER:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		break;
	default:
		return -ENOTTY;
	}

	ret = mutex_lock_interruptible(&wd->lock);
	if (ret)
		return ret;
	if (wd->gone)
		ret = -ENODEV;
	else if (cmd == WDMISR_IOC_INFO)
		ret = wdmisr_ioctl_info(wd, uarg);
	else if (cmd == WDMISR_IOC_STATS)
		ret = wdmisr_ioctl_stats(wd, uarg);
	else if (cmd == WDMISR_IOC_RESET_STATS)
		wdmisr_stats_op(wd, NULL);
	else
		ret = wdmisr_ioctl_trigger(wd, uarg);
	mutex_unlock(&wd->lock);
	return ret;
}

static const struct file_operations wdmisr_fops = {
	.owner = THIS_MODULE,
	.open = wdmisr_open,
	.release = wdmisr_release,
	.read = wdmisr_read,
	.poll = wdmisr_poll,
	.unlocked_ioctl = wdmisr_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/*
 * sysfs
 */

static ssize_t personality_show(struct device *dev, struct device_attribute *attr,
				char *buf)
{
	struct wdmisr_dev *wd = container_of(dev, struct wdmisr_dev, dev);

	return sysfs_emit(buf, "%s\n", wd->pers->name);
}
static DEVICE_ATTR_RO(personality);

static ssize_t irq_mode_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct wdmisr_dev *wd = container_of(dev, struct wdmisr_dev, dev);

	return sysfs_emit(buf, "%s\n", wdmisr_irq_mode_name(wd->irq_mode));
}
static DEVICE_ATTR_RO(irq_mode);

static ssize_t connect_version_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct wdmisr_dev *wd = container_of(dev, struct wdmisr_dev, dev);

	return sysfs_emit(buf, "%s\n", wdmisr_connect_name(wd->connect_version));
}
static DEVICE_ATTR_RO(connect_version);

static ssize_t vectors_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct wdmisr_dev *wd = container_of(dev, struct wdmisr_dev, dev);

	return sysfs_emit(buf, "%u\n", wd->nvectors);
}
static DEVICE_ATTR_RO(vectors);

static const char wdmisr_stats_header[] =
	"vector interrupts true false dpc_queued dpc_run events dropped malformed\n";
/* The longest line: a vector number and eight u64 counters, spaced. */
#define WDMISR_STATS_LINE_MAX	(3 + 8 * 21 + 1)

/*
 * The per-vector statistics table. With 64 busy vectors it outgrows the page
 * a text attribute has, so it is a binary attribute of unbounded size: each
 * read() formats the table and returns the part asked for.
 */
static ssize_t stats_read(struct file *filp, struct kobject *kobj,
			  struct bin_attribute *attr, char *buf, loff_t off,
			  size_t count)
{
	struct wdmisr_dev *wd = container_of(kobj, struct wdmisr_dev, dev.kobj);
	struct wdmisr_vector_stats *s;
	struct wdmisr_stats *st;
	size_t size, len;
	unsigned int k;
	ssize_t ret;
	char *text;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	mutex_lock(&wd->lock);
	wdmisr_stats_op(wd, st);
	mutex_unlock(&wd->lock);

	size = sizeof(wdmisr_stats_header) + st->nvectors * WDMISR_STATS_LINE_MAX;
	text = kmalloc(size, GFP_KERNEL);
	if (!text) {
		kfree(st);
		return -ENOMEM;
	}
	len = scnprintf(text, size, "%s", wdmisr_stats_header);
	for (k = 0; k < st->nvectors; k++) {
		s = &st->v[k];
		len += scnprintf(text + len, size - len,
				 "%u %llu %llu %llu %llu %llu %llu %llu %llu\n",
				 k, s->interrupts, s->isr_true, s->isr_false,
				 s->dpc_queued, s->dpc_run, s->events,
				 s->dropped, s->malformed);
	}
	ret = memory_read_from_buffer(buf, count, &off, text, len);
	kfree(text);
	kfree(st);
	return ret;
}
static BIN_ATTR_RO(stats, 0);

static struct attribute *wdmisr_attrs[] = {
	&dev_attr_personality.attr,
	&dev_attr_irq_mode.attr,
	&dev_attr_connect_version.attr,
	&dev_attr_vectors.attr,
	NULL,
};

static struct bin_attribute *wdmisr_bin_attrs[] = {
	&bin_attr_stats,
	NULL,
};

static const struct attribute_group wdmisr_group = {
	.attrs = wdmisr_attrs,
	.bin_attrs = wdmisr_bin_attrs,
};
__ATTRIBUTE_GROUPS(wdmisr);

/*
 * Registration
 */

static char *wdmisr_devnode(wdmisr_devnode_device *dev, umode_t *mode)
{
	if (mode)
		*mode = dev_mode;
	return NULL;
}

/*
 * wdmisr_cdev_add() - create /dev/wdmisrN for @wd
 *
 * Context: probe, as its last step.
 * Return: 0 or a negative errno; the minor is freed with @wd in any case.
 */
int wdmisr_cdev_add(struct wdmisr_dev *wd)
{
	int minor = ida_alloc_max(&wdmisr_ida, WDMISR_MINORS - 1, GFP_KERNEL);
	int err;

	if (minor < 0)
		return minor;
	wd->minor = minor;
	wd->dev.class = wdmisr_class;
	wd->dev.parent = &wd->pdev->dev;
	wd->dev.devt = MKDEV(MAJOR(wdmisr_devt), minor);
	wd->dev.groups = wdmisr_groups;
	err = dev_set_name(&wd->dev, "wdmisr%d", minor);
	if (err)
		return err;
	cdev_init(&wd->cdev, &wdmisr_fops);
	wd->cdev.owner = THIS_MODULE;
	return cdev_device_add(&wd->cdev, &wd->dev);
}

void wdmisr_cdev_del(struct wdmisr_dev *wd)
{
	cdev_device_del(&wd->cdev, &wd->dev);
}

void wdmisr_cdev_free_minor(struct wdmisr_dev *wd)
{
	if (wd->minor >= 0)
		ida_free(&wdmisr_ida, wd->minor);
}

int wdmisr_cdev_init(void)
{
	int err = alloc_chrdev_region(&wdmisr_devt, 0, WDMISR_MINORS, "wdmisr");

	if (err)
		return err;
	wdmisr_class = wdmisr_class_create("wdmisr");
	if (IS_ERR(wdmisr_class)) {
		unregister_chrdev_region(wdmisr_devt, WDMISR_MINORS);
		return PTR_ERR(wdmisr_class);
	}
	wdmisr_class->devnode = wdmisr_devnode;
	return 0;
}

void wdmisr_cdev_exit(void)
{
	class_destroy(wdmisr_class);
	unregister_chrdev_region(wdmisr_devt, WDMISR_MINORS);
	ida_destroy(&wdmisr_ida);
}
