/* hw/virtio/net.h: virtio-net (virtio 1.1, 5.1): one receive and one
 * transmit queue, a MAC address and link status, and a NIC client of
 * net/ joined to a -netdev. */
#ifndef EMBER_HW_VIRTIO_NET_H
#define EMBER_HW_VIRTIO_NET_H

#include "hw/virtio/virtio.h"
#include "net/net.h"
#include "hw/device.h"
#include "util/timer.h"

typedef struct VirtioNet {
    VirtioDevice vdev; /* first: the transport sees only this */
    NetClient nic;     /* named as QEMU names NICs; peer: the -netdev */
    uint8_t mac[6];
    /* The next transmit burst, when a turn's burst ended with frames
     * left in the queue. */
    Timer tx_timer;
    bool tx_running; /* inside a burst: a nested peer_ready leaves it be */
    /* A received frame's first buffer (its header is written last, when
     * num_buffers is known) and the ones merged after it. */
    VirtqElement rx_head, rx;
    VirtqElement tx;
    uint8_t frame[NET_MAX_FRAME]; /* a transmitted frame, gathered */
} VirtioNet;

extern const DeviceType virtio_net_type;

#endif
