/* virtio_hostile.c: a bare-metal guest that breaks the virtio rules on
 * purpose against the virtio-blk device in the highest slot: looping
 * chains, buffers outside RAM or in ROM, oversized and overflowing lengths,
 * wrapped indices, a queue in MMIO space. After each, the device must say
 * it needs a reset (NEEDS_RESET and a config interrupt), and after the reset
 * a good request must work again. Exits 0 through HTIF when all did.
 * The disk's first sector must start with DISK_MAGIC. */
#include <stdbool.h>
#include <stdint.h>

#include "htif.h"
#include "hw/virtio/virtio_spec.h"

#define VIRTIO_BASE 0x10008000ul
#define MMIO_UART 0x10000000ul
#define ROM_ADDR 0x1000ul
#define QUEUE_SIZE 8
#define DISK_MAGIC "EMBER-HOSTILE-DISK"
#define FLOOD_REPEATS 1000

struct desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

static struct desc descs[QUEUE_SIZE] __attribute__((aligned(4096)));
static struct {
    uint16_t flags, idx, ring[QUEUE_SIZE], used_event;
} avail __attribute__((aligned(4096)));
static struct {
    uint16_t flags, idx;
    struct {
        uint32_t id, len;
    } ring[QUEUE_SIZE];
    uint16_t avail_event;
} used __attribute__((aligned(4096)));
static struct {
    uint32_t type, reserved;
    uint64_t sector;
} header;
static uint8_t data[512];
static volatile uint8_t status_byte;

static volatile uint32_t *reg(unsigned offset)
{
    return (volatile uint32_t *)(VIRTIO_BASE + offset);
}

static void print(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    htif_write(s, n);
}

static void fail(const char *what)
{
    print("hostile: FAILED: ");
    print(what);
    print("\n");
    htif_exit(1);
}

void guest_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval)
{
    (void)mcause, (void)mepc, (void)mtval;
    fail("unexpected trap");
}

static void set_addr(unsigned low, uint64_t addr)
{
    *reg(low) = (uint32_t)addr;
    *reg(low + 4) = (uint32_t)(addr >> 32);
}

/* Reset and bring the device up with the queue where the arguments say;
 * returns whether the queue became ready. */
static int setup(uint64_t desc_addr)
{
    *reg(VIRTIO_MMIO_STATUS) = 0;
    if (*reg(VIRTIO_MMIO_STATUS) != 0)
        fail("reset did not clear the status");
    for (unsigned i = 0; i < sizeof(avail) / 2; i++)
        ((volatile uint16_t *)&avail)[i] = 0;
    for (unsigned i = 0; i < sizeof(used) / 2; i++)
        ((volatile uint16_t *)&used)[i] = 0;
    *reg(VIRTIO_MMIO_STATUS) = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
    *reg(VIRTIO_MMIO_DEVICE_FEATURES_SEL) = 1;
    if (!(*reg(VIRTIO_MMIO_DEVICE_FEATURES) & 1))
        fail("no VIRTIO_F_VERSION_1");
    *reg(VIRTIO_MMIO_DRIVER_FEATURES_SEL) = 0;
    *reg(VIRTIO_MMIO_DRIVER_FEATURES) = 0; /* no indirect descriptors, no event index */
    *reg(VIRTIO_MMIO_DRIVER_FEATURES_SEL) = 1;
    *reg(VIRTIO_MMIO_DRIVER_FEATURES) = 1;
    *reg(VIRTIO_MMIO_STATUS) =
        VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK;
    if (!(*reg(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
        fail("FEATURES_OK refused");
    *reg(VIRTIO_MMIO_QUEUE_SEL) = 0;
    *reg(VIRTIO_MMIO_QUEUE_NUM) = QUEUE_SIZE;
    set_addr(VIRTIO_MMIO_QUEUE_DESC_LOW, desc_addr);
    set_addr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint64_t)(uintptr_t)&avail);
    set_addr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint64_t)(uintptr_t)&used);
    *reg(VIRTIO_MMIO_QUEUE_READY) = 1;
    *reg(VIRTIO_MMIO_STATUS) = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                               VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK;
    return *reg(VIRTIO_MMIO_QUEUE_READY) == 1;
}

static void set_desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    descs[i] = (struct desc){addr, len, flags, next};
}

