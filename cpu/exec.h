/* cpu/exec.h: the run loop of one hart: block lookup and translation,
 * chaining, interrupt checks, time slices. */
#ifndef EMBER_CPU_EXEC_H
#define EMBER_CPU_EXEC_H

#include <stdint.h>

#include "cpu/riscv/cpu.h"

/* Runs the hart until about max_insns more instructions have retired, it
 * waits in WFI with nothing pending, or cpu->exit_request is set. Traps
 * count against the budget too, so a guest that only traps returns. */
void cpu_exec(RiscvCpu *cpu, uint64_t max_insns);

struct TbStats;
/* Writes the -d stats report (to the log) for a hart that ran for seconds. */
void cpu_report_stats(const RiscvCpu *cpu, const struct TbStats *tb, double seconds);

#endif
