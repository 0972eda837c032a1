/* cpu/riscv/cpu.h: the state of one RISC-V hart (registers, CSRs, privilege,
 * reservation, TLB, jump cache) and the interface the rest of ember uses. */
#ifndef EMBER_CPU_RISCV_CPU_H
#define EMBER_CPU_RISCV_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cpu/riscv/pmu_state.h"
#include "isa/riscv_ext.h"
#include "softmmu/memory.h"
#include "softmmu/tlb.h"
#include "util/state.h"

/* Counters for -d stats. Only events off the fast paths are counted one by
 * one; loads and stores come from per-block totals added as blocks run. */
typedef struct CpuStats {
    uint64_t loads, stores;         /* guest load/store instructions run */
    uint64_t load_slow, store_slow; /* of those, through the TLB slow path */
    uint64_t tlb_fills[3];          /* page walks by access_type */
    uint64_t global_fills;          /* misses served from the global translations */
    uint64_t jump_cache_hits, jump_cache_misses;
    uint64_t block_cache_hits, block_cache_misses;
    uint64_t tlb_flushes;     /* every kept translation dropped */
    uint64_t context_flushes; /* one address space's dropped (sfence.vma with an ASID) */
    uint64_t satp_switches;   /* satp writes that changed the address space */
    uint64_t context_reuses;  /* of those, to one whose translations were kept */
    uint64_t exceptions, interrupts;
} CpuStats;

struct TranslationBlock;
struct TbCache;

enum privilege { PRV_U = 0, PRV_S = 1, PRV_M = 3 };

enum exception_cause {
    EXC_INSN_MISALIGNED = 0,
    EXC_INSN_ACCESS = 1,
    EXC_ILLEGAL_INSN = 2,
    EXC_BREAKPOINT = 3,
    EXC_LOAD_MISALIGNED = 4,
    EXC_LOAD_ACCESS = 5,
    EXC_STORE_MISALIGNED = 6,
    EXC_STORE_ACCESS = 7,
    EXC_ECALL_U = 8,
    EXC_ECALL_S = 9,
    EXC_ECALL_M = 11,
    EXC_INSN_PAGE_FAULT = 12,
    EXC_LOAD_PAGE_FAULT = 13,
    EXC_STORE_PAGE_FAULT = 15,
};

enum interrupt_number {
    IRQ_S_SOFT = 1,
    IRQ_M_SOFT = 3,
    IRQ_S_TIMER = 5,
    IRQ_M_TIMER = 7,
    IRQ_S_EXT = 9,
    IRQ_M_EXT = 11,
    IRQ_LCOF = 13, /* Sscofpmf's local counter overflow */
};

#define MIP_SSIP (1ull << IRQ_S_SOFT)
#define MIP_MSIP (1ull << IRQ_M_SOFT)
#define MIP_STIP (1ull << IRQ_S_TIMER)
#define MIP_MTIP (1ull << IRQ_M_TIMER)
#define MIP_SEIP (1ull << IRQ_S_EXT)
#define MIP_MEIP (1ull << IRQ_M_EXT)
#define MIP_LCOFIP (1ull << IRQ_LCOF)
#define MIP_S_MASK (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define MIP_ALL (MIP_S_MASK | MIP_MSIP | MIP_MTIP | MIP_MEIP)

/* mstatus fields (priv spec 3.1.6) */
#define MSTATUS_SIE (1ull << 1)
#define MSTATUS_MIE (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_UBE (1ull << 6)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP (1ull << 8)
#define MSTATUS_VS (3ull << 9)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP (3ull << MSTATUS_MPP_SHIFT)
#define MSTATUS_FS (3ull << 13)
#define MSTATUS_XS (3ull << 15)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_SUM (1ull << 18)
#define MSTATUS_MXR (1ull << 19)
#define MSTATUS_TVM (1ull << 20)
#define MSTATUS_TW (1ull << 21)
#define MSTATUS_TSR (1ull << 22)
#define MSTATUS_UXL (3ull << 32)
#define MSTATUS_SXL (3ull << 34)
#define MSTATUS_SD (1ull << 63)
/* At reset only UXL and SXL are set: both fixed at 64-bit (RV32 has
 * neither: its mstatus resets to 0). */
