/* hw/virtio/net.c: virtio-net: queue 0 takes frames from the -netdev into
 * the driver's receive buffers, queue 1 sends the driver's frames to it.
 * No offloads and no control queue; the header in front of each frame is
 * struct virtio_net_hdr_v1. The device never loses a frame it has room
 * for: without room it refuses it and net/ holds it (and the backend)
 * until the driver adds buffers. */
#include "hw/virtio/net.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/le.h"
#include "util/log.h"

enum { QUEUE_RX = 0, QUEUE_TX = 1 };

#define QUEUE_SIZE 256 /* QEMU's rx_queue_size and tx_queue_size */
#define HDR VIRTIO_NET_HDR_SIZE
/* Frames sent in one main-loop turn at most; the rest go in the next
 * turns (tx_timer), so a driver that keeps its queue full cannot starve
 * the console, the timers or the other devices. Less than the queue, so a
 * full queue is spread too. */
#define TX_BURST 64

/* ---- MAC addresses ---- */

/* QEMU's default addresses, 52:54:00:12:34:XX: XX is the lowest from 0x56
 * that no NIC of the process has, whether given (mac=) or by default. */
static const uint8_t default_mac_prefix[5] = {0x52, 0x54, 0x00, 0x12, 0x34};
static unsigned default_mac_users[256];

static bool is_default_mac(const uint8_t mac[6])
{
    return memcmp(mac, default_mac_prefix, sizeof(default_mac_prefix)) == 0 && mac[5] >= 0x56 &&
           mac[5] < 0xff;
}

static void mac_claim(const uint8_t mac[6])
{
    if (is_default_mac(mac))
        default_mac_users[mac[5]]++;
}

static void mac_release(const uint8_t mac[6])
{
    if (is_default_mac(mac) && default_mac_users[mac[5]])
        default_mac_users[mac[5]]--;
}

/* 0xff when every one is in use, as in QEMU. */
static void mac_default(uint8_t mac[6])
{
    unsigned last = 0x56;
    while (last < 0xff && default_mac_users[last])
        last++;
    memcpy(mac, default_mac_prefix, sizeof(default_mac_prefix));
    mac[5] = (uint8_t)last;
}

/* QEMU's syntax: six pairs of hex digits, separated by ':' or '-'. */
static bool parse_mac(const char *text, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++, text += 3) {
        if (!isxdigit((unsigned char)text[0]) || !isxdigit((unsigned char)text[1]))
            return false;
        if (i == 5 ? text[2] != '\0' : text[2] != ':' && text[2] != '-')
            return false;
        char pair[3] = {text[0], text[1], '\0'};
        mac[i] = (uint8_t)strtoul(pair, NULL, 16);
    }
    return true;
}

/* ---- Receive ---- */

static bool nic_can_receive(NetClient *nc)
{
    VirtioNet *n = nc->opaque;
    return virtio_device_live(&n->vdev) && !nc->link_down &&
           virtq_has_request(&n->vdev.queues[QUEUE_RX]);
}

/* The driver's buffers cannot hold a frame: it is dropped, the buffers
 * stay for the next. */
static bool drop_received(VirtioNet *n, size_t len, uint16_t buffers, uint64_t room)
{
    warn_report_guest(n,
                      "%s: a received frame of %zu bytes does not fit in the receive buffers "
                      "(%u, %llu bytes with the header): dropped",
                      n->vdev.cls->name, len, buffers, (unsigned long long)room);
    return true;
}

/* The header, then the frame, over one buffer, or over as many as it
 * takes with VIRTIO_NET_F_MRG_RXBUF (5.1.6.4). The buffers' used entries
 * are published together when the whole frame is in, so a frame that
 * does not fit yet leaves the queue as it was. */
static bool nic_receive(NetClient *nc, const uint8_t *buf, size_t len)
{
    VirtioNet *n = nc->opaque;
    VirtioDevice *vdev = &n->vdev;
    if (!nic_can_receive(nc))
        return false;
    VirtQueue *vq = &vdev->queues[QUEUE_RX];
    bool merge = virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF);
    size_t done = 0;
    uint64_t room = 0;
    uint16_t used = 0;
    do {
        VirtqElement *e = used == 0 ? &n->rx_head : &n->rx;
        if (virtio_pop(vdev, QUEUE_RX, e) != 1) {
            if (!virtio_device_live(vdev))
                return true; /* the driver broke the queue; the frame goes with it, as in QEMU */
            virtq_unpop(vq, used);
            /* Fewer buffers than a full queue: more may come. */
            return used == vq->size ? drop_received(n, len, used, room) : false;
        }
        /* 5.1.6.3.1: every receive buffer holds at least a header. */
        if (e->in_len < HDR) {
            virtio_error(vdev, "queue %u: a receive buffer of %llu bytes, less than a header",
                         QUEUE_RX, (unsigned long long)e->in_len);
            return true;
        }
        uint64_t offset = used == 0 ? HDR : 0;
        size_t part = e->in_len - offset < len - done ? (size_t)(e->in_len - offset) : len - done;
        virtq_write(vdev->as, e, offset, buf + done, part);
        virtq_fill(vq, vdev->as, e, (uint32_t)(offset + part), used);
        done += part;
        room += e->in_len;
        used++;
    } while (done < len && merge);
    if (done < len) {
        virtq_unpop(vq, used);
        return drop_received(n, len, used, room);
    }
    uint8_t header[HDR] = {0}; /* no offloads: no flags, GSO_NONE */
    st_le16(header + VIRTIO_NET_HDR_NUM_BUFFERS, used);
    virtq_write(vdev->as, &n->rx_head, 0, header, sizeof(header));
    virtq_flush(vq, vdev->as, used);
    virtio_notify(vdev, QUEUE_RX);
    return true;
}

