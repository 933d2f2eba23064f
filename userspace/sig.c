// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-read signal handling with a self-pipe. The handler only writes one
 * byte; the poll loop sees the pipe become readable and ends cleanly. Since
 * the wakeup comes through the pipe, SA_RESTART is safe to use and keeps a
 * signal from failing a write to a slow stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "sig.h"

static int wr_sig_pipe[2] = { -1, -1 };
static struct sigaction wr_sig_old_int, wr_sig_old_term;

static void wr_sig_handler(int sig)
{
	int saved = errno;
	char c = (char)sig;
	ssize_t ret;

	ret = write(wr_sig_pipe[1], &c, 1);	/* full pipe: already pending */
	(void)ret;
	errno = saved;
}

int wr_sig_install(void)
{
	struct sigaction sa = { 0 };

	if (pipe2(wr_sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	sa.sa_handler = wr_sig_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &wr_sig_old_int);
	sigaction(SIGTERM, &sa, &wr_sig_old_term);
	return wr_sig_pipe[0];
}

void wr_sig_restore(void)
{
	if (wr_sig_pipe[0] < 0)
		return;
	sigaction(SIGINT, &wr_sig_old_int, NULL);
	sigaction(SIGTERM, &wr_sig_old_term, NULL);
	close(wr_sig_pipe[0]);
	close(wr_sig_pipe[1]);
	wr_sig_pipe[0] = -1;
	wr_sig_pipe[1] = -1;
}
