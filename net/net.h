/* net/net.h: the network layer's one interface, after QEMU's
 * NetClientState: every end of a link (a NIC, user networking, a socket to
 * another VM, a hub port) is a NetClient with a peer. A frame sent by one
 * end is delivered to its peer at once, or queued (bounded) while the peer
 * cannot take it; the sender can ask whether its peer has room and hold
 * off reading its own source until it has. */
#ifndef EMBER_NET_NET_H
#define EMBER_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Largest frame ember carries: an Ethernet frame with a VLAN tag, or a
 * 64 KiB offloaded one. */
#define NET_MAX_FRAME 65536
/* Frames waiting for a receiver that cannot take them, at most. */
#define NET_QUEUE_MAX_FRAMES 1024

typedef struct NetClient NetClient;

typedef struct NetClientOps {
    const char *type; /* QEMU's spelling: "user", "socket", "hubport", "nic" */
    /* A frame from the peer. true: taken (delivered or deliberately
     * dropped); false: not now, the client calls net_receiver_ready later.
     * NULL: frames are dropped. */
    bool (*receive)(NetClient *nc, const uint8_t *buf, size_t len);
    /* Whether receive would take a frame now; NULL: always. */
    bool (*can_receive)(NetClient *nc);
    /* The link went up or down (set_link). */
    void (*link_changed)(NetClient *nc);
    /* info network's text after "ID: " ("index=0,type=user,net=..."). */
    void (*describe)(NetClient *nc, char *buf, size_t len);
    /* The peer drained: a sender that held off its source resumes. */
    void (*peer_ready)(NetClient *nc);
    /* A backend's own release (netdev_close), after net_client_cleanup. */
    void (*cleanup)(NetClient *nc);
} NetClientOps;

typedef struct NetFrame NetFrame;
typedef struct NetDump NetDump;

struct NetClient {
    const NetClientOps *ops;
    char id[32]; /* the -netdev id, or the NIC's device id or name */
    NetClient *peer;
    bool link_down;
    NetFrame *queue_head, *queue_tail; /* frames for this client, waiting */
    unsigned queued;
    bool draining; /* inside net_receiver_ready: no nested drain */
    NetDump *dump; /* filter-dump on this netdev, NULL without */
    void *opaque;
    NetClient *next; /* every client, in creation order (net_client_next) */
};

/* Also lists nc among every client (info network, set_link). */
void net_client_init(NetClient *nc, const NetClientOps *ops, const char *id, void *opaque);
/* Drops what is queued for nc, unlinks it from its peer, closes its dump,
 * takes it off the list. */
void net_client_cleanup(NetClient *nc);
/* Every client, NICs included, in creation order; NULL after the last. */
NetClient *net_client_next(NetClient *prev);
/* The client named id (a netdev id or a NIC's name); NULL if none. */
NetClient *net_client_find(const char *id);

/* A guest's NIC (type "nic"), not a backend. */
bool net_client_is_nic(const NetClient *nc);
/* Joins two ends; false when either has a peer already. */
bool net_connect(NetClient *a, NetClient *b);

/* A frame from nc to its peer. Delivered now, queued while the peer cannot
 * take it (up to NET_QUEUE_MAX_FRAMES, then dropped), dropped when either
 * end's link is down or there is no peer. Frames go out in order. */
void net_send(NetClient *nc, const uint8_t *buf, size_t len);
/* Whether nc's peer takes frames now (nothing queued for it and it says
 * it can): a source that reads at its own pace holds off until it does. */
bool net_peer_can_receive(const NetClient *nc);
/* nc can take frames again: delivers what is queued for it, then tells
 * its peer (peer_ready) so a source that held off resumes. */
void net_receiver_ready(NetClient *nc);

/* The machine stopped (false) or runs again: while it is stopped NICs
 * take no frames (they wait in the queue, their senders hold off) and
 * start no transmission, as QEMU's. */
void net_set_vm_running(bool running);

/* set_link: nc's link goes up or down, and its peer's when that is a NIC
 * (QEMU's rule); both ends hear of it (link_changed). */
void net_set_link(NetClient *nc, bool up);

/* info network's line for nc's filter-dump, as QEMU prints it ("f1:
 * type=filter-dump,file=...,netdev=n0,queue=all"); "" when it has none. */
void net_dump_describe(const NetClient *nc, char *buf, size_t len);

/* Writes every frame through nc, both ways, to a pcap file (filter-dump,
 * maxlen bytes of each at most). false with err. */
bool net_dump_start(NetClient *nc, const char *id, const char *path, size_t maxlen, char *err,
                    size_t errlen);

#endif
