/* hf-registry [--registry file] count | list | orgs [arch] | check arch |
 * path | plan [arch]:
 * the questions the wrapper asks of the architecture registry, answered
 * in lines from the registry as the stages read it (hf-registry(1)). */
#include <err.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "registry.h"
#include "stage.h"
#include "util.h"
#include "query.h"

/* The options: the registry's path, stored straight into path. */
struct options {
	const char	*path;
};

static const struct stage_option options[] = {
	STAGE_STRING_OPT("registry", struct options, path),
	{ 0 },
};

static const struct stage registry_usage_stage = {
	.usage = "usage: hf-registry [--registry file] count\n"
	    "       hf-registry [--registry file] list\n"
	    "       hf-registry [--registry file] orgs [arch]\n"
	    "       hf-registry [--registry file] check arch\n"
	    "       hf-registry [--registry file] path\n"
	    "       hf-registry [--registry file] plan [arch]\n",
	.help =
	    "  --registry file        the architecture registry (default: "
	    "HF_SCRAPER_REGISTRY,\n"
	    "                         else the installed one)\n",
	.options = options,
};

int
main(int argc, char *argv[])
{
	struct registry r;
	struct query q;
	struct options o = { NULL };
	char err[1024];
	int first, rv = HF_EXIT_OK;

	first = stage_options(&registry_usage_stage, &o, argc, argv, NULL);
	if (query_parse(&q, argc - first, argv + first, err,
	    sizeof(err)) == -1)
		stage_usage_errorx(&registry_usage_stage, "%s", err);
	if (query_load(&r, o.path, err, sizeof(err)) == -1) {
		warnx("%s", err);
		return HF_EXIT_FATAL;
	}
	if (query_run(&q, &r, stdout) == -1)
		rv = HF_EXIT_FATAL;	/* hf_finish says why */
	registry_free(&r);
	return hf_finish(rv);
}
