/* hf-registry [--registry file] count | list | orgs [arch] | check arch:
 * the questions the wrapper asks of the architecture registry, answered
 * in lines from the registry as the stages read it (hf-registry(1)). */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>

#include "registry.h"
#include "stage.h"
#include "util.h"
#include "query.h"

enum { OPT_REGISTRY = 256 };

static const struct option longopts[] = {
	{ "registry",	required_argument,	NULL, OPT_REGISTRY },
	{ NULL,		0,			NULL, 0 },
};

static int	option(void *, int, const char *);

static const struct stage registry_usage_stage = {
	.usage = "usage: hf-registry [--registry file] count\n"
	    "       hf-registry [--registry file] list\n"
	    "       hf-registry [--registry file] orgs [arch]\n"
	    "       hf-registry [--registry file] check arch\n",
	.options = longopts,
	.option = option,
};

/* --registry file: the last one given counts. */
static int
option(void *state, int val, const char *arg)
{
	const char **path = state;

	if (val != OPT_REGISTRY)
		return -1;
	*path = arg;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct registry r;
	struct query q;
	const char *path = NULL;
	char err[1024];
	int first, rv = HF_EXIT_OK;

	first = stage_options(&registry_usage_stage, &path, argc, argv, NULL);
	if (query_parse(&q, argc - first, argv + first, err,
	    sizeof(err)) == -1) {
		warnx("%s", err);
		stage_usage_error(&registry_usage_stage);
	}
	if (query_load(&r, path, err, sizeof(err)) == -1) {
		warnx("%s", err);
		return HF_EXIT_FATAL;
	}
	if (query_run(&q, &r, stdout) == -1)
		rv = HF_EXIT_FATAL;	/* hf_finish says why */
	registry_free(&r);
	return hf_finish(rv);
}
