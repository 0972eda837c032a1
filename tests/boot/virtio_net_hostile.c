/* virtio_net_hostile.c: a bare-metal guest that abuses virtio-net. Three
 * NICs: A (highest slot) and B on one hub, so what A sends B receives, and
 * C alone on another hub, where frames go nowhere. It sends empty, short
 * and oversized frames, makes chains that loop or point outside RAM, into
 * ROM or MMIO on both queues, offers receive buffers smaller than a header
 * or too small for a frame, and floods C with 100,000 frames while the
 * machine's timer must keep ticking and the device must drain a full queue
 * by itself. Bad chains must make the device ask for a reset (NEEDS_RESET
 * and a config interrupt), bad frames must be dropped, nothing good may be
 * lost, and a reset must make a device work again. Exits 0 through HTIF
 * when all did. */
#define GUEST_NAME "net-hostile"
#define QSIZE 256
#define VIRTQ_MAX QSIZE
#include "virtio_guest.h"

#define NIC_A 0x10008000ul
#define NIC_B 0x10007000ul
#define NIC_C 0x10006000ul
#define MMIO_UART 0x10000000ul
#define ROM_ADDR 0x1000ul
#define OUTSIDE_RAM 0x100000000000ull
#define CLINT_MTIMECMP 0x2004000ul
#define MIP_MTIP (1u << 7)
#define TICK 10000 /* 1 ms of the CLINT's 10 MHz */

#define HDR VIRTIO_NET_HDR_SIZE
#define RX_BUFS 16
#define RX_BUF_SIZE 2048
#define MAX_FRAME 65536
#define FLOOD_FRAMES 100000
#define REPEATS 1000

enum { RX = 0, TX = 1 };

struct nic {
    uintptr_t base;
    struct virtq q[2];
};

static struct nic nic_a = {.base = NIC_A}, nic_b = {.base = NIC_B}, nic_c = {.base = NIC_C};
static uint8_t frame[HDR + 2048];
static uint8_t big[HDR + MAX_FRAME + 1];
static uint8_t rx_buf[RX_BUFS][RX_BUF_SIZE];
static uint8_t rx_big[HDR + MAX_FRAME];

static uint8_t config8(const struct nic *n, unsigned offset)
{
    return *(volatile uint8_t *)(n->base + VIRTIO_MMIO_CONFIG + offset);
}

/* Reset and bring the NIC up with features (and VERSION_1); rx_used, when
 * not 0, puts the receive queue's used ring there. Returns whether both
 * queues became ready. */
static bool setup_at(struct nic *n, uint32_t features, uint64_t rx_used)
{
    if ((virtio_negotiate(n->base, features) & features) != features)
        fail("features not offered");
    bool ready = true;
    for (unsigned q = 0; q < 2; q++) {
        struct virtq *v = &n->q[q];
        virtq_clear(v, QSIZE);
        ready &= virtio_place_queue(n->base, q, QSIZE, (uintptr_t)v->desc, (uintptr_t)&v->avail,
                                    q == RX && rx_used ? rx_used : (uintptr_t)&v->used);
    }
    virtio_driver_ok(n->base);
    return ready;
}

static void setup(struct nic *n, uint32_t features)
{
    if (!setup_at(n, features, 0))
        fail("queues not ready after reset");
}

/* Makes one descriptor available in the next slot of queue q (as its own
 * chain, or pointing on with next), without a notify. */
static void post(struct nic *n, unsigned q, uint64_t addr, uint32_t len, uint16_t flags,
                 uint16_t next)
{
    struct virtq *v = &n->q[q];
    uint16_t slot = v->avail.idx % QSIZE;
    v->desc[slot] = (struct virtq_desc){addr, len, flags, next};
    virtq_offer(v, slot, 1);
}

/* A frame of len bytes whose byte i is tag + i, after a zero header. */
static void make_frame(uint8_t *buf, unsigned len, uint8_t tag)
{
    zero(buf, HDR);
    for (unsigned i = 0; i < len; i++)
        buf[HDR + i] = (uint8_t)(tag + i);
}

/* A sends a frame of len bytes from frame[]: it must be consumed. */
static void a_sends(unsigned len, uint8_t tag)
{
    make_frame(frame, len, tag);
    uint16_t before = virtq_used_idx(&nic_a.q[TX]);
    post(&nic_a, TX, (uintptr_t)frame, HDR + len, 0, 0);
    virtio_notify(nic_a.base, TX);
    if (virtq_used_idx(&nic_a.q[TX]) != (uint16_t)(before + 1))
        fail("A did not consume a frame B had room for");
}

