/* hw/intc/plic.c: the SiFive PLIC ("sifive,plic-1.0.0") as on QEMU's virt
 * board: 95 level-triggered sources, an M and an S context per hart. */
#include "hw/intc/plic.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "util/log.h"

#define PRIORITY_MASK 7u /* 3 priority bits, as QEMU's virt */

static bool id_bit(const uint32_t *words, unsigned id)
{
    return (words[id / 32] >> (id % 32)) & 1;
}

static void set_id_bit(uint32_t *words, unsigned id, bool value)
{
    if (value)
        words[id / 32] |= 1u << (id % 32);
    else
        words[id / 32] &= ~(1u << (id % 32));
}

/* The IDs of one 32-bit word that name real sources (ID 0 never does). */
static uint32_t source_mask(unsigned word)
{
    uint32_t mask = UINT32_MAX;
    if (word == 0)
        mask &= ~1u;
    unsigned ids_in_word = PLIC_NUM_IDS - word * 32;
    if (ids_in_word < 32)
        mask &= (1u << ids_in_word) - 1;
    return mask;
}

/* Level-triggered gateways: a source is pending while its line is high,
 * unless it has been claimed and not yet completed. A line that drops
 * before the claim withdraws the request, as on QEMU, so guests see fewer
 * spurious claims. */
static bool source_pending(const Plic *plic, unsigned id)
{
    return id_bit(plic->level, id) && !id_bit(plic->in_flight, id);
}

/* PLIC spec, "Interrupt Notifications": the highest-priority pending and
 * enabled source above the context's threshold; ties go to the lowest ID.
 * 0 if there is none. */
static unsigned best_source(const Plic *plic, unsigned context)
{
    unsigned best = 0;
    unsigned best_priority = plic->threshold[context];
    for (unsigned id = 1; id < PLIC_NUM_IDS; id++) {
        if (plic->priority[id] > best_priority && id_bit(plic->enable[context], id) &&
            source_pending(plic, id)) {
            best = id;
            best_priority = plic->priority[id];
        }
    }
    return best;
}

static void plic_update(Plic *plic)
{
    for (unsigned context = 0; context < plic->n_contexts; context++)
        irq_set(&plic->context_line[context], best_source(plic, context) != 0);
}

static void plic_set_irq(void *opaque, unsigned source, bool level)
{
    Plic *plic = opaque;
    if (source == 0 || source >= PLIC_NUM_IDS)
        return;
    set_id_bit(plic->level, source, level);
    plic_update(plic);
}

IrqLine plic_irq_line(Plic *plic, unsigned source)
{
    if (source == 0 || source >= PLIC_NUM_IDS)
        return (IrqLine){0};
    return (IrqLine){.set = plic_set_irq, .opaque = plic, .n = source};
}

void plic_init(Plic *plic, const IrqLine *contexts, unsigned n_contexts)
{
    memset(plic, 0, sizeof(*plic));
    plic->n_contexts = n_contexts < PLIC_MAX_CONTEXTS ? n_contexts : PLIC_MAX_CONTEXTS;
    for (unsigned i = 0; i < plic->n_contexts; i++)
        plic->context_line[i] = contexts[i];
    plic_reset(plic);
}

void plic_reset(Plic *plic)
{
    memset(plic->priority, 0, sizeof(plic->priority));
    memset(plic->in_flight, 0, sizeof(plic->in_flight));
    memset(plic->enable, 0, sizeof(plic->enable));
    memset(plic->threshold, 0, sizeof(plic->threshold));
    plic_update(plic);
}

static uint32_t plic_claim(Plic *plic, unsigned context)
{
    unsigned id = best_source(plic, context);
    if (id) {
        set_id_bit(plic->in_flight, id, true);
        plic_update(plic);
    }
    return id;
}

/* PLIC spec, "Interrupt Completion": a completion for a source not
 * enabled for the context is ignored. Ending the claim lets a line that is still high pend again.
 */
static void plic_complete(Plic *plic, unsigned context, uint32_t id)
{
    if (id == 0 || id >= PLIC_NUM_IDS || !id_bit(plic->enable[context], id)) {
        log_guest_error("plic: completion of source %u ignored (context %u)\n", id, context);
        return;
    }
    set_id_bit(plic->in_flight, id, false);
    plic_update(plic);
}

