/* cpu/riscv/trigger.c: Sdtrig (RISC-V Debug Specification 1.0, chapter 5):
 * triggers that raise breakpoint exceptions, with no debug mode. */
#include "cpu/riscv/trigger.h"

/* tdata1, RV64: the type in bits 63:60, dmode (debug mode only) in 59. */
#define TDATA1_TYPE_SHIFT 60
#define TYPE_MCONTROL 2u
#define TYPE_ICOUNT 3u
#define TYPE_MCONTROL6 6u
#define TYPE_DISABLED 15u

/* The bits mcontrol and mcontrol6 share. */
#define MC_LOAD (1ull << 0)
#define MC_STORE (1ull << 1)
#define MC_EXECUTE (1ull << 2)
#define MC_U (1ull << 3)
#define MC_S (1ull << 4)
#define MC_M (1ull << 6)
#define MC_MATCH_SHIFT 7
#define MC_MATCH (15ull << MC_MATCH_SHIFT)
#define MCONTROL_HIT (1ull << 20)
#define MCONTROL6_HIT0 (1ull << 22)

/* icount */
#define IC_U (1ull << 6)
#define IC_S (1ull << 7)
#define IC_PENDING (1ull << 8)
#define IC_M (1ull << 9)
#define IC_COUNT_SHIFT 10
#define IC_COUNT (0x3fffull << IC_COUNT_SHIFT)
#define IC_HIT (1ull << 24)

/* tdata2 compared with an address: equal, NAPOT range, >=, <. */
enum { MATCH_EQUAL = 0, MATCH_NAPOT = 1, MATCH_GE = 2, MATCH_LT = 3 };

static unsigned type_of(uint64_t tdata1)
{
    return (unsigned)(tdata1 >> TDATA1_TYPE_SHIFT);
}

static uint64_t with_type(unsigned type, uint64_t fields)
{
    return ((uint64_t)type << TDATA1_TYPE_SHIFT) | fields;
}

/* Whether a trigger with these mode bits applies in the hart's privilege.
 * Without tcontrol, an M-mode trigger whose action is a breakpoint
 * exception matches only while mstatus.MIE is set, so that its own trap
 * (which clears MIE) cannot fire it again (Sdtrig 5.4). */
static bool mode_matches(const RiscvCpu *cpu, unsigned priv, bool m, bool s, bool u)
{
    switch (priv) {
    case PRV_M:
        return m && (cpu->mstatus & MSTATUS_MIE);
    case PRV_S:
        return s;
    default:
        return u;
    }
}

static bool address_matches(uint64_t tdata1, uint64_t tdata2, uint64_t addr, unsigned size)
{
    switch ((tdata1 & MC_MATCH) >> MC_MATCH_SHIFT) {
    case MATCH_EQUAL:
        return tdata2 - addr < size;
    case MATCH_NAPOT: {
        /* The trailing ones of tdata2 and one bit more are the range. */
        uint64_t span = (tdata2 ^ (tdata2 + 1)) | 1;
        uint64_t base = tdata2 & ~span;
        return addr <= (base | span) && addr + size - 1 >= base;
    }
    case MATCH_GE:
        return addr >= tdata2;
    default:
        return addr < tdata2;
    }
}

static bool is_address_trigger(uint64_t tdata1)
{
    unsigned type = type_of(tdata1);
    return type == TYPE_MCONTROL || type == TYPE_MCONTROL6;
}

static uint64_t hit_bit(uint64_t tdata1)
{
    switch (type_of(tdata1)) {
    case TYPE_MCONTROL:
        return MCONTROL_HIT;
    case TYPE_MCONTROL6:
        return MCONTROL6_HIT0;
    default:
        return IC_HIT;
    }
}