/* B offers count receive buffers of len bytes. */
static void b_offers(unsigned count, uint32_t len)
{
    for (unsigned i = 0; i < count; i++) {
        uint16_t slot = nic_b.q[RX].avail.idx % RX_BUFS;
        post(&nic_b, RX, (uintptr_t)rx_buf[slot], len, VIRTQ_DESC_F_WRITE, 0);
    }
    virtio_notify(nic_b.base, RX);
}

/* The buffer of B's used entry e, and its length. */
static const uint8_t *b_received(uint16_t e, uint32_t *len)
{
    const struct virtq *q = &nic_b.q[RX];
    *len = q->used.ring[e % QSIZE].len;
    uint32_t id = q->used.ring[e % QSIZE].id;
    return rx_buf[id % RX_BUFS];
}

static void check_frame(const uint8_t *data, unsigned len, uint8_t tag, const char *what)
{
    for (unsigned i = 0; i < len; i++)
        if (data[i] != (uint8_t)(tag + i))
            fail(what);
}

static void identify(const struct nic *n, uint8_t last_mac_byte)
{
    virtio_expect(n->base, 1, "no virtio-net (v2) where expected");
    static const uint8_t mac[5] = {0x52, 0x54, 0x00, 0x12, 0x34};
    for (unsigned i = 0; i < 5; i++)
        if (config8(n, VIRTIO_NET_CONFIG_MAC + i) != mac[i])
            fail("wrong MAC address");
    if (config8(n, VIRTIO_NET_CONFIG_MAC + 5) != last_mac_byte)
        fail("wrong default MAC address for the NIC");
    if (!(config8(n, VIRTIO_NET_CONFIG_STATUS) & VIRTIO_NET_S_LINK_UP))
        fail("link not up");
}

static const uint32_t features = VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS;
static const uint32_t merged = VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS | VIRTIO_NET_F_MRG_RXBUF;

static void good_exchange(void)
{
    setup(&nic_a, features);
    setup(&nic_b, merged);
    b_offers(4, RX_BUF_SIZE);
    a_sends(100, 0x11);
    if (virtq_used_idx(&nic_b.q[RX]) != 1)
        fail("B did not receive A's frame");
    uint32_t len;
    const uint8_t *got = b_received(0, &len);
    if (len != HDR + 100 || got[VIRTIO_NET_HDR_NUM_BUFFERS] != 1)
        fail("B's frame has the wrong length or num_buffers");
    check_frame(got + HDR, 100, 0x11, "B received other data than A sent");
}

/* B without buffers holds A off: A's frames stay in its ring, none lost. */
static void hold_off(void)
{
    good_exchange(); /* B has 3 buffers left */
    for (unsigned i = 0; i < 10; i++) {
        make_frame(big + i * 128, 60, (uint8_t)(0x20 + i));
        post(&nic_a, TX, (uintptr_t)(big + i * 128), HDR + 60, 0, 0);
    }
    virtio_notify(nic_a.base, TX);
    if (virtq_used_idx(&nic_b.q[RX]) != 4 || virtq_used_idx(&nic_a.q[TX]) != 4)
        fail("A did not stop when B ran out of buffers");
    b_offers(7, RX_BUF_SIZE);
    if (virtq_used_idx(&nic_b.q[RX]) != 11 || virtq_used_idx(&nic_a.q[TX]) != 11)
        fail("A did not go on when B had buffers again");
    for (uint16_t e = 1; e < 11; e++) {
        uint32_t len;
        const uint8_t *got = b_received(e, &len);
        if (len != HDR + 60)
            fail("a held frame changed length");
        check_frame(got + HDR, 60, (uint8_t)(0x20 + e - 1), "held frames out of order");
    }
    say("B without buffers: A held off, then all 10 frames in order");
}

