// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-mmio: read or write one 32-bit register of a PCI memory BAR, for
 * the cases that drive a device by hand (the generic personality's e1000s,
 * edu's raise register, the ivshmem doorbell and shared-memory header).
 *
 *   wdmisr-mmio BDF BAR OFFSET          print the register, as 0x%08X
 *   wdmisr-mmio BDF BAR OFFSET VALUE    write VALUE to it
 *
 * It maps /sys/bus/pci/devices/BDF/resourceBAR, so it needs neither
 * /dev/mem nor CONFIG_DEVMEM (the debug kernel has none) and cannot reach
 * outside the BAR. OFFSET must be 4-byte aligned and inside the BAR.
 * Numbers may be decimal, 0x hex or 0 octal. Exit status 0 on success,
 * 1 with a message on stderr otherwise.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "wdmtest.h"

static uint64_t mmio_number(const char *what, const char *s, uint64_t max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || v > max)
		wdmtest_die("bad %s '%s' (at most %#" PRIx64 ")", what, s, max);
	return v;
}

int main(int argc, char **argv)
{
	uint64_t bar, offset, value = 0;
	volatile uint32_t *reg;
	char path[256];
	struct stat st;
	size_t page, base, len;
	bool write;
	void *map;
	int fd;

	wdmtest_prog = "wdmisr-mmio";
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: wdmisr-mmio BDF BAR OFFSET [VALUE]\n");
		return 1;
	}
	write = argc == 5;
	bar = mmio_number("BAR", argv[2], 5);
	offset = mmio_number("offset", argv[3], UINT32_MAX);
	if (write)
		value = mmio_number("value", argv[4], UINT32_MAX);
	if (offset % 4)
		wdmtest_die("offset %#" PRIx64 " is not 4-byte aligned", offset);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%" PRIu64,
		 argv[1], bar);
	fd = wdmtest_open(path, write ? O_RDWR : O_RDONLY);
	if (fstat(fd, &st))
		wdmtest_die("%s: %s", path, strerror(errno));
	if (offset + 4 > (uint64_t)st.st_size)
		wdmtest_die("offset %#" PRIx64 " is outside BAR %" PRIu64 " (%lld bytes)",
			    offset, bar, (long long)st.st_size);

	page = (size_t)sysconf(_SC_PAGESIZE);
	base = offset & ~(uint64_t)(page - 1);
	len = page;
	map = mmap(NULL, len, write ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED,
		   fd, (off_t)base);
	if (map == MAP_FAILED)
		wdmtest_die("%s: mmap: %s", path, strerror(errno));
	reg = (volatile uint32_t *)((char *)map + (offset - base));
	if (write)
		*reg = (uint32_t)value;
	else
		printf("0x%08" PRIX32 "\n", *reg);
	munmap(map, len);
	close(fd);
	return 0;
}
