/* softmmu/tlb.c: the per-hart software TLB: fills from the page walker,
 * and the slow paths for accesses the inline fast path cannot serve. */
#include "softmmu/tlb.h"

#include <string.h>

#include "cpu/riscv/cpu.h"
#include "cpu/riscv/mmu.h"

static void invalidate_entries(TlbEntry *table, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        table[i].tag = TLB_INVALID_TAG;
}

void tlb_flush_set(TlbSet *set)
{
    if (!set->used)
        return;
    set->used = false;
    invalidate_entries(set->read, TLB_ENTRIES);
    invalidate_entries(set->write, TLB_ENTRIES);
    invalidate_entries(set->fetch, TLB_ENTRIES);
}

void tlb_flush_page_in_set(TlbSet *set, uint64_t vaddr)
{
    uint64_t page = vaddr & PAGE_MASK;
    TlbEntry *entries[3] = {tlb_entry(set->read, vaddr), tlb_entry(set->write, vaddr),
                            tlb_entry(set->fetch, vaddr)};
    for (int i = 0; i < 3; i++)
        if ((entries[i]->tag & ~TLB_SLOW) == page)
            entries[i]->tag = TLB_INVALID_TAG;
}

static TlbEntry *table_for(RiscvCpu *cpu, enum access_type type)
{
    switch (type) {
    case ACCESS_READ:
        return cpu->dtlb->read;
    case ACCESS_WRITE:
        return cpu->dtlb->write;
    default:
        return cpu->itlb->fetch;
    }
}

/* Entry for translations that must not be cached (see tlb_fill). */
static _Thread_local TlbEntry uncached_entry;

TlbEntry *tlb_fill(RiscvCpu *cpu, uint64_t vaddr, enum access_type type, MemFault *fault)
{
    uint64_t page = vaddr & PAGE_MASK;
    TlbEntry *e = tlb_entry(table_for(cpu, type), vaddr);
    if ((e->tag & ~TLB_SLOW) == page)
        return e;
    (type == ACCESS_FETCH ? cpu->itlb : cpu->dtlb)->used = true;

    uint64_t paddr;
    bool uniform;
    cpu->stats.tlb_fills[type]++;
    if (!riscv_translate(cpu, vaddr, type, &paddr, &uniform, &fault->cause)) {
        fault->tval = vaddr;
        return NULL;
    }
    if (!uniform)
        e = &uncached_entry;
    e->phys = paddr & PAGE_MASK;
    e->tag = page;
    e->addend = 0;
    MemoryRegion *r = memory_find(cpu->as, paddr);
    if (r && r->host) {
        uint64_t offset = e->phys - r->base;
        e->addend = (uintptr_t)(r->host + offset) - (uintptr_t)page;
        if (type == ACCESS_WRITE && (r->readonly || r->page_flags[offset >> PAGE_SHIFT]))
            e->tag |= TLB_SLOW;
    } else {
        e->tag |= TLB_SLOW;
    }
    if (!uniform)
        e->tag |= TLB_SLOW;
    return e;
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
    TlbEntry *e = tlb_fill(cpu, vaddr, type, fault);
    if (!e)
        return false;
    *paddr = e->phys | (vaddr & ~PAGE_MASK);
    if (e == &uncached_entry &&
        !riscv_pmp_allows(cpu, *paddr, size, type, riscv_access_priv(cpu, type)))
        return access_fault(fault, type, vaddr);
    *host = (e->tag & TLB_SLOW) ? NULL : (uint8_t *)(e->addend + (uintptr_t)vaddr);
    return true;
}

static bool crosses_page(uint64_t vaddr, unsigned size)
{
    return (vaddr & ~PAGE_MASK) + size > PAGE_SIZE;
}

bool tlb_load_slow(RiscvCpu *cpu, uint64_t vaddr, unsigned size, uint64_t *value, MemFault *fault)
{
    cpu->stats.load_slow++;
    if (crosses_page(vaddr, size)) {
        /* Byte by byte, so a fault names the first inaccessible byte, which
         * is the start of the second page (priv spec 3.1.16). */
        uint64_t result = 0;
        for (unsigned i = 0; i < size; i++) {
            uint64_t byte;
            if (!tlb_load_slow(cpu, vaddr + i, 1, &byte, fault))
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

bool tlb_store_slow(RiscvCpu *cpu, uint64_t vaddr, unsigned size, uint64_t value, MemFault *fault)
{
    cpu->stats.store_slow++;
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
        }
        for (unsigned i = 0; i < size; i++)
            if (!tlb_store_slow(cpu, vaddr + i, 1, value >> (8 * i), fault))
                return false;
        return true;
    }
    uint8_t *host;
    uint64_t paddr;
    if (!resolve(cpu, vaddr, size, ACCESS_WRITE, &host, &paddr, fault))
        return false;
    if (host) {
        memcpy(host, &value, size);
        return true;
    }
    if (!memory_write(cpu->as, paddr, size, value))
        return access_fault(fault, ACCESS_WRITE, vaddr);
    return true;
}

const uint8_t *tlb_fetch_host(RiscvCpu *cpu, uint64_t vaddr, uint64_t *paddr, MemFault *fault)
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
