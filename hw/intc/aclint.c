/* hw/intc/aclint.c: the ACLINT in QEMU's "sifive,clint0" layout: per-hart
 * MSIP and MTIMECMP, and MTIME from the machine's virtual clock. */
#include "hw/intc/aclint.h"

#include <libfdt.h>
#include <stdio.h>

#include "util/log.h"
#include "util/timer.h"

#define MSIP_BASE 0x0000
#define MTIMECMP_BASE 0x4000
#define MTIME_OFFSET 0xbff8

#define NS_PER_TICK (1000000000ull / ACLINT_TIMEBASE_HZ)

/* mtime counts guest time: it stands still while the machine is stopped. */
static uint64_t clock_ticks(void)
{
    return clock_virtual_ns() / NS_PER_TICK;
}

static void timer_due(void *opaque)
{
    aclint_update(opaque);
}

void aclint_init(Aclint *aclint, const IrqLine *msip, const IrqLine *mtip, unsigned n_harts,
                 TimerList *timers)
{
    aclint->n_harts = n_harts < ACLINT_MAX_HARTS ? n_harts : ACLINT_MAX_HARTS;
    aclint->timers = timers;
    for (unsigned i = 0; i < aclint->n_harts; i++) {
        aclint->msip_line[i] = msip[i];
        aclint->mtip_line[i] = mtip[i];
    }
    if (timers)
        timer_init(&aclint->timer, timers, timer_due, aclint);
    aclint_reset(aclint);
}

void aclint_destroy(Aclint *aclint)
{
    if (aclint->timers)
        timer_cancel(&aclint->timer);
}

void aclint_reset(Aclint *aclint)
{
    aclint->mtime_offset = -(int64_t)clock_ticks();
    for (unsigned i = 0; i < aclint->n_harts; i++) {
        /* Like QEMU, no timer interrupt until software programs mtimecmp. */
        aclint->mtimecmp[i] = UINT64_MAX;
        aclint->msip[i] = false;
        irq_set(&aclint->msip_line[i], false);
        irq_set(&aclint->mtip_line[i], false);
    }
    if (aclint->timers)
        timer_cancel(&aclint->timer);
}

uint64_t aclint_mtime(Aclint *aclint)
{
    return clock_ticks() + (uint64_t)aclint->mtime_offset;
}

uint64_t aclint_read_time(void *opaque)
{
    return aclint_mtime(opaque);
}

/* One timer serves every hart: it fires at the earliest mtimecmp still
 * ahead. */
void aclint_update(Aclint *aclint)
{
    uint64_t now = aclint_mtime(aclint);
    for (unsigned i = 0; i < aclint->n_harts; i++)
        irq_set(&aclint->mtip_line[i], now >= aclint->mtimecmp[i]);
    if (!aclint->timers)
        return;
    uint64_t next = UINT64_MAX;
    for (unsigned i = 0; i < aclint->n_harts; i++)
        if (aclint->mtimecmp[i] > now && aclint->mtimecmp[i] < next)
            next = aclint->mtimecmp[i];
    uint64_t ns = aclint_ns_until(aclint, next);
    if (next == UINT64_MAX || ns == UINT64_MAX)
        timer_cancel(&aclint->timer);
    else
        timer_arm(&aclint->timer, clock_virtual_ns() + ns);
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
    return delta > UINT64_MAX / NS_PER_TICK ? UINT64_MAX : delta * NS_PER_TICK;
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
            return aclint->msip[hart];
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
            aclint->msip[hart] = value & 1;
            irq_set(&aclint->msip_line[hart], aclint->msip[hart]);
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
        aclint->mtime_offset = (int64_t)(mtime - clock_ticks());
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

/* ---- Device type ---- */

static bool clint_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    if (ctx->n_harts > ACLINT_MAX_HARTS) {
        snprintf(err, errlen, "clint: at most %d harts", ACLINT_MAX_HARTS);
        return false;
    }
    IrqLine msip[ACLINT_MAX_HARTS], mtip[ACLINT_MAX_HARTS];
    for (unsigned h = 0; h < ctx->n_harts; h++) {
        msip[h] = ctx->hart_irq(ctx->board, h, HART_IRQ_MSOFT);
        mtip[h] = ctx->hart_irq(ctx->board, h, HART_IRQ_MTIMER);
    }
    aclint_init(dev->state, msip, mtip, ctx->n_harts, ctx->timers);
    return true;
}

