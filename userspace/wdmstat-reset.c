// SPDX-License-Identifier: GPL-2.0
/*
 * wdmstat --reset: "1\n" to <root>/reset zeroes every object's statistics,
 * to <root>/interrupts/<object>/reset one object's. An object is named by
 * its directory, or by its interrupt name (the directory without "<irq>-")
 * when only one directory has it. Says on stdout what it reset.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "wdmstat.h"

/* Write "1\n" to @path; 0, or -1 after a message. */
static int ws_reset_write(const struct ws_env *env, const char *path)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		ws_err(env->err, path, "%s%s", strerror(e),
		       e == EACCES ? " (run as root)" : "");
		return -1;
	}
	n = write(fd, "1\n", 2);
	if (n != 2) {
		ws_err(env->err, path, "%s", n < 0 ? strerror(errno) : "short write");
		close(fd);
		return -1;
	}
	if (close(fd)) {
		ws_err(env->err, path, "%s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Whether directory @d is "<irq>-<@name>", or that with the "#<n>" that tells
 * two objects of one name on one IRQ apart.
 */
static bool ws_dir_has_name(const char *d, const char *name)
{
	size_t len = strlen(name);
	const char *p = d;

	while (*p >= '0' && *p <= '9')
		p++;
	if (p == d || *p++ != '-' || strncmp(p, name, len))
		return false;
	p += len;
	if (*p == '#')
		p += 1 + strspn(p + 1, "0123456789");
	return !*p;
}

/*
 * The directory @obj names, into @dir; how many object directories there
 * are into @nobj. 0, or -1 after a message (no such object, ambiguous).
 */
static int ws_reset_find(const struct ws_env *env, const char *root,
			 const char *obj, char *dir, size_t size, size_t *nobj)
{
	char path[PATH_MAX];
	unsigned int matches = 0;
	struct dirent *de;
	bool exact = false;
	DIR *d;

	snprintf(path, sizeof(path), "%s/interrupts", root);
	d = opendir(path);
	if (!d) {
		ws_err(env->err, path, "%s", strerror(errno));
		return -1;
	}
	*nobj = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		++*nobj;
		if (obj && !exact && !strcmp(de->d_name, obj)) {
			exact = true;
			snprintf(dir, size, "%s", de->d_name);
		} else if (obj && !exact && ws_dir_has_name(de->d_name, obj) &&
			   !matches++) {
			snprintf(dir, size, "%s", de->d_name);
		}
	}
	closedir(d);
	if (!obj || exact || matches == 1)
		return 0;
	if (matches)
		ws_err(env->err, obj,
		       "%u interrupt objects have this name: give the directory (ls %s)",
		       matches, path);
	else
		ws_err(env->err, obj, "no such interrupt object in %s", path);
	return -1;
}

int ws_reset_run(const struct ws_env *env, const char *root, const char *obj)
{
	char dir[NAME_MAX + 1], path[PATH_MAX];
	size_t nobj;
	int ret;

	ret = ws_root_check(env, root);
	if (ret)
		return ret;
	if (obj && strchr(obj, '/')) {
		ws_err(env->err, obj, "no such interrupt object (a name has no '/')");
		return WS_EXIT_FAIL;
	}
	if (ws_reset_find(env, root, obj, dir, sizeof(dir), &nobj))
		return WS_EXIT_FAIL;
	if (obj)
		snprintf(path, sizeof(path), "%s/interrupts/%s/reset", root, dir);
	else
		snprintf(path, sizeof(path), "%s/reset", root);
	if (ws_reset_write(env, path))
		return WS_EXIT_FAIL;
	if (obj)
		fprintf(env->out, "reset %s (%s)\n", dir, path);
	else
		fprintf(env->out, "reset all %zu interrupt object%s (%s)\n", nobj,
			nobj == 1 ? "" : "s", path);
	return WS_EXIT_OK;
}
