/* cpu/exec.h: the run loop of one hart: block lookup and translation,
 * chaining, interrupt checks, time slices. */
#ifndef EMBER_CPU_EXEC_H
#define EMBER_CPU_EXEC_H

#include <stdint.h>

#include "cpu/riscv/cpu.h"

/* Runs the hart until about max_insns more instructions have retired, it
 * waits in WFI with nothing pending, cpu->exit_request is set, or it is
 * about to run an instruction at a debugger's breakpoint (debug->hit). Traps
 * count against the budget too, so a guest that only traps returns. */
void cpu_exec(RiscvCpu *cpu, uint64_t max_insns);

/* Executes exactly one instruction (or takes the trap it raises, stopping
 * at the handler's first instruction), for a debugger's stepi; with
 * interrupts, a pending interrupt is taken instead. WFI completes at once
 * under a step (the spec allows it to at any time). */
void cpu_step(RiscvCpu *cpu, bool interrupts);

struct TbStats;
/* Writes the -d stats report (to the log) for a hart that ran for seconds. */
void cpu_report_stats(const RiscvCpu *cpu, const struct TbStats *tb, double seconds);

#endif
