/* virtio_hostile.c: a bare-metal guest that breaks the virtio rules on
 * purpose against the virtio-blk device in the highest slot: looping
 * chains, buffers outside RAM or in ROM, oversized and overflowing lengths,
 * wrapped indices, a queue in MMIO space. After each, the device must say
 * it needs a reset (NEEDS_RESET and a config interrupt), and after the reset
 * a good request must work again. Exits 0 through HTIF when all did.
 * The disk's first sector must start with DISK_MAGIC. */
#define GUEST_NAME "hostile"
#define QUEUE_SIZE 8
#define VIRTQ_MAX QUEUE_SIZE
#include "virtio_guest.h"

#define VIRTIO_BASE 0x10008000ul
#define MMIO_UART 0x10000000ul
#define ROM_ADDR 0x1000ul
#define DISK_MAGIC "EMBER-HOSTILE-DISK"
#define FLOOD_REPEATS 1000
/* Far longer than a read of the image on its thread takes. */
#define IO_TIMEOUT (10 * MTIME_HZ)

static struct virtq queue;
static struct {
    uint32_t type, reserved;
    uint64_t sector;
} header;
static uint8_t data[512];
static volatile uint8_t status_byte;

/* Reset and bring the device up with the descriptor table at desc_addr;
 * returns whether the queue became ready. */
static bool setup(uint64_t desc_addr)
{
    virtio_negotiate(VIRTIO_BASE, 0);
    virtq_clear(&queue, QUEUE_SIZE);
    bool ready = virtio_place_queue(VIRTIO_BASE, 0, QUEUE_SIZE, desc_addr, (uintptr_t)&queue.avail,
                                    (uintptr_t)&queue.used);
    virtio_driver_ok(VIRTIO_BASE);
    return ready;
}

static void set_desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    queue.desc[i] = (struct virtq_desc){addr, len, flags, next};
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
    virtq_offer(&queue, head, idx_step);
    virtio_notify(VIRTIO_BASE, 0);
}

static void good_request(void)
{
    if (!setup((uintptr_t)queue.desc))
        fail("queue not ready after reset");
    for (unsigned i = 0; i < sizeof(data); i++)
        data[i] = 0;
    status_byte = 0xff;
    good_chain();
    uint16_t before = virtq_used_idx(&queue);
    submit(0, 1);
    if (!virtq_wait_used(&queue, before, IO_TIMEOUT) || status_byte != 0)
        fail("a good request did not complete");
    const char *magic = DISK_MAGIC;
    for (unsigned i = 0; magic[i]; i++)
        if (data[i] != (uint8_t)magic[i])
            fail("a good request read the wrong data");
    if (!(*virtio_reg(VIRTIO_BASE, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_ISR_QUEUE))
        fail("no used-buffer interrupt");
    *virtio_reg(VIRTIO_BASE, VIRTIO_MMIO_INTERRUPT_ACK) = VIRTIO_ISR_QUEUE;
    expect_alive(VIRTIO_BASE, "a good request broke the device");
}

/* After the device reports the break, nothing more is processed until
 * the reset. */
static void expect_broken(const char *what)
{
    expect_needs_reset(VIRTIO_BASE, what);
    uint16_t before = virtq_used_idx(&queue);
    good_chain();
    submit(0, 1);
    if (virtq_used_idx(&queue) != before)
        fail("a broken device went on processing");
}

int main(void)
{
    virtio_expect(VIRTIO_BASE, 2, "no virtio-blk (v2) in the last slot");
    if (!virtio_slot_empty(VIRTIO_BASE - 0x1000))
        fail("the slot below is not empty");

    good_request();

    good_request();
    set_desc(0, (uintptr_t)&header, sizeof(header), VIRTQ_DESC_F_NEXT, 1);
    set_desc(1, (uintptr_t)data, sizeof(data), VIRTQ_DESC_F_NEXT, 0);
    submit(0, 1);
    expect_broken("looping chain");

    good_request();
    set_desc(0, 0x100000000000ull, sizeof(header), VIRTQ_DESC_F_NEXT, 1);
    submit(0, 1);
    expect_broken("buffer outside RAM");

    good_request();
    set_desc(1, 0x80000000ull, 0xffffffffu, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    submit(0, 1);
    expect_broken("buffer larger than RAM");

    good_request();
    set_desc(1, 0xfffffffffffffff0ull, 0x20, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    submit(0, 1);
    expect_broken("buffer wrapping around the address space");

    good_request();
    set_desc(1, ROM_ADDR, sizeof(data), VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    submit(0, 1);
    expect_broken("device-writable buffer in ROM");

    good_request();
    set_desc(1, MMIO_UART, sizeof(data), VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    submit(0, 1);
    expect_broken("buffer in MMIO space");

    good_request();
    submit(0, QUEUE_SIZE + 5);
    expect_broken("driver index wrapped past the queue");

    good_request();
    submit(200, 1);
    expect_broken("head outside the queue");

    good_request();
    set_desc(0, (uintptr_t)&header, sizeof(header), VIRTQ_DESC_F_NEXT, 50);
    submit(0, 1);
    expect_broken("next outside the queue");

    good_request();
    set_desc(0, (uintptr_t)queue.desc, 16 * 3, VIRTQ_DESC_F_INDIRECT, 0);
    submit(0, 1);
    expect_broken("indirect table not negotiated");

    good_request();
    set_desc(0, (uintptr_t)data, sizeof(data), VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
    set_desc(1, (uintptr_t)&header, sizeof(header), 0, 0);
    submit(0, 1);
    expect_broken("readable buffer after a writable one");

    good_request();
    set_desc(0, (uintptr_t)&header, sizeof(header), 0, 0);
    submit(0, 1);
    expect_broken("request without a status byte");

    if (setup(MMIO_UART))
        fail("a queue in MMIO space became ready");
    if (!virtio_broken(VIRTIO_BASE))
        fail("a queue in MMIO space did not break the device");
    say("queue in MMIO space: refused, device needs reset, as it should");

    if (setup((uintptr_t)queue.desc + 8))
        fail("a misaligned queue became ready");
    say("misaligned queue: refused, as it should");

    /* A driver that breaks the device in a loop: ember warns once and
     * counts the rest (the test checks stderr for the count). */
    for (int i = 0; i < FLOOD_REPEATS; i++) {
        good_request();
        submit(200, 1);
        if (!virtio_broken(VIRTIO_BASE))
            fail("a repeated bad head did not break the device");
    }
    say("the same error 1000 more times: device needs reset each time");

    good_request();
    say("all cases survived");
    return 0;
}
