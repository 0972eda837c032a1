/* cpu/riscv/mmu.c: address translation (bare, Sv32, Sv39, Sv48, Sv57) with
 * hardware A/D updates, Svnapot's 64 KiB ranges and Svpbmt's memory types,
 * and physical memory protection (16 entries, TOR/NA4/NAPOT). */
#include "cpu/riscv/mmu.h"

#include "util/log.h"

#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4)
#define PTE_G (1ull << 5)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK ((1ull << 44) - 1)
/* Bits 60:54 are reserved for future standard use: set, they make the PTE
 * invalid (priv spec 4.4.1). */
#define PTE_RESERVED_MASK (0x7full << 54)
#define PTE_PBMT_SHIFT 61
#define PTE_PBMT_MASK (3ull << PTE_PBMT_SHIFT)
#define PBMT_RESERVED 3
#define PTE_N (1ull << 63)
/* Svnapot's only size: ppn[0] ends in 1000 and covers 16 pages. */
#define NAPOT_64K_PAGES 16u
#define NAPOT_64K_ENCODING 8u

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_A_SHIFT 3
#define PMP_A_MASK (3u << PMP_A_SHIFT)
#define PMP_L 0x80
enum { PMP_OFF, PMP_TOR, PMP_NA4, PMP_NAPOT };

uint64_t riscv_access_fault_cause(enum access_type type)
{
    return type == ACCESS_FETCH   ? EXC_INSN_ACCESS
           : type == ACCESS_WRITE ? EXC_STORE_ACCESS
                                  : EXC_LOAD_ACCESS;
}

uint64_t riscv_page_fault_cause(enum access_type type)
{
    return type == ACCESS_FETCH   ? EXC_INSN_PAGE_FAULT
           : type == ACCESS_WRITE ? EXC_STORE_PAGE_FAULT
                                  : EXC_LOAD_PAGE_FAULT;
}

