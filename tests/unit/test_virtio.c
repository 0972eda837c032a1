/* tests/unit/test_virtio.c: unit tests for hw/virtio (transport, queue
 * walker, virtio-blk, virtio-rng) and block/raw.c, with a driver written
 * here that lays its rings out in guest RAM. Random descriptor tables check
 * that no driver data makes the walker touch memory it should not (run
 * under ASan). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block/block.h"
#include "hw/virtio/blk.h"
#include "hw/virtio/mmio.h"
#include "hw/virtio/rng.h"
#include "tests/unit/harness.h"
#include "tests/xorshift.h"
#include "util/le.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (4ull << 20)
#define ROM_BASE 0x1000ull
#define MMIO_BASE 0x10001000ull
#define QSIZE 16
/* Where the test driver keeps things in RAM. */
#define DESC_ADDR (RAM_BASE + 0x0000)
#define AVAIL_ADDR (RAM_BASE + 0x1000)
#define USED_ADDR (RAM_BASE + 0x2000)
#define INDIRECT_ADDR (RAM_BASE + 0x3000)
#define BUF_ADDR (RAM_BASE + 0x10000)

static AddressSpace as;
static VirtioMmio mmio;
static VirtioBlk *blk;
static VirtioRng *rng;
static BlockDevice *bd;
static char disk_path[64];
static bool irq_level;
static uint64_t invalidated_addr, invalidated_len;

static void set_irq(void *opaque, unsigned n, bool level)
{
    (void)opaque, (void)n;
    irq_level = level;
}

static void on_flagged_write(void *opaque, uint64_t paddr, unsigned size)
{
    (void)opaque;
    if (!invalidated_len)
        invalidated_addr = paddr;
    invalidated_len += size;
}

static uint8_t *ram(uint64_t addr)
{
    return memory_host_ptr(&as, addr, 1);
}

static uint32_t rd(unsigned offset)
{
    return (uint32_t)virtio_mmio_ops.read(&mmio, offset, 4);
}

static void wr(unsigned offset, uint32_t value)
{
    virtio_mmio_ops.write(&mmio, offset, value, 4);
}

static void setup_memory(void)
{
    memset(&as, 0, sizeof(as));
    ck_assert_ptr_nonnull(memory_add_ram(&as, "ram", RAM_BASE, RAM_SIZE));
    ck_assert_ptr_nonnull(memory_add_rom(&as, "rom", ROM_BASE, 0x1000));
    as.flagged_write = on_flagged_write;
    irq_level = false;
    invalidated_len = 0;
}

/* A 1 MiB disk whose sector n is filled with the byte n. */
static void setup_blk_ro(bool readonly)
{
    setup_memory();
    strcpy(disk_path, "/tmp/ember-test-virtio-XXXXXX");
    int fd = mkstemp(disk_path);
    ck_assert_int_ge(fd, 0);
    static uint8_t sector[512];
    for (int n = 0; n < 2048; n++) {
        memset(sector, n & 0xff, sizeof(sector));
        ck_assert_int_eq(write(fd, sector, sizeof(sector)), 512);
    }
    close(fd);
    char err[256];
    bd = block_open(disk_path, readonly, "raw", err, sizeof(err));
    ck_assert_msg(bd != NULL, "%s", err);
    blk = malloc(sizeof(*blk));
    ck_assert_msg(virtio_blk_init(blk, &as, bd, "serial-0", err, sizeof(err)), "%s", err);
    virtio_mmio_init(&mmio, &blk->vdev, (IrqLine){set_irq, NULL, 1});
}

static void setup_blk(void)
{
    setup_blk_ro(false);
}

static void setup_blk_ro_true(void)
{
    setup_blk_ro(true);
}

static void teardown_blk(void)
{
    virtio_blk_destroy(blk);
    block_close(bd);
    unlink(disk_path);
    free(blk);
    memory_destroy(&as);
}

static void setup_rng(void)
{
    setup_memory();
    rng = malloc(sizeof(*rng));
    virtio_rng_init(rng, &as);
    virtio_mmio_init(&mmio, &rng->vdev, (IrqLine){set_irq, NULL, 1});
}

static void teardown_rng(void)
{
    free(rng);
    memory_destroy(&as);
}