#define MSTATUS_RESET ((2ull << 32) | (2ull << 34))

#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE 0
/* RV32's satp (MODE bit 31, ASID 30:22, PPN 21:0) is kept in RV64's
 * layout, with Sv32 as mode 1, a value RV64 reserves: the walk, the
 * fences and the state format then serve both widths. */
#define SATP_MODE_SV32 1
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9
#define SATP_MODE_SV57 10
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK 0xffffull
#define SATP_PPN_MASK ((1ull << 44) - 1)

#define MENVCFG_STCE (1ull << 63)
#define MENVCFG_PBMTE (1ull << 62)
/* menvcfg and senvcfg: Zicbom's cbo.inval (a 2-bit field: 01 runs it as a
 * flush, 11 as an invalidate) and cbo.clean/flush, Zicboz's cbo.zero. */
#define ENVCFG_CBIE (3ull << 4)
#define ENVCFG_CBCFE (1ull << 6)
#define ENVCFG_CBZE (1ull << 7)

#define PMP_ENTRIES 16

/* One TLB set per MMU mode, the effective privilege of an access; S-mode
 * with SUM set is its own mode so Linux's frequent SUM toggles need no
 * flush. */
enum mmu_mode { MMU_MODE_U, MMU_MODE_S, MMU_MODE_S_SUM, MMU_MODE_M, MMU_MODE_COUNT };

/* The jump cache maps a virtual pc to its block, one per privilege level
 * so entries stay valid across traps and returns. A U or S pc is keyed
 * with its address space's salt (TlbContext.jump_salt) XORed in, so a
 * satp switch needs no flush, unless its page is global: the kernel's code
 * is every address space's, and its entries are keyed by the pc alone. A
 * salt leaves the slot unchanged, so one probe looks for both keys.
 * Entries are grouped by virtual page, so an sfence.vma with an address
 * looks at one group, and used marks the runs of groups filled since they
 * were last cleared, which is all a full flush has to clear. 256 entries a
 * page: a page of switch-dispatched code (an interpreter's handlers) has
 * hundreds of jump targets, of which 64 kept only 2%; 256 groups: the
 * kernel's hot code alone spans more than 64 pages. */
#define JUMP_CACHE_GROUPS 256
#define JUMP_CACHE_GROUP_BITS 8
#define JUMP_CACHE_SIZE (JUMP_CACHE_GROUPS << JUMP_CACHE_GROUP_BITS)
/* used has a bit for each run of this many groups. */
#define JUMP_CACHE_GROUPS_PER_BIT (JUMP_CACHE_GROUPS / 64)

typedef struct JumpCacheEntry {
    uint64_t vpc;
    struct TranslationBlock *tb;
} JumpCacheEntry;

typedef struct JumpCache {
    JumpCacheEntry entries[JUMP_CACHE_SIZE];
    uint64_t used; /* bit b: groups of run b may hold entries */
} JumpCache;

static inline unsigned jump_cache_group(uint64_t vpc)
{
    return (unsigned)(vpc >> PAGE_SHIFT) % JUMP_CACHE_GROUPS;
}

static inline JumpCacheEntry *jump_cache_entry(JumpCache *cache, uint64_t vpc)
{
    /* The offset's bits, folded with the page's low bits so pages sharing
     * a group spread over it. (A multiplicative hash kept two of Lua's
     * opcode handlers out of one slot, but saved Lua no measurable time
     * and put a multiply into every indirect jump's probe.) */
    unsigned slot = (unsigned)((vpc >> 1) ^ (vpc >> 9)) & ((1u << JUMP_CACHE_GROUP_BITS) - 1);
    return &cache->entries[(jump_cache_group(vpc) << JUMP_CACHE_GROUP_BITS) | slot];
}

