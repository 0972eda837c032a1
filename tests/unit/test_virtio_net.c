/* tests/unit/test_virtio_net.c: unit tests for hw/virtio/net.c: a driver
 * written here drives the device through its virtio-mmio registers with
 * rings in guest RAM, and a fake backend on the other end of the link
 * records what the guest sends and says when it can take frames. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/virtio/mmio.h"
#include "hw/virtio/net.h"
#include "tests/unit/harness.h"
#include "util/le.h"
#include "util/log.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (4ull << 20)
#define MMIO_BASE 0x10001000ull
#define QSIZE 256
#define HDR 12
/* Rings: receive queue, then transmit queue. */
#define RX_DESC (RAM_BASE + 0x0000)
#define RX_AVAIL (RAM_BASE + 0x1000)
#define RX_USED (RAM_BASE + 0x2000)
#define TX_DESC (RAM_BASE + 0x4000)
#define TX_AVAIL (RAM_BASE + 0x5000)
#define TX_USED (RAM_BASE + 0x6000)
/* Buffers: one 2 KiB slot per descriptor; a big one for 64 KiB frames. */
#define RX_BUF (RAM_BASE + 0x80000)
#define TX_BUF (RAM_BASE + 0x100000)
#define BIG_BUF (RAM_BASE + 0x200000)
#define SLOT 2048

static AddressSpace as;
static TimerList timers;
static VirtioMmio mmio;
static Device *dev;
static VirtioNet *net;
static bool irq_level;

/* ---- The backend: takes frames while it has room, records them. ---- */

#define PEER_LOG 1024

typedef struct Peer {
    NetClient nc;
    unsigned room;
    unsigned got, ready_calls, link_calls;
    uint8_t tag[PEER_LOG]; /* first byte of each frame */
    size_t len[PEER_LOG];
} Peer;

static Peer peer;

static bool peer_receive(NetClient *nc, const uint8_t *buf, size_t len)
{
    Peer *p = nc->opaque;
    if (!p->room)
        return false;
    p->room--;
    if (p->got < PEER_LOG) {
        p->tag[p->got] = buf[0];
        p->len[p->got] = len;
    }
    p->got++;
    return true;
}

static bool peer_can_receive(NetClient *nc)
{
    return ((Peer *)nc->opaque)->room > 0;
}

static void peer_ready(NetClient *nc)
{
    ((Peer *)nc->opaque)->ready_calls++;
}

static void peer_link_changed(NetClient *nc)
{
    ((Peer *)nc->opaque)->link_calls++;
}

static const NetClientOps peer_ops = {
    .type = "user",
    .receive = peer_receive,
    .can_receive = peer_can_receive,
    .link_changed = peer_link_changed,
    .peer_ready = peer_ready,
};

static NetClient *test_netdev(void *board, const char *id, char *err, size_t errlen)
{
    (void)board;
    if (strcmp(id, "n0") != 0) {
        snprintf(err, errlen, "no -netdev with id=%s", id);
        return NULL;
    }
    return &peer.nc;
}

/* ---- The machine around the device ---- */

