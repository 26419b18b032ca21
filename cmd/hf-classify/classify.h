/* classify.h: hf-classify's stage, records marked supported or not. */
#ifndef HF_CLASSIFY_H
#define HF_CLASSIFY_H

#include "stage.h"

extern const struct stage classify_stage;

#endif
