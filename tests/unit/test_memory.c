/* tests/unit/test_memory.c: unit tests for softmmu/memory.c: RAM, ROM and
 * MMIO regions, access sizes and faults, images, and the flagged-page hook. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "softmmu/memory.h"
#include "tests/unit/harness.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1ull << 20)
#define ROM_BASE 0x1000ull
#define ROM_SIZE 0x1000ull
#define MMIO_BASE 0x10000000ull
#define MMIO_SIZE 0x100ull

static AddressSpace as;

/* A device that accepts 4-byte accesses only and records them. */
typedef struct FakeDevice {
    uint64_t regs[MMIO_SIZE / 8];
    int reads, writes;
    uint64_t last_offset;
    unsigned last_size;
} FakeDevice;

static FakeDevice device;

static uint64_t fake_read(void *opaque, uint64_t offset, unsigned size)
{
    FakeDevice *d = opaque;
    d->reads++;
    d->last_offset = offset;
    d->last_size = size;
    return 0xa5a5a5a500000000ull | offset;
}

static void fake_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    FakeDevice *d = opaque;
    d->writes++;
    d->last_offset = offset;
    d->last_size = size;
    d->regs[offset / 8] = value;
}

static const MemoryOps word_ops = {fake_read, fake_write, 4, 4};
static const MemoryOps any_size_ops = {fake_read, fake_write, 1, 8};
static const MemoryOps write_only_ops = {NULL, fake_write, 1, 8};

/* Stores reported by the flagged-write hook. */
typedef struct FlaggedWrite {
    uint64_t paddr;
    unsigned size;
    uint64_t value_seen; /* first byte at paddr when the hook ran */
} FlaggedWrite;

static FlaggedWrite hook_calls[16];
static int n_hook_calls;

static void record_flagged_write(void *opaque, uint64_t paddr, unsigned size)
{
    AddressSpace *space = opaque;
    ck_assert_int_lt(n_hook_calls, 16);
    FlaggedWrite *w = &hook_calls[n_hook_calls++];
    w->paddr = paddr;
    w->size = size;
    ck_assert(memory_read(space, paddr, 1, &w->value_seen));
}

static MemoryRegion *ram, *rom, *mmio;

static void setup(void)
{
    memset(&as, 0, sizeof(as));
    memset(&device, 0, sizeof(device));
    n_hook_calls = 0;
    ram = memory_add_ram(&as, "ram", RAM_BASE, RAM_SIZE);
    rom = memory_add_rom(&as, "rom", ROM_BASE, ROM_SIZE);
    mmio = memory_add_mmio(&as, "dev", MMIO_BASE, MMIO_SIZE, &word_ops, &device);
    ck_assert(ram && rom && mmio);
    as.flagged_write = record_flagged_write;
    as.flagged_write_opaque = &as;
}

static void teardown(void)
{
    memory_destroy(&as);
}

static uint64_t read_ok(uint64_t paddr, unsigned size)
{
    uint64_t value = 0;
    ck_assert_msg(memory_read(&as, paddr, size, &value), "read of %u at 0x%llx faulted", size,
                  (unsigned long long)paddr);
    return value;
}

START_TEST(test_ram_sizes_little_endian)
{
    ck_assert(memory_write(&as, RAM_BASE + 0x100, 8, 0x1122334455667788ull));
    ck_assert_uint_eq(read_ok(RAM_BASE + 0x100, 8), 0x1122334455667788ull);
    ck_assert_uint_eq(read_ok(RAM_BASE + 0x100, 4), 0x55667788);
    ck_assert_uint_eq(read_ok(RAM_BASE + 0x104, 4), 0x11223344);
    ck_assert_uint_eq(read_ok(RAM_BASE + 0x100, 2), 0x7788);
    ck_assert_uint_eq(read_ok(RAM_BASE + 0x100, 1), 0x88);
    ck_assert_uint_eq(read_ok(RAM_BASE + 0x107, 1), 0x11);

    ck_assert(memory_write(&as, RAM_BASE + 0x101, 1, 0xffffffffffffffabull));
    ck_assert(memory_write(&as, RAM_BASE + 0x102, 2, 0xcdef));
    ck_assert(memory_write(&as, RAM_BASE + 0x104, 4, 0xdeadbeef));
    ck_assert_uint_eq(read_ok(RAM_BASE + 0x100, 8), 0xdeadbeefcdefab88ull);
}
END_TEST