/* ---- Transmit ---- */

/* One frame: the header (nothing in it applies without offloads), then
 * the frame. Nothing is written back. */
static int64_t transmit(VirtioDevice *vdev, VirtqElement *e)
{
    VirtioNet *n = (VirtioNet *)vdev;
    if (e->out_len <= HDR) {
        warn_report_guest(n,
                          "%s: a transmitted request of %llu bytes has no frame after its header: "
                          "dropped",
                          vdev->cls->name, (unsigned long long)e->out_len);
        return 0;
    }
    uint64_t len = e->out_len - HDR;
    if (len > NET_MAX_FRAME) {
        warn_report_guest(n, "%s: a transmitted frame of %llu bytes is larger than %d: dropped",
                          vdev->cls->name, (unsigned long long)len, NET_MAX_FRAME);
        return 0;
    }
    virtq_read(e, HDR, n->frame, (size_t)len);
    net_send(&n->nic, n->frame, (size_t)len);
    return 0;
}

/* Frames go only while the peer takes them: the rest wait in the queue
 * until it drains (peer_ready), none piles up in net/'s queue. */
static bool peer_takes_frames(VirtioDevice *vdev)
{
    return net_peer_can_receive(&((VirtioNet *)vdev)->nic);
}

static void transmit_burst(void *opaque)
{
    VirtioNet *n = opaque;
    /* A peer that drains while a frame is being sent (a hub, say) says so
     * from inside net_send: the loop below goes on by itself. */
    if (n->tx_running)
        return;
    n->tx_running = true;
    /* The next turn: one nanosecond on, so the timer list does not run it
     * again in the pass that runs it now. */
    if (virtio_process_queue_bounded(&n->vdev, QUEUE_TX, &n->tx, transmit, peer_takes_frames,
                                     TX_BURST))
        timer_arm(&n->tx_timer, clock_virtual_ns() + 1);
    n->tx_running = false;
}

/* A notify or a drained peer while a burst is due leaves it to the timer,
 * so each turn sends one burst at most. */
static void transmit_soon(VirtioNet *n)
{
    if (!n->tx_timer.armed)
        transmit_burst(n);
}

/* ---- The NIC's side of net/ ---- */

static void nic_peer_ready(NetClient *nc)
{
    transmit_soon(nc->opaque);
}

/* set_link (QEMU's virtio_net_set_link_status): the config's status
 * follows, and the driver hears of a change by a config interrupt. */
static void nic_link_changed(NetClient *nc)
{
    VirtioNet *n = nc->opaque;
    uint8_t *status = n->vdev.config + VIRTIO_NET_CONFIG_STATUS;
    uint16_t now = nc->link_down ? 0 : VIRTIO_NET_S_LINK_UP;
    if (ld_le16(status) == now)
        return;
    st_le16(status, now);
    virtio_config_changed(&n->vdev);
}

static void nic_describe(NetClient *nc, char *buf, size_t len)
{
    const uint8_t *m = ((VirtioNet *)nc->opaque)->mac;
    snprintf(buf, len, "index=0,type=nic,model=%s,macaddr=%02x:%02x:%02x:%02x:%02x:%02x",
             virtio_net_type.name, m[0], m[1], m[2], m[3], m[4], m[5]);
}

static const NetClientOps nic_ops = {
    .type = "nic",
    .receive = nic_receive,
    .can_receive = nic_can_receive,
    .link_changed = nic_link_changed,
    .describe = nic_describe,
    .peer_ready = nic_peer_ready,
};

/* ---- The virtio side ---- */

static void net_notify(VirtioDevice *vdev, unsigned n)
{
    VirtioNet *net = (VirtioNet *)vdev;
    if (n == QUEUE_RX)
        net_receiver_ready(&net->nic); /* new buffers: held frames can come */
    else
        transmit_soon(net);
}

/* The device starts (QEMU's virtio_net_set_status): frames held for it
 * come, and what the driver queued before goes. */
static void net_driver_ok(VirtioDevice *vdev)
{
    VirtioNet *n = (VirtioNet *)vdev;
    net_receiver_ready(&n->nic);
    transmit_soon(n);
}

/* Frames are received and sent whole within one call, so only a burst
 * still due is in flight. */
static void net_reset(VirtioDevice *vdev)
{
    timer_cancel(&((VirtioNet *)vdev)->tx_timer);
}

