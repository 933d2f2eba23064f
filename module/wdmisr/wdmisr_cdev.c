// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/wdmisrN: whole event records to one reader at a time, poll, the
 * ioctls of include/uapi/wdmisr.h, and the same statistics in sysfs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

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
static_assert(sizeof(struct wdmisr_ring_header) == 192);
static_assert(offsetof(struct wdmisr_ring_header, head) == 64);
static_assert(offsetof(struct wdmisr_ring_header, tail) == 128);

static struct class *wdmisr_class;
static dev_t wdmisr_devt;
static struct dentry *wdmisr_debugfs;	/* wdmisr/ in debugfs */
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

/* How many nodes there may be; a probe finding none free fails (ENOSPC). */
static unsigned int max_devices = WDMISR_MINORS;

static int max_devices_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n < 1 || n > WDMISR_MINORS) {
		pr_err("max_devices=%s: must be 1..%d\n", val, WDMISR_MINORS);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops max_devices_ops = {
	.set = max_devices_set,
	.get = param_get_uint,
};
module_param_cb(max_devices, &max_devices_ops, &max_devices, 0444);
MODULE_PARM_DESC(max_devices, "most /dev/wdmisrN nodes at once, 1..256 (default 256)");

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
		WRITE_ONCE(wd->reader, NULL);
	mutex_unlock(&wd->lock);
	put_device(&wd->dev);
	return 0;
}

/*
 * One open file reads at a time: the first to read or poll. Only a file
 * open for reading: read() on any other never gets here (EBADF), and
 * wdmisr_poll() does not ask for it.
 */
static int wdmisr_claim(struct wdmisr_dev *wd, struct file *file)
{
	lockdep_assert_held(&wd->lock);
	if (!wd->reader) {
		WRITE_ONCE(wd->reader, file);
		/*
		 * The last reader left the consumer index out of range
		 * through its mapping (now gone with its file): start this
		 * one at head, with the ring empty.
		 */
		if (wdmisr_ring_used(wd) > wd->ring_size) {
			/* Release: pairs with the producer's acquire of tail. */
			smp_store_release(&wd->ring->tail, READ_ONCE(wd->head));
		}
	}
	return wd->reader == file ? 0 : -EBUSY;
}

/*
 * Wait until a record is queued, or the device is gone with none left.
 * Return: 0 (a record is queued, and stays so: only the caller, under
 * read_lock, takes records out), -ENODEV, -EAGAIN (O_NONBLOCK) or -EINTR /
 * -ERESTARTSYS (a signal).
 */
static int wdmisr_read_wait(struct wdmisr_dev *wd, struct file *file)
{
	int ret;

	lockdep_assert_held(&wd->read_lock);
	/* Records are there: whatever else changes, read() takes them. */
	if (wdmisr_ring_used(wd))
		return 0;
	ret = mutex_lock_interruptible(&wd->lock);
	if (ret)
		return ret;
	while (!wdmisr_ring_used(wd)) {
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
					       wdmisr_ring_used(wd) ||
					       READ_ONCE(wd->gone));
		if (ret)
			return ret;
		ret = mutex_lock_interruptible(&wd->lock);
		if (ret)
			return ret;
	}
	mutex_unlock(&wd->lock);
	return ret;
}

/*
 * wdmisr_read_copy() - copy up to @want queued records to @buf
 * @wd:		the device
 * @buf:	the reader's buffer, room for @want records
 * @want:	records asked for
 * @err:	set to -EFAULT if the copy faulted, -EIO if the consumer index
 *		is out of range, -EAGAIN if the mapping took every record
 *		since wdmisr_read_wait()
 *
 * One copy, from the ring straight to @buf, in at most two spans (it wraps
 * once at most), without wd->lock: copy_to_user() may fault, and the fault
 * may wait as long as userspace likes (a userfaultfd nobody serves, a
 * stuck FUSE file), while remove() needs wd->lock. Only the records that
 * reached @buf whole are taken off, after they did: the one a fault hit
 * and all after it stay first in the queue, for the next read() of this
 * or, once it is closed, the next reader. No record is lost to a fault.
 *
 * head is loaded with acquire semantics (the ISR stores it with release
 * semantics after the record), so the records up to it are whole; the new
 * tail is stored with release semantics, so the copies are done before the
 * ISR, which loads tail with acquire semantics, writes over those slots.
 * read_lock makes this the only code in the kernel that moves tail.
 *
 * Return: the number of records copied to @buf.
 */
