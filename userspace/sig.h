/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmisr-read signal handling: SIGINT and SIGTERM become a readable pipe
 * that the read loop polls next to the device.
 */
#ifndef WR_SIG_H
#define WR_SIG_H

/* Route SIGINT and SIGTERM to a pipe; its read end, or -1 with errno set. */
int wr_sig_install(void);
/* Put the previous handlers back and close the pipe. */
void wr_sig_restore(void);

#endif /* WR_SIG_H */