static void bad_transmits(void)
{
    good_exchange();
    b_offers(3, RX_BUF_SIZE);
    uint16_t b_before = virtq_used_idx(&nic_b.q[RX]);
    a_sends(0, 0); /* a header alone */
    post(&nic_a, TX, (uintptr_t)frame, 5, 0, 0);
    virtio_notify(nic_a.base, TX);
    make_frame(big, MAX_FRAME + 1, 0);
    post(&nic_a, TX, (uintptr_t)big, HDR + MAX_FRAME + 1, 0, 0);
    virtio_notify(nic_a.base, TX);
    if (virtq_used_idx(&nic_a.q[TX]) != 4 || virtq_used_idx(&nic_b.q[RX]) != b_before)
        fail("empty, short or oversized frames not consumed, or delivered");
    expect_alive(nic_a.base, "a dropped frame broke the device");
    say("empty, short and oversized frames: consumed and dropped");
    for (int i = 0; i < REPEATS; i++)
        a_sends(0, 0);
    expect_alive(nic_a.base, "repeated empty frames broke the device");
    say("the same empty frame 1000 more times: dropped each time");

    /* The largest frame goes whole, into one big buffer. */
    setup(&nic_b, merged);
    post(&nic_b, RX, (uintptr_t)rx_big, sizeof(rx_big), VIRTQ_DESC_F_WRITE, 0);
    virtio_notify(nic_b.base, RX);
    make_frame(big, MAX_FRAME, 0x33);
    post(&nic_a, TX, (uintptr_t)big, HDR + MAX_FRAME, 0, 0);
    virtio_notify(nic_a.base, TX);
    if (virtq_used_idx(&nic_b.q[RX]) != 1 || nic_b.q[RX].used.ring[0].len != HDR + MAX_FRAME)
        fail("a 64 KiB frame did not arrive whole");
    check_frame(rx_big + HDR, MAX_FRAME, 0x33, "a 64 KiB frame arrived changed");
    /* A frame whose data the driver keeps in ROM is legal. */
    b_offers(1, RX_BUF_SIZE);
    zero(frame, HDR);
    uint16_t head = nic_a.q[TX].avail.idx % QSIZE, data = (head + QSIZE / 2) % QSIZE;
    nic_a.q[TX].desc[data] = (struct virtq_desc){ROM_ADDR, 64, 0, 0};
    post(&nic_a, TX, (uintptr_t)frame, HDR, VIRTQ_DESC_F_NEXT, data);
    virtio_notify(nic_a.base, TX);
    uint32_t len;
    const uint8_t *got = b_received(1, &len);
    if (virtq_used_idx(&nic_b.q[RX]) != 2 || len != HDR + 64)
        fail("a frame from ROM did not arrive");
    for (unsigned i = 0; i < 64; i++)
        if (got[HDR + i] != ((volatile const uint8_t *)ROM_ADDR)[i])
            fail("a frame from ROM arrived changed");
    say("a 64 KiB frame and a frame read from ROM: delivered");

    static const struct {
        uint64_t addr;
        uint32_t len;
        uint16_t flags;
        const char *what;
    } bad[] = {
        {0, 64, VIRTQ_DESC_F_NEXT, "transmit chain that loops"},
        {OUTSIDE_RAM, 64, 0, "transmit buffer outside RAM"},
        {MMIO_UART, 64, 0, "transmit buffer in MMIO space"},
        {0x80000000ul, 0xffffffffu, 0, "transmit buffer larger than RAM"},
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        setup(&nic_a, features);
        setup(&nic_b, merged);
        b_offers(2, RX_BUF_SIZE);
        uint16_t slot = nic_a.q[TX].avail.idx % QSIZE;
        post(&nic_a, TX, bad[i].addr ? bad[i].addr : (uintptr_t)frame, bad[i].len, bad[i].flags,
             slot);
        virtio_notify(nic_a.base, TX);
        expect_needs_reset(nic_a.base, bad[i].what);
    }
}

static void bad_receives(void)
{
    static const struct {
        uint64_t addr;
        uint32_t len;
        uint16_t flags;
        const char *what;
    } bad[] = {
        {OUTSIDE_RAM, 2048, VIRTQ_DESC_F_WRITE, "receive buffer outside RAM"},
        {0, 2048, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, "receive chain that loops"},
        {ROM_ADDR, 2048, VIRTQ_DESC_F_WRITE, "receive buffer in ROM"},
        {MMIO_UART, 2048, VIRTQ_DESC_F_WRITE, "receive buffer in MMIO space"},
        {0, HDR - 4, VIRTQ_DESC_F_WRITE, "receive buffer smaller than a header"},
        {0, 2048, 0, "receive buffer the device may not write"},
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        setup(&nic_a, features);
        setup(&nic_b, merged);
        uint16_t slot = nic_b.q[RX].avail.idx % QSIZE;
        post(&nic_b, RX, bad[i].addr ? bad[i].addr : (uintptr_t)rx_buf[0], bad[i].len, bad[i].flags,
             slot);
        virtio_notify(nic_b.base, RX);
        a_sends(60, 0x44);
        expect_needs_reset(nic_b.base, bad[i].what);
        if (virtq_used_idx(&nic_b.q[RX]) != 0)
            fail("a broken receive queue was used");
    }
    if (setup_at(&nic_b, merged, ROM_ADDR))
        fail("a receive queue with its used ring in ROM became ready");
    if (!virtio_broken(nic_b.base))
        fail("a used ring in ROM did not break the device");
    say("receive used ring in ROM: refused, device needs reset, as it should");
}