static size_t wdmisr_read_copy(struct wdmisr_dev *wd, char __user *buf,
			       size_t want, int *err)
{
	const size_t esize = sizeof(struct wdmisr_event);
	/* Acquire: pairs with wdmisr_queue_event()'s release of head. */
	u32 head = smp_load_acquire(&wd->head);
	u32 tail = READ_ONCE(wd->ring->tail);
	u32 mask = wd->ring_size - 1;
	size_t n = head - tail, done = 0, span;
	unsigned long left;
	u64 first_seq;

	lockdep_assert_held(&wd->read_lock);
	if (n > wd->ring_size) {
		*err = -EIO;
		return 0;
	}
	/* Taken meanwhile, through the mapping. */
	if (!n) {
		*err = -EAGAIN;
		return 0;
	}
	n = min(n, want);
	first_seq = wd->records[tail & mask].seq;
	while (done < n) {
		span = min_t(size_t, n - done,
			     wd->ring_size - ((tail + done) & mask));
		left = copy_to_user(buf + done * esize,
				    &wd->records[(tail + done) & mask],
				    span * esize);
		done += (span * esize - left) / esize;
		if (left) {
			*err = -EFAULT;
			break;
		}
	}
	if (done) {
		/* Release: the copies before the ISR's acquire of tail. */
		smp_store_release(&wd->ring->tail, tail + done);
		trace_wdmisr_deliver(wd->minor, done, first_seq);
	}
	return done;
}

/*
 * Resume a device that stopped for room (ivshmem), if the consumer made
 * some since the last time: after read(), and at poll() for a consumer
 * that moves tail through the mapping.
 */
static void wdmisr_resume(struct wdmisr_dev *wd)
{
	u32 tail = READ_ONCE(wd->ring->tail);

	lockdep_assert_held(&wd->lock);
	if (!wd->pers->resume || wd->gone || tail == wd->resume_tail)
		return;
	WRITE_ONCE(wd->resume_tail, tail);
	wd->pers->resume(wd);
}

/*
 * After read() took records: resume now if it emptied the queue (it may
 * wait next, and nothing else would), or if half a queue was taken since
 * the last resume; else the next read() will. A queue that filled up
 * (the device stopped for room) is refilled in half-queue steps, not a
 * record at a time, and read() skips wd->lock and the interrupt lock of
 * each vector that resuming takes.
 */
static bool wdmisr_resume_due(struct wdmisr_dev *wd)
{
	u32 tail = READ_ONCE(wd->ring->tail);

	return !wdmisr_ring_used(wd) ||
	       tail - READ_ONCE(wd->resume_tail) >= wd->ring_size / 2;
}

static ssize_t wdmisr_read(struct file *file, char __user *buf, size_t count,
			   loff_t *ppos)
{
	struct wdmisr_dev *wd = file->private_data;
	const size_t esize = sizeof(struct wdmisr_event);
	size_t want, done = 0;
	int ret;

	if (count < esize)
		return -EINVAL;
	want = min_t(size_t, count / esize, wd->ring_size);

	/* Only this file's release unsets its claim: no lock once it holds. */
	if (READ_ONCE(wd->reader) != file) {
		ret = mutex_lock_interruptible(&wd->lock);
		if (ret)
			return ret;
		ret = wdmisr_claim(wd, file);
		mutex_unlock(&wd->lock);
		if (ret)
			return ret;
	}

	/* The claim holds until close: only this file's threads get here. */
	if (file->f_flags & O_NONBLOCK) {
		if (!mutex_trylock(&wd->read_lock))
			return -EAGAIN;
	} else {
		ret = mutex_lock_interruptible(&wd->read_lock);
		if (ret)
			return ret;
	}
	ret = wdmisr_read_wait(wd, file);
	if (!ret)
		done = wdmisr_read_copy(wd, buf, want, &ret);
	/* Room was made: what stopped early may go on. */
	if (done && wd->pers->resume && wdmisr_resume_due(wd)) {
		mutex_lock(&wd->lock);
		wdmisr_resume(wd);
		mutex_unlock(&wd->lock);
	}
	mutex_unlock(&wd->read_lock);
	/* Whole records copied before a fault are returned; the fault is not. */
	if (done)
		return done * esize;
	return ret;
}

