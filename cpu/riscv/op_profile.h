/* cpu/riscv/op_profile.h: the dispatch profile of a build configured with
 * -DEMBER_OP_PROFILE=ON (bench/op-pairs): how often each handler and each
 * pair of handlers run one after the other within a block, the evidence
 * for choosing fused handlers (ops.c). Other builds compile none of it. */
#ifndef EMBER_CPU_RISCV_OP_PROFILE_H
#define EMBER_CPU_RISCV_OP_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/riscv/decode.h"

/* Counts a run of the block of ops[0..n): every dispatch in it, and each
 * dispatch with the one after it. Prints the table when ember exits. */
void op_profile_block(const Op *ops, uint32_t n);

/* The name of a dispatch loop's handler ("ADD_F1", "LD_THEN_BNE"), or NULL
 * when handler is not one of the RV64 loop's (ops.c). */
const char *riscv_handler_name64(const void *handler, char *buf, size_t len);

#endif