enum privilege riscv_access_priv(const RiscvCpu *cpu, enum access_type type)
{
    if (type != ACCESS_FETCH && cpu->priv == PRV_M && (cpu->mstatus & MSTATUS_MPRV))
        return (enum privilege)((cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    return cpu->priv;
}

/* The byte range [*lo, *hi) an entry covers; false if it is off. */
static bool pmp_range(const RiscvCpu *cpu, int i, uint64_t *lo, uint64_t *hi)
{
    uint8_t cfg = cpu->pmpcfg[i];
    uint64_t addr = cpu->pmpaddr[i];
    switch ((cfg & PMP_A_MASK) >> PMP_A_SHIFT) {
    case PMP_TOR:
        *lo = i == 0 ? 0 : cpu->pmpaddr[i - 1] << 2;
        *hi = addr << 2;
        return *lo < *hi;
    case PMP_NA4:
        *lo = addr << 2;
        *hi = *lo + 4;
        return true;
    case PMP_NAPOT: {
        /* Trailing ones in pmpaddr encode the size: 2^(ones + 3) bytes. */
        uint64_t ones = __builtin_ctzll(~addr);
        if (ones >= 54) {
            *lo = 0;
            *hi = UINT64_MAX;
            return true;
        }
        uint64_t size = 1ull << (ones + 3);
        *lo = (addr << 2) & ~(size - 1);
        *hi = *lo + size;
        return true;
    }
    default:
        return false;
    }
}

static unsigned pmp_needed_perm(enum access_type type)
{
    return type == ACCESS_FETCH ? PMP_X : type == ACCESS_WRITE ? PMP_W : PMP_R;
}

/* Priv spec 3.7.1: the lowest-numbered entry matching any byte decides; it
 * must match all bytes. With no match, M succeeds and S/U fail. */
static bool pmp_check_range(const RiscvCpu *cpu, uint64_t start, uint64_t len,
                            enum access_type type, enum privilege priv, bool *uniform)
{
    uint64_t last = start + len - 1;
    for (int i = 0; i < PMP_ENTRIES; i++) {
        uint64_t lo, hi;
        if (!pmp_range(cpu, i, &lo, &hi))
            continue;
        if (last < lo || start >= hi)
            continue;
        if (start < lo || last >= hi) {
            *uniform = false;
            return false;
        }
        uint8_t cfg = cpu->pmpcfg[i];
        if (priv == PRV_M && !(cfg & PMP_L))
            return true;
        return (cfg & pmp_needed_perm(type)) != 0;
    }
    return priv == PRV_M;
}

bool riscv_pmp_allows(const RiscvCpu *cpu, uint64_t paddr, unsigned size, enum access_type type,
                      enum privilege priv)
{
    bool uniform = true;
    return pmp_check_range(cpu, paddr, size, type, priv, &uniform);
}

static bool pte_read(RiscvCpu *cpu, uint64_t addr, unsigned size, uint64_t *pte)
{
    /* Page-table accesses are implicit S-mode accesses for PMP (3.7.1). */
    if (!riscv_pmp_allows(cpu, addr, size, ACCESS_READ, PRV_S))
        return false;
    return memory_read(cpu->as, addr, size, pte);
}

bool riscv_satp_mode_supported(const RiscvCpu *cpu, unsigned mode)
{
    if (riscv_is_rv32(cpu))
        return mode == SATP_MODE_BARE || mode == SATP_MODE_SV32;
    switch (mode) {
    case SATP_MODE_BARE:
    case SATP_MODE_SV39:
    case SATP_MODE_SV48:
        return true;
    case SATP_MODE_SV57:
        return riscv_has_ext(cpu, RISCV_EXT_SV57);
    default:
        return false;
    }
}

/* PBMT and N (Svpbmt, Svnapot): whether bits 63:61 of a PTE are legal. A
 * hart without the extension, or with menvcfg.PBMTE clear, treats them as
 * reserved; on a pointer they are reserved even with it, as is PBMT = 3.
 * Which N encodings a leaf may use is the caller's check: it knows the
 * level. */
static bool pte_attributes_valid(const RiscvCpu *cpu, uint64_t pte, bool leaf)
{
    uint64_t pbmt = (pte & PTE_PBMT_MASK) >> PTE_PBMT_SHIFT;
    if (pbmt != 0 && (!leaf || pbmt == PBMT_RESERVED || !riscv_has_ext(cpu, RISCV_EXT_SVPBMT) ||
                      !(cpu->menvcfg & MENVCFG_PBMTE)))
        return false;
    if ((pte & PTE_N) && (!leaf || !riscv_has_ext(cpu, RISCV_EXT_SVNAPOT)))
        return false;
    return true;
}

static int satp_levels(unsigned mode)
{
    return mode == SATP_MODE_SV57 ? 5 : mode == SATP_MODE_SV48 ? 4 : mode == SATP_MODE_SV32 ? 2 : 3;
}

/* A walk's shape: Sv32 has 10-bit VPNs and 4-byte PTEs with a 22-bit PPN
 * and nothing above it (priv spec 4.3.1); the others 9-bit VPNs and
 * 8-byte PTEs. */
struct walk_format {
    unsigned vpn_bits, pte_size;
    uint64_t ppn_mask;
};

static bool page_walk(RiscvCpu *cpu, uint64_t vaddr, enum access_type type, enum privilege priv,
                      bool update_ad, Translation *t, uint64_t *cause)
{
    unsigned mode = (unsigned)(cpu->satp >> SATP_MODE_SHIFT);
    int levels = satp_levels(mode);
    static const struct walk_format sv32 = {10, 4, (1ull << 22) - 1},
                                    sv39_up = {9, 8, PTE_PPN_MASK};
    const struct walk_format *fmt = mode == SATP_MODE_SV32 ? &sv32 : &sv39_up;
    unsigned va_bits = 12 + fmt->vpn_bits * levels;
    /* Virtual addresses must be sign-extended from their top bit (Sv32's
     * are all 32 bits, given zero-extended). */
    int64_t high = (int64_t)vaddr >> (va_bits - 1);
    if (mode != SATP_MODE_SV32 && high != 0 && high != -1) {
        *cause = riscv_page_fault_cause(type);
        return false;
    }
    uint64_t table = (cpu->satp & SATP_PPN_MASK) << PAGE_SHIFT;
    t->global = false;
    for (int level = levels - 1; level >= 0; level--) {
        uint64_t vpn = (vaddr >> (12 + fmt->vpn_bits * level)) & ((1u << fmt->vpn_bits) - 1);
        uint64_t pte_addr = table + vpn * fmt->pte_size;
        uint64_t pte;
        if (!pte_read(cpu, pte_addr, fmt->pte_size, &pte)) {
            *cause = riscv_access_fault_cause(type);
            return false;
        }
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte & PTE_RESERVED_MASK))
            break;
        bool leaf = (pte & (PTE_R | PTE_X)) != 0;
        if (!pte_attributes_valid(cpu, pte, leaf))
            break;
        uint64_t ppn = (pte >> PTE_PPN_SHIFT) & fmt->ppn_mask;
        t->global |= (pte & PTE_G) != 0;
        if (!leaf) {
            /* Pointer to the next level; A, D and U are reserved here. */
            if (level == 0 || (pte & (PTE_A | PTE_D | PTE_U)))
                break;
            table = ppn << PAGE_SHIFT;
            continue;
        }
        /* A leaf: permissions (4.3.2 step 5), superpage alignment (step 6). */
        if (pte & PTE_U) {
            if (priv == PRV_S && (type == ACCESS_FETCH || !(cpu->mstatus & MSTATUS_SUM)))
                break;
        } else if (priv == PRV_U) {
            break;
        }
        bool allowed;
        if (type == ACCESS_FETCH)
            allowed = pte & PTE_X;
        else if (type == ACCESS_WRITE)
            allowed = pte & PTE_W;
        else
            allowed = (pte & PTE_R) || ((cpu->mstatus & MSTATUS_MXR) && (pte & PTE_X));
        if (!allowed)
            break;
        uint64_t level_mask = (1ull << (fmt->vpn_bits * level)) - 1;
        if (ppn & level_mask)
            break;
        if (pte & PTE_N) {
            /* Svnapot: only a 4 KiB leaf whose ppn[0] ends in 1000 is
             * defined; its low PPN bits come from the address. The TLB
             * keeps 4 KiB entries, and a fence anywhere in the range drops
             * them all, as for a superpage (tlb_fill.c). */
            if (level != 0 || (ppn & (NAPOT_64K_PAGES - 1)) != NAPOT_64K_ENCODING)
                break;
            level_mask = NAPOT_64K_PAGES - 1;
            ppn &= ~level_mask;
        }
        t->leaf_size = (level_mask + 1) << PAGE_SHIFT;
        uint64_t needed = PTE_A | (type == ACCESS_WRITE ? PTE_D : 0);
        if (update_ad && (pte & needed) != needed) {
            /* Hardware A/D update, as QEMU does (Svadu behaviour). */
            if (!riscv_pmp_allows(cpu, pte_addr, fmt->pte_size, ACCESS_WRITE, PRV_S) ||
                !memory_write(cpu->as, pte_addr, fmt->pte_size, pte | needed)) {
                *cause = riscv_access_fault_cause(type);
                return false;
            }
        }
        uint64_t page_number = ppn | ((vaddr >> PAGE_SHIFT) & level_mask);
        t->paddr = (page_number << PAGE_SHIFT) | (vaddr & (PAGE_SIZE - 1));
        return true;
    }
    LOG(LOG_MMU, "mmu: page fault at 0x%016llx (%s)\n", (unsigned long long)vaddr,
        type == ACCESS_FETCH   ? "fetch"
        : type == ACCESS_WRITE ? "store"
                               : "load");
    *cause = riscv_page_fault_cause(type);
    return false;
}

