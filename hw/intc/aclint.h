/* hw/intc/aclint.h: the ACLINT in QEMU's "sifive,clint0" layout: per-hart
 * MSIP and MTIMECMP, and MTIME from the host monotonic clock. */
#ifndef EMBER_HW_INTC_ACLINT_H
#define EMBER_HW_INTC_ACLINT_H

#include <stdint.h>

#include "cpu/riscv/cpu.h"
#include "softmmu/memory.h"

#define ACLINT_SIZE 0x10000
#define ACLINT_MAX_HARTS 8
#define ACLINT_TIMEBASE_HZ 10000000ull /* QEMU virt's timebase-frequency */

typedef struct Aclint {
    RiscvCpu *harts[ACLINT_MAX_HARTS];
    unsigned n_harts;
    uint64_t mtimecmp[ACLINT_MAX_HARTS];
    int64_t mtime_offset; /* mtime = host ticks + offset */
} Aclint;

extern const MemoryOps aclint_ops;

void aclint_init(Aclint *aclint, RiscvCpu **harts, unsigned n_harts);
void aclint_reset(Aclint *aclint);
uint64_t aclint_mtime(Aclint *aclint);
/* Raises or lowers each hart's MTIP from the current time. */
void aclint_update(Aclint *aclint);
/* Earliest mtimecmp still in the future, in mtime ticks (UINT64_MAX: none). */
uint64_t aclint_next_deadline(Aclint *aclint);
/* For RiscvTimeSource: reads mtime. */
uint64_t aclint_read_time(void *opaque);
/* Host nanoseconds until mtime reaches ticks (0 if already past). */
uint64_t aclint_ns_until(Aclint *aclint, uint64_t ticks);

#endif