static void set_irq(void *opaque, unsigned n, bool level)
{
    (void)opaque, (void)n;
    irq_level = level;
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

/* A realized virtio-net-device with props, or NULL with the error in err. */
static Device *create(const char *props, char *err, size_t errlen)
{
    DeviceContext ctx = {.as = &as, .timers = &timers, .netdev = test_netdev};
    Device *d = device_create(&virtio_net_type, props, err, errlen);
    if (d && !device_realize(d, &ctx, err, errlen)) {
        device_destroy(d);
        d = NULL;
    }
    return d;
}

static void setup(void)
{
    memset(&as, 0, sizeof(as));
    ck_assert_ptr_nonnull(memory_add_ram(&as, "ram", RAM_BASE, RAM_SIZE));
    timers = (TimerList){0};
    irq_level = false;
    memset(&peer, 0, sizeof(peer));
    peer.room = 100000;
    net_client_init(&peer.nc, &peer_ops, "n0", &peer);
    char err[256];
    dev = create("netdev=n0", err, sizeof(err));
    ck_assert_msg(dev != NULL, "%s", err);
    net = dev->state;
    virtio_mmio_init(&mmio, &net->vdev, (IrqLine){set_irq, NULL, 1});
}

static void teardown(void)
{
    device_destroy(dev);
    net_client_cleanup(&peer.nc);
    memory_destroy(&as);
}

/* ---- The driver ---- */

static void queue_init(unsigned n, uint64_t desc, uint64_t avail, uint64_t used)
{
    wr(VIRTIO_MMIO_QUEUE_SEL, n);
    wr(VIRTIO_MMIO_QUEUE_NUM, QSIZE);
    wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    wr(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
    wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    wr(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
    wr(VIRTIO_MMIO_QUEUE_READY, 1);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 1);
}

/* Device initialisation (virtio 1.1, 3.1.1) with both queues, up to
 * DRIVER_OK. */
static void driver_ready_queues(uint32_t features)
{
    wr(VIRTIO_MMIO_STATUS, 0);
    memset(ram(RAM_BASE), 0, 0x8000);
    wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, features);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, 1); /* VERSION_1 */
    wr(VIRTIO_MMIO_STATUS,
       VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    ck_assert(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
    queue_init(0, RX_DESC, RX_AVAIL, RX_USED);
    queue_init(1, TX_DESC, TX_AVAIL, TX_USED);
}

static void driver_ok(void)
{
    wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                               VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

static void driver_start(uint32_t features)
{
    driver_ready_queues(features);
    driver_ok();
}

static void set_desc(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                     uint16_t next)
{
    uint8_t *d = ram(table + 16ull * i);
    st_le64(d, addr);
    st_le32(d + 8, len);
    st_le16(d + 12, flags);
    st_le16(d + 14, next);
}

/* Makes descriptor chain head available on the queue whose avail ring is
 * at avail, without a notify. */
static void make_available(uint64_t avail, uint16_t head)
{
    uint16_t idx = ld_le16(ram(avail + 2));
    st_le16(ram(avail + 4 + 2 * (idx % QSIZE)), head);
    st_le16(ram(avail + 2), (uint16_t)(idx + 1));
}

static uint16_t avail_idx(uint64_t avail)
{
    return ld_le16(ram(avail + 2));
}

static uint16_t used_idx(uint64_t used)
{
    return ld_le16(ram(used + 2));
}

static uint32_t used_id(uint64_t used, uint16_t entry)
{
    return ld_le32(ram(used + 4 + 8ull * (entry % QSIZE)));
}

static uint32_t used_len(uint64_t used, uint16_t entry)
{
    return ld_le32(ram(used + 4 + 8ull * (entry % QSIZE) + 4));
}

/* A receive buffer of len bytes in the next slot, without a notify. */
static void rx_post(uint32_t len)
{
    unsigned slot = avail_idx(RX_AVAIL) % QSIZE;
    set_desc(RX_DESC, slot, RX_BUF + (uint64_t)slot * SLOT, len, VIRTQ_DESC_F_WRITE, 0);
    make_available(RX_AVAIL, (uint16_t)slot);
}

static uint8_t *rx_buf(uint16_t used_entry)
{
    return ram(RX_BUF + (uint64_t)used_id(RX_USED, used_entry) * SLOT);
}

/* A frame of len bytes whose byte i is tag + i. */
static void fill_frame(uint8_t *buf, size_t len, uint8_t tag)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(tag + i);
}

/* Queues a transmit request (header and a frame of len bytes, tagged) in
 * the next slot, without a notify. */
static void tx_post(size_t len, uint8_t tag)
{
    unsigned slot = avail_idx(TX_AVAIL) % QSIZE;
    uint64_t buf = TX_BUF + (uint64_t)slot * SLOT;
    memset(ram(buf), 0, HDR);
    fill_frame(ram(buf + HDR), len, tag);
    set_desc(TX_DESC, slot, buf, (uint32_t)(HDR + len), 0, 0);
    make_available(TX_AVAIL, (uint16_t)slot);
}

static void notify(unsigned queue)
{
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, queue);
}

static bool needs_reset(void)
{
    return (rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET) &&
           (rd(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_ISR_CONFIG);
}

/* A frame from the backend to the guest. */
static void backend_sends(size_t len, uint8_t tag)
{
    static uint8_t frame[NET_MAX_FRAME];
    fill_frame(frame, len, tag);
    net_send(&peer.nc, frame, len);
}

/* Runs the machine's timers, as the main loop does between time slices,
 * until none is armed; returns how many passes fired one. */
static unsigned run_timers(void)
{
    unsigned passes = 0;
    while (timers.head) {
        passes += timers.head->deadline <= clock_virtual_ns();
        timer_list_run_due(&timers);
    }
    return passes;
}

/* stderr goes to a temporary file between these two; what ember printed
 * there comes back. */
static FILE *capture;
static int saved_stderr;

static void stderr_capture_start(void)
{
    fflush(stderr);
    capture = tmpfile();
    ck_assert_ptr_nonnull(capture);
    saved_stderr = dup(STDERR_FILENO);
    ck_assert_int_ge(dup2(fileno(capture), STDERR_FILENO), 0);
}

static void stderr_capture_stop(char *printed, size_t len)
{
    fflush(stderr);
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    rewind(capture);
    size_t n = fread(printed, 1, len - 1, capture);
    printed[n] = '\0';
    fclose(capture);
}

static unsigned count_lines(const char *text, const char *needle)
{
    unsigned n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* ---- Tests ---- */

START_TEST(test_identity_and_config)
{
    ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_NET);
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    uint32_t low = rd(VIRTIO_MMIO_DEVICE_FEATURES);
    ck_assert_uint_eq(low & (VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS | VIRTIO_NET_F_MRG_RXBUF),
                      VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS | VIRTIO_NET_F_MRG_RXBUF);
    ck_assert_uint_eq(low & 1, 0);          /* no VIRTIO_NET_F_CSUM */
    ck_assert_uint_eq(low & (1u << 17), 0); /* no VIRTIO_NET_F_CTRL_VQ */
    ck_assert_uint_eq(low & (1u << 22), 0); /* no VIRTIO_NET_F_MQ */
    ck_assert_uint_ne(low & (1u << 28), 0); /* indirect descriptors */
    ck_assert_uint_ne(low & (1u << 29), 0); /* event index */
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_FEATURES) & 1, 1); /* VERSION_1 */
    for (unsigned q = 0; q < 3; q++) {
        wr(VIRTIO_MMIO_QUEUE_SEL, q);
        ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), q < 2 ? QSIZE : 0);
    }
    static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    for (unsigned i = 0; i < 6; i++)
        ck_assert_uint_eq(virtio_mmio_ops.read(&mmio, VIRTIO_MMIO_CONFIG + i, 1), mac[i]);
    ck_assert_uint_eq(virtio_mmio_ops.read(&mmio, VIRTIO_MMIO_CONFIG + 6, 2), VIRTIO_NET_S_LINK_UP);
    ck_assert_uint_eq(net->vdev.config_size, 8);
    /* The NIC, as info network shows it, joined to its netdev. */
    ck_assert_str_eq(net->nic.id, "virtio-net-device.0");
    ck_assert_ptr_eq(net->nic.peer, &peer.nc);
    ck_assert_ptr_eq(net_client_find("virtio-net-device.0"), &net->nic);
    char text[128];
    net->nic.ops->describe(&net->nic, text, sizeof(text));
    ck_assert_str_eq(text, "index=0,type=nic,model=virtio-net-device,macaddr=52:54:00:12:34:56");
}
END_TEST

