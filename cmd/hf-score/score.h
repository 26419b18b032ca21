/* score.h: hf-score's stage, unsupported records in, ranked gaps out. */
#ifndef HF_SCORE_H
#define HF_SCORE_H

#include "stage.h"

extern const struct stage score_stage;

#endif
