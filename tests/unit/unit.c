/* unit.c: unit tests of the common/ functions that hold real logic. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <libdeflate.h>

#include "atomic.h"
#include "buf.h"
#include "gunzip.h"
#include "headers.h"
#include "http.h"
#include "idset.h"
#include "json.h"
#include "jsonw.h"
#include "pyjson.h"
#include "utf8.h"
#include "util.h"

static int failures, checks;

#define CHECK(cond, ...) do {						\
	checks++;							\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);		\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	}								\
} while (0)

static int
parses(const char *s, size_t len, int flags)
{
	struct json j = { 0 };
	int n = json_parse(&j, s, len, flags, NULL);

	json_free(&j);
	return n > 0;
}

static void
test_parse(void)
{
	static const char *good[] = {
		"{}", "[]", "0", "-0", "1.5e10", "-1E-2", "\"\"", "true",
		"false", "null", " {\"a\" : [1, 2 ,{\"b\":null}] } ",
		"{\"a\":{\"b\":{\"c\":[[],{}]}}}", "[\"\\u00e9\\ud83d\\ude00\"]",
		"{\"a\":1,\"a\":2}", "[1,\"x\",true,false,null,{},[]]",
		"\"caf\xc3\xa9\"", "123456789012345678901234567890",
	};
	static const char *bad[] = {
		"", " ", "{", "}", "[1 2]", "[1,,2]", "[1,]", "{\"a\":1,}",
		"{\"a\" \"b\"}", "{\"a\":1 \"b\":2}", "{\"a\"}", "{1:2}",
		"tru", "nul", "falsey", "01", "1.", ".5", "1e", "-", "+1",
		"[1]x", "[1] [2]", "{\"a\":1}{", "\"a", "\"\\x\"", "\"\\u12\"",
		"\"a\tb\"", "[\"\x01\"]", "{\"a\":1:2}", "[:]", "{,}", "[,1]",
		"{\"a\":}", "{:1}", "[1}", "{\"a\":1]", "NaN", "Infinity",
		"'a'", "[\"a\",]", "{\"a\",1}",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(parses(good[i], strlen(good[i]), JSON_UTF8),
		    "should parse: %s", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!parses(bad[i], strlen(bad[i]), 0),
		    "should not parse: %s", bad[i]);
	CHECK(!parses("{\"a\":1}\0x", 9, 0), "NUL after the value");
	CHECK(!parses("[\"a\0b\"]", 7, 0), "NUL in a string");
	CHECK(!parses("\"\xc3\"", 3, JSON_UTF8), "truncated UTF-8");
	CHECK(parses("\"\xc3\"", 3, 0), "UTF-8 unchecked without JSON_UTF8");
	CHECK(!parses("\"\xed\xa0\x80\"", 5, JSON_UTF8), "UTF-8 surrogate");
	CHECK(!parses("\"\xc0\xaf\"", 4, JSON_UTF8), "overlong UTF-8");
}

static void
test_deep(void)
{
	size_t n = 200000, i;
	char *s = xmalloc(2 * n);

	for (i = 0; i < n; i++) {
		s[i] = '[';
		s[2 * n - 1 - i] = ']';
	}
	CHECK(parses(s, 2 * n, 0), "deep nesting parses without recursion");
	s[2 * n - 1] = ' ';
	CHECK(!parses(s, 2 * n, 0), "unbalanced deep nesting");
	free(s);
}

static void
test_lookup(void)
{
	const char *s = "{\"id\":\"a\\/b\",\"x\":{\"id\":\"decoy\"},"
	    "\"n\":9007199254740993,\"neg\":-5,\"f\":1.5,\"big\":"
	    "99999999999999999999,\"i\\u0064x\":1,\"d\":2,\"d\":3,"
	    "\"arr\":[1,[2,3],{\"k\":4}],\"last\":true}";
	struct json j = { 0 };
	struct buf b = { 0 };
	int64_t v;
	int k, e;

	CHECK(json_parse(&j, s, strlen(s), JSON_UTF8, NULL) > 0, "parse");
	k = json_get(&j, 0, "id");
	CHECK(json_str(&j, k, &b, NULL) == 0 && b.len == 3 &&
	    memcmp(b.data, "a/b", 3) == 0, "top-level id, unescaped");
	CHECK(json_i64(&j, json_get(&j, 0, "n"), &v) == 0 &&
	    v == INT64_C(9007199254740993), "64-bit integer");
	CHECK(json_i64(&j, json_get(&j, 0, "neg"), &v) == 0 && v == -5,
	    "negative");
	CHECK(json_i64(&j, json_get(&j, 0, "f"), &v) == -1, "1.5 not an int");
	CHECK(json_i64(&j, json_get(&j, 0, "big"), &v) == -1, "overflow");
	CHECK(json_get(&j, 0, "idx") != -1, "escaped key matches");
	CHECK(json_i64(&j, json_get(&j, 0, "d"), &v) == 0 && v == 3,
	    "a repeated key: the last wins");
	CHECK(json_type(&j, json_get(&j, 0, "last")) == JSON_TRUE,
	    "key after nested arrays");
	CHECK(json_type(&j, json_get(&j, json_get(&j, 0, "x"), "id")) ==
	    JSON_STRING, "nested key");
	CHECK(json_get(&j, 0, "missing") == -1, "missing key");
	e = json_first(&j, json_get(&j, 0, "arr"));
	e = json_skip(&j, e);
	CHECK(json_type(&j, e) == JSON_ARRAY, "second element");
	e = json_skip(&j, e);
	CHECK(json_type(&j, e) == JSON_OBJECT, "third element");
	buf_free(&b);
	json_free(&j);
}

static int
unescapes(const char *in, const char *want)
{
	struct buf b = { 0 };
	int ok;

	ok = json_unescape(in, strlen(in), &b, NULL) == 0 &&
	    b.len == strlen(want) && memcmp(b.data, want, b.len) == 0;
	buf_free(&b);
	return ok;
}

static void
test_unescape(void)
{
	struct buf b = { 0 };

	CHECK(unescapes("Llama\\u0046orCausalLM", "LlamaForCausalLM"), "\\u");
	CHECK(unescapes("\\ud83d\\ude00", "\xf0\x9f\x98\x80"), "pair");
	CHECK(unescapes("\\u00e9t\\u00E9", "\xc3\xa9t\xc3\xa9"), "e-acute");
	CHECK(unescapes("\\\"\\\\\\/\\b\\f\\n\\r\\t", "\"\\/\b\f\n\r\t"),
	    "short escapes");
	CHECK(json_unescape("\\ud83d", 6, &b, NULL) == -1, "lone high");
	CHECK(json_unescape("\\ude00", 6, &b, NULL) == -1, "lone low");
	CHECK(json_unescape("\\ud83d\\u0041", 12, &b, NULL) == -1,
	    "high then not low");
	CHECK(json_unescape("\xff", 1, &b, NULL) == -1, "bad UTF-8");
	buf_free(&b);
}

static int
escapes(const char *in, size_t n, int ascii, const char *want)
{
	struct buf b = { 0 };
	int ok;

	ok = jw_escape(&b, in, n, ascii) == 0 && b.len == strlen(want) &&
	    memcmp(b.data, want, b.len) == 0;
	if (!ok)
		fprintf(stderr, "got: %.*s\n", (int)b.len, b.data);
	buf_free(&b);
	return ok;
}

static void
test_escape(void)
{
	struct buf b = { 0 };

	CHECK(escapes("a\"b\\c", 5, 0, "a\\\"b\\\\c"), "quote, backslash");
	CHECK(escapes("\b\f\n\r\t", 5, 0, "\\b\\f\\n\\r\\t"), "short");
	CHECK(escapes("\x01\x1f", 2, 0, "\\u0001\\u001f"), "control");
	CHECK(escapes("\0", 1, 0, "\\u0000"), "NUL");
	CHECK(escapes("\x7f", 1, 0, "\x7f"), "DEL raw when not ascii");
	CHECK(escapes("\x7f", 1, 1, "\\u007f"), "DEL escaped when ascii");
	CHECK(escapes("/", 1, 1, "/"), "slash kept");
	CHECK(escapes("\xc3\xa9", 2, 0, "\xc3\xa9"), "UTF-8 kept");
	CHECK(escapes("\xc3\xa9", 2, 1, "\\u00e9"), "ascii lowercase hex");
	CHECK(escapes("\xf0\x9f\x98\x80", 4, 1, "\\ud83d\\ude00"), "pair");
	CHECK(escapes("\xe2\x80\xa8", 3, 1, "\\u2028"), "U+2028");
	CHECK(jw_escape(&b, "\xc3", 1, 1) == -1, "bad UTF-8 in ascii mode");
	buf_free(&b);
}

static void
test_writer(void)
{
	struct buf b = { 0 };
	struct jw w;
	const char *want2 = "{\n  \"a\": [\n    1,\n    \"x\"\n  ],\n"
	    "  \"e\": [],\n  \"o\": {},\n  \"n\": null\n}";

	jw_init(&w, &b, 0, 0);
	jw_obj(&w);
	jw_key(&w, "a");
	jw_arr(&w);
	jw_i64(&w, INT64_MIN);
	jw_strz(&w, "x");
	jw_end(&w);
	jw_key(&w, "b");
	jw_bool(&w, 1);
	jw_end(&w);
	buf_cstr(&b);
	CHECK(strcmp(b.data, "{\"a\":[-9223372036854775808,\"x\"],"
	    "\"b\":true}") == 0, "compact: %s", b.data);
	jw_free(&w);
	buf_reset(&b);
	jw_init(&w, &b, 1, 2);
	jw_obj(&w);
	jw_key(&w, "a");
	jw_arr(&w);
	jw_i64(&w, 1);
	jw_strz(&w, "x");
	jw_end(&w);
	jw_key(&w, "e");
	jw_arr(&w);
	jw_end(&w);
	jw_key(&w, "o");
	jw_obj(&w);
	jw_end(&w);
	jw_key(&w, "n");
	jw_null(&w);
	jw_end(&w);
	buf_cstr(&b);
	CHECK(strcmp(b.data, want2) == 0, "indent=2: %s", b.data);
	jw_free(&w);
	buf_free(&b);
}

static void
test_minify(void)
{
	const char *s = "{ \"a\" : [ 1 , \"x y\\\" z\\\\\" ] ,\n\t\"b\":{} }";
	const char *compact = "[{\"a\":\"x y\",\"b\":[1,2]},{}]";
	struct buf b = { 0 };
	struct json j = { 0 };
	const char *why;

	json_minify(&b, s, 0, strlen(s));
	buf_cstr(&b);
	CHECK(strcmp(b.data, "{\"a\":[1,\"x y\\\" z\\\\\"],\"b\":{}}") == 0,
	    "minify: %s", b.data);
	buf_reset(&b);
	buf_adds(&b, s);
	b.len = json_minify_in_place(b.data, 0, b.len);
	buf_cstr(&b);
	CHECK(strcmp(b.data, "{\"a\":[1,\"x y\\\" z\\\\\"],\"b\":{}}") == 0,
	    "minify in place: %s", b.data);
	buf_free(&b);
	/* the parser counts the white space between tokens (hf-list prints
	 * a page with none as it came) */
	CHECK(json_parse(&j, s, strlen(s), JSON_MEMBERS, &why) > 0 &&
	    j.ws == 11, "ws of a spaced text: %zu", j.ws);
	CHECK(json_parse(&j, compact, strlen(compact), JSON_MEMBERS,
	    &why) > 0 && j.ws == 0, "ws of a minified text: %zu", j.ws);
	CHECK(json_parse(&j, " 1\n", 3, 0, &why) > 0 && j.ws == 2,
	    "ws around a scalar: %zu", j.ws);
	json_free(&j);
}