START_TEST(test_transmit)
{
    driver_start(0);
    tx_post(60, 0x10);
    notify(1);
    ck_assert_uint_eq(peer.got, 1);
    ck_assert_uint_eq(peer.len[0], 60);
    ck_assert_uint_eq(peer.tag[0], 0x10);
    ck_assert_uint_eq(used_idx(TX_USED), 1);
    ck_assert_uint_eq(used_len(TX_USED, 0), 0);
    ck_assert(irq_level);
    /* Header and frame in separate buffers, as Linux may chain them. */
    wr(VIRTIO_MMIO_INTERRUPT_ACK, 1);
    memset(ram(TX_BUF), 0, HDR);
    fill_frame(ram(TX_BUF + 0x100), 1000, 0x20);
    set_desc(TX_DESC, 5, TX_BUF, HDR, VIRTQ_DESC_F_NEXT, 6);
    set_desc(TX_DESC, 6, TX_BUF + 0x100, 1000, 0, 0);
    make_available(TX_AVAIL, 5);
    notify(1);
    ck_assert_uint_eq(peer.got, 2);
    ck_assert_uint_eq(peer.len[1], 1000);
    ck_assert_uint_eq(peer.tag[1], 0x20);
    ck_assert_uint_eq(used_id(TX_USED, 1), 5);
    ck_assert(!needs_reset());
}
END_TEST

/* What the driver queued before DRIVER_OK goes when it is set, both ways. */
START_TEST(test_driver_ok_starts_queues)
{
    backend_sends(70, 0x18);
    driver_ready_queues(0);
    tx_post(60, 0x19);
    notify(1);
    rx_post(SLOT);
    notify(0);
    ck_assert_uint_eq(peer.got, 0);
    ck_assert_uint_eq(used_idx(RX_USED), 0);
    driver_ok();
    ck_assert_uint_eq(peer.got, 1);
    ck_assert_uint_eq(peer.tag[0], 0x19);
    ck_assert_uint_eq(used_idx(RX_USED), 1);
    ck_assert_uint_eq(rx_buf(0)[HDR], 0x18);
}
END_TEST