/* The driver side of device initialisation (virtio 1.1, 3.1.1). */
static bool driver_init(uint64_t features, uint64_t desc, uint64_t avail, uint64_t used)
{
    wr(VIRTIO_MMIO_STATUS, 0);
    memset(ram(AVAIL_ADDR), 0, 0x2000);
    wr(VIRTIO_MMIO_STATUS, 1 | 2);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
    wr(VIRTIO_MMIO_STATUS, 1 | 2 | 8);
    if (!(rd(VIRTIO_MMIO_STATUS) & 8))
        return false;
    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    wr(VIRTIO_MMIO_QUEUE_NUM, QSIZE);
    wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    wr(VIRTIO_MMIO_QUEUE_DESC_LOW + 4, (uint32_t)(desc >> 32));
    wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW + 4, (uint32_t)(avail >> 32));
    wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW + 4, (uint32_t)(used >> 32));
    wr(VIRTIO_MMIO_QUEUE_READY, 1);
    wr(VIRTIO_MMIO_STATUS, 1 | 2 | 8 | 4);
    return rd(VIRTIO_MMIO_QUEUE_READY) == 1;
}

static void driver_start(uint64_t features)
{
    ck_assert(driver_init(features | VIRTIO_F_VERSION_1, DESC_ADDR, AVAIL_ADDR, USED_ADDR));
}

static void set_desc_at(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                        uint16_t next)
{
    uint8_t *d = ram(table + 16ull * i);
    st_le64(d, addr);
    st_le32(d + 8, len);
    st_le16(d + 12, flags);
    st_le16(d + 14, next);
}

static void set_desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    set_desc_at(DESC_ADDR, i, addr, len, flags, next);
}

static uint16_t used_idx(void)
{
    return ld_le16(ram(USED_ADDR + 2));
}

static uint32_t used_len(uint16_t entry)
{
    return ld_le32(ram(USED_ADDR + 4 + 8ull * (entry % QSIZE) + 4));
}

static void submit(uint16_t head)
{
    uint16_t idx = ld_le16(ram(AVAIL_ADDR + 2));
    st_le16(ram(AVAIL_ADDR + 4 + 2 * (idx % QSIZE)), head);
    st_le16(ram(AVAIL_ADDR + 2), (uint16_t)(idx + 1));
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

static bool needs_reset(void)
{
    return (rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET) &&
           (rd(VIRTIO_MMIO_INTERRUPT_STATUS) & 2);
}

/* A blk request of the given type at sector with data_len bytes of data
 * (in or out); returns the status byte. */
static uint8_t blk_request(uint32_t type, uint64_t sector, uint32_t data_len, bool data_in)
{
    uint8_t *h = ram(BUF_ADDR);
    st_le32(h, type);
    st_le32(h + 4, 0);
    st_le64(h + 8, sector);
    *ram(BUF_ADDR + 0x100) = 0xee;
    set_desc(0, BUF_ADDR, 16, VIRTQ_DESC_F_NEXT, 1);
    if (data_len) {
        set_desc(1, BUF_ADDR + 0x1000, data_len,
                 VIRTQ_DESC_F_NEXT | (data_in ? VIRTQ_DESC_F_WRITE : 0), 2);
        set_desc(2, BUF_ADDR + 0x100, 1, VIRTQ_DESC_F_WRITE, 0);
    } else {
        set_desc(1, BUF_ADDR + 0x100, 1, VIRTQ_DESC_F_WRITE, 0);
    }
    uint16_t before = used_idx();
    submit(0);
    block_drain(bd); /* reads and writes complete on the image's thread */
    ck_assert_uint_eq(used_idx(), (uint16_t)(before + 1));
    return *ram(BUF_ADDR + 0x100);
}

START_TEST(test_transport_identity)
{
    ck_assert_uint_eq(rd(0x000), 0x74726976);
    ck_assert_uint_eq(rd(0x004), 2);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 256);
    wr(VIRTIO_MMIO_QUEUE_SEL, 1);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 0); /* only one queue */
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_FEATURES) & 1, 1); /* VERSION_1 */
    /* An empty slot: magic and version, device ID 0, writes ignored. */
    VirtioMmio empty;
    virtio_mmio_init(&empty, NULL, (IrqLine){0});
    ck_assert_uint_eq(virtio_mmio_ops.read(&empty, 0, 4), 0x74726976);
    ck_assert_uint_eq(virtio_mmio_ops.read(&empty, VIRTIO_MMIO_DEVICE_ID, 4), 0);
    virtio_mmio_ops.write(&empty, VIRTIO_MMIO_STATUS, 1, 4);
    ck_assert_uint_eq(virtio_mmio_ops.read(&empty, VIRTIO_MMIO_STATUS, 4), 0);
}
END_TEST