START_TEST(test_ram_misaligned_and_edges)
{
    /* RAM itself takes any alignment; the CPU decides about misalignment. */
    ck_assert(memory_write(&as, RAM_BASE + 3, 8, 0x0102030405060708ull));
    ck_assert_uint_eq(read_ok(RAM_BASE + 3, 8), 0x0102030405060708ull);
    ck_assert(memory_write(&as, RAM_BASE + RAM_SIZE - 8, 8, 42));
    ck_assert_uint_eq(read_ok(RAM_BASE + RAM_SIZE - 8, 8), 42);
    ck_assert_uint_eq(read_ok(RAM_BASE, 1), 0);
    ck_assert_uint_eq(read_ok(RAM_BASE + RAM_SIZE - 1, 1), 0);
}
END_TEST

START_TEST(test_out_of_range)
{
    uint64_t value = 7;
    ck_assert(!memory_read(&as, RAM_BASE - 1, 1, &value));
    ck_assert(!memory_read(&as, RAM_BASE - 4, 8, &value)); /* straddles the start */
    ck_assert(!memory_read(&as, RAM_BASE + RAM_SIZE, 1, &value));
    ck_assert(!memory_read(&as, RAM_BASE + RAM_SIZE - 4, 8, &value)); /* straddles the end */
    ck_assert(!memory_read(&as, 0, 8, &value));
    ck_assert(!memory_read(&as, UINT64_MAX, 1, &value));
    ck_assert(!memory_read(&as, UINT64_MAX - 3, 8, &value));
    ck_assert_uint_eq(value, 7);
    ck_assert(!memory_write(&as, RAM_BASE + RAM_SIZE - 4, 8, ~0ull));
    ck_assert(!memory_write(&as, RAM_BASE + RAM_SIZE, 1, 1));
    ck_assert(!memory_write(&as, UINT64_MAX, 1, 1));
    /* The half inside RAM is untouched by the faulting store. */
    ck_assert_uint_eq(read_ok(RAM_BASE + RAM_SIZE - 4, 4), 0);
}
END_TEST

START_TEST(test_adjacent_regions_do_not_merge)
{
    /* An access spanning two adjacent RAM regions is a fault, not a split. */
    ck_assert_ptr_nonnull(memory_add_ram(&as, "ram2", RAM_BASE + RAM_SIZE, RAM_SIZE));
    uint64_t value;
    ck_assert(!memory_read(&as, RAM_BASE + RAM_SIZE - 4, 8, &value));
    ck_assert(!memory_write(&as, RAM_BASE + RAM_SIZE - 4, 8, 1));
    ck_assert(memory_write(&as, RAM_BASE + RAM_SIZE, 8, 5));
    ck_assert_uint_eq(read_ok(RAM_BASE + RAM_SIZE, 8), 5);
}
END_TEST

START_TEST(test_find)
{
    ck_assert_ptr_eq(memory_find(&as, RAM_BASE), ram);
    ck_assert_ptr_eq(memory_find(&as, RAM_BASE + RAM_SIZE - 1), ram);
    ck_assert_ptr_null(memory_find(&as, RAM_BASE + RAM_SIZE));
    ck_assert_ptr_null(memory_find(&as, RAM_BASE - 1));
    ck_assert_ptr_eq(memory_find(&as, ROM_BASE + 5), rom);
    ck_assert_ptr_eq(memory_find(&as, MMIO_BASE + MMIO_SIZE - 1), mmio);
    ck_assert_ptr_null(memory_find(&as, 0));
}
END_TEST

