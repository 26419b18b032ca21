/* version.c: the version, from $(B)/version.h, which the Makefile
 * rewrites when `git describe` changes; only this file includes it, so a
 * new commit recompiles one file. */
#include "util.h"
#include "version.h"

const char hf_version_string[] = HF_VERSION;
