/* hw/intc/aclint.c: the ACLINT in QEMU's "sifive,clint0" layout: per-hart
 * MSIP and MTIMECMP, and MTIME from the host monotonic clock. */
#include "hw/intc/aclint.h"

#include <time.h>

#include "util/log.h"

#define MSIP_BASE 0x0000
#define MTIMECMP_BASE 0x4000
#define MTIME_OFFSET 0xbff8

static uint64_t host_ticks(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * ACLINT_TIMEBASE_HZ +
           (uint64_t)ts.tv_nsec / (1000000000ull / ACLINT_TIMEBASE_HZ);
}

void aclint_init(Aclint *aclint, RiscvCpu **harts, unsigned n_harts)
{
    aclint->n_harts = n_harts < ACLINT_MAX_HARTS ? n_harts : ACLINT_MAX_HARTS;
    for (unsigned i = 0; i < aclint->n_harts; i++)
        aclint->harts[i] = harts[i];
    aclint_reset(aclint);
}

void aclint_reset(Aclint *aclint)
{
    aclint->mtime_offset = -(int64_t)host_ticks();
    for (unsigned i = 0; i < aclint->n_harts; i++) {
        /* Like QEMU, no timer interrupt until software programs mtimecmp. */
        aclint->mtimecmp[i] = UINT64_MAX;
        riscv_set_irq_line(aclint->harts[i], MIP_MSIP, false);
        riscv_set_irq_line(aclint->harts[i], MIP_MTIP, false);
    }
}

uint64_t aclint_mtime(Aclint *aclint)
{
    return host_ticks() + (uint64_t)aclint->mtime_offset;
}

uint64_t aclint_read_time(void *opaque)
{
    return aclint_mtime(opaque);
}

void aclint_update(Aclint *aclint)
{
    uint64_t now = aclint_mtime(aclint);
    for (unsigned i = 0; i < aclint->n_harts; i++)
        riscv_set_irq_line(aclint->harts[i], MIP_MTIP, now >= aclint->mtimecmp[i]);
}

uint64_t aclint_next_deadline(Aclint *aclint)
{
    uint64_t next = UINT64_MAX;
    for (unsigned i = 0; i < aclint->n_harts; i++)
        if (aclint->mtimecmp[i] < next)
            next = aclint->mtimecmp[i];
    return next;
}

uint64_t aclint_ns_until(Aclint *aclint, uint64_t ticks)
{
    uint64_t now = aclint_mtime(aclint);
    if (ticks <= now)
        return 0;
    uint64_t delta = ticks - now;
    uint64_t ns_per_tick = 1000000000ull / ACLINT_TIMEBASE_HZ;
    return delta > UINT64_MAX / ns_per_tick ? UINT64_MAX : delta * ns_per_tick;
}

/* 4- and 8-byte accesses; a 4-byte access reaches either half of a 64-bit
 * register. */
static uint64_t read_half(uint64_t reg, uint64_t offset, unsigned size)
{
    if (size == 8)
        return reg;
    return (offset & 4) ? reg >> 32 : (uint32_t)reg;
}

static uint64_t write_half(uint64_t reg, uint64_t offset, uint64_t value, unsigned size)
{
    if (size == 8)
        return value;
    if (offset & 4)
        return (reg & 0xffffffffull) | (value << 32);
    return (reg & ~0xffffffffull) | (uint32_t)value;
}

static uint64_t aclint_read(void *opaque, uint64_t offset, unsigned size)
{
    Aclint *aclint = opaque;
    if (offset < MTIMECMP_BASE) {
        unsigned hart = (unsigned)(offset / 4);
        if (hart < aclint->n_harts && size == 4)
            return (aclint->harts[hart]->mip & MIP_MSIP) ? 1 : 0;
    } else if (offset < MTIME_OFFSET) {
        unsigned hart = (unsigned)((offset - MTIMECMP_BASE) / 8);
        if (hart < aclint->n_harts)
            return read_half(aclint->mtimecmp[hart], offset, size);
    } else if (offset < MTIME_OFFSET + 8) {
        return read_half(aclint_mtime(aclint), offset, size);
    }
    log_guest_error("aclint: read of unimplemented offset 0x%llx\n", (unsigned long long)offset);
    return 0;
}

static void aclint_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Aclint *aclint = opaque;
    if (offset < MTIMECMP_BASE) {
        unsigned hart = (unsigned)(offset / 4);
        if (hart < aclint->n_harts && size == 4) {
            riscv_set_irq_line(aclint->harts[hart], MIP_MSIP, value & 1);
            return;
        }
    } else if (offset < MTIME_OFFSET) {
        unsigned hart = (unsigned)((offset - MTIMECMP_BASE) / 8);
        if (hart < aclint->n_harts) {
            aclint->mtimecmp[hart] = write_half(aclint->mtimecmp[hart], offset, value, size);
            aclint_update(aclint);
            return;
        }
    } else if (offset < MTIME_OFFSET + 8) {
        uint64_t mtime = write_half(aclint_mtime(aclint), offset, value, size);
        aclint->mtime_offset = (int64_t)(mtime - host_ticks());
        aclint_update(aclint);
        return;
    }
    log_guest_error("aclint: write to unimplemented offset 0x%llx\n", (unsigned long long)offset);
}

const MemoryOps aclint_ops = {
    .read = aclint_read,
    .write = aclint_write,
    .min_size = 4,
    .max_size = 8,
};
