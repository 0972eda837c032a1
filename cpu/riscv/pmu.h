/* cpu/riscv/pmu.h: the hart's performance monitor: mcycle, minstret and the
 * programmable counters with their events and mcountinhibit, and Sscofpmf's
 * privilege filtering and counter overflow interrupt. Its state is
 * RiscvCpu.pmu (pmu_state.h); riscv_pmu_reset is declared in cpu.h. */
#ifndef EMBER_CPU_RISCV_PMU_H
#define EMBER_CPU_RISCV_PMU_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/riscv/cpu.h"

/* Brings the counters up to date with cpu->instret, which must be exact
 * (not inside a run of blocks), and raises the overflows that happened. */
void riscv_pmu_sync(RiscvCpu *cpu);
/* Syncs when riscv_pmu_due says so: called between runs of blocks, before
 * interrupts are looked at. */
void riscv_pmu_catch_up(RiscvCpu *cpu);
/* The privilege changed: trap entry (with cpu->instret exact) and xRET
 * (without) call this. */
void riscv_pmu_priv_changed(RiscvCpu *cpu, bool instret_exact);

/* Counter i (0, 2 or 3..31) as the guest reads it; 31 > i > 18 read 0. */
uint64_t riscv_pmu_read_counter(RiscvCpu *cpu, unsigned i);
/* A CSR write of counter i by the instruction about to retire at
 * cpu->instret: the next instruction reads value. */
void riscv_pmu_write_counter(RiscvCpu *cpu, unsigned i, uint64_t value);
/* mhpmevent3..31 (i = 3..31). */
uint64_t riscv_pmu_read_event(const RiscvCpu *cpu, unsigned i);
void riscv_pmu_write_event(RiscvCpu *cpu, unsigned i, uint64_t value);
uint64_t riscv_pmu_read_inhibit(const RiscvCpu *cpu);
void riscv_pmu_write_inhibit(RiscvCpu *cpu, uint64_t value);
/* scountovf: the OF bits, as the current privilege may see them. */
uint64_t riscv_pmu_read_scountovf(const RiscvCpu *cpu);

/* State streams: pre_save puts the counters' values in mhpmcounter;
 * post_load makes a loaded PMU one a guest could have made and derives the
 * rest. */
void riscv_pmu_pre_save(RiscvCpu *cpu);
void riscv_pmu_post_load(RiscvCpu *cpu);

#endif
