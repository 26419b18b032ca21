/* registry.h: the TransformerLens architecture registry (registry.json):
 * {"supported_architectures":[...],"canonical_authors_by_arch":{"A":[...]}}
 * Unknown keys are ignored. */
#ifndef HF_REGISTRY_H
#define HF_REGISTRY_H

#include <stddef.h>

struct registry_arch {
	char	 *name;
	char	**orgs;		/* canonical authors, in file order */
	size_t	  norgs;
	int	  supported;	/* listed in supported_architectures */
};

struct registry {
	struct registry_arch	*arch;	/* sorted by name (bytes) */
	size_t			 narch;
	size_t			 nsupported;
	char			*path;
};

/* Load path (NULL: the default: $HF_SCRAPER_REGISTRY, else
 * ../share/hf-scraper/registry.json beside the program when installed,
 * ../data/registry.json in the build tree). 0, or -1 with "FILE: reason"
 * in err (errlen bytes) and r empty. */
int	 registry_load(struct registry *, const char *path, char *err,
	    size_t errlen);
/* registry_load with its error reported on stderr: HF_EXIT_OK, or
 * HF_EXIT_FATAL (r then empty, to be freed all the same). */
int	 registry_open(struct registry *, const char *path);
/* Whether architecture name[0..len) is supported. */
int	 registry_supported(const struct registry *, const char *, size_t);
/* Whether author is a canonical org of architecture arch. */
int	 registry_canonical(const struct registry *, const char *arch,
	    size_t alen, const char *author, size_t olen);
/* The entry of architecture name, or NULL. */
const struct registry_arch *registry_find(const struct registry *,
	    const char *name, size_t len);
void	 registry_free(struct registry *);

#endif