/* An entry's neighbour, the other of its aligned pair: where a key goes
 * when another takes its slot, so two hot targets sharing a slot (an
 * interpreter's opcode handlers) are both kept. Without it Lua left the
 * dispatch loop 3.1 million times for blocks the block cache had. */
static inline JumpCacheEntry *jump_cache_neighbour(JumpCache *cache, JumpCacheEntry *e)
{
    return &cache->entries[(size_t)(e - cache->entries) ^ 1];
}

static inline bool jump_key_matches(const JumpCacheEntry *e, uint64_t vpc, uint64_t salt)
{
    return e->vpc == vpc || e->vpc == (vpc ^ salt);
}

/* The block at vpc in the address space of salt, or NULL. */
static inline struct TranslationBlock *jump_cache_find(JumpCache *cache, uint64_t vpc,
                                                       uint64_t salt)
{
    JumpCacheEntry *e = jump_cache_entry(cache, vpc);
    if (jump_key_matches(e, vpc, salt))
        return e->tb;
    e = jump_cache_neighbour(cache, e);
    return jump_key_matches(e, vpc, salt) ? e->tb : NULL;
}

/* The newest key takes its own slot; the one there moves to the
 * neighbour, whose entry is dropped. */
static inline void jump_cache_fill(JumpCache *cache, uint64_t vpc, struct TranslationBlock *tb)
{
    JumpCacheEntry *e = jump_cache_entry(cache, vpc);
    if (e->tb && e->vpc != vpc)
        *jump_cache_neighbour(cache, e) = *e;
    e->vpc = vpc;
    e->tb = tb;
    cache->used |= 1ull << (jump_cache_group(vpc) / JUMP_CACHE_GROUPS_PER_BIT);
}

/* The entries of the groups that bit b of used covers. */
static inline JumpCacheEntry *jump_cache_run(JumpCache *cache, unsigned b)
{
    return &cache->entries[(b * JUMP_CACHE_GROUPS_PER_BIT) << JUMP_CACHE_GROUP_BITS];
}
#define JUMP_CACHE_RUN_ENTRIES (JUMP_CACHE_GROUPS_PER_BIT << JUMP_CACHE_GROUP_BITS)

/* A salt is a value of bits 62:57 (1..63; M-mode's keys have none): it
 * makes any canonical pc non-canonical, so keys of two salts never meet. */
#define JUMP_SALT_SHIFT 57
#define JUMP_SALTS 63
#define JUMP_SALT_BITS (63ull << JUMP_SALT_SHIFT)

/* Whether a key carries a salt: its bits 62:57 are not copies of bit 63. */
static inline bool jump_key_salted(uint64_t key)
{
    return (key & JUMP_SALT_BITS) != ((uint64_t)((int64_t)key >> 63) & JUMP_SALT_BITS);
}

/* Drops the entries of vaddr's page, whatever their salt; the other pages
 * of its group keep theirs (the kernel's code among them). So goes the
 * block at the previous page's last halfword: an instruction straddling
 * into this page. */
static inline void jump_cache_flush_page(JumpCache *cache, uint64_t vaddr)
{
    JumpCacheEntry *e = &cache->entries[jump_cache_group(vaddr) << JUMP_CACHE_GROUP_BITS];
    for (unsigned i = 0; i < (1u << JUMP_CACHE_GROUP_BITS); i++)
        if (((e[i].vpc ^ vaddr) & PAGE_MASK & ~JUMP_SALT_BITS) == 0)
            e[i] = (JumpCacheEntry){0, NULL};
    uint64_t straddling = (vaddr & PAGE_MASK) - 2;
    JumpCacheEntry *s = jump_cache_entry(cache, straddling);
    for (int way = 0; way < 2; way++, s = jump_cache_neighbour(cache, s))
        if (((s->vpc ^ straddling) & ~JUMP_SALT_BITS) == 0)
            *s = (JumpCacheEntry){0, NULL};
}

