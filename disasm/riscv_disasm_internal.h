/* disasm/riscv_disasm_internal.h: what the disassembler's source files share.
 * The CSR names; nothing outside disasm/ includes it. */
#ifndef EMBER_DISASM_RISCV_DISASM_INTERNAL_H
#define EMBER_DISASM_RISCV_DISASM_INTERNAL_H

/* NULL when objdump prints the CSR as a number. */
const char *disasm_csr_name(unsigned csr);

#endif
