/* cpu/riscv/tlb_fill.h: the hart's side of the software TLB: fills from the
 * page walker and PMP, and the slow paths of loads, stores and fetches. */
#ifndef EMBER_CPU_RISCV_TLB_FILL_H
#define EMBER_CPU_RISCV_TLB_FILL_H

#include "cpu/riscv/cpu.h"

/* A faulting access: the exception cause and the value for xtval. */
/* Not an exception: the access touches a debugger's watchpoint, and the hart
 * stops before it (gdb then steps over it, as on hardware). */
#define MEM_FAULT_DEBUG_STOP UINT64_MAX
typedef struct MemFault {
    uint64_t cause;
    uint64_t tval;
} MemFault;

/* Returns the entry translating vaddr for this access type, filling it on a
 * miss; NULL with *fault set if the access faults. Entries whose PMP grant
 * is not uniform across the page come from a scratch entry that is never
 * looked up again, so each such access is checked in full. */
TlbEntry *riscv_tlb_fill(RiscvCpu *cpu, uint64_t vaddr, enum access_type type, MemFault *fault);

/* The slow paths behind the op handlers' inline fast paths: misaligned
 * accesses, MMIO, stores to code or watched pages, TLB misses. Values are
 * zero-extended; false means *fault is set. */
bool riscv_tlb_load_slow(RiscvCpu *cpu, uint64_t vaddr, unsigned size, uint64_t *value,
                         MemFault *fault);
bool riscv_tlb_store_slow(RiscvCpu *cpu, uint64_t vaddr, unsigned size, uint64_t value,
                          MemFault *fault);

/* Host pointer for an instruction fetch at vaddr (RAM or ROM only) and the
 * guest physical address; NULL with *fault set otherwise. On a page PMP
 * grants only in part, only the two bytes at vaddr are checked, and no
 * fetch entry for the page is left in the TLB. */
const uint8_t *riscv_tlb_fetch_host(RiscvCpu *cpu, uint64_t vaddr, uint64_t *paddr,
                                    MemFault *fault);

/* A debugger's watchpoint of kind (WATCH_*) that the access touches stops
 * the hart before the instruction, as a hardware trigger does: true with
 * fault->cause MEM_FAULT_DEBUG_STOP. gdb then steps over the instruction
 * (with its watchpoints out) and shows the access's effect. */
bool riscv_watch_stop(RiscvCpu *cpu, uint64_t vaddr, unsigned size, unsigned kind, MemFault *fault);
/* The guest's own load (store false) or store triggers (Sdtrig): true with
 * fault set to the breakpoint exception when one matches the access, which
 * then does not happen. Address breakpoints come before the access's
 * faults (priv spec table 3.7). */
bool riscv_trigger_stop(RiscvCpu *cpu, uint64_t vaddr, unsigned size, bool store, MemFault *fault);

/* Whether the fetch translation of vaddr's page is global (a PTE's G bit),
 * so that its blocks are the same in every address space (cpu.h's jump
 * cache keys). */
bool riscv_fetch_is_global(RiscvCpu *cpu, uint64_t vaddr);

#endif