static void clint_reset(Device *dev)
{
    aclint_reset(dev->state);
}

static void clint_unrealize(Device *dev)
{
    aclint_destroy(dev->state);
}

/* Each hart's software and timer interrupts, as QEMU's virt lists them. */
static int clint_fdt_node(Device *dev, void *fdt, const DeviceFdtContext *ctx)
{
    char name[32];
    snprintf(name, sizeof(name), "clint@%llx", (unsigned long long)dev->base);
    fdt32_t irqs[4 * ACLINT_MAX_HARTS];
    unsigned n = ctx->n_harts < ACLINT_MAX_HARTS ? ctx->n_harts : ACLINT_MAX_HARTS;
    for (unsigned h = 0; h < n; h++) {
        irqs[4 * h] = cpu_to_fdt32(ctx->hart_intc_phandles[h]);
        irqs[4 * h + 1] = cpu_to_fdt32(HART_IRQ_MSOFT);
        irqs[4 * h + 2] = cpu_to_fdt32(ctx->hart_intc_phandles[h]);
        irqs[4 * h + 3] = cpu_to_fdt32(HART_IRQ_MTIMER);
    }
    fdt64_t reg[2] = {cpu_to_fdt64(dev->base), cpu_to_fdt64(dev->size)};
    static const char compatible[] = "sifive,clint0\0riscv,clint0";
    int err;
    if ((err = fdt_begin_node(fdt, name)) ||
        (err = fdt_property(fdt, "interrupts-extended", irqs, 4 * n * sizeof(irqs[0]))) ||
        (err = fdt_property(fdt, "reg", reg, sizeof(reg))) ||
        (err = fdt_property(fdt, "compatible", compatible, sizeof(compatible))) ||
        (err = fdt_end_node(fdt)))
        return err;
    return 0;
}

/* mtime_offset is relative to the virtual clock, which the machine saves
 * and restores as a whole; the lines and the timer follow the registers. */
static void clint_post_load(void *object)
{
    Aclint *aclint = object;
    for (unsigned i = 0; i < aclint->n_harts; i++)
        irq_set(&aclint->msip_line[i], aclint->msip[i]);
    aclint_update(aclint);
}

static const StateField clint_fields[] = {
    STATE_UINT_ARRAY(Aclint, mtimecmp),
    STATE_UINT(Aclint, mtime_offset),
    STATE_BOOL_ARRAY(Aclint, msip),
    STATE_END,
};

static const StateField clint_unsaved[] = {
    STATE_UNSAVED(Aclint, msip_line), STATE_UNSAVED(Aclint, mtip_line),
    STATE_UNSAVED(Aclint, n_harts),   STATE_UNSAVED(Aclint, timers),
    STATE_UNSAVED(Aclint, timer),     STATE_END,
};

static const StateDescription clint_state = {
    .name = "riscv.sifive.clint",
    .c_type = "Aclint",
    .version = 1,
    .struct_size = sizeof(Aclint),
    .fields = clint_fields,
    .unsaved = clint_unsaved,
    .post_load = clint_post_load,
};

const DeviceType aclint_type = {
    .name = "riscv.sifive.clint",
    .desc = "core-local interruptor: software and timer interrupts, mtime",
    .state_size = sizeof(Aclint),
    .realize = clint_realize,
    .reset = clint_reset,
    .mmio_ops = &aclint_ops,
    .fdt_node = clint_fdt_node,
    .unrealize = clint_unrealize,
    .state = &clint_state,
};