START_TEST(test_receive_one_buffer)
{
    driver_start(0);
    rx_post(SLOT);
    notify(0);
    memset(rx_buf(0), 0xee, HDR); /* slot 0: where the header goes */
    backend_sends(100, 0x30);
    ck_assert_uint_eq(used_idx(RX_USED), 1);
    ck_assert_uint_eq(used_len(RX_USED, 0), HDR + 100);
    uint8_t *b = rx_buf(0);
    for (unsigned i = 0; i < HDR - 2; i++)
        ck_assert_uint_eq(b[i], 0); /* no offload flags, GSO_NONE */
    ck_assert_uint_eq(ld_le16(b + VIRTIO_NET_HDR_NUM_BUFFERS), 1);
    ck_assert_uint_eq(b[HDR], 0x30);
    ck_assert_uint_eq(b[HDR + 99], (uint8_t)(0x30 + 99));
    ck_assert(irq_level);
}
END_TEST

START_TEST(test_receive_merged_buffers)
{
    driver_start(VIRTIO_NET_F_MRG_RXBUF);
    for (int i = 0; i < 8; i++)
        rx_post(64);
    notify(0);
    /* 12 + 300 bytes over 64-byte buffers: five of them. */
    backend_sends(300, 0x40);
    ck_assert_uint_eq(used_idx(RX_USED), 5);
    ck_assert_uint_eq(ld_le16(rx_buf(0) + VIRTIO_NET_HDR_NUM_BUFFERS), 5);
    size_t at = 0;
    for (uint16_t e = 0; e < 5; e++) {
        uint32_t len = used_len(RX_USED, e);
        ck_assert_uint_eq(len, e < 4 ? 64 : HDR + 300 - 4 * 64);
        uint32_t start = e == 0 ? HDR : 0;
        for (uint32_t i = start; i < len; i++, at++)
            ck_assert_uint_eq(rx_buf(e)[i], (uint8_t)(0x40 + at));
    }
    ck_assert_uint_eq(at, 300);
    /* The next frame starts in the sixth buffer. */
    backend_sends(20, 0x50);
    ck_assert_uint_eq(used_idx(RX_USED), 6);
    ck_assert_uint_eq(used_id(RX_USED, 5), 5);
    ck_assert_uint_eq(ld_le16(rx_buf(5) + VIRTIO_NET_HDR_NUM_BUFFERS), 1);
    ck_assert_uint_eq(rx_buf(5)[HDR], 0x50);
}
END_TEST

START_TEST(test_no_buffers_holds_frames)
{
    driver_start(0);
    /* No receive buffers: frames wait in order, the backend holds off. */
    ck_assert(!net_peer_can_receive(&peer.nc));
    unsigned ready_calls = peer.ready_calls;
    backend_sends(60, 1);
    backend_sends(61, 2);
    backend_sends(62, 3);
    ck_assert_uint_eq(used_idx(RX_USED), 0);
    ck_assert_uint_eq(net->nic.queued, 3);
    ck_assert(!net_peer_can_receive(&peer.nc));
    /* Two buffers: two frames come; still holding off. */
    rx_post(SLOT);
    rx_post(SLOT);
    notify(0);
    ck_assert_uint_eq(used_idx(RX_USED), 2);
    ck_assert_uint_eq(rx_buf(0)[HDR], 1);
    ck_assert_uint_eq(rx_buf(1)[HDR], 2);
    ck_assert_uint_eq(peer.ready_calls, ready_calls);
    ck_assert(!net_peer_can_receive(&peer.nc));
    /* The third, then the backend is told to go on. */
    rx_post(SLOT);
    rx_post(SLOT);
    notify(0);
    ck_assert_uint_eq(used_idx(RX_USED), 3);
    ck_assert_uint_eq(used_len(RX_USED, 2), HDR + 62);
    ck_assert_uint_eq(rx_buf(2)[HDR], 3);
    ck_assert_uint_eq(peer.ready_calls, ready_calls + 1);
    ck_assert(net_peer_can_receive(&peer.nc));
}
END_TEST