START_TEST(test_feature_negotiation)
{
    /* Without VERSION_1, or with features not offered, FEATURES_OK stays clear. */
    ck_assert(!driver_init(0, DESC_ADDR, AVAIL_ADDR, USED_ADDR));
    ck_assert(!driver_init(VIRTIO_F_VERSION_1 | (1ull << 40), DESC_ADDR, AVAIL_ADDR, USED_ADDR));
    ck_assert(driver_init(VIRTIO_F_VERSION_1, DESC_ADDR, AVAIL_ADDR, USED_ADDR));
    /* Reset returns everything to the start. */
    wr(VIRTIO_MMIO_STATUS, 0);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_STATUS), 0);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 0);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
}
END_TEST

START_TEST(test_config_space)
{
    ck_assert_uint_eq(virtio_mmio_ops.read(&mmio, VIRTIO_MMIO_CONFIG, 8), 2048); /* capacity */
    ck_assert_uint_eq(virtio_mmio_ops.read(&mmio, VIRTIO_MMIO_CONFIG, 4), 2048);
    ck_assert_uint_eq(virtio_mmio_ops.read(&mmio, VIRTIO_MMIO_CONFIG + 4, 4), 0);
    ck_assert_uint_eq(virtio_mmio_ops.read(&mmio, VIRTIO_MMIO_CONFIG + 20, 4), 512);  /* blk_size */
    ck_assert_uint_eq(virtio_mmio_ops.read(&mmio, VIRTIO_MMIO_CONFIG + 0x200, 4), 0); /* beyond */
    uint32_t gen = rd(VIRTIO_MMIO_CONFIG_GENERATION);
    virtio_config_changed(&blk->vdev);
    ck_assert_uint_ne(rd(VIRTIO_MMIO_CONFIG_GENERATION), gen);
}
END_TEST

START_TEST(test_queue_refused_outside_ram)
{
    ck_assert(!driver_init(VIRTIO_F_VERSION_1, MMIO_BASE, AVAIL_ADDR, USED_ADDR));
    ck_assert(needs_reset());
    ck_assert(irq_level);
    ck_assert(!driver_init(VIRTIO_F_VERSION_1, DESC_ADDR, AVAIL_ADDR, ROM_BASE)); /* used in ROM */
    ck_assert(!driver_init(VIRTIO_F_VERSION_1, DESC_ADDR, AVAIL_ADDR,
                           RAM_BASE + RAM_SIZE - 8)); /* straddles the end */
    ck_assert(!driver_init(VIRTIO_F_VERSION_1, DESC_ADDR + 4, AVAIL_ADDR, USED_ADDR));
    wr(VIRTIO_MMIO_STATUS, 0);
    wr(VIRTIO_MMIO_QUEUE_NUM, 12); /* not a power of 2 */
    wr(VIRTIO_MMIO_QUEUE_READY, 1);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 0);
    /* After a reset a good queue works. */
    driver_start(0);
    ck_assert_uint_eq(blk_request(0, 0, 512, true), 0);
}
END_TEST

START_TEST(test_blk_read_write)
{
    driver_start(0);
    ck_assert_uint_eq(blk_request(VIRTIO_BLK_T_IN, 7, 1024, true), 0);
    ck_assert_uint_eq(used_len((uint16_t)(used_idx() - 1)), 1025);
    ck_assert_uint_eq(*ram(BUF_ADDR + 0x1000), 7);
    ck_assert_uint_eq(*ram(BUF_ADDR + 0x1000 + 1023), 8);
    ck_assert(irq_level);
    wr(VIRTIO_MMIO_INTERRUPT_ACK, 1);
    ck_assert(!irq_level);

    memset(ram(BUF_ADDR + 0x1000), 0x5a, 512);
    ck_assert_uint_eq(blk_request(VIRTIO_BLK_T_OUT, 3, 512, false), 0);
    ck_assert_uint_eq(blk_request(VIRTIO_BLK_T_FLUSH, 0, 0, false), 0);
    uint8_t back[512];
    ck_assert_int_eq(block_read(bd, 3 * 512, back, 512), 0);
    for (int i = 0; i < 512; i++)
        ck_assert_uint_eq(back[i], 0x5a);

    /* Past the end, partial sectors and unknown types fail cleanly. */
    ck_assert_uint_eq(blk_request(0, 2047, 1024, true), 1);
    ck_assert_uint_eq(blk_request(0, UINT64_MAX / 256, 512, true), 1);
    ck_assert_uint_eq(blk_request(1, 0, 100, false), 1);
    ck_assert_uint_eq(blk_request(99, 0, 512, true), 2);
    ck_assert(!needs_reset());
}
END_TEST