bool riscv_translate(RiscvCpu *cpu, uint64_t vaddr, enum access_type type, Translation *t,
                     uint64_t *cause)
{
    enum privilege priv = riscv_access_priv(cpu, type);
    t->leaf_size = PAGE_SIZE;
    t->global = false;
    if (priv == PRV_M || (cpu->satp >> SATP_MODE_SHIFT) == SATP_MODE_BARE) {
        t->paddr = vaddr;
    } else if (!page_walk(cpu, vaddr, type, priv, true, t, cause)) {
        return false;
    }
    uint64_t page = t->paddr & PAGE_MASK;
    t->page_uniform = true;
    if (pmp_check_range(cpu, page, PAGE_SIZE, type, priv, &t->page_uniform))
        return true;
    if (!t->page_uniform && riscv_pmp_allows(cpu, t->paddr, 1, type, priv))
        return true;
    *cause = riscv_access_fault_cause(type);
    return false;
}

bool riscv_debug_translate(RiscvCpu *cpu, uint64_t vaddr, uint64_t *paddr)
{
    enum privilege priv = riscv_access_priv(cpu, ACCESS_READ);
    if (priv == PRV_M || (cpu->satp >> SATP_MODE_SHIFT) == SATP_MODE_BARE) {
        *paddr = vaddr;
        return true;
    }
    Translation t;
    uint64_t cause;
    if (!page_walk(cpu, vaddr, ACCESS_READ, priv, false, &t, &cause))
        return false;
    *paddr = t.paddr;
    return true;
}
