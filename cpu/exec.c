/* cpu/exec.c: the run loop of one hart: block lookup and translation,
 * chaining, interrupt checks, time slices. */
#include "cpu/exec.h"

#include <inttypes.h>
#include <string.h>

#include "cpu/riscv/dump.h"
#include "cpu/riscv/pmu.h"
#include "cpu/riscv/tlb_fill.h"
#include "cpu/riscv/trigger.h"
#include "cpu/tb.h"
#include "disasm/riscv_disasm.h"
#include "util/log.h"

/* A block being built, or a one-instruction block that is never cached. */
typedef union {
    TranslationBlock tb;
    uint8_t storage[sizeof(TranslationBlock) + (TB_MAX_INSNS + 1) * sizeof(Op)];
} BlockBuffer;

static void log_block(const TranslationBlock *tb, uint64_t vpc, unsigned xlen)
{
    log_printf("----------------\nIN: \n");
    for (uint32_t i = 0; i < tb->n_insns; i++) {
        const Op *op = &tb->ops[i];
        char text[128];
        riscv_disasm_xlen(vpc + op->pc_off, op->insn, xlen, text, sizeof(text));
        /* Addresses as wide as the hart's, as QEMU prints them. */
        int digits = xlen == 32 ? 8 : 16;
        if (op->len == 2)
            log_printf("0x%0*" PRIx64 ":  %04x          %s\n", digits, vpc + op->pc_off, op->insn,
                       text);
        else
            log_printf("0x%0*" PRIx64 ":  %08x      %s\n", digits, vpc + op->pc_off, op->insn,
                       text);
    }
    log_printf("\n");
}

static void finish_block(BlockBuffer *buf, uint32_t n_insns, uint16_t next_off, RiscvExtSet ext)
{
    TranslationBlock *tb = &buf->tb;
    tb->n_insns = n_insns;
    tb->n_ops = n_insns;
    tb->mem_ops = 0;
    for (uint32_t i = 0; i < n_insns; i++) {
        unsigned access = op_memory_access((enum op_kind)tb->ops[i].kind);
        tb->mem_ops += (access & 1) + ((uint64_t)(access >> 1) << 32);
    }
    if (n_insns == 0 || !op_ends_block((enum op_kind)buf->tb.ops[n_insns - 1].kind)) {
        Op *exit = &buf->tb.ops[tb->n_ops++];
        memset(exit, 0, sizeof(*exit));
        exit->kind = OP_FALLTHROUGH;
        exit->handler = riscv_op_handler(ext, OP_FALLTHROUGH);
        exit->pc_off = next_off;
    }
}

/* Builds the block at vpc, whose first byte is at host (physical paddr).
 * Stops at a block-ending op, the page end, TB_MAX_INSNS, or before a
 * debugger's breakpoint, so that every breakpoint starts a block. */
static void translate_page_block(const RiscvCpu *cpu, BlockBuffer *buf, const uint8_t *host,
                                 uint64_t vpc, uint64_t paddr)
{
    uint64_t page_left = PAGE_SIZE - (vpc & ~PAGE_MASK);
    uint32_t n = 0;
    uint64_t off = 0;
    buf->tb.phys_pc = paddr;
    buf->tb.phys_page2 = TB_ONE_PAGE;
    while (n < TB_MAX_INSNS && off + 2 <= page_left) {
        if (__builtin_expect(cpu->debug != NULL, 0) && n > 0 &&
            cpu_debug_breakpoint_at(cpu, vpc + off))
            break;
        uint16_t low;
        memcpy(&low, host + off, 2);
        uint32_t insn = low;
        if (!insn_is_compressed(low)) {
            if (off + 4 > page_left)
                break; /* straddles the page: it gets a block of its own */
            memcpy(&insn, host + off, 4);
        }
        Op *op = &buf->tb.ops[n++];
        riscv_decode(insn, cpu->ext, op);
        op->pc_off = (uint16_t)off;
        off += op->len;
        if (op_ends_block((enum op_kind)op->kind))
            break;
    }
    /* A block that starts at a breakpoint may not run itself again in
     * place (the one-block loop variants): each entry must be seen. */
    riscv_prepare_block(buf->tb.ops, n, !cpu_debug_breakpoint_at(cpu, vpc), cpu->ext);
    finish_block(buf, n, (uint16_t)off, cpu->ext);
}

