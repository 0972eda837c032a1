/* cpu/riscv/tlb_fill.c: fills the software TLB from the page walker and
 * PMP, and the slow paths for accesses the inline fast path cannot serve. */
#include "cpu/riscv/tlb_fill.h"

#include <string.h>

#include "cpu/riscv/mmu.h"
#include "cpu/riscv/trigger.h"

static TlbEntry *table_in(TlbSet *set, enum access_type type)
{
    switch (type) {
    case ACCESS_READ:
        return set->read;
    case ACCESS_WRITE:
        return set->write;
    default:
        return set->fetch;
    }
}

/* Grows the context's range of cached superpages (cpu.h) to hold the leaf
 * of size bytes that translates vaddr. */
static void note_superpage(TlbContext *c, uint64_t vaddr, uint64_t size)
{
    VaRange *r = &c->superpages[vaddr >> 63];
    uint64_t mask = ~(size - 1);
    if (r->mask) {
        mask &= r->mask;
        /* Ends at bit 63 at the latest: both lie in the same half. */
        while ((vaddr & mask) != (r->base & mask))
            mask <<= 1;
    }
    r->mask = mask;
    r->base = vaddr & mask;
}

/* The set of the global translations that shadows set for vaddr, or
 * NULL: M-mode's set translates nothing, and only the kernel's half is
 * shared (cpu.h). */
static TlbSet *global_twin(RiscvCpu *cpu, const TlbSet *set, uint64_t vaddr)
{
    if (set == &cpu->m_tlb || !(vaddr >> 63))
        return NULL;
    return &cpu->global.sets[set - cpu->context->sets];
}

/* Entry for translations that must not be cached (see riscv_tlb_fill). */
static _Thread_local TlbEntry uncached_entry;

TlbEntry *riscv_tlb_fill(RiscvCpu *cpu, uint64_t vaddr, enum access_type type, MemFault *fault)
{
    TlbSet *set = type == ACCESS_FETCH ? cpu->itlb : cpu->dtlb;
    TlbEntry *e = tlb_entry(table_in(set, type), vaddr);
    if (tlb_entry_maps(e, vaddr))
        return e;
    set->used = true;
    TlbSet *global = global_twin(cpu, set, vaddr);
    if (global) {
        const TlbEntry *g = tlb_entry(table_in(global, type), vaddr);
        if (tlb_entry_maps(g, vaddr)) {
            cpu->stats.global_fills++;
            *e = *g;
            return e;
        }
    }

    Translation t;
    cpu->stats.tlb_fills[type]++;
    if (!riscv_translate(cpu, vaddr, type, &t, &fault->cause)) {
        fault->tval = vaddr;
        return NULL;
    }
    /* PMP that splits the page, a debugger watching part of it, or the
     * guest's own load and store triggers: every access is checked on its
     * own. */
    bool watched =
        type != ACCESS_FETCH &&
        ((__builtin_expect(cpu->debug != NULL, 0) && cpu_debug_watches_page(cpu, vaddr)) ||
         (cpu->triggers.armed & TRIGGER_ARMED_MEM));
    if (!t.page_uniform || watched) {
        e = &uncached_entry;
    } else if (t.leaf_size > PAGE_SIZE) {
        note_superpage(cpu->context, vaddr, t.leaf_size);
        if (global && t.global)
            note_superpage(&cpu->global, vaddr, t.leaf_size);
    }
    tlb_map_page(e, cpu->as, vaddr, t.paddr, type);
    if (!t.page_uniform || watched) {
        e->tag |= TLB_SLOW;
    } else if (global && t.global) {
        global->used = true;
        *tlb_entry(table_in(global, type), vaddr) = *e;
    }
    return e;
}

bool riscv_fetch_is_global(RiscvCpu *cpu, uint64_t vaddr)
{
    TlbSet *global = global_twin(cpu, cpu->itlb, vaddr);
    return global && tlb_entry_maps(tlb_entry(global->fetch, vaddr), vaddr);
}

static bool access_fault(MemFault *fault, enum access_type type, uint64_t vaddr)
{
    fault->cause = riscv_access_fault_cause(type);
    fault->tval = vaddr;
    return false;
}

/* Resolves one access that lies within a page; returns a host pointer for
 * plain RAM, or NULL with *paddr set when the access must go through the
 * address space (MMIO, watched or code pages, uncached PMP). */
static bool resolve(RiscvCpu *cpu, uint64_t vaddr, unsigned size, enum access_type type,
                    uint8_t **host, uint64_t *paddr, MemFault *fault)
{
    TlbEntry *e = riscv_tlb_fill(cpu, vaddr, type, fault);
    if (!e)
        return false;
    *paddr = e->phys | (vaddr & ~PAGE_MASK);
    if (e == &uncached_entry &&
        !riscv_pmp_allows(cpu, *paddr, size, type, riscv_access_priv(cpu, type)))
        return access_fault(fault, type, vaddr);
    *host = (e->tag & TLB_SLOW) ? NULL : (uint8_t *)(e->addend + (uintptr_t)vaddr);
    return true;
}