START_TEST(test_merged_frame_waits_for_enough_buffers)
{
    driver_start(VIRTIO_NET_F_MRG_RXBUF);
    rx_post(100);
    rx_post(100);
    notify(0);
    /* 12 + 400 bytes need five 100-byte buffers: none is used yet. */
    backend_sends(400, 0x60);
    ck_assert_uint_eq(used_idx(RX_USED), 0);
    ck_assert_uint_eq(net->nic.queued, 1);
    ck_assert(!needs_reset());
    for (int i = 0; i < 3; i++)
        rx_post(100);
    notify(0);
    ck_assert_uint_eq(used_idx(RX_USED), 5);
    ck_assert_uint_eq(used_id(RX_USED, 0), 0);
    ck_assert_uint_eq(ld_le16(rx_buf(0) + VIRTIO_NET_HDR_NUM_BUFFERS), 5);
    ck_assert_uint_eq(rx_buf(0)[HDR], 0x60);
    ck_assert_uint_eq(net->nic.queued, 0);
}
END_TEST

START_TEST(test_receive_frame_too_big)
{
    char printed[4096];
    driver_start(0);
    /* One chain per frame: a chain too small drops the frame and stays. */
    rx_post(64);
    notify(0);
    stderr_capture_start();
    backend_sends(200, 0x70);
    backend_sends(300, 0x71);
    stderr_capture_stop(printed, sizeof(printed));
    ck_assert_uint_eq(used_idx(RX_USED), 0);
    ck_assert_uint_eq(net->nic.queued, 0);
    ck_assert_uint_eq(count_lines(printed, "does not fit"), 1);
    backend_sends(40, 0x72);
    ck_assert_uint_eq(used_idx(RX_USED), 1);
    ck_assert_uint_eq(rx_buf(0)[HDR], 0x72);

    /* Merged: more than a full queue of buffers holds. */
    driver_start(VIRTIO_NET_F_MRG_RXBUF);
    for (int i = 0; i < QSIZE; i++)
        rx_post(16);
    notify(0);
    backend_sends(QSIZE * 16, 0x73);
    ck_assert_uint_eq(used_idx(RX_USED), 0);
    ck_assert_uint_eq(net->nic.queued, 0);
    backend_sends(30, 0x74);
    ck_assert_uint_eq(used_idx(RX_USED), 3);
    ck_assert_uint_eq(ld_le16(rx_buf(0) + VIRTIO_NET_HDR_NUM_BUFFERS), 3);
    ck_assert(!needs_reset());
}
END_TEST

START_TEST(test_link_down_and_up)
{
    driver_start(0);
    rx_post(SLOT);
    notify(0);
    wr(VIRTIO_MMIO_INTERRUPT_ACK, 3);
    uint32_t generation = rd(VIRTIO_MMIO_CONFIG_GENERATION);
    net_set_link(&net->nic, false);
    ck_assert_uint_eq(virtio_mmio_ops.read(&mmio, VIRTIO_MMIO_CONFIG + 6, 2), 0);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_ISR_CONFIG);
    ck_assert(irq_level);
    ck_assert_uint_ne(rd(VIRTIO_MMIO_CONFIG_GENERATION), generation);
    ck_assert(!needs_reset());
    /* Down: nothing comes in, what goes out is consumed and lost. */
    backend_sends(60, 1);
    ck_assert_uint_eq(used_idx(RX_USED), 0);
    ck_assert_uint_eq(net->nic.queued, 0);
    tx_post(60, 2);
    notify(1);
    ck_assert_uint_eq(used_idx(TX_USED), 1);
    ck_assert_uint_eq(peer.got, 0);
    /* Up again, from the netdev's side (a NIC peer follows, QEMU's rule). */
    wr(VIRTIO_MMIO_INTERRUPT_ACK, 3);
    net_set_link(&peer.nc, true);
    ck_assert_uint_eq(virtio_mmio_ops.read(&mmio, VIRTIO_MMIO_CONFIG + 6, 2), VIRTIO_NET_S_LINK_UP);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_ISR_CONFIG);
    ck_assert_uint_eq(peer.link_calls, 2);
    backend_sends(60, 3);
    ck_assert_uint_eq(used_idx(RX_USED), 1);
    ck_assert_uint_eq(rx_buf(0)[HDR], 3);
    /* No change, no interrupt. */
    wr(VIRTIO_MMIO_INTERRUPT_ACK, 3);
    net_set_link(&net->nic, true);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
}
END_TEST