START_TEST(test_image_refused_to_second_user)
{
    /* bd has the image open for writing: a second writer (or reader) is
     * refused with one clear message; two writers would corrupt it. */
    char err[256];
    BlockDevice *again = block_open(disk_path, false, "raw", err, sizeof(err));
    ck_assert_ptr_null(again);
    ck_assert_msg(strstr(err, "is given twice") != NULL, "%s", err);
    ck_assert_ptr_null(block_open(disk_path, true, "raw", err, sizeof(err)));
    ck_assert_ptr_null(block_open("/nonexistent/disk.img", false, "raw", err, sizeof(err)));
    ck_assert_msg(strstr(err, "cannot open") != NULL, "%s", err);
}
END_TEST

START_TEST(test_blk_image_shrinks)
{
    /* The image shrinks under ember: what lies past its new end reads as
     * zeros, as in QEMU, not as a crash or stale data. */
    driver_start(0);
    ck_assert_int_eq(truncate(disk_path, 512), 0);
    memset(ram(BUF_ADDR + 0x1000), 0xaa, 512);
    ck_assert_uint_eq(blk_request(VIRTIO_BLK_T_IN, 100, 512, true), VIRTIO_BLK_S_OK);
    ck_assert_uint_eq(*ram(BUF_ADDR + 0x1000), 0);
    ck_assert_uint_eq(*ram(BUF_ADDR + 0x1000 + 511), 0);
    ck_assert_uint_eq(blk_request(VIRTIO_BLK_T_IN, 0, 512, true), VIRTIO_BLK_S_OK);
    ck_assert(!needs_reset());
}
END_TEST

START_TEST(test_blk_get_id_discard_zeroes)
{
    driver_start(0);
    ck_assert_uint_eq(blk_request(VIRTIO_BLK_T_GET_ID, 0, 20, true), 0);
    ck_assert_str_eq((char *)ram(BUF_ADDR + 0x1000), "serial-0");

    uint8_t *range = ram(BUF_ADDR + 0x1000);
    st_le64(range, 10);
    st_le32(range + 8, 4);
    st_le32(range + 12, 0);
    ck_assert_uint_eq(blk_request(VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false), 0);
    uint8_t back[4 * 512];
    ck_assert_int_eq(block_read(bd, 10 * 512, back, sizeof(back)), 0);
    for (size_t i = 0; i < sizeof(back); i++)
        ck_assert_uint_eq(back[i], 0);
    ck_assert_int_eq(block_read(bd, 14 * 512, back, 1), 0);
    ck_assert_uint_eq(back[0], 14);

    st_le64(range, 20);
    ck_assert_uint_eq(blk_request(VIRTIO_BLK_T_DISCARD, 0, 16, false), 0);
    st_le32(range + 12, 1); /* DISCARD with the unmap flag is not allowed */
    ck_assert_uint_eq(blk_request(11, 0, 16, false), 2);
    st_le64(range, 2046); /* beyond the end */
    st_le32(range + 12, 0);
    ck_assert_uint_eq(blk_request(13, 0, 16, false), 1);
}
END_TEST

START_TEST(test_blk_readonly)
{
    driver_start(0);
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    ck_assert_uint_ne(rd(VIRTIO_MMIO_DEVICE_FEATURES) & (1u << 5), 0); /* VIRTIO_BLK_F_RO */
    memset(ram(BUF_ADDR + 0x1000), 0x11, 512);
    ck_assert_uint_eq(blk_request(1, 0, 512, false), 1);
    uint8_t back[1];
    ck_assert_int_eq(block_read(bd, 0, back, 1), 0);
    ck_assert_uint_eq(back[0], 0);
    ck_assert_uint_eq(blk_request(0, 1, 512, true), 0);
}
END_TEST

