/* beside.c: the listings after a "+", each run by a forked copy of this
 * process beside the first listing. The copy has libcurl loaded and set
 * up already, which a second hf-list would load again (BENCHMARKS.md).
 * A companion dies with this process; this process, killed by SIGTERM or
 * SIGINT, stops its companions and waits for them first, so that none
 * outlives it holding what it held (a directory lock, its --state). */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"
#include "list.h"

static pid_t	companion[LIST_MAX_LISTINGS];
static size_t	ncompanions;

static void	on_signal(int);

int
beside_start(size_t n, int (*run)(void *, size_t), void *arg)
{
	pid_t self = getpid(), pid;
	size_t i;

	fflush(NULL);	/* nothing buffered is written twice */
	for (i = 0; i < n && i < LIST_MAX_LISTINGS; i++) {
		if ((pid = fork()) == -1) {
			say_errno("fork");
			beside_stop();
			return -1;
		}
		if (pid == 0) {
			ncompanions = 0;
			run_die_with_parent();
			if (getppid() != self)	/* it died before the line above */
				_exit(HF_EXIT_FATAL);
			exit(run(arg, i));
		}
		companion[ncompanions++] = pid;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	return 0;
}

void
beside_stop(void)
{
	size_t i;

	for (i = 0; i < ncompanions; i++)
		if (companion[i] > 0)
			kill(companion[i], SIGTERM);
}

int
beside_wait(void)
{
	size_t i;
	pid_t r;
	int st, rv = HF_EXIT_OK;

	for (i = 0; i < ncompanions; i++) {
		while ((r = waitpid(companion[i], &st, 0)) == -1 &&
		    errno == EINTR)
			;
		companion[i] = 0;
		if (r == -1 || !WIFEXITED(st))
			rv = hf_worst(rv, HF_EXIT_FATAL);
		else
			rv = hf_worst(rv, WEXITSTATUS(st));
	}
	return rv;
}

/* Async-signal-safe: kill, waitpid, signal and raise. The signal stays
 * blocked until this returns, and then ends the process (errno need not
 * be kept). */
static void
on_signal(int sig)
{
	size_t i;

	beside_stop();
	for (i = 0; i < ncompanions; i++)
		if (companion[i] > 0)
			waitpid(companion[i], NULL, 0);
	signal(sig, SIG_DFL);
	raise(sig);
}
