/* net/hub.c: -netdev hubport,id=ID,hubid=N[,netdev=ND]: a virtual switch
 * inside one ember. Each port is a client whose peer is a NIC or a
 * backend; a frame coming in on one port goes out of every other. A port
 * takes a frame only when every other port's peer can, so a slow member
 * holds the senders off instead of losing frames. */
#include <stdlib.h>
#include <string.h>

#include "net/backends.h"
#include "net/netdev.h"
#include "util/options.h"

#define HUB_MAX 8
#define HUB_MAX_PORTS 16

typedef struct Hub Hub;

typedef struct HubPort {
    NetClient nc;
    Hub *hub;
} HubPort;

struct Hub {
    unsigned id;
    HubPort *ports[HUB_MAX_PORTS];
    unsigned n_ports;
};

/* One machine per process, as the list of clients. */
static Hub *hubs[HUB_MAX];
static unsigned n_hubs;

static bool hub_receive(NetClient *nc, const uint8_t *buf, size_t len)
{
    HubPort *in = nc->opaque;
    for (unsigned i = 0; i < in->hub->n_ports; i++)
        if (in->hub->ports[i] != in)
            net_send(&in->hub->ports[i]->nc, buf, len);
    return true;
}

static bool hub_can_receive(NetClient *nc)
{
    HubPort *in = nc->opaque;
    for (unsigned i = 0; i < in->hub->n_ports; i++)
        if (in->hub->ports[i] != in && !net_peer_can_receive(&in->hub->ports[i]->nc))
            return false;
    return true;
}

/* One member drained: the others' senders may go on. */
static void hub_peer_ready(NetClient *nc)
{
    HubPort *ready = nc->opaque;
    for (unsigned i = 0; i < ready->hub->n_ports; i++)
        if (ready->hub->ports[i] != ready)
            net_receiver_ready(&ready->hub->ports[i]->nc);
}

static void hub_describe(NetClient *nc, char *buf, size_t len)
{
    HubPort *port = nc->opaque;
    snprintf(buf, len, "index=0,type=hubport,hub %u", port->hub->id);
}

static void hub_cleanup(NetClient *nc)
{
    HubPort *port = nc->opaque;
    Hub *hub = port->hub;
    for (unsigned i = 0; i < hub->n_ports; i++) {
        if (hub->ports[i] == port) {
            memmove(&hub->ports[i], &hub->ports[i + 1],
                    (hub->n_ports - i - 1) * sizeof(hub->ports[0]));
            hub->n_ports--;
            break;
        }
    }
    free(port);
    if (hub->n_ports)
        return;
    for (unsigned i = 0; i < n_hubs; i++) {
        if (hubs[i] == hub) {
            memmove(&hubs[i], &hubs[i + 1], (n_hubs - i - 1) * sizeof(hubs[0]));
            n_hubs--;
            break;
        }
    }
    free(hub);
}

static const NetClientOps hub_ops = {
    .type = "hubport",
    .receive = hub_receive,
    .can_receive = hub_can_receive,
    .describe = hub_describe,
    .peer_ready = hub_peer_ready,
    .cleanup = hub_cleanup,
};

int net_hub_id(const NetClient *nc)
{
    return nc->ops == &hub_ops ? (int)((HubPort *)nc->opaque)->hub->id : -1;
}

void net_hub_visit(NetHubVisitor *visit, void *opaque)
{
    /* QEMU puts each new hub and port at the head of its list. */
    for (unsigned h = n_hubs; h-- > 0;) {
        visit(opaque, (int)hubs[h]->id, NULL);
        for (unsigned p = hubs[h]->n_ports; p-- > 0;)
            visit(opaque, (int)hubs[h]->id, &hubs[h]->ports[p]->nc);
    }
}

static Hub *hub_get(unsigned id)
{
    for (unsigned i = 0; i < n_hubs; i++)
        if (hubs[i]->id == id)
            return hubs[i];
    if (n_hubs == HUB_MAX)
        return NULL;
    Hub *hub = calloc(1, sizeof(*hub));
    if (hub) {
        hub->id = id;
        hubs[n_hubs++] = hub;
    }
    return hub;
}

NetClient *net_hubport_open(const char *id, const char *props, char *err, size_t errlen)
{
    char option[64];
    snprintf(option, sizeof(option), "-netdev hubport,id=%s", id);
    unsigned long long hub_id = 0;
    bool has_hub = false;
    char netdev[32] = "";
    KeyVal kv;
    for (const char *p = props; *p;) {
        if (!netdev_next_prop(&p, &kv, option, err, errlen))
            return NULL;
        if (!kv.key[0])
            break;
        if (strcmp(kv.key, "hubid") == 0) {
            if (!parse_uint(kv.value, INT32_MAX, &hub_id)) {
                snprintf(err, errlen, "%s: invalid hubid '%s'", option, kv.value);
                return NULL;
            }
            has_hub = true;
        } else if (strcmp(kv.key, "netdev") == 0 && strlen(kv.value) < sizeof(netdev)) {
            strcpy(netdev, kv.value);
        } else {
            snprintf(err, errlen, "%s: Invalid parameter '%s'", option, kv.key);
            return NULL;
        }
    }
    if (!has_hub) {
        snprintf(err, errlen, "%s: Parameter 'hubid' is missing", option);
        return NULL;
    }
    NetClient *backend = NULL;
    if (netdev[0]) {
        backend = net_client_find(netdev);
        if (!backend || backend->ops == &hub_ops) {
            snprintf(err, errlen, "%s: no -netdev '%s' (other than a hubport) given before it",
                     option, netdev);
            return NULL;
        }
        if (backend->peer) {
            snprintf(err, errlen, "%s: netdev '%s' is already in use", option, netdev);
            return NULL;
        }
    }
    HubPort *port = calloc(1, sizeof(*port));
    Hub *hub = port ? hub_get((unsigned)hub_id) : NULL;
    if (!hub || hub->n_ports == HUB_MAX_PORTS) {
        snprintf(err, errlen, "%s: too many hubs or ports (%d hubs of %d ports), or out of memory",
                 option, HUB_MAX, HUB_MAX_PORTS);
        free(port);
        return NULL;
    }
    port->hub = hub;
    hub->ports[hub->n_ports++] = port;
    net_client_init(&port->nc, &hub_ops, id, port);
    if (backend)
        net_connect(&port->nc, backend);
    return &port->nc;
}