START_TEST(test_indirect_chain)
{
    driver_start(VIRTIO_F_INDIRECT_DESC);
    uint8_t *h = ram(BUF_ADDR);
    st_le32(h, 0);
    st_le64(h + 8, 5);
    /* Header split over two buffers, data in three, then status. */
    set_desc_at(INDIRECT_ADDR, 0, BUF_ADDR, 10, VIRTQ_DESC_F_NEXT, 1);
    set_desc_at(INDIRECT_ADDR, 1, BUF_ADDR + 10, 6, VIRTQ_DESC_F_NEXT, 2);
    set_desc_at(INDIRECT_ADDR, 2, BUF_ADDR + 0x1000, 100, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
                3);
    set_desc_at(INDIRECT_ADDR, 3, BUF_ADDR + 0x2000, 0, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
                4); /* empty */
    set_desc_at(INDIRECT_ADDR, 4, BUF_ADDR + 0x3000, 412, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
                5);
    set_desc_at(INDIRECT_ADDR, 5, BUF_ADDR + 0x100, 1, VIRTQ_DESC_F_WRITE, 0);
    set_desc(3, INDIRECT_ADDR, 6 * 16, VIRTQ_DESC_F_INDIRECT, 0);
    *ram(BUF_ADDR + 0x100) = 0xee;
    submit(3);
    block_drain(bd);
    ck_assert_uint_eq(used_idx(), 1);
    ck_assert_uint_eq(*ram(BUF_ADDR + 0x100), 0);
    ck_assert_uint_eq(*ram(BUF_ADDR + 0x1000 + 99), 5);
    ck_assert_uint_eq(*ram(BUF_ADDR + 0x3000 + 411), 5);
    ck_assert_uint_eq(ld_le32(ram(USED_ADDR + 4)), 3); /* the head's id */

    /* An indirect table inside an indirect table is refused. */
    set_desc_at(INDIRECT_ADDR, 0, INDIRECT_ADDR, 32, VIRTQ_DESC_F_INDIRECT, 0);
    submit(3);
    ck_assert(needs_reset());
}
END_TEST

START_TEST(test_loops_and_bad_chains)
{
    /* Each malformed chain breaks the device; reset makes it work again. */
    static const struct {
        uint64_t addr;
        uint32_t len;
        uint16_t flags, next;
    } bad[] = {
        {BUF_ADDR, 16, VIRTQ_DESC_F_NEXT, 0},          /* next is itself: a loop */
        {BUF_ADDR, 16, VIRTQ_DESC_F_NEXT, QSIZE},      /* next outside the table */
        {RAM_BASE + RAM_SIZE - 8, 16, 0, 0},           /* straddles the end of RAM */
        {UINT64_MAX - 7, 16, 0, 0},                    /* wraps around */
        {MMIO_BASE, 16, 0, 0},                         /* MMIO */
        {ROM_BASE, 16, VIRTQ_DESC_F_WRITE, 0},         /* writable ROM */
        {BUF_ADDR, 0xffffffff, 0, 0},                  /* larger than RAM */
        {INDIRECT_ADDR, 16, VIRTQ_DESC_F_INDIRECT, 0}, /* indirect not negotiated */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        driver_start(0);
        set_desc(0, bad[i].addr, bad[i].len, bad[i].flags, bad[i].next);
        submit(0);
        ck_assert_msg(needs_reset(), "bad chain %zu accepted", i);
        ck_assert_uint_eq(used_idx(), 0);
    }
    /* Wrapped driver index. */
    driver_start(0);
    st_le16(ram(AVAIL_ADDR + 2), QSIZE + 1);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    ck_assert(needs_reset());
    driver_start(0);
    ck_assert_uint_eq(blk_request(0, 0, 512, true), 0);
}
END_TEST