static int
next_is(const char *hdr, const char *want)
{
	char *u = link_next(hdr);
	int ok = want == NULL ? u == NULL : u != NULL && strcmp(u, want) == 0;

	if (!ok)
		fprintf(stderr, "link_next(%s) = %s\n", hdr, u ? u : "NULL");
	free(u);
	return ok;
}

static void
test_link(void)
{
	CHECK(next_is("<https://h/api/models?a=1&cursor=x>; rel=\"next\"",
	    "https://h/api/models?a=1&cursor=x"), "plain");
	CHECK(next_is("<https://h/p>; rel=\"prev\", <https://h/n>; rel=\"next\"",
	    "https://h/n"), "second link");
	CHECK(next_is("<https://h/n>; rel=next", "https://h/n"), "unquoted");
	CHECK(next_is("<https://h/n>; rel=\"prev next\"", "https://h/n"),
	    "a list of relations");
	CHECK(next_is("<https://h/n>;rel=\"Next\"", "https://h/n"),
	    "case and no space");
	CHECK(next_is("<https://h/a,b>; title=\"x, y\"; rel=\"next\"",
	    "https://h/a,b"), "commas inside the URL and a quoted parameter");
	CHECK(next_is("<https://h/p>; rel=\"prev\"", NULL), "no next");
	CHECK(next_is("<https://h/p>; rel=\"nextish\"", NULL), "not next");
	CHECK(next_is("https://h/p; rel=\"next\"", NULL), "no brackets");
	CHECK(next_is("<https://h/p; rel=\"next\"", NULL), "unclosed");
	CHECK(next_is("", NULL), "empty");
}