void riscv_trigger_rearm(RiscvCpu *cpu)
{
    RiscvTriggers *t = &cpu->triggers;
    unsigned was = t->armed;
    t->armed = 0;
    for (unsigned i = 0; i < RISCV_TRIGGERS; i++) {
        uint64_t d = t->tdata1[i];
        if (is_address_trigger(d) && (d & (MC_M | MC_S | MC_U))) {
            if (d & MC_EXECUTE)
                t->armed |= TRIGGER_ARMED_EXEC;
            if (d & (MC_LOAD | MC_STORE))
                t->armed |= TRIGGER_ARMED_MEM;
        } else if (type_of(d) == TYPE_ICOUNT && (d & (IC_M | IC_S | IC_U)) &&
                   (d & (IC_COUNT | IC_PENDING))) {
            t->armed |= TRIGGER_ARMED_COUNT;
        }
    }
    /* TLB entries decide whether an access takes the slow path, which is
     * where memory triggers are checked. */
    if ((was ^ t->armed) & TRIGGER_ARMED_MEM)
        riscv_flush_translation(cpu);
}

/* A tdata1 write made legal (WARL): the types ember has keep the fields it
 * implements; actions other than a breakpoint exception, chains, data and
 * size matches read 0; any other type leaves the trigger disabled. */
static uint64_t legal_tdata1(uint64_t value)
{
    uint64_t match = (value & MC_MATCH) >> MC_MATCH_SHIFT;
    uint64_t modes = MC_LOAD | MC_STORE | MC_EXECUTE | MC_U | MC_S | MC_M;
    switch (type_of(value)) {
    case TYPE_MCONTROL:
        /* mcontrol's maskmax is 0: no NAPOT ranges. */
        if (match > MATCH_LT || match == MATCH_NAPOT)
            match = MATCH_EQUAL;
        return with_type(TYPE_MCONTROL,
                         (value & (modes | MCONTROL_HIT)) | (match << MC_MATCH_SHIFT));
    case TYPE_MCONTROL6:
        if (match > MATCH_LT)
            match = MATCH_EQUAL;
        return with_type(TYPE_MCONTROL6,
                         (value & (modes | MCONTROL6_HIT0)) | (match << MC_MATCH_SHIFT));
    case TYPE_ICOUNT:
        return with_type(TYPE_ICOUNT,
                         value & (IC_U | IC_S | IC_PENDING | IC_M | IC_COUNT | IC_HIT));
    default:
        return with_type(TYPE_DISABLED, 0);
    }
}

void riscv_trigger_post_load(RiscvCpu *cpu)
{
    RiscvTriggers *t = &cpu->triggers;
    if (t->tselect >= RISCV_TRIGGERS)
        t->tselect = 0;
    for (unsigned i = 0; i < RISCV_TRIGGERS; i++)
        t->tdata1[i] = legal_tdata1(t->tdata1[i]);
    riscv_trigger_rearm(cpu);
}

bool riscv_trigger_csr_read(RiscvCpu *cpu, enum trigger_csr reg, uint64_t *value)
{
    RiscvTriggers *t = &cpu->triggers;
    unsigned i = (unsigned)t->tselect;
    if (!riscv_has_ext(cpu, RISCV_EXT_SDTRIG))
        return false;
    switch (reg) {
    case TRIGGER_TSELECT:
        *value = t->tselect;
        return true;
    case TRIGGER_TDATA1:
        *value = t->tdata1[i];
        return true;
    case TRIGGER_TDATA2:
        *value = t->tdata2[i];
        return true;
    case TRIGGER_TDATA3:
        *value = 0; /* textra: no context matches */
        return true;
    case TRIGGER_TINFO:
        /* The types this trigger may take, and Sdtrig 1.0 (version 1). */
        *value = (1ull << 24) | (1u << TYPE_MCONTROL) | (1u << TYPE_ICOUNT) |
                 (1u << TYPE_MCONTROL6) | (1u << TYPE_DISABLED);
        return true;
    }
    return false;
}

