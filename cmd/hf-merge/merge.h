/* merge.h: hf-merge's units. */
#ifndef HF_MERGE_H
#define HF_MERGE_H

int	merge_main(int, char *[]);

#endif
