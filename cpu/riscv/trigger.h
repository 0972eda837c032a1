/* cpu/riscv/trigger.h: Sdtrig, the debug triggers a guest programs through
 * tselect and tdata1-3: address matches on execute, load and store
 * (mcontrol6, and the older mcontrol) and instruction counts (icount). */
#ifndef EMBER_CPU_RISCV_TRIGGER_H
#define EMBER_CPU_RISCV_TRIGGER_H

#include "cpu/riscv/cpu.h"

/* The trigger CSRs, numbered from tselect (csr.h's CSR_TSELECT). */
enum trigger_csr { TRIGGER_TSELECT, TRIGGER_TDATA1, TRIGGER_TDATA2, TRIGGER_TDATA3, TRIGGER_TINFO };

/* Accesses one of them: false for an illegal access. */
bool riscv_trigger_csr_read(RiscvCpu *cpu, enum trigger_csr reg, uint64_t *value);
bool riscv_trigger_csr_write(RiscvCpu *cpu, enum trigger_csr reg, uint64_t value);

/* Before the instruction at cpu->pc runs: true if an execute trigger
 * matches it or an icount trigger is pending, in which case the
 * breakpoint exception has been taken. */
bool riscv_trigger_before_insn(RiscvCpu *cpu);
/* After an instruction run in privilege priv retired: icount counts it. */
void riscv_trigger_after_insn(RiscvCpu *cpu, unsigned priv);

/* A load (store false) or store of size bytes at vaddr, on the slow path
 * while TRIGGER_ARMED_MEM: true if a trigger matches (the access then
 * raises a breakpoint exception with the address in xtval, instead). */
bool riscv_trigger_mem_hit(RiscvCpu *cpu, uint64_t vaddr, unsigned size, bool store);

/* After a state load: makes the registers legal and derives armed. */
void riscv_trigger_post_load(RiscvCpu *cpu);
/* Derives armed from the tdata registers. */
void riscv_trigger_rearm(RiscvCpu *cpu);

#endif