bool riscv_trigger_csr_write(RiscvCpu *cpu, enum trigger_csr reg, uint64_t value)
{
    RiscvTriggers *t = &cpu->triggers;
    unsigned i = (unsigned)t->tselect;
    if (!riscv_has_ext(cpu, RISCV_EXT_SDTRIG))
        return false;
    switch (reg) {
    case TRIGGER_TSELECT:
        /* WARL: a trigger that does not exist leaves the selection, so a
         * debugger counts triggers by writing and reading back. */
        if (value < RISCV_TRIGGERS)
            t->tselect = value;
        return true;
    case TRIGGER_TDATA1:
        t->tdata1[i] = legal_tdata1(value);
        riscv_trigger_rearm(cpu);
        return true;
    case TRIGGER_TDATA2:
        t->tdata2[i] = value;
        return true;
    case TRIGGER_TDATA3:
        /* textra's context matches are not implemented: all zero. */
        return true;
    case TRIGGER_TINFO:
        return true; /* read-only content, writes ignored (WARL) */
    }
    return false;
}

/* Marks trigger i as hit and takes the breakpoint exception. */
static void fire(RiscvCpu *cpu, unsigned i, uint64_t tval)
{
    cpu->triggers.tdata1[i] |= hit_bit(cpu->triggers.tdata1[i]);
    riscv_raise_exception(cpu, EXC_BREAKPOINT, tval);
}

bool riscv_trigger_before_insn(RiscvCpu *cpu)
{
    RiscvTriggers *t = &cpu->triggers;
    for (unsigned i = 0; i < RISCV_TRIGGERS; i++) {
        uint64_t d = t->tdata1[i];
        if (is_address_trigger(d) && (d & MC_EXECUTE) &&
            mode_matches(cpu, cpu->priv, d & MC_M, d & MC_S, d & MC_U) &&
            address_matches(d, t->tdata2[i], cpu->pc, 1)) {
            fire(cpu, i, cpu->pc);
            return true;
        }
        if (type_of(d) == TYPE_ICOUNT && (d & IC_PENDING) &&
            mode_matches(cpu, cpu->priv, d & IC_M, d & IC_S, d & IC_U)) {
            t->tdata1[i] &= ~IC_PENDING;
            fire(cpu, i, 0);
            riscv_trigger_rearm(cpu);
            return true;
        }
    }
    return false;
}

void riscv_trigger_after_insn(RiscvCpu *cpu, unsigned priv)
{
    RiscvTriggers *t = &cpu->triggers;
    bool changed = false;
    for (unsigned i = 0; i < RISCV_TRIGGERS; i++) {
        uint64_t d = t->tdata1[i];
        uint64_t count = (d & IC_COUNT) >> IC_COUNT_SHIFT;
        if (type_of(d) != TYPE_ICOUNT || count == 0 ||
            !mode_matches(cpu, priv, d & IC_M, d & IC_S, d & IC_U))
            continue;
        /* At 1 the trigger becomes pending: it fires before the next
         * instruction that runs in one of its modes. */
        d = (d & ~IC_COUNT) | ((count - 1) << IC_COUNT_SHIFT);
        if (count == 1)
            d |= IC_PENDING;
        t->tdata1[i] = d;
        changed = true;
    }
    if (changed)
        riscv_trigger_rearm(cpu);
}

bool riscv_trigger_mem_hit(RiscvCpu *cpu, uint64_t vaddr, unsigned size, bool store)
{
    RiscvTriggers *t = &cpu->triggers;
    uint64_t kind = store ? MC_STORE : MC_LOAD;
    for (unsigned i = 0; i < RISCV_TRIGGERS; i++) {
        uint64_t d = t->tdata1[i];
        if (is_address_trigger(d) && (d & kind) &&
            mode_matches(cpu, cpu->priv, d & MC_M, d & MC_S, d & MC_U) &&
            address_matches(d, t->tdata2[i], vaddr, size)) {
            t->tdata1[i] |= hit_bit(d);
            return true;
        }
    }
    return false;
}
