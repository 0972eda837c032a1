/* disasm/riscv_disasm.h: RISC-V RV64GC disassembler.
 * Text matches GNU objdump 2.40 (`objdump -d`) so traces and logs read like the toolchain's. */
#ifndef EMBER_DISASM_RISCV_DISASM_H
#define EMBER_DISASM_RISCV_DISASM_H

#include <stddef.h>
#include <stdint.h>

/* Disassembles the instruction at guest address pc. insn holds the raw bits
 * (for a 16-bit compressed instruction only the low 16 bits matter).
 * Writes the text `objdump -d` prints for it in an rv64gc object of
 * privileged spec 1.12 ("mnemonic\toperands", objdump's pseudo-instructions,
 * ABI register names, CSR names, branch targets as absolute "0x..."
 * addresses, its " # 0x..." note on zero- and tp-based addresses) into out,
 * always NUL-terminated and safely truncated when outlen is small (nothing is
 * written when outlen is 0). Returns the instruction length in bytes: 2 or 4.
 * Encodings that are not RV64GC print as ".2byte 0x..." / ".4byte 0x..." as
 * objdump does; encodings announcing a length above 32 bits print as
 * ".4byte" of the bits available and return 4. Unlike objdump it keeps no
 * state between calls, so it never notes an address an earlier lui or auipc
 * set up. */
int riscv_disasm(uint64_t pc, uint32_t insn, char *out, size_t outlen);
/* The same for a hart of either width (32 or 64): RV32 code prints as
 * objdump prints an rv32 object. */
int riscv_disasm_xlen(uint64_t pc, uint32_t insn, unsigned xlen, char *out, size_t outlen);

/* The registers' ABI names, by number ("zero", "ra", ... "t6"; "ft0" ...). */
extern const char *const disasm_xreg_names[32];
extern const char *const disasm_freg_names[32];

#endif
