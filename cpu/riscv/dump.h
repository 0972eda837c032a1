/* cpu/riscv/dump.h: the hart's state as text, in QEMU 7.2's layouts, so that
 * `info registers`, `info mem` and `-d cpu` read (and diff) like QEMU's. */
#ifndef EMBER_CPU_RISCV_DUMP_H
#define EMBER_CPU_RISCV_DUMP_H

#include <stdbool.h>

#include "cpu/riscv/cpu.h"
#include "util/strbuf.h"

/* QEMU's riscv_cpu_dump_state for an RV64 hart without the H extension:
 * pc, the trap CSRs, x0..x31 and, with_fpu (CPU_DUMP_FPU, as HMP's `info
 * registers` asks), f0..f31. Changes nothing in the hart. */
void riscv_cpu_dump_state(const RiscvCpu *cpu, StrBuf *out, bool with_fpu);

/* QEMU's HMP `info mem`: the mappings of the page tables satp points at,
 * merged into runs, or "No translation or protection" when satp is bare.
 * Reads only RAM and ROM (no device registers, no A/D updates, no TLB
 * change); a hostile table ends the listing early with a note. */
void riscv_dump_page_tables(RiscvCpu *cpu, StrBuf *out);

#endif