static void
test_ratelimit(void)
{
	long r = -1, t = -1;

	CHECK(ratelimit_parse("\"api\";r=499;t=287", &r, &t) == 0 &&
	    r == 499 && t == 287, "ratelimit");
	CHECK(ratelimit_parse("\"api\";r=0;t=12", &r, &t) == 0 && r == 0 &&
	    t == 12, "exhausted");
	CHECK(ratelimit_parse("\"api\";r=x;t=1", &r, &t) == -1, "bad r");
	CHECK(ratelimit_parse("\"api\";q=1000;w=300", &r, &t) == -1,
	    "a policy is not a limit");
	CHECK(ratelimit_window("\"fixed window\";\"api\";q=1000;w=300",
	    &t) == 0 && t == 300, "policy window");
	CHECK(ratelimit_window("\"fixed window\";\"api\";q=3;w=0.5", &t) ==
	    -1, "a fractional window is none");
	CHECK(ratelimit_window("\"api\";r=0;t=5", &t) == -1, "no window");
}

static void
test_url(void)
{
	char *u;
	struct buf b = { 0 };

	CHECK(url_same_origin("https://huggingface.co",
	    "https://huggingface.co:443/api/models?x") == 1, "default port");
	CHECK(url_same_origin("http://127.0.0.1:8080",
	    "http://127.0.0.1:8081/api") == 0, "other port");
	CHECK(url_same_origin("https://huggingface.co",
	    "http://huggingface.co/api") == 0, "other scheme");
	CHECK(url_same_origin("https://huggingface.co",
	    "https://evil.example/api") == 0, "other host");
	CHECK(url_same_origin("https://HuggingFace.co",
	    "https://huggingface.co/api") == 1, "host case");
	CHECK(url_same_origin("http://127.0.0.1:1", "file:///etc/passwd") != 1,
	    "file scheme");
	CHECK(url_token_safe("https://huggingface.co") == 1, "https");
	CHECK(url_token_safe("http://127.0.0.1:5") == 1, "loopback");
	CHECK(url_token_safe("http://localhost:5") == 1, "localhost");
	CHECK(url_token_safe("http://[::1]:5") == 1, "ipv6 loopback");
	CHECK(url_token_safe("http://mirror.example") == 0, "plain http");
	CHECK(url_token_safe("http://127.0.0.1.example.net") == 0,
	    "a name starting with 127.");
	CHECK(url_token_safe("http://127.0.0.1.example.net:8080/x") == 0,
	    "a name starting with 127., with a port");
	CHECK(url_token_safe("http://127.evil.example") == 0, "127.name");
	CHECK(url_token_safe("http://127.255.0.9:5") == 1, "127.0.0.0/8");
	CHECK(url_token_safe("http://128.0.0.1:5") == 0, "not 127/8");
	CHECK(url_token_safe("http://LocalHost:5") == 1, "localhost, any case");
	CHECK(url_token_safe("http://localhost.example:5") == 0,
	    "localhost.name");
	CHECK(url_token_safe("http://[::2]:5") == 0, "another ipv6 address");
	CHECK(url_token_safe("http://[0:0:0:0:0:0:0:1]:5") == 1,
	    "::1 written out");
	u = url_resolve("http://h:5/api/models?a=1", "/api/models?cursor=x");
	CHECK(u != NULL && strcmp(u, "http://h:5/api/models?cursor=x") == 0,
	    "relative Link: %s", u ? u : "NULL");
	free(u);
	u = url_resolve("http://h:5/api/models?a=1", "?cursor=y");
	CHECK(u != NULL && strcmp(u, "http://h:5/api/models?cursor=y") == 0,
	    "query-only Link: %s", u ? u : "NULL");
	free(u);
	u = url_resolve("http://h:5/api/models", "//other:6/api/models");
	CHECK(u != NULL && url_same_origin("http://h:5", u) == 0,
	    "scheme-relative Link: %s", u ? u : "NULL");
	free(u);
	u = url_resolve("http://h:5/a", "https://x/b?c=%41");
	CHECK(strcmp(u, "https://x/b?c=%41") == 0, "absolute kept: %s", u);
	free(u);
	u = url_resolve("http://h:5/a", "file:///etc/passwd");
	CHECK(strcmp(u, "file:///etc/passwd") == 0, "file kept: %s", u);
	free(u);
	u = url_redact("https://me:secret@h:5/a?b=c@d");
	CHECK(strcmp(u, "https://h:5/a?b=c@d") == 0, "redact: %s", u);
	free(u);
	u = url_redact("http://h/a@b");
	CHECK(strcmp(u, "http://h/a@b") == 0, "nothing to redact: %s", u);
	free(u);
	u = url_set_param("http://h/a?x=1&limit=1000&y=2", "limit", "500");
	CHECK(strcmp(u, "http://h/a?x=1&limit=500&y=2") == 0, "%s", u);
	free(u);
	u = url_set_param("http://h/a?climit=3", "limit", "5");
	CHECK(strcmp(u, "http://h/a?climit=3&limit=5") == 0, "%s", u);
	free(u);
	url_encode(&b, "a b/c+d=é~");
	buf_cstr(&b);
	CHECK(strcmp(b.data, "a%20b%2Fc%2Bd%3D%C3%A9~") == 0, "%s", b.data);
	buf_free(&b);
}

