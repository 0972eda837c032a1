/* cpu/riscv/mmu.h: address translation (bare, Sv39, Sv48, Sv57 with Svnapot
 * and Svpbmt) and physical memory protection for one access. */
#ifndef EMBER_CPU_RISCV_MMU_H
#define EMBER_CPU_RISCV_MMU_H

#include "cpu/riscv/cpu.h"

/* Whether satp.MODE may hold mode on this hart: Bare, Sv39, Sv48, and Sv57
 * with the extension (csr.c ignores a write of any other, priv 4.1.11). */
bool riscv_satp_mode_supported(const RiscvCpu *cpu, unsigned mode);

/* The privilege an access of this type is checked at (MPRV applies to loads
 * and stores only: priv spec 3.1.6.3). */
enum privilege riscv_access_priv(const RiscvCpu *cpu, enum access_type type);

/* What a successful translation found. */
typedef struct Translation {
    uint64_t paddr;
    /* The bytes the leaf maps: a superpage's or a NAPOT range's size, else
     * PAGE_SIZE. */
    uint64_t leaf_size;
    /* PMP grants the same to the whole page, so it may be cached. */
    bool page_uniform;
    /* A global mapping (G set in a PTE on the way): every address space
     * has it (priv spec 4.3.1). */
    bool global;
} Translation;

/* Translates vaddr and checks page and PMP permissions; on failure sets
 * *cause. */
bool riscv_translate(RiscvCpu *cpu, uint64_t vaddr, enum access_type type, Translation *t,
                     uint64_t *cause);

/* A debugger's view of vaddr: the translation a load would get now (satp,
 * privilege with MPRV, SUM, MXR), without A/D updates, PMP or faults.
 * false when it is not mapped for reading. */
bool riscv_debug_translate(RiscvCpu *cpu, uint64_t vaddr, uint64_t *paddr);
/* Exact PMP check of size bytes at paddr for an access at priv. */
bool riscv_pmp_allows(const RiscvCpu *cpu, uint64_t paddr, unsigned size, enum access_type type,
                      enum privilege priv);

uint64_t riscv_access_fault_cause(enum access_type type);
uint64_t riscv_page_fault_cause(enum access_type type);

#endif
