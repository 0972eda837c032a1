/* hw/intc/aclint.h: the ACLINT in QEMU's "sifive,clint0" layout: per-hart
 * MSIP and MTIMECMP, and MTIME from the machine's virtual clock. */
#ifndef EMBER_HW_INTC_ACLINT_H
#define EMBER_HW_INTC_ACLINT_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"
#include "hw/irq.h"
#include "util/timer.h"
#include "softmmu/memory.h"

#define ACLINT_SIZE 0x10000
#define ACLINT_MAX_HARTS 8
#define ACLINT_TIMEBASE_HZ 10000000ull /* QEMU virt's timebase-frequency */

typedef struct Aclint {
    IrqLine msip_line[ACLINT_MAX_HARTS]; /* each hart's MSIP and MTIP inputs */
    IrqLine mtip_line[ACLINT_MAX_HARTS];
    unsigned n_harts;
    bool msip[ACLINT_MAX_HARTS];
    TimerList *timers; /* NULL: the caller runs aclint_update itself */
    Timer timer;
    uint64_t mtimecmp[ACLINT_MAX_HARTS];
    int64_t mtime_offset; /* mtime = host ticks + offset */
} Aclint;

extern const MemoryOps aclint_ops;

/* Hart i's software and timer interrupts go to msip[i] and mtip[i]; MTIP
 * rises through a timer on timers (NULL: only when aclint_update is
 * called). */
void aclint_init(Aclint *aclint, const IrqLine *msip, const IrqLine *mtip, unsigned n_harts,
                 TimerList *timers);
/* Cancels its timer. */
void aclint_destroy(Aclint *aclint);
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

extern const DeviceType aclint_type;

#endif
