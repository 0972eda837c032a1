/* tests/unit/harness.c: what the unit tests share: a hart on an address space
 * with RAM at 0x80000000, a page-table builder, and the check main. */
#include "tests/unit/harness.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"

TestHart *test_hart_new(void)
{
    TestHart *h = calloc(1, sizeof(*h));
    ck_assert_ptr_nonnull(h);
    h->ram = memory_add_ram(&h->as, "ram", TEST_RAM_BASE, TEST_RAM_SIZE);
    ck_assert_ptr_nonnull(h->ram);
    h->cpu = malloc(sizeof(*h->cpu));
    ck_assert_ptr_nonnull(h->cpu);
    riscv_cpu_init(h->cpu, &h->as, 0);
    riscv_cpu_reset(h->cpu, TEST_RAM_BASE);
    h->next_table = TEST_PT_BASE;
    return h;
}

void test_hart_free(TestHart *h)
{
    memory_destroy(&h->as);
    free(h->cpu);
    free(h);
}

uint64_t test_read64(TestHart *h, uint64_t paddr)
{
    uint64_t value;
    ck_assert_msg(memory_read(&h->as, paddr, 8, &value), "read of 0x%llx failed",
                  (unsigned long long)paddr);
    return value;
}

void test_write64(TestHart *h, uint64_t paddr, uint64_t value)
{
    ck_assert_msg(memory_write(&h->as, paddr, 8, value), "write of 0x%llx failed",
                  (unsigned long long)paddr);
}

void test_set_priv(TestHart *h, enum privilege priv)
{
    h->cpu->priv = priv;
    riscv_update_mmu_mode(h->cpu);
}

void test_set_mstatus(TestHart *h, uint64_t set, uint64_t clear)
{
    h->cpu->mstatus = (h->cpu->mstatus & ~clear) | set;
    riscv_update_mmu_mode(h->cpu);
}

static uint64_t alloc_table(TestHart *h)
{
    uint64_t table = h->next_table;
    ck_assert_msg(table + PAGE_SIZE <= TEST_RAM_BASE + TEST_RAM_SIZE, "out of page-table pages");
    h->next_table += PAGE_SIZE;
    uint8_t *host = memory_host_ptr(&h->as, table, PAGE_SIZE);
    ck_assert_ptr_nonnull(host);
    memset(host, 0, PAGE_SIZE);
    return table;
}

static int satp_levels(const TestHart *h)
{
    return (h->cpu->satp >> SATP_MODE_SHIFT) == SATP_MODE_SV48 ? 4 : 3;
}

void pt_init(TestHart *h, unsigned mode)
{
    uint64_t root = alloc_table(h);
    riscv_set_satp(h->cpu, ((uint64_t)mode << SATP_MODE_SHIFT) | (root >> PAGE_SHIFT));
    riscv_flush_translation(h->cpu);
}

static uint64_t vpn(uint64_t va, int level)
{
    return (va >> (PAGE_SHIFT + 9 * level)) & 0x1ff;
}

static uint64_t walk(TestHart *h, uint64_t va, int leaf_level, bool create)
{
    uint64_t table = (h->cpu->satp & SATP_PPN_MASK) << PAGE_SHIFT;
    for (int level = satp_levels(h) - 1; level > leaf_level; level--) {
        uint64_t pte_addr = table + vpn(va, level) * 8;
        uint64_t pte = test_read64(h, pte_addr);
        if (!(pte & PTE_V)) {
            if (!create)
                return 0;
            pte = ((alloc_table(h) >> PAGE_SHIFT) << 10) | PTE_V;
            test_write64(h, pte_addr, pte);
        }
        ck_assert_msg(!(pte & (PTE_R | PTE_X)), "a leaf is in the way of va 0x%llx",
                      (unsigned long long)va);
        table = ((pte >> 10) & ((1ull << 44) - 1)) << PAGE_SHIFT;
    }
    return table + vpn(va, leaf_level) * 8;
}

uint64_t pt_map(TestHart *h, uint64_t va, uint64_t pa, uint64_t flags, int level)
{
    uint64_t pte_addr = walk(h, va, level, true);
    test_write64(h, pte_addr, ((pa >> PAGE_SHIFT) << 10) | flags);
    return pte_addr;
}

uint64_t pt_entry_addr(TestHart *h, uint64_t va, int level)
{
    return walk(h, va, level, false);
}

uint64_t pmp_napot(uint64_t base, uint64_t size)
{
    return (base >> 2) | ((size >> 3) - 1);
}

void test_set_pmp(TestHart *h, int i, uint8_t cfg, uint64_t addr)
{
    h->cpu->pmpcfg[i] = cfg;
    h->cpu->pmpaddr[i] = addr;
    riscv_flush_translation(h->cpu);
}

void test_pmp_allow_all(TestHart *h)
{
    test_set_pmp(h, 15, PMPCFG_NAPOT | PMPCFG_R | PMPCFG_W | PMPCFG_X, (1ull << 54) - 1);
}

int run_suite(Suite *suite)
{
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void log_capture_start(void)
{
    log_mask = LOG_GUEST;
    log_file = tmpfile();
    ck_assert_ptr_nonnull(log_file);
}

void log_capture_stop(void)
{
    fclose(log_file);
    log_file = NULL;
    log_mask = 0;
}

long log_captured_bytes(void)
{
    fflush(log_file);
    return ftell(log_file);
}