/* Where an offset lands: which register and, for per-source or per-context
 * registers, which source word or context. */
enum plic_reg {
    REG_NONE,
    REG_PRIORITY,
    REG_PENDING,
    REG_ENABLE,
    REG_THRESHOLD,
    REG_CLAIM,
};

typedef struct PlicAddr {
    enum plic_reg reg;
    unsigned index;   /* source (priority), word (pending, enable) */
    unsigned context; /* enable, threshold, claim */
} PlicAddr;

static PlicAddr decode(const Plic *plic, uint64_t offset)
{
    PlicAddr a = {REG_NONE, 0, 0};
    if (offset < PLIC_PENDING_BASE) {
        uint64_t id = offset / 4;
        if (id >= 1 && id < PLIC_NUM_IDS)
            a = (PlicAddr){REG_PRIORITY, (unsigned)id, 0};
    } else if (offset < PLIC_ENABLE_BASE) {
        uint64_t word = (offset - PLIC_PENDING_BASE) / 4;
        if (word < PLIC_ID_WORDS)
            a = (PlicAddr){REG_PENDING, (unsigned)word, 0};
    } else if (offset < PLIC_CONTEXT_BASE) {
        uint64_t context = (offset - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE;
        uint64_t word = (offset - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE / 4;
        if (context < plic->n_contexts && word < PLIC_ID_WORDS)
            a = (PlicAddr){REG_ENABLE, (unsigned)word, (unsigned)context};
    } else {
        uint64_t context = (offset - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE;
        uint64_t reg = (offset - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
        if (context < plic->n_contexts && reg == 0)
            a = (PlicAddr){REG_THRESHOLD, 0, (unsigned)context};
        else if (context < plic->n_contexts && reg == 4)
            a = (PlicAddr){REG_CLAIM, 0, (unsigned)context};
    }
    return a;
}

static uint64_t plic_read(void *opaque, uint64_t offset, unsigned size)
{
    Plic *plic = opaque;
    (void)size; /* always 4 */
    PlicAddr a = decode(plic, offset);
    switch (a.reg) {
    case REG_PRIORITY:
        return plic->priority[a.index];
    case REG_PENDING:
        return plic->level[a.index] & ~plic->in_flight[a.index];
    case REG_ENABLE:
        return plic->enable[a.context][a.index];
    case REG_THRESHOLD:
        return plic->threshold[a.context];
    case REG_CLAIM:
        return plic_claim(plic, a.context);
    case REG_NONE:
        break;
    }
    log_guest_error("plic: read of unimplemented offset 0x%" PRIx64 "\n", offset);
    return 0;
}

static void plic_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Plic *plic = opaque;
    (void)size;
    PlicAddr a = decode(plic, offset);
    switch (a.reg) {
    case REG_PRIORITY:
        plic->priority[a.index] = (uint8_t)(value & PRIORITY_MASK);
        break;
    case REG_ENABLE:
        plic->enable[a.context][a.index] = (uint32_t)value & source_mask(a.index);
        break;
    case REG_THRESHOLD:
        plic->threshold[a.context] = (uint8_t)(value & PRIORITY_MASK);
        break;
    case REG_CLAIM:
        plic_complete(plic, a.context, (uint32_t)value);
        return;
    case REG_PENDING: /* read-only: only the gateways set pending bits */
    case REG_NONE:
        log_guest_error("plic: write of 0x%" PRIx64 " to offset 0x%" PRIx64 " ignored\n", value,
                        offset);
        return;
    }
    plic_update(plic);
}

const MemoryOps plic_ops = {
    .read = plic_read,
    .write = plic_write,
    .min_size = 4,
    .max_size = 4,
};

int plic_fdt_node(void *fdt, uint64_t base, uint64_t size, const uint32_t *hart_intc_phandles,
                  unsigned n_harts, uint32_t phandle)
{
    if (n_harts == 0 || n_harts > PLIC_MAX_HARTS)
        return -FDT_ERR_BADVALUE;
    char name[32];
    snprintf(name, sizeof(name), "plic@%" PRIx64, base);
    fdt32_t contexts[4 * PLIC_MAX_HARTS];
    for (unsigned h = 0; h < n_harts; h++) {
        contexts[4 * h] = cpu_to_fdt32(hart_intc_phandles[h]);
        contexts[4 * h + 1] = cpu_to_fdt32(HART_IRQ_MEXT);
        contexts[4 * h + 2] = cpu_to_fdt32(hart_intc_phandles[h]);
        contexts[4 * h + 3] = cpu_to_fdt32(HART_IRQ_SEXT);
    }
    fdt64_t reg[2] = {cpu_to_fdt64(base), cpu_to_fdt64(size)};
    static const char compatible[] = "sifive,plic-1.0.0\0riscv,plic0";
    /* QEMU 7.2 (Debian 12's, the peer of the dtb comparison) writes the ID
     * count here, one more than the sources; QEMU 8.0 changed it to 95.
     * Either way Linux finds sources 1..95. */
    uint32_t ndev = PLIC_NUM_IDS;
    int err;
    if ((err = fdt_begin_node(fdt, name)) || (err = fdt_property_u32(fdt, "phandle", phandle)) ||
        (err = fdt_property_u32(fdt, "riscv,ndev", ndev)) ||
        (err = fdt_property(fdt, "reg", reg, sizeof(reg))) ||
        (err = fdt_property(fdt, "interrupts-extended", contexts,
                            n_harts * 4 * sizeof(contexts[0]))) ||
        (err = fdt_property(fdt, "interrupt-controller", NULL, 0)) ||
        (err = fdt_property(fdt, "compatible", compatible, sizeof(compatible))) ||
        (err = fdt_property_u32(fdt, "#address-cells", 0)) ||
        (err = fdt_property_u32(fdt, "#interrupt-cells", 1)) || (err = fdt_end_node(fdt)))
        return err;
    return 0;
}

/* ---- Device type ---- */

static bool plic_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    if (ctx->n_harts > PLIC_MAX_HARTS) {
        snprintf(err, errlen, "plic: at most %d harts", PLIC_MAX_HARTS);
        return false;
    }
    IrqLine contexts[PLIC_MAX_CONTEXTS];
    for (unsigned h = 0; h < ctx->n_harts; h++) {
        contexts[2 * h] = ctx->hart_irq(ctx->board, h, HART_IRQ_MEXT);
        contexts[2 * h + 1] = ctx->hart_irq(ctx->board, h, HART_IRQ_SEXT);
    }
    plic_init(dev->state, contexts, 2 * ctx->n_harts);
    return true;
}

static void plic_device_reset(Device *dev)
{
    plic_reset(dev->state);
}

static int plic_device_fdt_node(Device *dev, void *fdt, const DeviceFdtContext *ctx)
{
    return plic_fdt_node(fdt, dev->base, dev->size, ctx->hart_intc_phandles, ctx->n_harts,
                         dev->phandle);
}

static void plic_post_load(void *object)
{
    plic_update(object);
}

static const StateField plic_fields[] = {
    STATE_UINT_ARRAY(Plic, priority),
    STATE_UINT_ARRAY(Plic, level),
    STATE_UINT_ARRAY(Plic, pending),
    STATE_UINT_ARRAY(Plic, in_flight),
    STATE_FIELD_(Plic, enable, FIELD_UINT, sizeof(uint32_t), PLIC_MAX_CONTEXTS *PLIC_ID_WORDS),
    STATE_UINT_ARRAY(Plic, threshold),
    STATE_END,
};

static const StateField plic_unsaved[] = {
    STATE_UNSAVED(Plic, context_line),
    STATE_UNSAVED(Plic, n_contexts),
    STATE_END,
};

static const StateDescription plic_state = {
    .name = "riscv.sifive.plic",
    .c_type = "Plic",
    .version = 1,
    .struct_size = sizeof(Plic),
    .fields = plic_fields,
    .unsaved = plic_unsaved,
    .post_load = plic_post_load,
};

const DeviceType plic_type = {
    .name = "riscv.sifive.plic",
    .desc = "platform-level interrupt controller",
    .state_size = sizeof(Plic),
    .realize = plic_realize,
    .reset = plic_device_reset,
    .mmio_ops = &plic_ops,
    .fdt_node = plic_device_fdt_node,
    .state = &plic_state,
};
