/* hf-classify [--canonical-only] [--line-buffered] [--architecture arch]
 * [--min-downloads n] [--registry file] [file ...]: mark model records
 * supported and canonical from the architecture registry (SPEC 2.4,
 * hf-classify(1)). */
#include "classify.h"

int
main(int argc, char *argv[])
{
	return stage_main(&classify_stage, argc, argv);
}
