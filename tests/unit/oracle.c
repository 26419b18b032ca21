/* oracle.c: json_parse must tokenize exactly as jsmn does. common/json.c
 * tokenizes by itself (jsmn closes nested brackets in quadratic time and
 * validates too little) but fills jsmn's token layout, so jsmn itself,
 * strict and with parent links, is the reference: for every text json_parse
 * accepts, jsmn_parse must accept it too and give the same tokens.
 *
 * JSON_MEMBERS must keep exactly jsmn's tokens that lie inside at most two
 * containers, with sizes counting kept children and parents renumbered.
 *
 * usage: oracle [FILE...]	built-in cases, then every line of each FILE */
#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "json.h"
#include "util.h"

static const char *cases[] = {
	"{}", "[]", "[[]]", "{\"a\":{}}", "{\"a\":[1,2,{\"b\":null}],\"c\":\"d\"}",
	" [ 1 , true , false , null , -0.5e-3 , \"x\" ] ",
	"{\"id\":\"a\\/b\",\"config\":{\"architectures\":[\"Llama\\u0046or\"]}}",
	"[\"\\ud83d\\ude00\",\"caf\xc3\xa9\",{\"\":[]}]",
	"{\"a\":1,\"a\":2,\"b\":[[[[[\"deep\"]]]]]}",
	"[{\"id\":\"x\",\"config\":{\"a\":[1,{\"b\":2}]},\"n\":3},[],{}]",
	"[[[1,[2]],{\"k\":{\"l\":[3]}}],\"s\",{\"m\":[[4]]}]",
};

/* Containers around token i (jsmn's parent links; keys are no container). */
static int
containers(const jsmntok_t *t, int i)
{
	int d = 0;

	for (i = t[i].parent; i >= 0; i = t[i].parent)
		d += t[i].type == JSMN_OBJECT || t[i].type == JSMN_ARRAY;
	return d;
}

/* JSON_MEMBERS against jsmn's n tokens t of the same text. */
static int
members_same(const char *s, size_t len, const jsmntok_t *t, int n,
    unsigned long where, const char *file)
{
	struct json j = { 0 };
	const jsmntok_t *mine;
	int *at = xreallocarray(NULL, (size_t)n + 1, sizeof(*at));
	int i, k = 0, size, c, ok = 1;

	if (json_parse(&j, s, len, JSON_MEMBERS, NULL) <= 0) {
		fprintf(stderr, "%s:%lu: JSON_MEMBERS refused it\n", file, where);
		ok = 0;
	}
	mine = j.tok;
	for (i = 0; ok && i < n; i++) {
		at[i] = -1;
		if (containers(t, i) > 2)
			continue;
		at[i] = k;
		for (size = 0, c = i + 1; c < n; c++)
			size += t[c].parent == i && containers(t, c) <= 2;
		if (k >= j.n || t[i].type != mine[k].type ||
		    t[i].start != mine[k].start || t[i].end != mine[k].end ||
		    size != mine[k].size || (t[i].parent < 0 ? -1 :
		    at[t[i].parent]) != mine[k].parent) {
			fprintf(stderr, "%s:%lu: JSON_MEMBERS token %d differs\n",
			    file, where, k);
			ok = 0;
		}
		k++;
	}
	if (ok && k != j.n) {
		fprintf(stderr, "%s:%lu: JSON_MEMBERS kept %d tokens, not %d\n",
		    file, where, j.n, k);
		ok = 0;
	}
	free(at);
	json_free(&j);
	return ok;
}

static int
same(const char *s, size_t len, unsigned long where, const char *file)
{
	static jsmntok_t *t;
	static unsigned cap;
	struct json j = { 0 };
	jsmn_parser p;
	const jsmntok_t *mine;
	int n, i, ok = 1;

	if (json_parse(&j, s, len, 0, NULL) <= 0 || (s[0] != '{' &&
	    s[0] != '[' && s[0] != ' ')) {
		json_free(&j);
		return 1;	/* only what json_parse accepts is compared */
	}
	for (;;) {
		if (cap < (unsigned)j.n + 1) {
			cap = (unsigned)j.n + 1;
			t = xreallocarray(t, cap, sizeof(*t));
		}
		jsmn_init(&p);
		n = jsmn_parse(&p, s, len, t, cap);
		if (n != JSMN_ERROR_NOMEM)
			break;
		cap *= 2;
		t = xreallocarray(t, cap, sizeof(*t));
	}
	mine = j.tok;
	if (n != j.n) {
		fprintf(stderr, "%s:%lu: jsmn %d tokens, json_parse %d\n",
		    file, where, n, j.n);
		ok = 0;
	}
	for (i = 0; ok && i < n; i++)
		if (t[i].type != mine[i].type || t[i].start != mine[i].start ||
		    t[i].end != mine[i].end || t[i].size != mine[i].size ||
		    t[i].parent != mine[i].parent) {
			fprintf(stderr, "%s:%lu: token %d differs\n", file,
			    where, i);
			ok = 0;
		}
	json_free(&j);
	return ok && members_same(s, len, t, n, where, file);
}

int
main(int argc, char *argv[])
{
	unsigned long lines = 0, bad = 0, n;
	size_t i, cap = 0;
	char *line = NULL;
	ssize_t len;
	FILE *fp;
	int k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++, lines++)
		bad += !same(cases[i], strlen(cases[i]), i + 1, "case");
	for (k = 1; k < argc; k++) {
		if ((fp = fopen(argv[k], "r")) == NULL) {
			perror(argv[k]);
			return 2;
		}
		for (n = 1; (len = getline(&line, &cap, fp)) != -1; n++) {
			if (len > 0 && line[len - 1] == '\n')
				len--;
			/* jsmn is quadratic in nesting: keep lines short */
			if (len > 0 && len < (1 << 21)) {
				bad += !same(line, (size_t)len, n, argv[k]);
				lines++;
			}
		}
		fclose(fp);
	}
	free(line);
	printf("oracle: %lu texts compared with jsmn, %lu differ\n", lines, bad);
	return bad != 0;
}
