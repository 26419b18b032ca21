/* quant.h: hf-filter-quant's stage, records in, quantized ones out. */
#ifndef HF_QUANT_H
#define HF_QUANT_H

#include "stage.h"

extern const struct stage filter_quant_stage;

#endif
