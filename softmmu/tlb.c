/* softmmu/tlb.c: the per-hart software TLB: entries filled with the
 * translations the CPU gives it, and flushes. */
#include "softmmu/tlb.h"

static void invalidate_entries(TlbEntry *table, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        table[i].tag = TLB_INVALID_TAG;
}

void tlb_map_page(TlbEntry *e, AddressSpace *as, uint64_t vaddr, uint64_t paddr,
                  enum access_type type)
{
    uint64_t page = vaddr & PAGE_MASK;
    e->phys = paddr & PAGE_MASK;
    e->tag = page;
    e->addend = 0;
    MemoryRegion *r = memory_find(as, paddr);
    if (r && r->host) {
        uint64_t offset = e->phys - r->base;
        e->addend = (uintptr_t)(r->host + offset) - (uintptr_t)page;
        if (type == ACCESS_WRITE && (r->readonly || r->page_flags[offset >> PAGE_SHIFT]))
            e->tag |= TLB_SLOW;
    } else {
        e->tag |= TLB_SLOW;
    }
}

void tlb_empty_set(TlbSet *set)
{
    set->used = false;
    invalidate_entries(set->read, TLB_ENTRIES);
    invalidate_entries(set->write, TLB_ENTRIES);
    invalidate_entries(set->fetch, TLB_ENTRIES);
}

void tlb_flush_set(TlbSet *set)
{
    if (set->used)
        tlb_empty_set(set);
}

void tlb_flush_page_in_set(TlbSet *set, uint64_t vaddr)
{
    TlbEntry *entries[3] = {tlb_entry(set->read, vaddr), tlb_entry(set->write, vaddr),
                            tlb_entry(set->fetch, vaddr)};
    for (int i = 0; i < 3; i++)
        if (tlb_entry_maps(entries[i], vaddr))
            entries[i]->tag = TLB_INVALID_TAG;
}

void tlb_flush_phys_page_writes(TlbSet *set, uint64_t phys_page)
{
    if (!set->used)
        return;
    for (unsigned e = 0; e < TLB_ENTRIES; e++)
        if (set->write[e].tag != TLB_INVALID_TAG && set->write[e].phys == phys_page)
            set->write[e].tag = TLB_INVALID_TAG;
}
