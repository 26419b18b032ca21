/* hf-list: list models of the Hub as raw NDJSON. */
#include "list.h"

int
main(int argc, char *argv[])
{
	return list_main(argc, argv);
}