static void
test_i64(void)
{
	const char *why;
	int64_t v;

	CHECK(str_to_i64("9223372036854775807", 19, &v, &why) == 0 &&
	    v == INT64_MAX, "max");
	CHECK(str_to_i64("-9223372036854775808", 20, &v, &why) == 0 &&
	    v == INT64_MIN, "min");
	CHECK(str_to_i64("9223372036854775808", 19, &v, &why) == -1, "over");
	CHECK(str_to_i64("", 0, &v, &why) == -1, "empty");
	CHECK(str_to_i64("-", 1, &v, &why) == -1, "minus");
	CHECK(str_to_i64("12a", 3, &v, &why) == -1, "junk");
}

/* Whether file path holds exactly s. */
static int
holds(const char *path, const char *s)
{
	struct buf b = { 0 };
	int same;

	same = buf_read_file(&b, path) == 0 && b.len == strlen(s) &&
	    memcmp(b.data, s, b.len) == 0;
	buf_free(&b);
	return same;
}

/* atomic_rewrite: made by atomic_write_nosync, then rewritten in place
 * (the same inode), padded before the newline, never shrunk; a file that
 * went away and a text too long are made anew. */
static void
test_rewrite(void)
{
	char dir[] = "/tmp/unit.XXXXXX", path[64], big[ATOMIC_REWRITE_MAX + 2];
	struct stat a, b;
	size_t size = 0;

	if (mkdtemp(dir) == NULL) {
		CHECK(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/st", dir);
	CHECK(atomic_rewrite(path, "{\"n\":100}\n", 10, &size) == 0 &&
	    size == 10 && holds(path, "{\"n\":100}\n"), "first save");
	CHECK(stat(path, &a) == 0, "stat");
	CHECK(atomic_rewrite(path, "{\"n\":2}\n", 8, &size) == 0 &&
	    size == 10 && holds(path, "{\"n\":2}  \n"), "shorter: padded");
	CHECK(atomic_rewrite(path, "{\"n\":12345}\n", 12, &size) == 0 &&
	    size == 12 && holds(path, "{\"n\":12345}\n"), "longer: grown");
	CHECK(stat(path, &b) == 0 && a.st_ino == b.st_ino, "in place");
	unlink(path);
	CHECK(atomic_rewrite(path, "{}\n", 3, &size) == 0 && size == 3 &&
	    holds(path, "{}\n"), "a file that went away is made again");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(atomic_rewrite(path, big, sizeof(big) - 1, &size) == 0 &&
	    size == sizeof(big) - 1 && holds(path, big), "too long for a page");
	CHECK(atomic_rewrite(dir, "{}\n", 3, &size) == -1,
	    "a directory is not rewritten");
	unlink(path);
	rmdir(dir);
}

static void
test_read_file(void)
{
	char path[] = "/tmp/unit.XXXXXX";
	struct buf b = { 0 };
	int fd;

	if ((fd = mkstemp(path)) == -1) {
		CHECK(0, "mkstemp");
		return;
	}
	CHECK(write(fd, "hello\n", 6) == 6, "write");
	close(fd);
	CHECK(buf_read_file(&b, path) == 0 && b.len == 6 &&
	    memcmp(b.data, "hello\n", 6) == 0, "whole file");
	buf_reset(&b);
	CHECK(buf_read_file_max(&b, path, 3) == 0 && b.len == 3 &&
	    memcmp(b.data, "hel", 3) == 0, "at most 3 bytes");
	unlink(path);
	buf_reset(&b);
	CHECK(buf_read_file(&b, path) == -1 && b.len == 0, "no such file");
	buf_free(&b);
}

static void
test_utf8(void)
{
	unsigned cp = 0;

	CHECK(utf8_valid("caf\xc3\xa9 \xf0\x9f\x98\x80 plain ascii text", 27),
	    "valid");
	CHECK(!utf8_valid("\xc0\xaf", 2), "overlong");
	CHECK(!utf8_valid("\xed\xa0\x80", 3), "surrogate");
	CHECK(!utf8_valid("\xf4\x90\x80\x80", 4), "above U+10FFFF");
	CHECK(!utf8_valid("abcdefgh\xe2\x82", 10), "truncated after a word");
	CHECK(utf8_seq("\xe2\x82\xac", 3, &cp) == 3 && cp == 0x20ac, "euro");
	CHECK(utf8_seq("\xe2\x82\xac", 2, &cp) == 0, "short");
}

static void
test_idset(void)
{
	struct idset s = { 0 };
	char id[32];
	int i, fresh = 0;

	for (i = 0; i < 100000; i++) {
		snprintf(id, sizeof(id), "org/model-%d", i);
		fresh += idset_add(&s, id, strlen(id));
	}
	for (i = 0; i < 100000; i += 7) {
		snprintf(id, sizeof(id), "org/model-%d", i);
		fresh -= !idset_add(&s, id, strlen(id));
	}
	CHECK(fresh == 100000 - (100000 + 6) / 7 && s.n == 100000,
	    "idset: %d %zu", fresh, s.n);
	idset_free(&s);
	/* repeats of old ids (merged) and of new ones (not yet), mixed */
	fresh = 0;
	for (i = 0; i < 300000; i++) {
		snprintf(id, sizeof(id), "org/model-%d", i);
		fresh += idset_add(&s, id, strlen(id));
		snprintf(id, sizeof(id), "org/model-%d", i / 2);
		fresh -= !idset_add(&s, id, strlen(id));
		snprintf(id, sizeof(id), "org/model-%d", i - i % 5);
		fresh -= !idset_add(&s, id, strlen(id));
	}
	CHECK(fresh == 300000 - 2 * 300000 && s.n == 300000,
	    "idset mixed: %d %zu", fresh, s.n);
	idset_free(&s);
}

/* Whether jw_f64 writes x as want. */
static int
f64_is(double x, const char *want)
{
	struct buf b = { 0 };
	struct jw w;
	int ok;

	jw_init(&w, &b, 1, 0);
	jw_f64(&w, x);
	ok = strcmp(buf_cstr(&b), want) == 0;
	if (!ok)
		fprintf(stderr, "jw_f64: got %s, not %s\n", b.data, want);
	jw_free(&w);
	buf_free(&b);
	return ok;
}

/* Floats as Python's json.dump writes them (expected strings from
 * Python 3.11: json.dumps(float(text))). */
static void
test_f64(void)
{
	static const struct {
		double		 x;
		const char	*want;
	} c[] = {
		{ 100.0, "100.0" }, { 67.4, "67.4" }, { 1e-05, "1e-05" },
		{ 1e16, "1e+16" }, { 0.0001, "0.0001" },
		{ 1000000000000000.0, "1000000000000000.0" }, { 0.1, "0.1" },
		{ -0.0, "-0.0" }, { 0.0, "0.0" }, { 5e-324, "5e-324" },
		{ 1.7976931348623157e+308, "1.7976931348623157e+308" },
		{ 123456789012345680.0, "1.2345678901234568e+17" },
		{ 2.5e-05, "2.5e-05" }, { 1.5, "1.5" },
		{ 0.30000000000000004, "0.30000000000000004" },
		{ 9007199254740993.0, "9007199254740992.0" },
		{ 7.120236347223045e-307, "7.120236347223045e-307" },
		{ 1e22, "1e+22" }, { -123.456, "-123.456" },
		{ 3.14159e-10, "3.14159e-10" }, { 65.0, "65.0" },
	};
	static const double special[] = { NAN, INFINITY, -INFINITY };
	static const char *special_want[] = { "NaN", "Infinity", "-Infinity" };
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		CHECK(f64_is(c[i].x, c[i].want), "repr %s", c[i].want);
	for (i = 0; i < 3; i++)
		CHECK(f64_is(special[i], special_want[i]), "%s", special_want[i]);
}

/* round(x, n) as Python 3.11 answers; the rest against glibc's exact
 * printf, which rounds ties to even on the binary value too. */
static void
test_round(void)
{
	static const struct {
		double	x, r1, r0, r2;
	} c[] = {
		{ 0.25, 0.2, 0.0, 0.25 }, { 0.35, 0.3, 0.0, 0.35 },
		{ 0.05, 0.1, 0.0, 0.05 }, { 2.25, 2.2, 2.0, 2.25 },
		{ 2.675, 2.7, 3.0, 2.67 }, { 67.45, 67.5, 67.0, 67.45 },
		{ 67.35, 67.3, 67.0, 67.35 }, { 90.75, 90.8, 91.0, 90.75 },
		{ 14.249999999999998, 14.2, 14.0, 14.25 },
		{ 0.15000000000000002, 0.2, 0.0, 0.15 },
		{ -0.25, -0.2, -0.0, -0.25 }, { 99.95, 100.0, 100.0, 99.95 },
		{ 1e-300, 0.0, 0.0, 0.0 },
	};
	char tmp[64];
	unsigned seed = 12345;
	size_t i;
	double x;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		CHECK(py_round(c[i].x, 1) == c[i].r1, "round(%.17g, 1)", c[i].x);
		CHECK(py_round(c[i].x, 0) == c[i].r0, "round(%.17g, 0)", c[i].x);
		CHECK(py_round(c[i].x, 2) == c[i].r2, "round(%.17g, 2)", c[i].x);
	}
	CHECK(signbit(py_round(-0.04, 1)), "round(-0.04, 1) is -0.0");
	for (i = 0; i < 200000; i++) {
		seed = seed * 1103515245 + 12345;
		x = (double)(seed >> 1) / 21474836.47 * (i % 2 ? 1 : 0.001);
		if (i % 3 == 0)
			x = (double)(seed % 20001) / 20;	/* exact ties */
		snprintf(tmp, sizeof(tmp), "%.1f", x);
		CHECK(py_round(x, 1) == strtod(tmp, NULL), "round(%.17g)", x);
	}
}

/* json.dumps(json.loads(in), indent=2), from Python 3.11. */
static void
test_pyjson(void)
{
	static const struct {
		const char	*in, *want;
	} c[] = {
	{ "{\"a\":1,\"b\":[],\"c\":{},\"a\":2,\"d\":[1.50,1E5,-0,-0.0,123456789012345678901234567890,NaN,-Infinity,Infinity,1e400,1e-400],\"e\":\"caf\\u00E9 \\ud83d\\ude00 \\ud800 \\u007f\\\\\\/\\\"\\b\\f\\n\\r\\t\\u001f\",\"\\u0061\":3,\"\":null,\"t\":[true,false]}",
	    "{\n  \"a\": 3,\n  \"b\": [],\n  \"c\": {},\n  \"d\": [\n    1.5,\n    100000.0,\n    0,\n    -0.0,\n    123456789012345678901234567890,\n    NaN,\n    -Infinity,\n    Infinity,\n    Infinity,\n    0.0\n  ],\n  \"e\": \"caf\\u00e9 \\ud83d\\ude00 \\ud800 \\u007f\\\\/\\\"\\b\\f\\n\\r\\t\\u001f\",\n  \"\": null,\n  \"t\": [\n    true,\n    false\n  ]\n}" },
	{ "[]",
	    "[]" },
	{ "{}",
	    "{}" },
	{ "[[[]],{\"x\":{}}]",
	    "[\n  [\n    []\n  ],\n  {\n    \"x\": {}\n  }\n]" },
	{ "{\"k\\u0000\":0}",
	    "{\n  \"k\\u0000\": 0\n}" },
	{ "[ NaN , {\"n\":-Infinity} ]",
	    "[\n  NaN,\n  {\n    \"n\": -Infinity\n  }\n]" },
	{ "{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,\"k9\":9,\"k10\":10,\"k11\":11,\"k12\":12,\"k13\":13,\"k14\":14,\"k15\":15,\"k16\":16,\"k17\":17,\"k18\":18,\"k19\":19,\"\\u006b3\":\"x\",\"caf\\u00e9\":1,\"k19\":[1],\"caf\\u00E9\":2}",
	    "{\n  \"k0\": 0,\n  \"k1\": 1,\n  \"k2\": 2,\n  \"k3\": \"x\",\n  \"k4\": 4,\n  \"k5\": 5,\n  \"k6\": 6,\n  \"k7\": 7,\n  \"k8\": 8,\n  \"k9\": 9,\n  \"k10\": 10,\n  \"k11\": 11,\n  \"k12\": 12,\n  \"k13\": 13,\n  \"k14\": 14,\n  \"k15\": 15,\n  \"k16\": 16,\n  \"k17\": 17,\n  \"k18\": 18,\n  \"k19\": [\n    1\n  ],\n  \"caf\\u00e9\": 2\n}" },
	{ "{\"x\":1,\"caf\\u00e9\":0,\"y\":2,\"x\":3,\"caf\\u00E9\":[],\"x\":4}",
	    "{\n  \"x\": 4,\n  \"caf\\u00e9\": [],\n  \"y\": 2\n}" },
	{ "NaN",
	    "NaN" },
	{ "-Infinity",
	    "-Infinity" },
	{ "[\"N\",\"I\",\"Na\",\"Infinit\",Infinity]",
	    "[\n  \"N\",\n  \"I\",\n  \"Na\",\n  \"Infinit\",\n  Infinity\n]" },
	{ "{\"s\":\"NaN\",\"x\":\"a\\\"NaN\"}",
	    "{\n  \"s\": \"NaN\",\n  \"x\": \"a\\\"NaN\"\n}" },

	};
	struct pyjson p = { 0 };
	struct buf b = { 0 };
	struct jw w;
	size_t i;
	double f;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		buf_reset(&b);
		jw_init(&w, &b, 1, 2);
		CHECK(pyjson_parse(&p, c[i].in, strlen(c[i].in), PYJSON_NAN,
		    NULL) > 0 && pyjson_dump(&w, &p, 0) == 0, "dump %zu", i);
		buf_cstr(&b);
		CHECK(strcmp(b.data, c[i].want) == 0, "dump %zu: %s", i, b.data);
		jw_free(&w);
	}
	CHECK(pyjson_parse(&p, "[NaN]", 5, 0, NULL) == -1, "NaN is opt-in");
	CHECK(pyjson_parse(&p, "[NaNa]", 6, PYJSON_NAN, NULL) == -1, "NaNa");
	CHECK(pyjson_parse(&p, "[1 NaN]", 7, PYJSON_NAN, NULL) == -1,
	    "NaN after a value");
	CHECK(pyjson_parse(&p, "\"\xff\"", 3, 0, NULL) == -1, "bad UTF-8");
	buf_reset(&b);
	for (i = 0; i < 1001; i++)
		buf_addc(&b, '[');
	for (i = 0; i < 1001; i++)
		buf_addc(&b, ']');
	CHECK(pyjson_parse(&p, b.data, b.len, 0, NULL) == -1, "too deep");
	CHECK(pyjson_parse(&p, b.data + 1, b.len - 2, 0, NULL) > 0,
	    "1000 deep");
	pyjson_free(&p);	/* a fresh parser stack: depth still checked */
	buf_reset(&b);
	for (i = 0; i < 1001; i++)
		buf_adds(&b, "{\"a\":");
	buf_addc(&b, '1');
	for (i = 0; i < 1001; i++)
		buf_addc(&b, '}');
	CHECK(pyjson_parse(&p, b.data, b.len, 0, NULL) == -1,
	    "too deep (objects)");
	pyjson_free(&p);
	CHECK(pyjson_parse(&p, b.data + 5, b.len - 6, 0, NULL) > 0,
	    "1000 deep (objects)");
	buf_reset(&b);		/* a text large enough to be mapped */
	buf_addc(&b, '[');
	for (i = 0; i < (5 << 20) / 2; i++)
		buf_adds(&b, "1,");
	buf_adds(&b, "NaN]");
	CHECK(pyjson_parse(&p, b.data, b.len, PYJSON_NAN, NULL) ==
	    (5 << 20) / 2 + 2, "large text");
	CHECK(pyjson_number(&p, (5 << 20) / 2 + 1, &f) == 1 && isnan(f) &&
	    p.text[b.len - 2] == '0', "large text: NaN hidden in the copy");
	CHECK(pyjson_parse(&p, "[1]", 3, 0, NULL) == 2 && p.text_map == 0,
	    "small text after a large one");
	pyjson_free(&p);
	buf_free(&b);
}