/* Drops every salted entry, keeping those keyed by the pc alone. */
static inline void jump_cache_drop_salted(JumpCache *cache)
{
    for (uint64_t used = cache->used; used; used &= used - 1) {
        JumpCacheEntry *e = jump_cache_run(cache, (unsigned)__builtin_ctzll(used));
        for (unsigned i = 0; i < JUMP_CACHE_RUN_ENTRIES; i++)
            if (jump_key_salted(e[i].vpc))
                e[i] = (JumpCacheEntry){0, NULL};
    }
}

static inline void jump_cache_flush(JumpCache *cache)
{
    for (uint64_t used = cache->used; used; used &= used - 1)
        memset(jump_cache_run(cache, (unsigned)__builtin_ctzll(used)), 0,
               sizeof(JumpCacheEntry) * JUMP_CACHE_RUN_ENTRIES);
    cache->used = 0;
}

/* An aligned range of virtual addresses; mask 0: empty. */
typedef struct VaRange {
    uint64_t base;
    uint64_t mask; /* the bits that select the range */
} VaRange;

/* The translations of one address space, as a TLB tags them with the ASID
 * (priv spec 4.1.11), keyed by the whole satp value: a satp write switches
 * to its context, or recycles the least recently used one, and flushes
 * nothing. Only U and S translate, so a context has their three sets. */
#define TLB_CONTEXTS 8
#define TLB_CONTEXT_FREE (~0ull) /* satp's MODE 15 is reserved: never a key */

typedef struct TlbContext {
    uint64_t satp;
    uint64_t last_used; /* switch clock, for recycling */
    /* XORed into the jump-cache keys of this address space's pcs; a
     * flushed context takes a new one. */
    uint64_t jump_salt;
    /* TLB entries are per 4 KiB page, so an sfence.vma inside a superpage
     * must drop every entry it filled (priv spec 4.2.1): the smallest
     * aligned range holding the superpages cached since the last flush,
     * one for each half of the address space (user, kernel), so the
     * kernel's large linear map does not make each user fence a full one. */
    VaRange superpages[2];
    TlbSet sets[MMU_MODE_M]; /* indexed by enum mmu_mode */
} TlbContext;

/* Where a hart's time and interrupt lines come from: the board wires them. */
typedef struct RiscvTimeSource {
    uint64_t (*read_time)(void *opaque); /* the ACLINT's mtime, in timebase ticks */
    void *opaque;
} RiscvTimeSource;

/* Sdtrig (cpu/riscv/trigger.c): the triggers a guest programs, as many as
 * QEMU's harts have. */
#define RISCV_TRIGGERS 2

/* What the armed triggers ask of the run loop (RiscvTriggers.armed). */
#define TRIGGER_ARMED_EXEC 1u  /* look at every pc before it runs */
#define TRIGGER_ARMED_COUNT 2u /* count every instruction retired */
#define TRIGGER_ARMED_MEM 4u   /* loads and stores take the slow path */
/* tdata1 after reset: an mcontrol (type 2) that matches in no mode. */
#define TDATA1_RESET (2ull << 60)

typedef struct RiscvTriggers {
    uint64_t tselect;
    uint64_t tdata1[RISCV_TRIGGERS];
    uint64_t tdata2[RISCV_TRIGGERS];
    unsigned armed; /* TRIGGER_ARMED_*, derived from tdata1 */
} RiscvTriggers;

