/* hub.h: the Hugging Face conventions: endpoint and token lookup. */
#ifndef HF_HUB_H
#define HF_HUB_H

/* HF_ENDPOINT without trailing '/', else https://huggingface.co (malloc'd). */
char	*hub_endpoint(void);
/* The token from HF_TOKEN, $HF_TOKEN_PATH, $HF_HOME/token (HF_HOME from
 * XDG_CACHE_HOME or ~/.cache), HUGGING_FACE_HUB_TOKEN; white space
 * trimmed; NULL when none. *source names where it came from (never the
 * value). */
char	*hub_token(const char **source);

#endif