/* Where pyjson_parse says a text broke, as line:column, against what
 * Python's json.loads says of the same text (its JSONDecodeError's
 * lineno and colno); the byte order mark and conflict markers. */
static void
test_pyjson_err(void)
{
	static const struct {
		const char	*in;
		size_t		 line, col;
	} c[] = {
		{ "{\n  \"models\": [\n    1,\n    tru\n  ]\n}", 4, 5 },
		{ "{\n  \"a\": \"\xc3\xa9\xc3\xa9\", \"b\": x}", 2, 19 },
		{ "{\"models\": [1,]}", 1, 15 },
		{ "{\"a\": \"x\x01\"}", 1, 9 },
		{ "{\"a\": \"\\q\"}", 1, 8 },
		{ "{\"a\": 1} 2", 1, 10 },
		{ "{\"a\": \"\xff\"}", 1, 8 },	/* the byte, as UnicodeDecodeError */
		{ "{\"a\": [1,\n\"\\ud800\",\n  }", 3, 3 },
	};
	struct pyjson p = { 0 };
	struct buf b = { 0 };
	size_t i, line, col, at;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		CHECK(pyjson_parse(&p, c[i].in, strlen(c[i].in), PYJSON_NAN,
		    NULL) == -1, "error %zu: refused", i);
		pyjson_line_col(c[i].in, p.err, &line, &col);
		CHECK(line == c[i].line && col == c[i].col,
		    "error %zu: %zu:%zu, not %zu:%zu", i, line, col,
		    c[i].line, c[i].col);
	}
	CHECK(pyjson_parse(&p, "[1,", 3, 0, NULL) == -1 && p.err == 3,
	    "truncated: at the end");
	CHECK(pyjson_parse(&p, "[\"ab", 4, 0, NULL) == -1 && p.err == 4,
	    "truncated in a string: at the end");
	CHECK(pyjson_parse(&p, "[1,\0]", 5, 0, NULL) == -1 && p.err == 3,
	    "NUL byte: at it");
	for (i = 0; i < PYJSON_MAX_DEPTH + 5; i++)
		buf_adds(&b, i % 40 == 39 ? "[\n" : "[");
	for (i = 0; i < PYJSON_MAX_DEPTH + 5; i++)
		buf_addc(&b, ']');
	CHECK(pyjson_parse(&p, b.data, b.len, 0, NULL) == -1 &&
	    p.err == PYJSON_MAX_DEPTH + PYJSON_MAX_DEPTH / 40,
	    "too deep: at the first container past the limit");
	pyjson_line_col("ab\ncd", 0, &line, &col);
	CHECK(line == 1 && col == 1, "offset 0 is 1:1");
	pyjson_line_col("ab\ncd", 3, &line, &col);
	CHECK(line == 2 && col == 1, "after a newline");
	pyjson_line_col("\xf0\x9f\x98\x80x\r\n\xc3\xa9y", 4, &line, &col);
	CHECK(line == 1 && col == 2, "columns count characters");
	pyjson_line_col("\xf0\x9f\x98\x80x\r\n\xc3\xa9y", 9, &line, &col);
	CHECK(line == 2 && col == 2, "CR is a character, LF ends a line");
	CHECK(pyjson_has_bom("\xef\xbb\xbf{}", 5), "BOM");
	CHECK(pyjson_has_bom("\xef\xbb\xbf", 3), "BOM alone");
	CHECK(!pyjson_has_bom("\xef\xbb", 2), "two bytes of a BOM");
	CHECK(!pyjson_has_bom("{\"\xef\xbb\xbf\"}", 7), "BOM inside");
	CHECK(!pyjson_has_bom("", 0), "empty: no BOM");
	CHECK(pyjson_conflict_marker("{\n<<<<<<< HEAD\n", 16, &at) &&
	    at == 2, "<<<<<<< HEAD");
	CHECK(pyjson_conflict_marker("[1,\n=======\n2]", 15, &at) &&
	    at == 4, "=======");
	CHECK(pyjson_conflict_marker("[\n>>>>>>>", 9, &at) && at == 2,
	    ">>>>>>> at the end");
	CHECK(pyjson_conflict_marker("<<<<<<<\r\n", 9, &at) && at == 0,
	    "at the start, CRLF");
	CHECK(!pyjson_conflict_marker("[\n <<<<<<< x\n]", 15, &at),
	    "not at a line start");
	CHECK(!pyjson_conflict_marker("[\n<<<<<<<<\n]", 13, &at),
	    "eight");
	CHECK(!pyjson_conflict_marker("<<<<<<", 6, &at), "six");
	CHECK(!pyjson_conflict_marker("<<<>>>> x", 9, &at), "mixed");
	CHECK(!pyjson_conflict_marker("", 0, &at), "empty");
	pyjson_free(&p);
	buf_free(&b);
}