START_TEST(test_overlap_rejected)
{
    int count = as.count;
    ck_assert_ptr_null(memory_add_ram(&as, "inside", RAM_BASE + 0x1000, 0x1000));
    ck_assert_ptr_null(memory_add_ram(&as, "over-start", RAM_BASE - 0x1000, 0x2000));
    ck_assert_ptr_null(memory_add_ram(&as, "over-end", RAM_BASE + RAM_SIZE - 1, 0x1000));
    ck_assert_ptr_null(memory_add_ram(&as, "around", RAM_BASE - 0x1000, RAM_SIZE + 0x2000));
    ck_assert_ptr_null(
        memory_add_mmio(&as, "mmio-in-rom", ROM_BASE + 0x800, 0x10, &word_ops, &device));
    ck_assert_ptr_null(memory_add_rom(&as, "rom-on-mmio", MMIO_BASE, 0x1000));
    ck_assert_int_eq(as.count, count);
    /* Touching but not overlapping is fine. */
    ck_assert_ptr_nonnull(memory_add_rom(&as, "below-ram", RAM_BASE - 0x1000, 0x1000));
    ck_assert_ptr_nonnull(
        memory_add_mmio(&as, "after-dev", MMIO_BASE + MMIO_SIZE, 0x100, &word_ops, &device));
}
END_TEST

START_TEST(test_invalid_ranges_rejected)
{
    int count = as.count;
    ck_assert_ptr_null(memory_add_ram(&as, "empty", 0x40000000, 0));
    ck_assert_ptr_null(
        memory_add_mmio(&as, "wraps", UINT64_MAX - 0xfff, 0x2000, &word_ops, &device));
    ck_assert_int_eq(as.count, count);
}
END_TEST

START_TEST(test_region_table_full)
{
    AddressSpace small;
    memset(&small, 0, sizeof(small));
    for (int i = 0; i < MEMORY_MAX_REGIONS; i++)
        ck_assert_ptr_nonnull(
            memory_add_mmio(&small, "dev", 0x1000ull * i, 0x100, &word_ops, &device));
    ck_assert_ptr_null(
        memory_add_mmio(&small, "one-too-many", 0x100000, 0x100, &word_ops, &device));
    ck_assert_int_eq(small.count, MEMORY_MAX_REGIONS);
    memory_destroy(&small);
}
END_TEST

/* A RAM region that cannot be allocated must leave the map as it was: a
 * region with neither memory nor ops would crash later accesses. */
START_TEST(test_failed_ram_allocation_leaves_map_unchanged)
{
    /* Leave 64 MiB of address space headroom, then ask for 1 GiB. */
    FILE *statm = fopen("/proc/self/statm", "r");
    ck_assert_ptr_nonnull(statm);
    unsigned long pages = 0;
    ck_assert_int_eq(fscanf(statm, "%lu", &pages), 1);
    fclose(statm);
    uint64_t limit = (uint64_t)pages * (uint64_t)sysconf(_SC_PAGESIZE) + (64ull << 20);
    struct rlimit rl = {limit, limit};
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &rl), 0);

    int count = as.count;
    ck_assert_ptr_null(memory_add_ram(&as, "huge", 0x100000000ull, 1ull << 30));
    ck_assert_int_eq(as.count, count);
    ck_assert_ptr_null(memory_find(&as, 0x100000000ull));
    uint64_t value;
    ck_assert(!memory_read(&as, 0x100000000ull, 8, &value));
}
END_TEST

