/* hf-arch [--line-buffered] [file ...]: raw Hub model items in, one model
 * record out for each (SPEC 2.2, hf-arch(1)). */
#include "arch.h"

int
main(int argc, char *argv[])
{
	return stage_main(&arch_stage, argc, argv);
}
