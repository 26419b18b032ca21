/* arch.h: hf-arch's stage, raw Hub items in, model records out. */
#ifndef HF_ARCH_H
#define HF_ARCH_H

#include "stage.h"

extern const struct stage arch_stage;

#endif