static __poll_t wdmisr_poll(struct file *file, poll_table *wait)
{
	struct wdmisr_dev *wd = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &wd->wait, wait);
	mutex_lock(&wd->lock);
	if (!(file->f_mode & FMODE_READ)) {
		/* No reader, so it claims nothing: only the hang-up concerns it. */
		if (wd->gone)
			mask = EPOLLHUP | EPOLLERR;
	} else if (wdmisr_claim(wd, file)) {
		mask = EPOLLERR;
	} else {
		/* First: what it drains is reported now. */
		wdmisr_resume(wd);
		if (wdmisr_ring_used(wd))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (wd->gone)
			mask |= EPOLLHUP | EPOLLERR;
	}
	mutex_unlock(&wd->lock);
	return mask;
}

/*
 * Map the ring's header page (offset 0) or its records (offset one page),
 * as include/uapi/wdmisr.h says. remap_vmalloc_range() takes a reference
 * on every page it maps: the pages last as long as the mapping, which
 * also holds the file, and the file wd; device removal only stops the
 * producer.
 */
static int wdmisr_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct wdmisr_dev *wd = file->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;
	int ret;

	/* MAP_SHARED (VM_SHARED is not set on a file open read-only). */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_pgoff == WDMISR_RING_HEADER_OFFSET >> PAGE_SHIFT) {
		if (len != PAGE_SIZE)
			return -EINVAL;
	} else if (vma->vm_pgoff == 1) {
		/* What the header says, from wd: the mapping may rewrite it. */
		if (len != PAGE_ALIGN(wd->ring_size * sizeof(struct wdmisr_event)))
			return -EINVAL;
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
	} else {
		return -EINVAL;
	}
	if (!(file->f_mode & FMODE_READ))
		return -EACCES;

	mutex_lock(&wd->lock);
	ret = wdmisr_claim(wd, file);
	mutex_unlock(&wd->lock);
	if (ret)
		return ret;

	/* Records: never writable, not even by a later mprotect(). */
	if (vma->vm_pgoff)
		wdmisr_vm_flags_mod(vma, 0, VM_MAYWRITE);
	/* It makes the mapping VM_DONTEXPAND: mremap() cannot grow it. */
	return remap_vmalloc_range(vma, wd->ring, vma->vm_pgoff);
}

static void wdmisr_ioctl_info(struct wdmisr_dev *wd, struct wdmisr_info *info)
{
	*info = (struct wdmisr_info) {
		.abi_version = WDMISR_ABI_VERSION,
		.personality = wd->pers->id,
		.irq_mode = wd->irq_mode,
		.connect_version = wd->connect_version,
		.nvectors = wd->nvectors,
		.queue_len = wd->ring_size,
		.record_size = sizeof(struct wdmisr_event),
		.vendor = wd->pdev->vendor,
		.device = wd->pdev->device,
		.flags = WDMISR_INFO_RING,
	};
	strscpy(info->bdf, pci_name(wd->pdev), sizeof(info->bdf));
}

static int wdmisr_ioctl_trigger(struct wdmisr_dev *wd,
				const struct wdmisr_trigger *t)
{
	lockdep_assert_held(&wd->lock);
	if (!wd->pers->trigger)
		return -EOPNOTSUPP;
	return wd->pers->trigger(wd, t);
}

/*
 * Every copy from or to userspace is made outside wd->lock: the argument
 * is copied in before the lock is taken and the result out after it is
 * dropped, since a copy may wait on a page fault for as long as userspace
 * likes, and remove() takes the lock.
 */