/* Remembers tb as the block at vpc (straddling: its second half is on the
 * next page). Keyed by the pc alone when the code is global, every
 * address space's; a block at a breakpoint stays out, since the dispatch
 * loop would enter it from the jump cache without asking. */
static void fill_jump_cache(RiscvCpu *cpu, uint64_t vpc, TranslationBlock *tb, bool straddling)
{
    if (__builtin_expect(cpu->debug != NULL, 0) && cpu_debug_breakpoint_at(cpu, vpc))
        return;
    bool global =
        riscv_fetch_is_global(cpu, vpc) && (!straddling || riscv_fetch_is_global(cpu, vpc + 2));
    jump_cache_fill(cpu->jump_cache, global ? vpc : vpc ^ cpu->jump_salt, tb);
}

/* Returns the block to run at cpu->pc (with single, a block of just its
 * instruction, never cached), or NULL if fetching it trapped (the trap has
 * then been taken). */
static TranslationBlock *find_block(RiscvCpu *cpu, BlockBuffer *scratch, bool single)
{
    uint64_t vpc = cpu->pc;
    TranslationBlock *hit = jump_cache_find(cpu->jump_cache, vpc, cpu->jump_salt);
    if (!single && hit && hit->valid) {
        cpu->stats.jump_cache_hits++;
        return hit;
    }
    cpu->stats.jump_cache_misses++; /* and so one fetch-TLB lookup */

    MemFault fault;
    uint64_t paddr;
    const uint8_t *host = riscv_tlb_fetch_host(cpu, vpc, &paddr, &fault);
    if (!host) {
        riscv_raise_exception(cpu, fault.cause, fault.tval);
        return NULL;
    }
    uint16_t low;
    memcpy(&low, host, 2);
    /* No fetch entry was kept: PMP grants only part of this page, so each
     * instruction is checked on its own. */
    bool partial = !tlb_hit(tlb_entry(cpu->itlb->fetch, vpc), vpc, 1);
    bool straddles = !insn_is_compressed(low) && (vpc & ~PAGE_MASK) == PAGE_SIZE - 2;
    uint64_t page2 = TB_ONE_PAGE;
    if (partial || straddles || single) {
        /* One instruction. Priv spec 3.1.16: a fault on the second half
         * reports the address of that half in tval, with epc at the
         * instruction. */
        uint32_t insn = low;
        if (!insn_is_compressed(low)) {
            uint64_t paddr_hi;
            const uint8_t *host_hi = riscv_tlb_fetch_host(cpu, vpc + 2, &paddr_hi, &fault);
            if (!host_hi) {
                riscv_raise_exception(cpu, fault.cause, fault.tval);
                return NULL;
            }
            uint16_t high;
            memcpy(&high, host_hi, 2);
            insn |= (uint32_t)high << 16;
            page2 = paddr_hi & PAGE_MASK;
            /* The second page's PMP grants only part of it. */
            partial |= !tlb_hit(tlb_entry(cpu->itlb->fetch, vpc + 2), vpc + 2, 1);
        }
        /* A straddling instruction is cached as a block of its own, which
         * depends on both pages; it is hot in real programs (the last
         * bytes of one of Lua's opcode handlers, say). */
        TranslationBlock *tb = partial || single ? NULL : tb_find(cpu->tb_cache, paddr, page2);
        if (tb) {
            cpu->stats.block_cache_hits++;
            fill_jump_cache(cpu, vpc, tb, true);
            return tb;
        }
        riscv_decode(insn, cpu->ext, &scratch->tb.ops[0]);
        scratch->tb.ops[0].pc_off = 0;
        riscv_prepare_block(scratch->tb.ops, 1, false, cpu->ext);
        scratch->tb.phys_pc = paddr;
        scratch->tb.phys_page2 = page2;
        finish_block(scratch, 1, scratch->tb.ops[0].len, cpu->ext);
        if (log_enabled(LOG_IN_ASM))
            log_block(&scratch->tb, vpc, riscv_ext_xlen(cpu->ext));
        if (!partial && !single) {
            cpu->stats.block_cache_misses++;
            tb = tb_insert(cpu->tb_cache, &scratch->tb);
            if (tb) {
                fill_jump_cache(cpu, vpc, tb, true);
                return tb;
            }
        }
        scratch->tb.valid = false;
        scratch->tb.chain[0] = scratch->tb.chain[1] = NULL;
        return &scratch->tb;
    }

    TranslationBlock *tb = tb_lookup(cpu->tb_cache, paddr);
    if (tb) {
        cpu->stats.block_cache_hits++;
    } else {
        cpu->stats.block_cache_misses++;
        translate_page_block(cpu, scratch, host, vpc, paddr);
        if (log_enabled(LOG_IN_ASM))
            log_block(&scratch->tb, vpc, riscv_ext_xlen(cpu->ext));
        tb = tb_insert(cpu->tb_cache, &scratch->tb);
        if (!tb) { /* cannot happen with a sane arena size; run it uncached */
            scratch->tb.valid = false;
            return &scratch->tb;
        }
    }
    fill_jump_cache(cpu, vpc, tb, false);
    return tb;
}