START_TEST(test_interrupt_suppression)
{
    driver_start(0);
    st_le16(ram(AVAIL_ADDR), 1); /* VIRTQ_AVAIL_F_NO_INTERRUPT */
    blk_request(0, 0, 512, true);
    ck_assert(!irq_level);

    driver_start(VIRTIO_F_EVENT_IDX);
    /* used_event = 2: the interrupt comes when used_idx passes 2. */
    st_le16(ram(AVAIL_ADDR + 4 + 2 * QSIZE), 2);
    blk_request(0, 0, 512, true); /* the first always interrupts */
    ck_assert(irq_level);
    wr(VIRTIO_MMIO_INTERRUPT_ACK, 1);
    blk_request(0, 0, 512, true); /* used_idx 2 */
    ck_assert(!irq_level);
    blk_request(0, 0, 512, true); /* used_idx 3: passed 2 */
    ck_assert(irq_level);
    /* The device asks for every notification (avail_event). */
    ck_assert_uint_eq(ld_le16(ram(USED_ADDR + 4 + 8 * QSIZE)), 3);
}
END_TEST

START_TEST(test_dma_invalidates_code)
{
    driver_start(0);
    MemoryRegion *r = memory_find(&as, RAM_BASE);
    memory_set_page_flag(r, BUF_ADDR + 0x1000, PAGE_HAS_CODE);
    invalidated_len = 0;
    blk_request(0, 0, 512, true);
    ck_assert_uint_eq(invalidated_addr, BUF_ADDR + 0x1000);
    ck_assert_uint_eq(invalidated_len, 512);
}
END_TEST

/* Five requests made available at once, each of header, one sector and
 * status: sector k + 10 read or written through buffer k. */
