/* hf-filter-quant [--invert] [--keep-loadable] [--line-buffered]
 * [file ...]: drop quantized checkpoints from model records, by their id
 * (SPEC 2.3, hf-filter-quant(1)). */
#include "quant.h"

int
main(int argc, char *argv[])
{
	return stage_main(&filter_quant_stage, argc, argv);
}