START_TEST(test_rom)
{
    static const uint8_t image[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    /* The loader fills ROM; the guest can only read it. */
    ck_assert(memory_load_image(&as, ROM_BASE + 0x10, image, sizeof(image)));
    ck_assert_uint_eq(read_ok(ROM_BASE + 0x10, 8), 0x0807060504030201ull);
    for (unsigned size = 1; size <= 8; size *= 2)
        ck_assert_msg(!memory_write(&as, ROM_BASE + 0x10, size, 0), "ROM store of %u", size);
    ck_assert_uint_eq(read_ok(ROM_BASE + 0x10, 8), 0x0807060504030201ull);
    ck_assert_ptr_nonnull(memory_host_ptr(&as, ROM_BASE, ROM_SIZE));
}
END_TEST

START_TEST(test_mmio_dispatch)
{
    ck_assert_uint_eq(read_ok(MMIO_BASE + 8, 4), 0xa5a5a5a500000008ull);
    ck_assert_int_eq(device.reads, 1);
    ck_assert_uint_eq(device.last_offset, 8); /* relative to the region */
    ck_assert_uint_eq(device.last_size, 4);
    ck_assert(memory_write(&as, MMIO_BASE + 0x10, 4, 0x12345678));
    ck_assert_int_eq(device.writes, 1);
    ck_assert_uint_eq(device.last_offset, 0x10);
    ck_assert_uint_eq(device.regs[2], 0x12345678);
}
END_TEST

START_TEST(test_mmio_size_limits)
{
    uint64_t value;
    ck_assert(!memory_read(&as, MMIO_BASE, 1, &value));
    ck_assert(!memory_read(&as, MMIO_BASE, 2, &value));
    ck_assert(!memory_read(&as, MMIO_BASE, 8, &value));
    ck_assert(!memory_write(&as, MMIO_BASE, 1, 0));
    ck_assert(!memory_write(&as, MMIO_BASE, 8, 0));
    ck_assert_int_eq(device.reads, 0);
    ck_assert_int_eq(device.writes, 0);
}
END_TEST

START_TEST(test_mmio_alignment)
{
    MemoryRegion *any = memory_add_mmio(&as, "any", 0x20000000, 0x100, &any_size_ops, &device);
    ck_assert_ptr_nonnull(any);
    uint64_t value;
    ck_assert(!memory_read(&as, MMIO_BASE + 2, 4, &value));
    ck_assert(!memory_write(&as, MMIO_BASE + 1, 4, 0));
    ck_assert(!memory_read(&as, 0x20000004, 8, &value));
    ck_assert(!memory_write(&as, 0x20000002, 4, 0));
    ck_assert(!memory_read(&as, 0x20000001, 2, &value));
    ck_assert_int_eq(device.reads + device.writes, 0);
    /* Aligned accesses of every size in range reach the device. */
    ck_assert(memory_read(&as, 0x20000001, 1, &value));
    ck_assert(memory_read(&as, 0x20000002, 2, &value));
    ck_assert(memory_read(&as, 0x20000004, 4, &value));
    ck_assert(memory_read(&as, 0x20000008, 8, &value));
    ck_assert_int_eq(device.reads, 4);
}
END_TEST

START_TEST(test_mmio_region_end)
{
    uint64_t value;
    ck_assert(memory_read(&as, MMIO_BASE + MMIO_SIZE - 4, 4, &value));
    ck_assert(!memory_read(&as, MMIO_BASE + MMIO_SIZE, 4, &value));
    MemoryRegion *odd = memory_add_mmio(&as, "odd", 0x30000000, 6, &any_size_ops, &device);
    ck_assert_ptr_nonnull(odd);
    ck_assert(!memory_read(&as, 0x30000004, 4, &value)); /* runs past the region */
    ck_assert(memory_read(&as, 0x30000004, 2, &value));
}
END_TEST

START_TEST(test_mmio_missing_op)
{
    ck_assert_ptr_nonnull(memory_add_mmio(&as, "wo", 0x20000000, 0x100, &write_only_ops, &device));
    uint64_t value;
    ck_assert(!memory_read(&as, 0x20000000, 4, &value));
    ck_assert(memory_write(&as, 0x20000000, 4, 1));
}
END_TEST

START_TEST(test_load_image)
{
    uint8_t data[3 * 4096];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 7);
    ck_assert(memory_load_image(&as, RAM_BASE + 0x800, data, sizeof(data)));
    uint8_t *host = memory_host_ptr(&as, RAM_BASE + 0x800, sizeof(data));
    ck_assert_ptr_nonnull(host);
    ck_assert_mem_eq(host, data, sizeof(data));
    ck_assert(memory_load_image(&as, RAM_BASE + RAM_SIZE - 16, data, 16)); /* up to the end */
    ck_assert(memory_load_image(&as, 0, data, 0));                         /* nothing to do */
}
END_TEST