/* Append s gzipped (by libdeflate's compressor, which gunzip.c does not
 * use) to b. */
static void
add_gzip(struct buf *b, const char *s, size_t n)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
	size_t bound = libdeflate_gzip_compress_bound(c, n), got;

	buf_reserve(b, bound);
	got = libdeflate_gzip_compress(c, s, n, b->data + b->len, bound);
	b->len += got;
	libdeflate_free_compressor(c);
}

static void
test_gunzip(void)
{
	struct gunzip *g = gunzip_new();
	struct buf in = { 0 }, out = { 0 }, big = { 0 };
	size_t i;

	for (i = 0; i < 100000; i++)
		buf_addc(&big, (char)('a' + i % 7 * (i % 3)));
	add_gzip(&in, big.data, big.len);
	CHECK(gunzip(g, in.data, in.len, 1 << 20, &out) == GUNZIP_OK &&
	    out.len == big.len && memcmp(out.data, big.data, big.len) == 0,
	    "one member");
	CHECK(gunzip(g, in.data, in.len, big.len, &out) == GUNZIP_OK &&
	    out.len == big.len, "exactly the limit");
	CHECK(gunzip(g, in.data, in.len, big.len - 1, &out) ==
	    GUNZIP_TOO_BIG, "a byte past the limit");
	in.data[in.len - 4] ^= 0x55;	/* the trailer's size, a lie */
	CHECK(gunzip(g, in.data, in.len, 1 << 20, &out) == GUNZIP_BAD,
	    "a stated size that does not match");
	in.data[in.len - 4] ^= 0x55;
	in.data[in.len - 1] = 0x7f;	/* a size deflate could not reach */
	CHECK(gunzip(g, in.data, in.len, 1u << 31, &out) == GUNZIP_BAD &&
	    out.cap < (size_t)1 << 30, "an impossible size is not believed");
	in.data[in.len - 1] = 0;
	add_gzip(&in, "xyz", 3);
	CHECK(gunzip(g, in.data, in.len, 1 << 20, &out) == GUNZIP_OK &&
	    out.len == big.len + 3 &&
	    memcmp(out.data + big.len, "xyz", 3) == 0, "two members");
	CHECK(gunzip(g, in.data, in.len - 1, 1 << 20, &out) == GUNZIP_BAD,
	    "cut short");
	CHECK(gunzip(g, in.data, 17, 1 << 20, &out) == GUNZIP_BAD,
	    "shorter than a header and a trailer");
	CHECK(gunzip(g, "[1,2,3] not gzip at all", 23, 1 << 20, &out) ==
	    GUNZIP_BAD, "not gzip");
	buf_reset(&in);
	add_gzip(&in, "", 0);
	CHECK(gunzip(g, in.data, in.len, 1 << 20, &out) == GUNZIP_OK &&
	    out.len == 0, "empty");
	gunzip_free(g);
	buf_free(&in);
	buf_free(&out);
	buf_free(&big);
}

int
main(void)
{
	test_parse();
	test_deep();
	test_lookup();
	test_unescape();
	test_escape();
	test_writer();
	test_minify();
	test_link();
	test_ratelimit();
	test_url();
	test_i64();
	test_read_file();
	test_rewrite();
	test_utf8();
	test_idset();
	test_f64();
	test_round();
	test_pyjson();
	test_pyjson_err();
	test_gunzip();
	printf("unit: %d checks, %d failures\n", checks, failures);
	return failures != 0;
}
