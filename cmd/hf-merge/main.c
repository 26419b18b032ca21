/* hf-merge: merge records or gap entries into a registry file. */
#include "merge.h"

int
main(int argc, char *argv[])
{
	return merge_main(argc, argv);
}