static void offer_five(uint32_t type)
{
    for (unsigned k = 0; k < 5; k++) {
        uint64_t header = BUF_ADDR + 0x400 + 0x20 * k, data = BUF_ADDR + 0x2000 + 0x200 * k;
        st_le32(ram(header), type);
        st_le32(ram(header + 4), 0);
        st_le64(ram(header + 8), 10 + k);
        *ram(BUF_ADDR + 0x600 + k) = 0xee;
        uint16_t in = type == VIRTIO_BLK_T_IN ? VIRTQ_DESC_F_WRITE : 0;
        set_desc(3 * k, header, 16, VIRTQ_DESC_F_NEXT, (uint16_t)(3 * k + 1));
        set_desc(3 * k + 1, data, 512, VIRTQ_DESC_F_NEXT | in, (uint16_t)(3 * k + 2));
        set_desc(3 * k + 2, BUF_ADDR + 0x600 + k, 1, VIRTQ_DESC_F_WRITE, 0);
        uint16_t idx = ld_le16(ram(AVAIL_ADDR + 2));
        st_le16(ram(AVAIL_ADDR + 4 + 2 * (idx % QSIZE)), (uint16_t)(3 * k));
        st_le16(ram(AVAIL_ADDR + 2), (uint16_t)(idx + 1));
    }
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

/* Requests in flight together all complete, each with its own data; a
 * reset waits for those in flight and answers none of them. */
START_TEST(test_blk_requests_in_flight)
{
    driver_start(0);
    offer_five(VIRTIO_BLK_T_IN);
    block_drain(bd);
    ck_assert_uint_eq(used_idx(), 5);
    for (unsigned k = 0; k < 5; k++) {
        ck_assert_uint_eq(*ram(BUF_ADDR + 0x600 + k), VIRTIO_BLK_S_OK);
        ck_assert_uint_eq(*ram(BUF_ADDR + 0x2000 + 0x200 * k + 511), 10 + k);
    }
    ck_assert(irq_level);

    driver_start(0);
    memset(ram(BUF_ADDR + 0x2000), 0xab, 5 * 512);
    st_le16(ram(USED_ADDR + 2), 0);
    offer_five(VIRTIO_BLK_T_OUT);
    wr(VIRTIO_MMIO_STATUS, 0);
    ck_assert_uint_eq(bd->in_flight, 0);
    ck_assert_uint_eq(used_idx(), 0);
    uint8_t back[512];
    ck_assert_int_eq(block_read(bd, 14 * 512, back, sizeof(back)), 0);
    ck_assert_uint_eq(back[0], 0xab);
}
END_TEST

/* Random descriptors and indices, many times: the device either completes
 * requests or needs a reset; ASan checks that nothing is touched outside
 * the rings and buffers, and the loop bound that nothing hangs. */
START_TEST(test_random_chains)
{
    uint64_t seed = 0x5eed;
    for (int round = 0; round < 3000; round++) {
        driver_start(xorshift64star(&seed) & 1 ? VIRTIO_F_INDIRECT_DESC : 0);
        unsigned tables = 1 + (unsigned)(xorshift64star(&seed) % 2);
        for (unsigned t = 0; t < tables; t++) {
            uint64_t table = t ? INDIRECT_ADDR : DESC_ADDR;
            for (unsigned i = 0; i < QSIZE; i++) {
                uint64_t r = xorshift64star(&seed);
                uint64_t addr = (r & 1)   ? BUF_ADDR + (r >> 8) % 0x8000
                                : (r & 2) ? xorshift64star(&seed)
                                          : RAM_BASE + RAM_SIZE - (r >> 8) % 64;
                uint32_t len =
                    (r & 4) ? (uint32_t)((r >> 20) % 2048) : (uint32_t)xorshift64star(&seed);
                uint16_t flags = (uint16_t)((r >> 40) & 7);
                if (flags & VIRTQ_DESC_F_INDIRECT && !(r & 8))
                    flags &= (uint16_t)~VIRTQ_DESC_F_INDIRECT;
                if (flags & VIRTQ_DESC_F_INDIRECT)
                    addr = INDIRECT_ADDR, len = 16 * (1 + (unsigned)((r >> 44) % QSIZE));
                set_desc_at(table, i, addr, len, flags, (uint16_t)((r >> 48) % (QSIZE + 2)));
            }
        }
        uint64_t r = xorshift64star(&seed);
        st_le16(ram(AVAIL_ADDR + 4), (uint16_t)(r % (QSIZE + 4)));
        st_le16(ram(AVAIL_ADDR + 2), (uint16_t)((r >> 16) % 3 == 0 ? (r >> 32) : 1));
        wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
        ck_assert(needs_reset() || used_idx() <= QSIZE);
    }
}
END_TEST

START_TEST(test_rng_fills_buffers)
{
    driver_start(0);
    memset(ram(BUF_ADDR), 0, 4096);
    set_desc(0, BUF_ADDR, 1000, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
    set_desc(1, BUF_ADDR + 2048, 24, VIRTQ_DESC_F_WRITE, 0);
    submit(0);
    ck_assert_uint_eq(used_idx(), 1);
    ck_assert_uint_eq(used_len(0), 1024);
    int nonzero = 0;
    for (int i = 0; i < 1000; i++)
        nonzero += *ram(BUF_ADDR + (uint64_t)i) != 0;
    ck_assert_int_gt(nonzero, 900);
    /* A device-readable buffer in an rng request is legal, just unused. */
    set_desc(0, BUF_ADDR, 16, 0, 0);
    submit(0);
    ck_assert_uint_eq(used_len(1), 0);
}
END_TEST

static Suite *virtio_suite(void)
{
    Suite *s = suite_create("virtio");
    TCase *tc = tcase_create("blk");
    tcase_add_checked_fixture(tc, setup_blk, teardown_blk);
    tcase_add_test(tc, test_transport_identity);
    tcase_add_test(tc, test_feature_negotiation);
    tcase_add_test(tc, test_config_space);
    tcase_add_test(tc, test_queue_refused_outside_ram);
    tcase_add_test(tc, test_blk_read_write);
    tcase_add_test(tc, test_blk_image_shrinks);
    tcase_add_test(tc, test_image_refused_to_second_user);
    tcase_add_test(tc, test_blk_get_id_discard_zeroes);
    tcase_add_test(tc, test_indirect_chain);
    tcase_add_test(tc, test_loops_and_bad_chains);
    tcase_add_test(tc, test_interrupt_suppression);
    tcase_add_test(tc, test_dma_invalidates_code);
    tcase_add_test(tc, test_blk_requests_in_flight);
    tcase_add_test(tc, test_random_chains);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    TCase *ro = tcase_create("blk-readonly");
    tcase_add_checked_fixture(ro, setup_blk_ro_true, teardown_blk);
    tcase_add_test(ro, test_blk_readonly);
    suite_add_tcase(s, ro);

    TCase *r = tcase_create("rng");
    tcase_add_checked_fixture(r, setup_rng, teardown_rng);
    tcase_add_test(r, test_rng_fills_buffers);
    suite_add_tcase(s, r);
    return s;
}

int main(void)
{
    return run_suite(virtio_suite());
}
