/* driver.c: run a fuzz harness without libFuzzer, for the regression
 * cases: every file operand, and every file in every directory operand
 * (in name order), is read whole and passed to LLVMFuzzerTestOneInput
 * once. A crash is a crash (or a sanitizer report when built with
 * -fsanitize), followed by the name of the file that caused it; otherwise
 * the exit status is 0, or 1 if a file could not be read.
 *
 * The programs' own diagnostics (a skipped line, a summary) are sent to
 * /dev/null unless FUZZ_VERBOSE is set, which also names each file as it
 * is run. Sanitizer reports and harness failures are written to file
 * descriptor 2 directly and always show. */
#include <dirent.h>
#include <err.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
void	__sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));

static const char	*current;	/* the file being run */
static int		 verbose;

static void	name_current(void);
static void	on_signal(int);
static int	run_file(const char *);
static int	run_dir(const char *);
static int	by_name(const void *, const void *);

/* After a crash: which case it was. */
static void
name_current(void)
{
	if (current == NULL)
		return;
	write(STDERR_FILENO, "driver: crashed on ", 19);
	write(STDERR_FILENO, current, strlen(current));
	write(STDERR_FILENO, "\n", 1);
}

static void
on_signal(int sig)
{
	name_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
run_file(const char *path)
{
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		warn("%s", path);
		return 1;
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			if ((data = realloc(data, cap)) == NULL)
				err(1, "%s", path);
		}
		if ((n = fread(data + len, 1, cap - len, fp)) == 0)
			break;
		len += n;
	}
	if (ferror(fp)) {
		warn("%s", path);
		fclose(fp);
		free(data);
		return 1;
	}
	fclose(fp);
	if (verbose)
		fprintf(stderr, "driver: %s\n", path);
	current = path;
	LLVMFuzzerTestOneInput(data, len);
	current = NULL;
	free(data);
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, in byte order of their names. */
static int
run_dir(const char *dir)
{
	char **names = NULL, *p;
	size_t n = 0, i;
	struct dirent *d;
	struct stat st;
	int rv = 0;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL) {
		warn("%s", dir);
		return 1;
	}
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if ((names = realloc(names, (n + 1) * sizeof(*names))) == NULL ||
		    (p = malloc(strlen(dir) + strlen(d->d_name) + 2)) == NULL)
			err(1, "%s", dir);
		sprintf(p, "%s/%s", dir, d->d_name);
		names[n++] = p;
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			rv |= run_file(names[i]);
		free(names[i]);
	}
	free(names);
	return rv;
}

int
main(int argc, char *argv[])
{
	struct stat st;
	int i, rv = 0;

	/* a sanitizer reports SEGV and friends itself, then calls back */
	signal(SIGABRT, on_signal);
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(name_current);
	else {
		signal(SIGSEGV, on_signal);
		signal(SIGBUS, on_signal);
		signal(SIGFPE, on_signal);
	}
	if (!(verbose = getenv("FUZZ_VERBOSE") != NULL) &&
	    (stderr = fopen("/dev/null", "w")) == NULL)
		err(1, "/dev/null");
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			rv |= run_dir(argv[i]);
		else
			rv |= run_file(argv[i]);
	}
	return rv;
}