typedef struct RiscvCpu {
    /* Hot state first: the dispatch loop touches these on every op. */
    uint64_t x[33]; /* x[32] is REG_SINK */
    uint64_t pc;
    uint64_t instret; /* retired instructions (raw); see csr.c for the visible counters */
    TlbSet *dtlb;     /* data accesses in the current effective mode */
    TlbSet *itlb;     /* fetches in the current privilege */
    JumpCache *jump_cache;
    uint64_t jump_salt; /* XORed into jump-cache keys (see TlbContext) */
    CpuStats stats;
    uint64_t f[32];  /* F/D registers; binary32 values NaN-boxed */
    uint32_t fflags; /* accrued exceptions (the host's may be pending, fpu.h) */
    uint32_t frm;    /* dynamic rounding mode */
    bool stop_block; /* a store changed translated code: leave the block */
    bool no_chain;   /* tracing: every block entry goes through the loop */

    enum privilege priv;
    bool wfi;           /* waiting for an interrupt */
    bool exit_request;  /* the machine wants the run loop to return */
    bool yield_on_spin; /* a spin-wait hint ends the turn (other harts to run) */
    bool reservation_valid;
    uint64_t reservation; /* physical address of the LR reservation */

    RiscvTriggers triggers;

    /* The extensions this hart implements (-cpu); fixed once it runs. */
    RiscvExtSet ext;

    /* CSRs */
    uint64_t mhartid;
    uint64_t misa;
    uint64_t mstatus;
    uint64_t medeleg, mideleg;
    uint64_t mie;
    uint64_t mip;      /* software-writable bits and device-driven MSIP/MTIP/MEIP */
    uint64_t mip_seip; /* external S-level interrupt line (PLIC), ORed into SEIP */
    uint64_t mtvec, mscratch, mepc, mcause, mtval;
    uint64_t stvec, sscratch, sepc, scause, stval;
    uint64_t satp;
    uint64_t mcounteren, scounteren;
    uint64_t menvcfg, senvcfg;
    uint64_t stimecmp;
    int64_t cycle_delta, instret_delta; /* written counter value minus raw count */
    uint8_t pmpcfg[PMP_ENTRIES];
    uint64_t pmpaddr[PMP_ENTRIES];

    RiscvTimeSource time;
    AddressSpace *as;
    struct TbCache *tb_cache;

    /* The block that just exited and which successor slot it took, so the
     * run loop can chain it to the next block. */
    struct TranslationBlock *last_tb;
    int last_exit_slot;

    TlbContext *context; /* the current satp's */
    TlbSet m_tlb;        /* M-mode's: physical, checked by PMP only */
    /* Translations from global PTEs (G) in the kernel's half of the
     * address space, which every address space shares: a context's miss
     * there looks here before it walks. (Not in the user half: there a
     * probe finds nothing on Linux, and costs a program streaming through
     * memory a host cache miss on every TLB miss.) */
    TlbContext global;
    TlbContext contexts[TLB_CONTEXTS];
    uint64_t context_clock;
    uint64_t next_jump_salt;
    JumpCache jump_caches[4]; /* indexed by privilege */

    /* mcycle and minstret as a state stream holds them: pre_save fills
     * them in, post_load turns them back into deltas. Last, so that they
     * moved nothing the dispatch loop touches. */
    uint64_t mcycle, minstret;

    /* A debugger's breakpoints (NULL: none attached; only slow paths look). */
    struct CpuDebug *debug;

    /* The programmable counters, mcountinhibit and Sscofpmf (pmu.h); only
     * CSR accesses, traps and the run loop's checks between blocks look. */
    RiscvPmu pmu;
} RiscvCpu;

/* What a debugger asks of the run loop (cpu/exec.c): stop before running
 * an instruction at a breakpoint. Breakpoints live in the emulator, never
 * in guest memory. */
#define CPU_MAX_BREAKPOINTS 64
#define CPU_MAX_WATCHPOINTS 16
enum { WATCH_WRITE = 1, WATCH_READ = 2, WATCH_ACCESS = 3 };
typedef struct CpuWatchpoint {
    uint64_t addr, len; /* virtual bytes [addr, addr + len) */
    unsigned kind;      /* WATCH_* */
} CpuWatchpoint;
/* Harts a debugger tells apart (hart ids below this). */
#define CPU_DEBUG_MAX_HARTS 32