bool riscv_watch_stop(RiscvCpu *cpu, uint64_t vaddr, unsigned size, unsigned kind, MemFault *fault)
{
    CpuDebug *d = cpu->debug;
    for (unsigned i = 0; i < d->n_watchpoints; i++) {
        const CpuWatchpoint *w = &d->watchpoints[i];
        if ((w->kind & kind) && vaddr < w->addr + w->len && w->addr < vaddr + size) {
            d->watch_hit = true;
            d->watch_kind = w->kind;
            d->watch_addr = w->addr;
            fault->cause = MEM_FAULT_DEBUG_STOP;
            return true;
        }
    }
    return false;
}

static bool crosses_page(uint64_t vaddr, unsigned size)
{
    return (vaddr & ~PAGE_MASK) + size > PAGE_SIZE;
}

bool riscv_trigger_stop(RiscvCpu *cpu, uint64_t vaddr, unsigned size, bool store, MemFault *fault)
{
    if (__builtin_expect(!(cpu->triggers.armed & TRIGGER_ARMED_MEM), 1) ||
        !riscv_trigger_mem_hit(cpu, vaddr, size, store))
        return false;
    fault->cause = EXC_BREAKPOINT;
    fault->tval = vaddr;
    return true;
}

bool riscv_tlb_load_slow(RiscvCpu *cpu, uint64_t vaddr, unsigned size, uint64_t *value,
                         MemFault *fault)
{
    cpu->stats.load_slow++;
    if (riscv_trigger_stop(cpu, vaddr, size, false, fault))
        return false;
    if (crosses_page(vaddr, size)) {
        /* Byte by byte, so a fault names the first inaccessible byte, which
         * is the start of the second page (priv spec 3.1.16). */
        uint64_t result = 0;
        for (unsigned i = 0; i < size; i++) {
            uint64_t byte;
            if (!riscv_tlb_load_slow(cpu, vaddr + i, 1, &byte, fault))
                return false;
            result |= byte << (8 * i);
        }
        *value = result;
        return true;
    }
    uint8_t *host;
    uint64_t paddr;
    if (!resolve(cpu, vaddr, size, ACCESS_READ, &host, &paddr, fault))
        return false;
    if (__builtin_expect(cpu->debug != NULL, 0) &&
        riscv_watch_stop(cpu, vaddr, size, WATCH_READ, fault))
        return false;
    if (host) {
        uint64_t v = 0;
        memcpy(&v, host, size);
        *value = v;
        return true;
    }
    if (!memory_read(cpu->as, paddr, size, value))
        return access_fault(fault, ACCESS_READ, vaddr);
    return true;
}

bool riscv_tlb_store_slow(RiscvCpu *cpu, uint64_t vaddr, unsigned size, uint64_t value,
                          MemFault *fault)
{
    cpu->stats.store_slow++;
    if (riscv_trigger_stop(cpu, vaddr, size, true, fault))
        return false;
    if (crosses_page(vaddr, size)) {
        /* Check both pages before writing anything, so a faulting store
         * leaves memory unchanged. */
        for (unsigned i = 0; i < size; i++) {
            uint8_t *host;
            uint64_t paddr;
            if (!resolve(cpu, vaddr + i, 1, ACCESS_WRITE, &host, &paddr, fault))
                return false;
            if (!host && !memory_can_write(cpu->as, paddr, 1))
                return access_fault(fault, ACCESS_WRITE, vaddr + i);
            if (__builtin_expect(cpu->debug != NULL, 0) &&
                riscv_watch_stop(cpu, vaddr + i, 1, WATCH_WRITE, fault))
                return false;
        }
        for (unsigned i = 0; i < size; i++)
            if (!riscv_tlb_store_slow(cpu, vaddr + i, 1, value >> (8 * i), fault))
                return false;
        return true;
    }
    uint8_t *host;
    uint64_t paddr;
    if (!resolve(cpu, vaddr, size, ACCESS_WRITE, &host, &paddr, fault))
        return false;
    if (__builtin_expect(cpu->debug != NULL, 0) &&
        riscv_watch_stop(cpu, vaddr, size, WATCH_WRITE, fault))
        return false;
    if (host) {
        memcpy(host, &value, size);
        return true;
    }
    if (!memory_write(cpu->as, paddr, size, value))
        return access_fault(fault, ACCESS_WRITE, vaddr);
    return true;
}

const uint8_t *riscv_tlb_fetch_host(RiscvCpu *cpu, uint64_t vaddr, uint64_t *paddr, MemFault *fault)
{
    uint8_t *host;
    if (!resolve(cpu, vaddr, 2, ACCESS_FETCH, &host, paddr, fault))
        return NULL;
    /* RAM that PMP grants only in part: resolve has checked these two
     * bytes, and the caller runs them without caching (cpu/exec.c). */
    if (!host)
        host = memory_host_ptr(cpu->as, *paddr, 2);
    if (!host) {
        access_fault(fault, ACCESS_FETCH, vaddr);
        return NULL;
    }
    return host;
}
