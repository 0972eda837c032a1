/* net/net.c: links between network clients: delivery, the bounded queue
 * in front of a receiver that cannot take frames yet, link state, and the
 * pcap dump of a netdev (filter-dump). */
#include "net/net.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "util/le.h"
#include "util/log.h"

struct NetFrame {
    NetFrame *next;
    size_t len;
    uint8_t data[];
};

struct NetDump {
    FILE *file;
    char id[32]; /* the -object's */
    char *path;
    size_t maxlen;
    bool failed;
};

/* Every client, in creation order: one machine per process, as the
 * virtual clock. */
static NetClient *clients;
/* While the machine is stopped (monitor, debugger) NICs take no frames and
 * send none: guest memory does not change under a stopped machine. */
static bool vm_stopped;

bool net_client_is_nic(const NetClient *nc)
{
    return strcmp(nc->ops->type, "nic") == 0;
}

void net_client_init(NetClient *nc, const NetClientOps *ops, const char *id, void *opaque)
{
    memset(nc, 0, sizeof(*nc));
    nc->ops = ops;
    snprintf(nc->id, sizeof(nc->id), "%s", id);
    nc->opaque = opaque;
    NetClient **end = &clients;
    while (*end)
        end = &(*end)->next;
    *end = nc;
}

NetClient *net_client_next(NetClient *prev)
{
    return prev ? prev->next : clients;
}

NetClient *net_client_find(const char *id)
{
    for (NetClient *nc = clients; nc; nc = nc->next)
        if (strcmp(nc->id, id) == 0)
            return nc;
    return NULL;
}

static void drop_queue(NetClient *nc)
{
    while (nc->queue_head) {
        NetFrame *f = nc->queue_head;
        nc->queue_head = f->next;
        free(f);
    }
    nc->queue_tail = NULL;
    nc->queued = 0;
}

void net_client_cleanup(NetClient *nc)
{
    drop_queue(nc);
    if (nc->peer && nc->peer->peer == nc)
        nc->peer->peer = NULL;
    nc->peer = NULL;
    if (nc->dump) {
        fclose(nc->dump->file);
        free(nc->dump->path);
        free(nc->dump);
        nc->dump = NULL;
    }
    for (NetClient **p = &clients; *p; p = &(*p)->next) {
        if (*p == nc) {
            *p = nc->next;
            break;
        }
    }
    nc->next = NULL;
}

bool net_connect(NetClient *a, NetClient *b)
{
    if (a->peer || b->peer || a == b)
        return false;
    a->peer = b;
    b->peer = a;
    return true;
}

/* ---- pcap (libpcap's file format: a global header, then each frame with
 * its time and lengths; link type 1 is Ethernet) ---- */

static void dump_frame(NetDump *d, const uint8_t *buf, size_t len)
{
    if (!d || d->failed)
        return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    size_t caplen = len < d->maxlen ? len : d->maxlen;
    uint8_t hdr[16];
    st_le32(hdr, (uint32_t)tv.tv_sec);
    st_le32(hdr + 4, (uint32_t)tv.tv_usec);
    st_le32(hdr + 8, (uint32_t)caplen);
    st_le32(hdr + 12, (uint32_t)len);
    if (fwrite(hdr, 1, sizeof(hdr), d->file) != sizeof(hdr) ||
        fwrite(buf, 1, caplen, d->file) != caplen || fflush(d->file) != 0) {
        warn_report("filter-dump: writing the capture failed: %s; it stops here", strerror(errno));
        d->failed = true;
    }
}

bool net_dump_start(NetClient *nc, const char *id, const char *path, size_t maxlen, char *err,
                    size_t errlen)
{
    if (nc->dump) {
        snprintf(err, errlen, "netdev '%s' has a filter-dump already", nc->id);
        return false;
    }
    NetDump *d = calloc(1, sizeof(*d));
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    snprintf(d->id, sizeof(d->id), "%s", id);
    d->file = fopen(path, "wb");
    d->path = strdup(path);
    d->maxlen = maxlen;
    uint8_t hdr[24];
    st_le32(hdr, 0xa1b2c3d4); /* microsecond timestamps */
    st_le16(hdr + 4, 2);
    st_le16(hdr + 6, 4);
    st_le32(hdr + 8, 0);
    st_le32(hdr + 12, 0);
    st_le32(hdr + 16, (uint32_t)maxlen);
    st_le32(hdr + 20, 1);
    if (!d->file || !d->path || fwrite(hdr, 1, sizeof(hdr), d->file) != sizeof(hdr) ||
        fflush(d->file)) {
        snprintf(err, errlen, "filter-dump: cannot write '%s': %s", path, strerror(errno));
        if (d->file)
            fclose(d->file);
        free(d->path);
        free(d);
        return false;
    }
    nc->dump = d;
    return true;
}