typedef struct CpuDebug {
    uint64_t breakpoints[CPU_MAX_BREAKPOINTS]; /* virtual addresses */
    unsigned n_breakpoints;
    CpuWatchpoint watchpoints[CPU_MAX_WATCHPOINTS];
    unsigned n_watchpoints;
    bool hit;       /* cpu_exec stopped at a breakpoint or after a watched access */
    bool watch_hit; /* it was an access: which watchpoint, and where */
    unsigned watch_kind;
    uint64_t watch_addr;
    /* Hart h (bit h of resuming) runs the instruction at resume_pc[h] once
     * before checking again: where the debugger continues it from. */
    uint64_t resume_pc[CPU_DEBUG_MAX_HARTS];
    uint32_t resuming;
} CpuDebug;

/* Whether a watchpoint covers any byte of the page holding vaddr (its
 * accesses then all take the slow path). */
static inline bool cpu_debug_watches_page(const RiscvCpu *cpu, uint64_t vaddr)
{
    const CpuDebug *d = cpu->debug;
    uint64_t page = vaddr & PAGE_MASK;
    for (unsigned i = 0; d && i < d->n_watchpoints; i++) {
        const CpuWatchpoint *w = &d->watchpoints[i];
        if (w->addr < page + PAGE_SIZE && page < w->addr + w->len)
            return true;
    }
    return false;
}

static inline bool cpu_debug_breakpoint_at(const RiscvCpu *cpu, uint64_t pc)
{
    const CpuDebug *d = cpu->debug;
    for (unsigned i = 0; d && i < d->n_breakpoints; i++)
        if (d->breakpoints[i] == pc)
            return true;
    return false;
}

static inline bool riscv_has_ext(const RiscvCpu *cpu, enum riscv_ext ext)
{
    return (cpu->ext >> ext) & 1;
}

/* The hart's guest-visible state, for snapshots and migration (cpu_state.c). */
extern const StateDescription riscv_cpu_state;

/* cpu.c: the hart's life cycle, and the state ops.c, csr.c and trap.c all
 * act on. */
void riscv_cpu_init(RiscvCpu *cpu, AddressSpace *as, uint64_t hartid);
/* A hart on zeroed memory of its own (free() it), or NULL: only what it
 * uses of its caches is ever touched. */
RiscvCpu *riscv_cpu_new(AddressSpace *as, uint64_t hartid);
void riscv_cpu_reset(RiscvCpu *cpu, uint64_t reset_pc);
/* pmu.c: the PMU's reset state (riscv_cpu_reset calls it); the rest of its
 * interface is pmu.h. */
void riscv_pmu_reset(RiscvCpu *cpu);

/* Recomputes the TLB sets and jump cache for the current privilege, MPRV,
 * MPP and SUM; called whenever any of them changes. */
void riscv_update_mmu_mode(RiscvCpu *cpu);
/* Flushes every TLB set, of every address space kept, and the jump caches
 * that depend on address translation (sfence.vma, MXR or PMP changes). */
void riscv_flush_translation(RiscvCpu *cpu);
/* sfence.vma: flush one virtual page (vaddr != NULL) or everything, of the
 * address spaces with that ASID (asid != NULL) or of all of them. */
void riscv_sfence_vma(RiscvCpu *cpu, const uint64_t *vaddr, const uint64_t *asid);
/* Forgets every address space but satp's and flushes everything: after a
 * reset or a loaded state. */
void riscv_reset_translation(RiscvCpu *cpu);
/* A satp write: translation continues in the address space of value,
 * whose translations are kept from before if it ran recently. */
void riscv_set_satp(RiscvCpu *cpu, uint64_t value);
/* The TLB set of mode in the current address space. */
static inline TlbSet *riscv_tlb_set(RiscvCpu *cpu, enum mmu_mode mode)
{
    return mode == MMU_MODE_M ? &cpu->m_tlb : &cpu->context->sets[mode];
}
/* Calls fn on every TLB set of the hart: M's, the global ones, and those
 * of every address space kept. */
void riscv_for_each_tlb_set(RiscvCpu *cpu, void (*fn)(TlbSet *set, void *opaque), void *opaque);

/* Moves FP exception flags the host recorded for guest operations into
 * fflags (see fpu.h); called before fflags is read or written. */
