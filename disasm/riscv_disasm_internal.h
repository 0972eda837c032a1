/* disasm/riscv_disasm_internal.h: pieces shared by the disassembler's source files.
 * Output buffer, field helpers, CSR names; nothing outside disasm/ includes it. */
#ifndef EMBER_DISASM_RISCV_DISASM_INTERNAL_H
#define EMBER_DISASM_RISCV_DISASM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "disasm/riscv_disasm.h"

/* Text being built. len never reaches cap, so buf[len] is always the NUL
 * terminator; writes past the end are dropped rather than failing. */
struct disasm_out {
    char *buf;
    size_t cap;
    size_t len;
};

/* An instruction without operands. */
void disasm_mnemonic(struct disasm_out *out, const char *mnemonic);
/* An instruction: mnemonic, a tab, then the formatted operands. */
void disasm_insn(struct disasm_out *out, const char *mnemonic, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* objdump's " # 0x..." note after an operand whose address it can compute. */
void disasm_address_note(struct disasm_out *out, uint64_t address);

void disasm_compressed(struct disasm_out *out, uint64_t pc, uint16_t insn);

/* NULL when objdump prints the CSR as a number. */
const char *disasm_csr_name(unsigned csr);

static inline uint32_t field(uint32_t insn, unsigned lo, unsigned width)
{
    return (insn >> lo) & ((1u << width) - 1);
}

/* Sign-extends the low `width` bits of value. */
static inline int64_t sign_extend(uint32_t value, unsigned width)
{
    int64_t v = value & ((1u << width) - 1);
    if (v & ((int64_t)1 << (width - 1)))
        v -= (int64_t)1 << width;
    return v;
}

#endif