START_TEST(test_mac_and_names)
{
    char err[256];
    /* Defaults count up from 52:54:00:12:34:56, skipping given ones. */
    Device *given = create("mac=52:54:00:12:34:57,id=lan", err, sizeof(err));
    ck_assert_msg(given != NULL, "%s", err);
    Device *next = create(NULL, err, sizeof(err));
    ck_assert_msg(next != NULL, "%s", err);
    Device *dashes = create("mac=02-00-00-AB-cd-ef", err, sizeof(err));
    ck_assert_msg(dashes != NULL, "%s", err);
    static const uint8_t mac57[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x57};
    static const uint8_t mac58[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x58};
    static const uint8_t local[6] = {0x02, 0x00, 0x00, 0xab, 0xcd, 0xef};
    ck_assert_mem_eq(((VirtioNet *)given->state)->mac, mac57, 6);
    ck_assert_mem_eq(((VirtioNet *)next->state)->vdev.config, mac58, 6);
    ck_assert_mem_eq(((VirtioNet *)dashes->state)->mac, local, 6);
    /* Names: the id, else the model and a count of its NICs. */
    ck_assert_str_eq(((VirtioNet *)given->state)->nic.id, "lan");
    ck_assert_str_eq(((VirtioNet *)next->state)->nic.id, "virtio-net-device.2");
    ck_assert_ptr_null(((VirtioNet *)next->state)->nic.peer);
    /* A removed NIC's address is free again. */
    device_destroy(next);
    Device *again = create(NULL, err, sizeof(err));
    ck_assert_mem_eq(((VirtioNet *)again->state)->mac, mac58, 6);

    static const char *const bad[] = {
        "mac=52:54:00:12:34",
        "mac=52:54:00:12:34:5g",
        "mac=52:54:00:12:34:567",
        "mac=52:54:00:12:34:56:",
        "mac=",
        "mac=52;54;00;12;34;56",
        "mac=5:54:00:12:34:56",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!create(bad[i], err, sizeof(err)), "%s accepted", bad[i]);
        ck_assert_msg(strstr(err, "Property 'virtio-net-device.mac' doesn't take value"), "%s",
                      err);
    }
    ck_assert(!create("mac=01:00:5e:00:00:01", err, sizeof(err)));
    ck_assert_str_eq(err, "NIC cannot have multicast MAC address (odd 1st byte)");
    ck_assert(!create("netdev=n0", err, sizeof(err)));
    ck_assert_str_eq(err, "netdev 'n0' is already in use");
    ck_assert(!create("netdev=zz", err, sizeof(err)));
    ck_assert_str_eq(err, "no -netdev with id=zz");
    device_destroy(given);
    device_destroy(dashes);
    device_destroy(again);
}
END_TEST

START_TEST(test_transmit_bad_frames_dropped)
{
    char printed[4096];
    driver_start(0);
    stderr_capture_start();
    for (int round = 0; round < 3; round++) {
        tx_post(0, 0); /* a header alone */
        set_desc(TX_DESC, avail_idx(TX_AVAIL) % QSIZE, TX_BUF, 5, 0, 0);
        make_available(TX_AVAIL, avail_idx(TX_AVAIL) % QSIZE); /* shorter than a header */
        /* 64 KiB and one byte. */
        set_desc(TX_DESC, avail_idx(TX_AVAIL) % QSIZE, BIG_BUF, HDR + NET_MAX_FRAME + 1, 0, 0);
        make_available(TX_AVAIL, avail_idx(TX_AVAIL) % QSIZE);
        notify(1);
    }
    /* The largest frame goes. */
    memset(ram(BIG_BUF), 0, HDR);
    fill_frame(ram(BIG_BUF + HDR), NET_MAX_FRAME, 0x80);
    set_desc(TX_DESC, avail_idx(TX_AVAIL) % QSIZE, BIG_BUF, HDR + NET_MAX_FRAME, 0, 0);
    make_available(TX_AVAIL, avail_idx(TX_AVAIL) % QSIZE);
    notify(1);
    stderr_capture_stop(printed, sizeof(printed));
    ck_assert_uint_eq(used_idx(TX_USED), 10);
    ck_assert_uint_eq(peer.got, 1);
    ck_assert_uint_eq(peer.len[0], NET_MAX_FRAME);
    ck_assert_uint_eq(peer.tag[0], 0x80);
    /* One warning for each cause, however often. */
    ck_assert_uint_eq(count_lines(printed, "has no frame after its header"), 1);
    ck_assert_uint_eq(count_lines(printed, "is larger than 65536"), 1);
    ck_assert_uint_eq(count_lines(printed, "warning:"), 2);
    ck_assert(!needs_reset());
}
END_TEST

