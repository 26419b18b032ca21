/* hf-score [--line-buffered] [--registry file] [file ...]: one gap entry
 * per unsupported architecture, ranked by the reference's relevancy
 * score (SPEC 2.5, hf-score(1)). */
#include "score.h"

int
main(int argc, char *argv[])
{
	return stage_main(&score_stage, argc, argv);
}