static void log_cpu_state(RiscvCpu *cpu)
{
    StrBuf text = STRBUF_INIT;
    riscv_cpu_dump_state(cpu, &text, false);
    log_printf("%s", strbuf_text(&text));
    strbuf_free(&text);
}

/* Hit rate of lookups of which misses missed (clamped: a page walk can
 * also serve accesses that were not counted as lookups). */
static double hit_percent(uint64_t lookups, uint64_t misses)
{
    if (lookups == 0)
        return 100.0;
    return 100.0 * (double)(lookups - (misses < lookups ? misses : lookups)) / (double)lookups;
}

void cpu_report_stats(const RiscvCpu *cpu, const TbStats *tb, double seconds)
{
    const CpuStats *s = &cpu->stats;
    log_printf("ember: stats: hart %" PRIu64 ": %" PRIu64
               " guest instructions in %.3f s (%.0f MIPS)\n",
               cpu->mhartid, cpu->instret, seconds,
               seconds > 0 ? (double)cpu->instret / seconds / 1e6 : 0.0);
    log_printf("  blocks: %" PRIu64 " translated, %" PRIu64 " invalidated, %" PRIu64
               " cache flushes\n",
               tb->translated, tb->invalidated, tb->flushes);
    uint64_t jc = s->jump_cache_hits + s->jump_cache_misses;
    uint64_t bc = s->block_cache_hits + s->block_cache_misses;
    log_printf("  jump cache: %.3f%% hits of %" PRIu64
               " lookups; block cache: %.3f%% hits of %" PRIu64 " lookups\n",
               hit_percent(jc, s->jump_cache_misses), jc, hit_percent(bc, s->block_cache_misses),
               bc);
    /* Each jump-cache miss makes one fetch-TLB lookup; loads and stores
     * consult their TLB on every access. */
    log_printf("  TLB hits: fetch %.3f%% of %" PRIu64 ", load %.3f%% of %" PRIu64
               ", store %.3f%% of %" PRIu64 "\n",
               hit_percent(s->jump_cache_misses, s->tlb_fills[ACCESS_FETCH]), s->jump_cache_misses,
               hit_percent(s->loads, s->load_slow), s->loads, hit_percent(s->stores, s->store_slow),
               s->stores);
    log_printf("  page walks: %" PRIu64 " fetch, %" PRIu64 " load, %" PRIu64 " store; %" PRIu64
               " misses served by global translations\n",
               s->tlb_fills[ACCESS_FETCH], s->tlb_fills[ACCESS_READ], s->tlb_fills[ACCESS_WRITE],
               s->global_fills);
    log_printf("  address spaces: %" PRIu64 " switches, %" PRIu64 " to kept translations; %" PRIu64
               " TLB flushes, %" PRIu64 " of one address space\n",
               s->satp_switches, s->context_reuses, s->tlb_flushes, s->context_flushes);
    log_printf("  traps: %" PRIu64 " exceptions, %" PRIu64 " interrupts\n", s->exceptions,
               s->interrupts);
}

/* Stops before an instruction at a breakpoint, but for the one the
 * debugger resumes from. */
static bool stops_for_debugger(RiscvCpu *cpu)
{
    CpuDebug *d = cpu->debug;
    if (d->watch_hit) { /* the instruction before touched a watchpoint */
        d->hit = true;
        return true;
    }
    uint32_t me = cpu->mhartid < CPU_DEBUG_MAX_HARTS ? 1u << cpu->mhartid : 0;
    if (d->resuming & me) {
        d->resuming &= ~me;
        if (cpu->pc == d->resume_pc[cpu->mhartid])
            return false;
    }
    if (!cpu_debug_breakpoint_at(cpu, cpu->pc))
        return false;
    d->hit = true;
    return true;
}

