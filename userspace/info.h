/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmisr-read --info, and the names of the values in struct wdmisr_info.
 */
#ifndef WR_INFO_H
#define WR_INFO_H

#include <stdint.h>
#include <stdio.h>

#include "devops.h"
#include "wdmisr.h"

/* Name of a value, or NULL if the tool does not know it. */
const char *wr_personality_name(uint32_t personality);
const char *wr_irq_mode_name(uint32_t irq_mode);
const char *wr_connect_name(uint32_t connect_version);

/* WDMISR_IOC_INFO on @fd; 0, or -1 after printing why. */
int wr_info_query(const struct wr_env *env, int fd, const char *path,
		  struct wdmisr_info *info);
/* 0 if @info describes the ABI this tool was built for, else -1 and a message. */
int wr_info_check(const struct wr_env *env, const char *path,
		  const struct wdmisr_info *info);
void wr_info_print(FILE *out, const char *path, const struct wdmisr_info *info);

/* --info: the exit status. */
int wr_info_run(const struct wr_env *env, const char *path);

#endif /* WR_INFO_H */