void net_dump_describe(const NetClient *nc, char *buf, size_t len)
{
    if (!nc->dump) {
        snprintf(buf, len, "%s", "");
        return;
    }
    snprintf(buf, len,
             "%s: type=filter-dump,file=%s,maxlen=%zu,position=tail,status=on,insert=behind,"
             "netdev=%s,queue=all",
             nc->dump->id, nc->dump->path, nc->dump->maxlen, nc->id);
}

/* ---- Delivery ---- */

static bool can_take(const NetClient *nc)
{
    if (vm_stopped && net_client_is_nic(nc))
        return false;
    return !nc->ops->can_receive || nc->ops->can_receive((NetClient *)nc);
}

static bool deliver(NetClient *to, const uint8_t *buf, size_t len)
{
    if (!to->ops->receive)
        return true;
    return to->ops->receive(to, buf, len);
}

static void enqueue(NetClient *to, const uint8_t *buf, size_t len)
{
    if (to->queued >= NET_QUEUE_MAX_FRAMES)
        return; /* the receiver is far behind: like a full NIC ring, drop */
    NetFrame *f = malloc(sizeof(*f) + len);
    if (!f)
        return;
    f->next = NULL;
    f->len = len;
    memcpy(f->data, buf, len);
    if (to->queue_tail)
        to->queue_tail->next = f;
    else
        to->queue_head = f;
    to->queue_tail = f;
    to->queued++;
}

void net_send(NetClient *nc, const uint8_t *buf, size_t len)
{
    NetClient *to = nc->peer;
    if (!to || nc->link_down || to->link_down || len == 0 || len > NET_MAX_FRAME)
        return;
    /* One capture per netdev, whichever end it was started on. */
    dump_frame(nc->dump ? nc->dump : to->dump, buf, len);
    if (to->queue_head || !can_take(to) || !deliver(to, buf, len))
        enqueue(to, buf, len);
}

bool net_peer_can_receive(const NetClient *nc)
{
    const NetClient *to = nc->peer;
    if (!to || nc->link_down || to->link_down)
        return true; /* frames would be dropped anyway: no reason to wait */
    return !to->queue_head && can_take(to);
}

void net_receiver_ready(NetClient *nc)
{
    /* A receiver that says ready again from inside its receive: the drain
     * running further up goes on by itself. */
    if (nc->draining)
        return;
    nc->draining = true;
    while (nc->queue_head && can_take(nc)) {
        NetFrame *f = nc->queue_head;
        if (!deliver(nc, f->data, f->len))
            break;
        nc->queue_head = f->next;
        if (!nc->queue_head)
            nc->queue_tail = NULL;
        nc->queued--;
        free(f);
    }
    nc->draining = false;
    NetClient *sender = nc->peer;
    if (!nc->queue_head && sender && sender->ops->peer_ready &&
        !(vm_stopped && net_client_is_nic(sender)))
        sender->ops->peer_ready(sender);
}

void net_set_vm_running(bool running)
{
    if (vm_stopped == !running)
        return;
    vm_stopped = !running;
    if (!running)
        return;
    /* What waited for the machine: frames for the NICs, and their own
     * transmissions held back by a backend that drained meanwhile. */
    for (NetClient *nc = clients; nc; nc = nc->next) {
        if (!net_client_is_nic(nc))
            continue;
        net_receiver_ready(nc);
        if (nc->ops->peer_ready && net_peer_can_receive(nc))
            nc->ops->peer_ready(nc);
    }
}

void net_set_link(NetClient *nc, bool up)
{
    /* QEMU's rule: the named client changes, and its peer too when that
     * is a NIC (a backend or hub port behind a NIC keeps its own state);
     * both are told. */
    NetClient *peer = nc->peer;
    bool peer_is_nic = peer && net_client_is_nic(peer);
    NetClient *ends[2] = {nc, peer_is_nic ? peer : NULL};
    for (int i = 0; i < 2; i++) {
        if (ends[i]) {
            ends[i]->link_down = !up;
            if (!up)
                drop_queue(ends[i]);
        }
    }
    if (nc->ops->link_changed)
        nc->ops->link_changed(nc);
    if (peer && peer->ops->link_changed)
        peer->ops->link_changed(peer);
}