/* One chain per frame without merged buffers: a frame too big for the
 * chain is dropped, the buffer stays for the next. Merged: a frame over
 * several buffers. */
static void buffer_sizes(void)
{
    setup(&nic_a, features);
    setup(&nic_b, features);
    b_offers(1, 64);
    a_sends(200, 0x55);
    if (virtq_used_idx(&nic_b.q[RX]) != 0)
        fail("a frame larger than the buffer was received");
    expect_alive(nic_b.base, "a frame too big for the buffer broke the device");
    a_sends(40, 0x56);
    uint32_t len;
    const uint8_t *got = b_received(0, &len);
    if (virtq_used_idx(&nic_b.q[RX]) != 1 || len != HDR + 40)
        fail("the buffer was not kept for the next frame");
    check_frame(got + HDR, 40, 0x56, "wrong data after a dropped frame");
    say("frame too big for a receive buffer: dropped, the buffer kept");

    setup(&nic_b, merged);
    b_offers(8, 64);
    a_sends(300, 0x66);
    if (virtq_used_idx(&nic_b.q[RX]) != 5)
        fail("300 bytes did not take five 64-byte buffers");
    got = b_received(0, &len);
    if (got[VIRTIO_NET_HDR_NUM_BUFFERS] != 5 || len != 64)
        fail("wrong num_buffers for a merged frame");
    unsigned at = 0;
    for (uint16_t e = 0; e < 5; e++) {
        got = b_received(e, &len);
        unsigned start = e == 0 ? HDR : 0;
        check_frame(got + start, len - start, (uint8_t)(0x66 + at), "merged frame data wrong");
        at += len - start;
    }
    if (at != 300)
        fail("merged frame length wrong");
    say("a frame over five merged receive buffers");
}

/* C floods: 100,000 frames, reposted as fast as they are consumed, while
 * the CLINT's timer must keep firing; then a full queue, notified once,
 * must drain by itself while the guest sleeps. */
static void flood(void)
{
    setup(&nic_c, features);
    make_frame(frame, 60, 0x77);
    struct virtq *q = &nic_c.q[TX];
    volatile uint64_t *mtimecmp = (volatile uint64_t *)CLINT_MTIMECMP;
    *mtimecmp = mtime() + TICK;
    __asm__ volatile("csrs mie, %0" ::"r"(MIP_MTIP));
    unsigned long posted = 0, ticks = 0;
    uint16_t done = 0;
    unsigned long completed = 0;
    while (completed < FLOOD_FRAMES) {
        uint16_t now = virtq_used_idx(q);
        completed += (uint16_t)(now - done);
        done = now;
        unsigned batch = 0;
        while (posted < FLOOD_FRAMES && posted - completed < QSIZE) {
            post(&nic_c, TX, (uintptr_t)frame, HDR + 60, 0, 0);
            posted++;
            batch++;
        }
        if (batch)
            virtio_notify(nic_c.base, TX);
        unsigned long mip;
        __asm__ volatile("csrr %0, mip" : "=r"(mip));
        if (mip & MIP_MTIP) {
            ticks++;
            *mtimecmp = mtime() + TICK;
        }
    }
    expect_alive(nic_c.base, "the flood broke the device");
    if (ticks < 10)
        fail("the timer stopped ticking during the flood");
    print("net-hostile: flood: 100000 frames sent, the timer fired ");
    print_dec(ticks);
    print(" times meanwhile\n");

    for (unsigned i = 0; i < QSIZE; i++)
        post(&nic_c, TX, (uintptr_t)frame, HDR + 60, 0, 0);
    virtio_notify(nic_c.base, TX);
    uint16_t target = (uint16_t)(done + QSIZE);
    unsigned wakes = 0;
    while (virtq_used_idx(q) != target) {
        if (++wakes > 5000)
            fail("a full transmit queue did not drain without notifies");
        *mtimecmp = mtime() + TICK;
        __asm__ volatile("wfi");
    }
    __asm__ volatile("csrc mie, %0" ::"r"(MIP_MTIP));
    say("a full queue notified once: drained while the guest slept");
}

int main(void)
{
    identify(&nic_a, 0x56);
    identify(&nic_b, 0x57);
    identify(&nic_c, 0x58);
    if (!virtio_slot_empty(NIC_C - 0x1000))
        fail("the slot below C is not empty");

    good_exchange();
    say("a frame from A to B");
    hold_off();
    bad_transmits();
    bad_receives();
    buffer_sizes();
    flood();

    good_exchange();
    say("all cases survived");
    return 0;
}