START_TEST(test_load_image_past_region_end)
{
    uint8_t data[32];
    memset(data, 0xee, sizeof(data));
    ck_assert(!memory_load_image(&as, RAM_BASE + RAM_SIZE - 16, data, sizeof(data)));
    ck_assert_uint_eq(read_ok(RAM_BASE + RAM_SIZE - 16, 8), 0); /* nothing written */
    ck_assert(!memory_load_image(&as, ROM_BASE + ROM_SIZE - 1, data, 2));
    ck_assert(!memory_load_image(&as, RAM_BASE - 8, data, 16));
    ck_assert(!memory_load_image(&as, 0x50000000, data, 8)); /* no region */
    ck_assert(!memory_load_image(&as, MMIO_BASE, data, 4));  /* not memory */
    ck_assert(!memory_load_image(&as, RAM_BASE, data, UINT64_MAX));
}
END_TEST

START_TEST(test_host_ptr)
{
    uint8_t *p = memory_host_ptr(&as, RAM_BASE + 0x40, 8);
    ck_assert_ptr_nonnull(p);
    ck_assert(memory_write(&as, RAM_BASE + 0x40, 4, 0xcafef00d));
    ck_assert_uint_eq(p[0], 0x0d);
    ck_assert_uint_eq(p[3], 0xca);
    ck_assert_ptr_eq(memory_host_ptr(&as, RAM_BASE, RAM_SIZE), ram->host);
    ck_assert_ptr_null(memory_host_ptr(&as, RAM_BASE + RAM_SIZE - 4, 8));
    ck_assert_ptr_null(memory_host_ptr(&as, MMIO_BASE, 4));
    ck_assert_ptr_null(memory_host_ptr(&as, 0x50000000, 1));
}
END_TEST

START_TEST(test_flagged_write_only_for_flagged_pages)
{
    memory_set_page_flag(ram, RAM_BASE + 0x1000, PAGE_HAS_CODE);
    ck_assert(memory_write(&as, RAM_BASE + 0x0ff8, 8, 1)); /* page 0 */
    ck_assert(memory_write(&as, RAM_BASE + 0x2000, 8, 1)); /* page 2 */
    ck_assert_int_eq(n_hook_calls, 0);
    ck_assert(memory_write(&as, RAM_BASE + 0x1234, 2, 0xbeef));
    ck_assert_int_eq(n_hook_calls, 1);
    ck_assert_uint_eq(hook_calls[0].paddr, RAM_BASE + 0x1234);
    ck_assert_uint_eq(hook_calls[0].size, 2);
    ck_assert_uint_eq(hook_calls[0].value_seen, 0xef); /* called after the store */
}
END_TEST

START_TEST(test_flagged_write_any_flag)
{
    memory_set_page_flag(ram, RAM_BASE + 0x3000, PAGE_WATCHED);
    ck_assert(memory_write(&as, RAM_BASE + 0x3ff8, 8, 1));
    ck_assert_int_eq(n_hook_calls, 1);
    ck_assert_uint_eq(hook_calls[0].paddr, RAM_BASE + 0x3ff8);
    ck_assert_uint_eq(hook_calls[0].size, 8);
}
END_TEST