static long wdmisr_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct wdmisr_dev *wd = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct wdmisr_stats *st = NULL;
	struct wdmisr_info info;
	struct wdmisr_trigger t;
	long ret;

	switch (cmd) {
	case WDMISR_IOC_INFO:
	case WDMISR_IOC_RESET_STATS:
		break;
	case WDMISR_IOC_STATS:
		st = kzalloc(sizeof(*st), GFP_KERNEL);
		if (!st)
			return -ENOMEM;
		break;
	case WDMISR_IOC_TRIGGER:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (copy_from_user(&t, uarg, sizeof(t)))
			return -EFAULT;
		break;
	default:
		return -ENOTTY;
	}

	ret = mutex_lock_interruptible(&wd->lock);
	if (ret)
		goto out;
	if (wd->gone)
		ret = -ENODEV;
	else if (cmd == WDMISR_IOC_INFO)
		wdmisr_ioctl_info(wd, &info);
	else if (cmd == WDMISR_IOC_STATS)
		wdmisr_stats_op(wd, st);
	else if (cmd == WDMISR_IOC_RESET_STATS)
		wdmisr_stats_op(wd, NULL);
	else
		ret = wdmisr_ioctl_trigger(wd, &t);
	mutex_unlock(&wd->lock);

	if (!ret && cmd == WDMISR_IOC_INFO &&
	    copy_to_user(uarg, &info, sizeof(info)))
		ret = -EFAULT;
	else if (!ret && cmd == WDMISR_IOC_STATS &&
		 copy_to_user(uarg, st, sizeof(*st)))
		ret = -EFAULT;
out:
	kfree(st);
	return ret;
}

static const struct file_operations wdmisr_fops = {
	.owner = THIS_MODULE,
	.open = wdmisr_open,
	.release = wdmisr_release,
	.read = wdmisr_read,
	.poll = wdmisr_poll,
	.mmap = wdmisr_mmap,
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

/*
 * debugfs: wdmisr/wdmisrN/stats, the per-vector statistics table (sysfs
 * files hold one value each). The columns are wdmisr-read --stats's.
 */
static int wdmisr_stats_show(struct seq_file *m, void *unused)
{
	struct wdmisr_dev *wd = m->private;
	struct wdmisr_vector_stats *s;
	struct wdmisr_stats *st;
	unsigned int k;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	mutex_lock(&wd->lock);
	wdmisr_stats_op(wd, st);
	mutex_unlock(&wd->lock);

	seq_puts(m, "vector interrupts true false dpc_queued dpc_run events dropped malformed\n");
	for (k = 0; k < st->nvectors; k++) {
		s = &st->v[k];
		seq_printf(m, "%u %llu %llu %llu %llu %llu %llu %llu %llu\n",
			   k, s->interrupts, s->isr_true, s->isr_false,
			   s->dpc_queued, s->dpc_run, s->events, s->dropped,
			   s->malformed);
	}
	kfree(st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(wdmisr_stats);

static struct attribute *wdmisr_attrs[] = {
	&dev_attr_personality.attr,
	&dev_attr_irq_mode.attr,
	&dev_attr_connect_version.attr,
	&dev_attr_vectors.attr,
	NULL,
};

static const struct attribute_group wdmisr_group = {
	.attrs = wdmisr_attrs,
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
	int minor = ida_alloc_max(&wdmisr_ida, max_devices - 1, GFP_KERNEL);
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
	err = cdev_device_add(&wd->cdev, &wd->dev);
	if (err)
		return err;
	/* Without debugfs these are error pointers that debugfs ignores. */
	wd->debugfs = debugfs_create_dir(dev_name(&wd->dev), wdmisr_debugfs);
	debugfs_create_file("stats", 0444, wd->debugfs, wd, &wdmisr_stats_fops);
	return 0;
}

void wdmisr_cdev_del(struct wdmisr_dev *wd)
{
	/* Waits for the stats readers: @wd outlives them. */
	debugfs_remove(wd->debugfs);
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
	wdmisr_debugfs = debugfs_create_dir("wdmisr", NULL);
	return 0;
}

void wdmisr_cdev_exit(void)
{
	debugfs_remove(wdmisr_debugfs);
	class_destroy(wdmisr_class);
	unregister_chrdev_region(wdmisr_devt, WDMISR_MINORS);
	ida_destroy(&wdmisr_ida);
}
