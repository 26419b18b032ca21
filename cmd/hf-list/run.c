/* run.c: what a listing and the lanes set up alike: the offline check,
 * dying with the parent, the clock of the progress lines. */
#include <err.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "util.h"
#include "list.h"

int
run_offline(const char *endpoint)
{
	if (!env_true("HF_HUB_OFFLINE"))
		return 0;
	warnx("HF_HUB_OFFLINE is set: not contacting %s", endpoint);
	return 1;
}

/* A parent killed with SIGKILL must not leave a listing running, holding
 * the parent's lock (hf-scraper) or never copied out (the lanes). */
void
run_die_with_parent(void)
{
#ifdef __linux__
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
		warn("prctl");
#endif
}

int
run_orphaned(pid_t parent)
{
	return parent != 0 && getppid() != parent;
}

double
run_elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}