START_TEST(test_transmit_flood_spread_over_turns)
{
    driver_start(0);
    for (int i = 0; i < 200; i++)
        tx_post(60, (uint8_t)i);
    notify(1);
    /* One burst now, the rest from the timer, a burst a turn. */
    ck_assert_uint_gt(peer.got, 0);
    ck_assert_uint_lt(peer.got, 200);
    ck_assert_ptr_nonnull(timers.head);
    unsigned first = peer.got;
    /* A notify while the rest is due changes nothing. */
    notify(1);
    ck_assert_uint_eq(peer.got, first);
    ck_assert_uint_ge(run_timers(), 2);
    ck_assert_uint_eq(peer.got, 200);
    for (unsigned i = 0; i < 200; i++)
        ck_assert_uint_eq(peer.tag[i], (uint8_t)i);
    ck_assert_uint_eq(used_idx(TX_USED), 200);
    ck_assert_ptr_null(timers.head);
}
END_TEST

START_TEST(test_transmit_waits_for_peer)
{
    driver_start(0);
    peer.room = 5;
    for (int i = 0; i < 20; i++)
        tx_post(60, (uint8_t)i);
    notify(1);
    /* The peer took five: the rest stay in the ring, none in net/'s queue. */
    ck_assert_uint_eq(peer.got, 5);
    ck_assert_uint_eq(used_idx(TX_USED), 5);
    ck_assert_uint_eq(peer.nc.queued, 0);
    ck_assert_ptr_null(timers.head);
    peer.room = 1000;
    net_receiver_ready(&peer.nc);
    run_timers();
    ck_assert_uint_eq(peer.got, 20);
    ck_assert_uint_eq(peer.tag[19], 19);
    ck_assert_uint_eq(used_idx(TX_USED), 20);
}
END_TEST

START_TEST(test_reset)
{
    driver_start(0);
    for (int i = 0; i < 200; i++)
        tx_post(60, (uint8_t)i);
    notify(1);
    ck_assert_ptr_nonnull(timers.head);
    unsigned sent = peer.got;
    wr(VIRTIO_MMIO_STATUS, 0);
    /* The burst that was due is forgotten with the queues. */
    ck_assert_ptr_null(timers.head);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_STATUS), 0);
    wr(VIRTIO_MMIO_QUEUE_SEL, 1);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 0);
    run_timers();
    ck_assert_uint_eq(peer.got, sent);
    /* Still joined to the netdev; frames for a reset device wait. */
    ck_assert_ptr_eq(net->nic.peer, &peer.nc);
    backend_sends(60, 0x90);
    ck_assert_uint_eq(net->nic.queued, 1);
    driver_start(0);
    tx_post(60, 0x91);
    notify(1);
    ck_assert_uint_eq(peer.got, sent + 1);
    ck_assert_uint_eq(peer.tag[sent], 0x91);
    rx_post(SLOT);
    notify(0);
    ck_assert_uint_eq(used_idx(RX_USED), 1);
    ck_assert_uint_eq(rx_buf(0)[HDR], 0x90);
}
END_TEST

START_TEST(test_bad_chains_need_reset)
{
    char printed[8192];
    stderr_capture_start();
    /* Receive: a buffer outside RAM, one smaller than a header, one in
     * a loop; each breaks the device when a frame comes for it. */
    static const struct {
        uint64_t addr;
        uint32_t len;
        uint16_t flags;
    } bad_rx[] = {
        {MMIO_BASE, 64, VIRTQ_DESC_F_WRITE},
        {RX_BUF, 8, VIRTQ_DESC_F_WRITE},
        {RX_BUF, 64, 0}, /* device-readable: no room at all */
        {RX_BUF, 64, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT},
    };
    for (size_t i = 0; i < sizeof(bad_rx) / sizeof(bad_rx[0]); i++) {
        driver_start(0);
        set_desc(RX_DESC, 0, bad_rx[i].addr, bad_rx[i].len, bad_rx[i].flags, 0);
        make_available(RX_AVAIL, 0);
        notify(0);
        backend_sends(60, 1);
        ck_assert_msg(needs_reset(), "bad receive chain %zu accepted", i);
        ck_assert_uint_eq(used_idx(RX_USED), 0);
    }
    /* Transmit: a loop, a buffer outside RAM. */
    driver_start(0);
    set_desc(TX_DESC, 0, TX_BUF, 100, VIRTQ_DESC_F_NEXT, 0);
    make_available(TX_AVAIL, 0);
    notify(1);
    ck_assert(needs_reset());
    driver_start(0);
    set_desc(TX_DESC, 0, 0x100000000000ull, 100, 0, 0);
    make_available(TX_AVAIL, 0);
    notify(1);
    ck_assert(needs_reset());
    /* A broken device takes nothing more until reset. */
    backend_sends(60, 2);
    ck_assert(!net_peer_can_receive(&peer.nc));
    ck_assert_uint_eq(peer.got, 0);
    stderr_capture_stop(printed, sizeof(printed));
    ck_assert_msg(strstr(printed, "less than a header"), "%s", printed);
    ck_assert_msg(strstr(printed, "the device needs a reset"), "%s", printed);
    /* After a reset all is well: the frame that waited comes in. */
    driver_start(0);
    rx_post(SLOT);
    notify(0);
    ck_assert_uint_eq(used_idx(RX_USED), 1);
    ck_assert_uint_eq(rx_buf(0)[HDR], 2);
    tx_post(60, 3);
    notify(1);
    ck_assert_uint_eq(peer.got, 1);
}
END_TEST