START_TEST(test_flagged_write_cleared_flag)
{
    memory_set_page_flag(ram, RAM_BASE + 0x1000, PAGE_HAS_CODE | PAGE_WATCHED);
    memory_clear_page_flag(ram, RAM_BASE + 0x1000, PAGE_HAS_CODE);
    ck_assert(memory_write(&as, RAM_BASE + 0x1000, 4, 1));
    ck_assert_int_eq(n_hook_calls, 1); /* still watched */
    memory_clear_page_flag(ram, RAM_BASE + 0x1000, PAGE_WATCHED);
    ck_assert(memory_write(&as, RAM_BASE + 0x1000, 4, 1));
    ck_assert_int_eq(n_hook_calls, 1);
}
END_TEST

START_TEST(test_flagged_write_not_for_faulting_stores)
{
    memory_set_page_flag(ram, RAM_BASE + RAM_SIZE - 0x1000, PAGE_HAS_CODE);
    ck_assert(!memory_write(&as, RAM_BASE + RAM_SIZE - 4, 8, 1));
    ck_assert(!memory_write(&as, ROM_BASE, 4, 1));
    ck_assert_int_eq(n_hook_calls, 0);
}
END_TEST

START_TEST(test_flagged_write_for_image_spanning_pages)
{
    /* Pages 1 and 3 of RAM are flagged; the image covers 0x800..0x3800. */
    memory_set_page_flag(ram, RAM_BASE + 0x1000, PAGE_HAS_CODE);
    memory_set_page_flag(ram, RAM_BASE + 0x3000, PAGE_WATCHED);
    static uint8_t data[0x3000];
    memset(data, 0x5a, sizeof(data));
    ck_assert(memory_load_image(&as, RAM_BASE + 0x800, data, sizeof(data)));
    ck_assert_int_eq(n_hook_calls, 2);
    ck_assert_uint_eq(hook_calls[0].paddr, RAM_BASE + 0x1000);
    ck_assert_uint_eq(hook_calls[0].size, 0x1000);
    ck_assert_uint_eq(hook_calls[1].paddr, RAM_BASE + 0x3000);
    ck_assert_uint_eq(hook_calls[1].size, 0x800);
    ck_assert_uint_eq(hook_calls[1].value_seen, 0x5a);
}
END_TEST

START_TEST(test_flagged_write_image_starting_in_flagged_page)
{
    memory_set_page_flag(ram, RAM_BASE, PAGE_HAS_CODE);
    uint8_t data[0x1800];
    memset(data, 1, sizeof(data));
    ck_assert(memory_load_image(&as, RAM_BASE + 0xf00, data, sizeof(data)));
    ck_assert_int_eq(n_hook_calls, 1);
    ck_assert_uint_eq(hook_calls[0].paddr, RAM_BASE + 0xf00);
    ck_assert_uint_eq(hook_calls[0].size, 0x100);
}
END_TEST

START_TEST(test_flagged_write_without_hook)
{
    as.flagged_write = NULL;
    memory_set_page_flag(ram, RAM_BASE, PAGE_HAS_CODE);
    ck_assert(memory_write(&as, RAM_BASE, 8, 3));
    ck_assert_uint_eq(read_ok(RAM_BASE, 8), 3);
}
END_TEST

/* The dirty log: the first store or DMA to a clean page marks it (and no
 * other hook hears of it), a sync hands the marks over and cleans the
 * pages again, stop forgets it all; code pages still reach the hook. */