/* Runs the one instruction at cpu->pc as a block of its own, unchained. */
static void run_one(RiscvCpu *cpu, BlockBuffer *scratch)
{
    TranslationBlock *tb = find_block(cpu, scratch, true);
    if (tb) {
        bool no_chain = cpu->no_chain;
        cpu->no_chain = true;
        riscv_execute(cpu, tb, cpu->pc, cpu->instret + 1);
        cpu->no_chain = no_chain;
    }
    cpu->last_tb = NULL;
}

/* With execute or instruction-count triggers armed, each instruction is
 * looked at before it runs and counted after it retires (trigger.c). */
static void step_with_triggers(RiscvCpu *cpu, BlockBuffer *scratch)
{
    if (riscv_trigger_before_insn(cpu))
        return;
    unsigned priv = cpu->priv;
    uint64_t before = cpu->instret;
    run_one(cpu, scratch);
    if (cpu->instret != before)
        riscv_trigger_after_insn(cpu, priv);
}

void cpu_step(RiscvCpu *cpu, bool interrupts)
{
    static BlockBuffer scratch;
    riscv_ops_init();
    cpu->last_tb = NULL;
    /* An interrupt taken now is the step: it stops at the handler's first
     * instruction, as on hardware. */
    if (interrupts && riscv_take_interrupt(cpu))
        return;
    /* What riscv_take_interrupt does first when it runs: the counters
     * catch up before the instruction. */
    riscv_pmu_catch_up(cpu);
    /* WFI may complete at any time (priv spec 3.3.3): under a debugger's
     * step it does at once, so a step over it returns and the next one
     * runs the instruction after it. */
    cpu->wfi = false;
    run_one(cpu, &scratch);
    cpu->wfi = false;
}

void cpu_exec(RiscvCpu *cpu, uint64_t max_insns)
{
    static BlockBuffer scratch;
    /* Before the first block is decoded: decoding stores its handlers. */
    riscv_ops_init();
    uint64_t limit = cpu->instret + max_insns;
    /* A trap retires nothing, so a guest whose trap handler faults at once
     * would never reach limit and the machine loop would never run again:
     * every pass also spends one unit of the budget. */
    uint64_t passes = 0;
    cpu->last_tb = NULL;
    while (!cpu->exit_request && cpu->instret < limit && passes++ < max_insns) {
        if (riscv_take_interrupt(cpu))
            cpu->last_tb = NULL;
        if (cpu->wfi) {
            if (!riscv_pending_interrupts(cpu))
                return;
            cpu->wfi = false;
        }
        if (__builtin_expect(cpu->debug != NULL, 0) && stops_for_debugger(cpu))
            return;
        if (__builtin_expect(cpu->triggers.armed & (TRIGGER_ARMED_EXEC | TRIGGER_ARMED_COUNT), 0)) {
            step_with_triggers(cpu, &scratch);
            continue;
        }
        TranslationBlock *tb = find_block(cpu, &scratch, false);
        /* Read after find_block: a translation may flush the cache, which
         * clears last_tb. */
        TranslationBlock *last = cpu->last_tb;
        int slot = cpu->last_exit_slot;
        if (!tb) {
            cpu->last_tb = NULL;
            continue;
        }
        /* Chain only between cached blocks of one page (see tb.h), and
         * never into a breakpoint. */
        if (last && last->valid && tb->valid && !cpu->no_chain && slot >= 0 &&
            (last->phys_pc & PAGE_MASK) == (tb->phys_pc & PAGE_MASK) &&
            tb->phys_page2 == TB_ONE_PAGE &&
            (__builtin_expect(cpu->debug == NULL, 1) || !cpu_debug_breakpoint_at(cpu, cpu->pc)))
            last->chain[slot] = tb;
        if (__builtin_expect(log_mask & (LOG_EXEC | LOG_CPU), 0)) {
            if (log_enabled(LOG_EXEC))
                log_printf("Trace 0: %p [%016" PRIx64 "/%016" PRIx64 "] \n", (void *)tb,
                           tb->phys_pc, cpu->pc);
            if (log_enabled(LOG_CPU))
                log_cpu_state(cpu);
        }
        /* A counter that overflows before the budget is spent ends the
         * run there, as the budget would (at the first taken branch or
         * jump after it), and its interrupt is taken before the next. */
        uint64_t run_limit = cpu->pmu.overflow_at < limit ? cpu->pmu.overflow_at : limit;
        riscv_execute(cpu, tb, cpu->pc, run_limit);
    }
}