static const VirtioDeviceClass virtio_net_class = {
    .name = "virtio-net-device",
    .device_id = VIRTIO_ID_NET,
    .num_queues = 2,
    .queue_size_max = QUEUE_SIZE,
    .notify = net_notify,
    .reset = net_reset,
    .driver_ok = net_driver_ok,
};

/* ---- Device type ---- */

/* QEMU's NIC names: the device's id, else the model and how many NICs of
 * it there are already. */
static void nic_name(const Device *dev, char *name, size_t len)
{
    if (dev->id[0]) {
        snprintf(name, len, "%s", dev->id);
        return;
    }
    unsigned count = 0;
    for (NetClient *nc = net_client_next(NULL); nc; nc = net_client_next(nc))
        count += nc->ops == &nic_ops;
    snprintf(name, len, "%s.%u", dev->type->name, count);
}

static bool net_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    VirtioNet *n = dev->state;
    const char *mac = device_prop(dev, "mac");
    if (mac && !parse_mac(mac, n->mac)) {
        snprintf(err, errlen, "Property '%s.mac' doesn't take value '%s'", dev->type->name, mac);
        return false;
    }
    if (mac && (n->mac[0] & 1)) {
        snprintf(err, errlen, "NIC cannot have multicast MAC address (odd 1st byte)");
        return false;
    }
    const char *netdev = device_prop(dev, "netdev");
    NetClient *peer = NULL;
    if (netdev && !(peer = ctx->netdev(ctx->board, netdev, err, errlen)))
        return false;
    if (peer && peer->peer) {
        snprintf(err, errlen, "netdev '%s' is already in use", netdev);
        return false;
    }
    if (!mac)
        mac_default(n->mac);
    mac_claim(n->mac);

    virtio_device_init(&n->vdev, &virtio_net_class, ctx->as,
                       VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS | VIRTIO_NET_F_MRG_RXBUF |
                           VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX,
                       VIRTIO_NET_CONFIG_SIZE);
    memcpy(n->vdev.config + VIRTIO_NET_CONFIG_MAC, n->mac, sizeof(n->mac));
    st_le16(n->vdev.config + VIRTIO_NET_CONFIG_STATUS, VIRTIO_NET_S_LINK_UP);
    timer_init(&n->tx_timer, ctx->timers, transmit_burst, n);
    char name[sizeof(n->nic.id)];
    nic_name(dev, name, sizeof(name));
    net_client_init(&n->nic, &nic_ops, name, n);
    /* Neither end has a peer (checked above): this joins them. */
    if (peer)
        (void)net_connect(&n->nic, peer);
    return true;
}

static void net_unrealize(Device *dev)
{
    VirtioNet *n = dev->state;
    timer_cancel(&n->tx_timer);
    net_client_cleanup(&n->nic);
    mac_release(n->mac);
}

static VirtioDevice *net_virtio(Device *dev)
{
    return &((VirtioNet *)dev->state)->vdev;
}

static const DeviceProperty net_props[] = {
    {.name = "netdev",
     .type = PROP_NETDEV,
     .default_value = NULL,
     .help = "ID of a netdev to use as a backend (none: frames go nowhere)"},
    {.name = "mac",
     .type = PROP_STRING,
     .default_value = NULL,
     .help = "Ethernet 6-byte MAC Address, example: 52:54:00:12:34:56 (default: the next free "
             "52:54:00:12:34:XX)"},
    {0},
};

/* The link follows the loaded status, as in QEMU; a burst that was due
 * when the machine was saved goes on. */
static void net_post_load(void *object)
{
    VirtioNet *n = object;
    n->nic.link_down = !(ld_le16(n->vdev.config + VIRTIO_NET_CONFIG_STATUS) & VIRTIO_NET_S_LINK_UP);
    if (virtio_device_live(&n->vdev))
        timer_arm(&n->tx_timer, 0);
}

static const StateField net_fields[] = {
    STATE_STRUCT(VirtioNet, vdev, &virtio_device_state),
    STATE_UINT_ARRAY(VirtioNet, mac),
    STATE_END,
};

static const StateField net_unsaved[] = {
    STATE_UNSAVED(VirtioNet, nic),        STATE_UNSAVED(VirtioNet, tx_timer),
    STATE_UNSAVED(VirtioNet, tx_running), STATE_UNSAVED(VirtioNet, rx_head),
    STATE_UNSAVED(VirtioNet, rx),         STATE_UNSAVED(VirtioNet, tx),
    STATE_UNSAVED(VirtioNet, frame),      STATE_END,
};

static const StateDescription net_state = {
    .name = "virtio-net-device",
    .c_type = "VirtioNet",
    .version = 1,
    .struct_size = sizeof(VirtioNet),
    .fields = net_fields,
    .unsaved = net_unsaved,
    .post_load = net_post_load,
};

const DeviceType virtio_net_type = {
    .name = "virtio-net-device",
    .desc = "Virtio network device (one queue pair, no offloads)",
    .bus = "virtio-bus",
    .state_size = sizeof(VirtioNet),
    .props = net_props,
    .realize = net_realize,
    .unrealize = net_unrealize,
    .virtio = net_virtio,
    .state = &net_state,
};