START_TEST(test_dirty_log)
{
    uint64_t bitmap[RAM_SIZE / 4096 / 64] = {0};
    ck_assert(memory_dirty_log_start(ram));
    ck_assert(memory_write(&as, RAM_BASE + 0x1008, 8, 1));
    ck_assert(memory_write(&as, RAM_BASE + 0x1010, 8, 2)); /* already dirty */
    memory_dma_written(&as, RAM_BASE + 0x5ffc, 8);         /* pages 5 and 6 */
    ck_assert_int_eq(n_hook_calls, 0);
    ck_assert_uint_eq(memory_dirty_log_sync(ram, bitmap), 3);
    ck_assert_uint_eq(bitmap[0], (1u << 1) | (1u << 5) | (1u << 6));
    /* Clean again: the next store marks page 1 anew; 1 was already in the
     * bitmap, so it adds nothing. */
    ck_assert(memory_write(&as, RAM_BASE + 0x1000, 1, 3));
    ck_assert(memory_write(&as, RAM_BASE + 0x9000, 1, 3));
    ck_assert_uint_eq(memory_dirty_log_sync(ram, bitmap), 1);
    ck_assert_uint_eq(bitmap[0], (1u << 1) | (1u << 5) | (1u << 6) | (1u << 9));
    memory_set_page_flag(ram, RAM_BASE + 0x2000, PAGE_HAS_CODE);
    ck_assert(memory_write(&as, RAM_BASE + 0x2000, 4, 1));
    ck_assert_int_eq(n_hook_calls, 1);
    memory_dirty_log_stop(ram);
    ck_assert_ptr_null(ram->dirty);
    ck_assert_uint_eq(ram->page_flags[3] & PAGE_DIRTY_LOG, 0);
    ck_assert_uint_eq(ram->page_flags[2], PAGE_HAS_CODE);
}
END_TEST

START_TEST(test_destroy)
{
    memory_destroy(&as);
    ck_assert_int_eq(as.count, 0);
    ck_assert_ptr_null(memory_find(&as, RAM_BASE));
}
END_TEST

static Suite *memory_suite(void)
{
    Suite *s = suite_create("memory");
    TCase *regions = tcase_create("regions");
    tcase_add_checked_fixture(regions, setup, teardown);
    tcase_add_test(regions, test_find);
    tcase_add_test(regions, test_overlap_rejected);
    tcase_add_test(regions, test_invalid_ranges_rejected);
    tcase_add_test(regions, test_region_table_full);
    tcase_add_test(regions, test_failed_ram_allocation_leaves_map_unchanged);
    tcase_add_test(regions, test_destroy);
    suite_add_tcase(s, regions);

    TCase *access = tcase_create("access");
    tcase_add_checked_fixture(access, setup, teardown);
    tcase_add_test(access, test_ram_sizes_little_endian);
    tcase_add_test(access, test_ram_misaligned_and_edges);
    tcase_add_test(access, test_out_of_range);
    tcase_add_test(access, test_adjacent_regions_do_not_merge);
    tcase_add_test(access, test_rom);
    tcase_add_test(access, test_mmio_dispatch);
    tcase_add_test(access, test_mmio_size_limits);
    tcase_add_test(access, test_mmio_alignment);
    tcase_add_test(access, test_mmio_region_end);
    tcase_add_test(access, test_mmio_missing_op);
    tcase_add_test(access, test_host_ptr);
    suite_add_tcase(s, access);

    TCase *images = tcase_create("images");
    tcase_add_checked_fixture(images, setup, teardown);
    tcase_add_test(images, test_load_image);
    tcase_add_test(images, test_load_image_past_region_end);
    suite_add_tcase(s, images);

    TCase *flags = tcase_create("flagged_write");
    tcase_add_checked_fixture(flags, setup, teardown);
    tcase_add_test(flags, test_flagged_write_only_for_flagged_pages);
    tcase_add_test(flags, test_flagged_write_any_flag);
    tcase_add_test(flags, test_flagged_write_cleared_flag);
    tcase_add_test(flags, test_flagged_write_not_for_faulting_stores);
    tcase_add_test(flags, test_flagged_write_for_image_spanning_pages);
    tcase_add_test(flags, test_flagged_write_image_starting_in_flagged_page);
    tcase_add_test(flags, test_flagged_write_without_hook);
    tcase_add_test(flags, test_dirty_log);
    suite_add_tcase(s, flags);
    return s;
}

int main(void)
{
    return run_suite(memory_suite());
}