void riscv_fp_sync_flags(RiscvCpu *cpu);

uint64_t riscv_read_time(RiscvCpu *cpu);
/* Next time (in timebase ticks) at which a timer interrupt of this hart may
 * become pending (UINT64_MAX if none). */
uint64_t riscv_next_timer_deadline(RiscvCpu *cpu);
void riscv_set_irq_line(RiscvCpu *cpu, uint64_t mip_bit, bool level);
/* mip as software sees it: device lines, the PLIC's SEIP and the Sstc
 * comparator merged in. */
uint64_t riscv_effective_mip(RiscvCpu *cpu);
/* Interrupts that are pending and enabled in mie (ignoring global enables):
 * these wake a hart from WFI. */
uint64_t riscv_pending_interrupts(RiscvCpu *cpu);

/* Sstc: stimecmp drives STIP only when menvcfg.STCE is set. */
static inline bool riscv_sstc_enabled(const RiscvCpu *cpu)
{
    return (cpu->menvcfg & MENVCFG_STCE) != 0;
}

/* trap.c */
void riscv_raise_exception(RiscvCpu *cpu, uint64_t cause, uint64_t tval);
/* Takes the highest-priority pending and enabled interrupt; true if one was taken. */
bool riscv_take_interrupt(RiscvCpu *cpu);
void riscv_mret(RiscvCpu *cpu);
void riscv_sret(RiscvCpu *cpu);

/* The counters the guest sees: the raw count plus what CSR writes added
 * (and, while mcountinhibit stops one, what pmu.c takes off at each sync:
 * riscv_pmu_read_counter is the value at any time). */
static inline uint64_t riscv_mcycle(const RiscvCpu *cpu)
{
    return cpu->instret + (uint64_t)cpu->cycle_delta;
}

static inline uint64_t riscv_minstret(const RiscvCpu *cpu)
{
    return cpu->instret + (uint64_t)cpu->instret_delta;
}

/* csr.c: false means illegal instruction */
bool riscv_csr_read(RiscvCpu *cpu, unsigned csr, uint64_t *value);
bool riscv_csr_write(RiscvCpu *cpu, unsigned csr, uint64_t value);
/* The value CSRRS/CSRRC modify, given what the read returned (they differ
 * for mip, whose read includes the external SEIP line). */
uint64_t riscv_csr_modify_base(const RiscvCpu *cpu, unsigned csr, uint64_t read_value);
/* Whether the CSR exists and may be accessed in the current mode; a write
 * also needs a writable CSR. */
bool riscv_csr_accessible(RiscvCpu *cpu, unsigned csr, bool write);
/* After a state load: puts every WARL CSR's loaded value through the write
 * a csrw makes, from the reset value, so that only values a guest could
 * have written remain. priv must be legal already. */
void riscv_csr_legalize(RiscvCpu *cpu);

/* ops.c: runs tb, entered at virtual pc vpc, and the blocks chained or
 * jump-cached after it, until an exit that needs the run loop or until the
 * retired-instruction count reaches insn_limit. */
void riscv_execute(RiscvCpu *cpu, struct TranslationBlock *tb, uint64_t vpc, uint64_t insn_limit);
/* Publishes the dispatch loops' handlers to the decoder; the run loop
 * (cpu_exec) calls it, and blocks must be decoded after it to be run. */
void riscv_ops_init(void);
/* Each width's build of ops.c (the two above choose by the hart's). */
void riscv_execute32(RiscvCpu *cpu, struct TranslationBlock *tb, uint64_t vpc, uint64_t insn_limit);
void riscv_execute64(RiscvCpu *cpu, struct TranslationBlock *tb, uint64_t vpc, uint64_t insn_limit);
void riscv_ops_init32(void);
void riscv_ops_init64(void);

static inline bool riscv_is_rv32(const RiscvCpu *cpu)
{
    return (cpu->ext & RISCV_XLEN32) != 0;
}

#endif