/* A well-formed read of sector 0: header, data, status. */
static void good_chain(void)
{
    header.type = 0;
    header.sector = 0;
    set_desc(0, (uintptr_t)&header, sizeof(header), VIRTQ_DESC_F_NEXT, 1);
    set_desc(1, (uintptr_t)data, sizeof(data), VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    set_desc(2, (uintptr_t)&status_byte, 1, VIRTQ_DESC_F_WRITE, 0);
}

static void submit(uint16_t head, uint16_t idx_step)
{
    avail.ring[avail.idx % QUEUE_SIZE] = head;
    __asm__ volatile("fence" ::: "memory");
    avail.idx = (uint16_t)(avail.idx + idx_step);
    __asm__ volatile("fence" ::: "memory");
    *reg(VIRTIO_MMIO_QUEUE_NOTIFY) = 0;
}

/* Reads and writes complete on the image's thread: the used index moves
 * while the hart goes on. */
static bool wait_used(uint16_t idx)
{
    for (unsigned long spins = 0; spins < 100000000ul; spins++)
        if (*(volatile uint16_t *)&used.idx == idx)
            return true;
    return false;
}

static void good_request(void)
{
    if (!setup((uintptr_t)descs))
        fail("queue not ready after reset");
    for (unsigned i = 0; i < sizeof(data); i++)
        data[i] = 0;
    status_byte = 0xff;
    good_chain();
    uint16_t before = used.idx;
    submit(0, 1);
    if (!wait_used((uint16_t)(before + 1)) || status_byte != 0)
        fail("a good request did not complete");
    const char *magic = DISK_MAGIC;
    for (unsigned i = 0; magic[i]; i++)
        if (data[i] != (uint8_t)magic[i])
            fail("a good request read the wrong data");
    if (!(*reg(VIRTIO_MMIO_INTERRUPT_STATUS) & 1))
        fail("no used-buffer interrupt");
    *reg(VIRTIO_MMIO_INTERRUPT_ACK) = 1;
    if (*reg(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET)
        fail("a good request broke the device");
}

static void expect_needs_reset(const char *what)
{
    if (!(*reg(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET) ||
        !(*reg(VIRTIO_MMIO_INTERRUPT_STATUS) & 2))
        fail(what);
    /* Nothing more is processed until the reset. */
    uint16_t before = used.idx;
    good_chain();
    submit(0, 1);
    if (used.idx != before)
        fail("a broken device went on processing");
    print("hostile: ");
    print(what);
    print(": device needs reset, as it should\n");
}

int main(void)
{
    if (*reg(VIRTIO_MMIO_MAGIC) != VIRTIO_MMIO_MAGIC_VALUE ||
        *reg(VIRTIO_MMIO_VERSION) != VIRTIO_MMIO_VERSION_MODERN || *reg(VIRTIO_MMIO_DEVICE_ID) != 2)
        fail("no virtio-blk (v2) in the last slot");
    if (*(volatile uint32_t *)(VIRTIO_BASE - 0x1000 + VIRTIO_MMIO_DEVICE_ID) != 0)
        fail("the slot below is not empty");

    good_request();

    good_request();
    set_desc(0, (uintptr_t)&header, sizeof(header), VIRTQ_DESC_F_NEXT, 1);
    set_desc(1, (uintptr_t)data, sizeof(data), VIRTQ_DESC_F_NEXT, 0);
    submit(0, 1);
    expect_needs_reset("looping chain");

    good_request();
    set_desc(0, 0x100000000000ull, sizeof(header), VIRTQ_DESC_F_NEXT, 1);
    submit(0, 1);
    expect_needs_reset("buffer outside RAM");

    good_request();
    set_desc(1, 0x80000000ull, 0xffffffffu, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    submit(0, 1);
    expect_needs_reset("buffer larger than RAM");

    good_request();
    set_desc(1, 0xfffffffffffffff0ull, 0x20, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    submit(0, 1);
    expect_needs_reset("buffer wrapping around the address space");

    good_request();
    set_desc(1, ROM_ADDR, sizeof(data), VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    submit(0, 1);
    expect_needs_reset("device-writable buffer in ROM");

    good_request();
    set_desc(1, MMIO_UART, sizeof(data), VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    submit(0, 1);
    expect_needs_reset("buffer in MMIO space");

    good_request();
    submit(0, QUEUE_SIZE + 5);
    expect_needs_reset("driver index wrapped past the queue");

    good_request();
    submit(200, 1);
    expect_needs_reset("head outside the queue");

    good_request();
    set_desc(0, (uintptr_t)&header, sizeof(header), VIRTQ_DESC_F_NEXT, 50);
    submit(0, 1);
    expect_needs_reset("next outside the queue");

    good_request();
    set_desc(0, (uintptr_t)descs, 16 * 3, VIRTQ_DESC_F_INDIRECT, 0);
    submit(0, 1);
    expect_needs_reset("indirect table not negotiated");

    good_request();
    set_desc(0, (uintptr_t)data, sizeof(data), VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
    set_desc(1, (uintptr_t)&header, sizeof(header), 0, 0);
    submit(0, 1);
    expect_needs_reset("readable buffer after a writable one");

    good_request();
    set_desc(0, (uintptr_t)&header, sizeof(header), 0, 0);
    submit(0, 1);
    expect_needs_reset("request without a status byte");

    if (setup(MMIO_UART))
        fail("a queue in MMIO space became ready");
    if (!(*reg(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET))
        fail("a queue in MMIO space did not break the device");
    print("hostile: queue in MMIO space: refused, device needs reset, as it should\n");

    if (setup((uintptr_t)descs + 8))
        fail("a misaligned queue became ready");
    print("hostile: misaligned queue: refused, as it should\n");

    /* A driver that breaks the device in a loop: ember warns once and
     * counts the rest (the test checks stderr for the count). */
    for (int i = 0; i < FLOOD_REPEATS; i++) {
        good_request();
        submit(200, 1);
        if (!(*reg(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET))
            fail("a repeated bad head did not break the device");
    }
    print("hostile: the same error 1000 more times: device needs reset each time\n");

    good_request();
    print("hostile: all cases survived\n");
    return 0;
}