START_TEST(test_indirect_and_event_index)
{
    driver_start(VIRTIO_NET_F_MRG_RXBUF | (1u << 28) | (1u << 29));
    /* An indirect receive chain of two buffers. */
    uint64_t table = RAM_BASE + 0x8000;
    set_desc(table, 0, RX_BUF, 40, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    set_desc(table, 1, RX_BUF + 0x100, 1000, VIRTQ_DESC_F_WRITE, 0);
    set_desc(RX_DESC, 0, table, 32, VIRTQ_DESC_F_INDIRECT, 0);
    make_available(RX_AVAIL, 0);
    notify(0);
    backend_sends(500, 0xa0);
    ck_assert_uint_eq(used_idx(RX_USED), 1);
    ck_assert_uint_eq(used_len(RX_USED, 0), HDR + 500);
    ck_assert_uint_eq(ld_le16(ram(RX_BUF) + VIRTIO_NET_HDR_NUM_BUFFERS), 1);
    ck_assert_uint_eq(*ram(RX_BUF + HDR), 0xa0);
    ck_assert_uint_eq(*ram(RX_BUF + 0x100), (uint8_t)(0xa0 + 40 - HDR));
    /* A frame that did not fit leaves the device asking to be told of the
     * next buffer (avail_event past the ones it has seen). */
    rx_post(64);
    notify(0);
    backend_sends(100, 0xa1);
    ck_assert_uint_eq(used_idx(RX_USED), 1);
    ck_assert_uint_eq(ld_le16(ram(RX_USED + 4 + 8 * QSIZE)), 2);
    rx_post(64);
    notify(0);
    ck_assert_uint_eq(used_idx(RX_USED), 3);
}
END_TEST

/* A saved NIC whose link was down comes back with it down. */
START_TEST(test_state_link)
{
    driver_start(0);
    net_set_link(&net->nic, false);
    StateBuffer buf = {0};
    state_save(&buf, virtio_net_type.state, net);
    net_set_link(&net->nic, true);
    char err[256];
    size_t pos = 0;
    ck_assert_msg(state_load(buf.data, buf.len, &pos, virtio_net_type.state, net, err, sizeof(err)),
                  "%s", err);
    ck_assert(net->nic.link_down);
    ck_assert_uint_eq(virtio_mmio_ops.read(&mmio, VIRTIO_MMIO_CONFIG + 6, 2), 0);
    state_buffer_free(&buf);
}
END_TEST

static Suite *virtio_net_suite(void)
{
    Suite *s = suite_create("virtio-net");
    TCase *tc = tcase_create("net");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_identity_and_config);
    tcase_add_test(tc, test_transmit);
    tcase_add_test(tc, test_driver_ok_starts_queues);
    tcase_add_test(tc, test_receive_one_buffer);
    tcase_add_test(tc, test_receive_merged_buffers);
    tcase_add_test(tc, test_no_buffers_holds_frames);
    tcase_add_test(tc, test_merged_frame_waits_for_enough_buffers);
    tcase_add_test(tc, test_receive_frame_too_big);
    tcase_add_test(tc, test_link_down_and_up);
    tcase_add_test(tc, test_mac_and_names);
    tcase_add_test(tc, test_transmit_bad_frames_dropped);
    tcase_add_test(tc, test_transmit_flood_spread_over_turns);
    tcase_add_test(tc, test_transmit_waits_for_peer);
    tcase_add_test(tc, test_reset);
    tcase_add_test(tc, test_bad_chains_need_reset);
    tcase_add_test(tc, test_indirect_and_event_index);
    tcase_add_test(tc, test_state_link);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(virtio_net_suite());
}
