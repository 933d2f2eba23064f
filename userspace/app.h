/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmisr-read as a function: parse the command line and run the mode it
 * names against a given environment, so that tests can run it in-process.
 */
#ifndef WR_APP_H
#define WR_APP_H

#include "devops.h"

/* The exit status: WR_EXIT_OK, WR_EXIT_FAIL or WR_EXIT_USAGE. Never exits. */
int wr_main(int argc, char **argv, const struct wr_env *env);

#endif /* WR_APP_H */
