/* net/netdev.c: -netdev TYPE,id=ID,... to a backend, and what the monitor
 * reports and changes about the network: info network in QEMU's layout,
 * hostfwd rules on user netdevs, filter-dump captures. */
#include "net/netdev.h"

#include <stdlib.h>
#include <string.h>

#include "net/backends.h"

bool netdev_next_prop(const char **cursor, KeyVal *kv, const char *option, char *err, size_t errlen)
{
    do {
        if (!keyval_next(cursor, false, NULL, kv, option, err, errlen))
            return false;
    } while (strcmp(kv->key, "id") == 0 && **cursor);
    if (strcmp(kv->key, "id") == 0) /* the last item: nothing of the backend's */
        kv->key[0] = '\0';
    return true;
}

NetClient *netdev_open(const char *spec, const NetdevContext *ctx, char *err, size_t errlen)
{
    KeyVal type, kv;
    const char *p = spec;
    if (!keyval_next(&p, true, "type", &type, "-netdev", err, errlen))
        return NULL;
    if (strcmp(type.key, "type") != 0) {
        snprintf(err, errlen, "-netdev %s: the type (user, socket or hubport) comes first", spec);
        return NULL;
    }
    const char *props = p;
    char id[sizeof(((NetClient *)0)->id)] = "";
    while (*p) {
        if (!keyval_next(&p, false, NULL, &kv, "-netdev", err, errlen))
            return NULL;
        if (strcmp(kv.key, "id") != 0)
            continue;
        if (!kv.value[0] || strlen(kv.value) >= sizeof(id) || strpbrk(kv.value, " ,=")) {
            snprintf(err, errlen, "-netdev %s: invalid id '%s'", type.value, kv.value);
            return NULL;
        }
        strcpy(id, kv.value);
    }
    if (!id[0]) {
        snprintf(err, errlen, "-netdev %s: Parameter 'id' is missing", type.value);
        return NULL;
    }
    if (net_client_find(id)) {
        snprintf(err, errlen, "-netdev %s: Duplicate ID '%s' for netdev", type.value, id);
        return NULL;
    }
    if (strcmp(type.value, "user") == 0)
        return net_user_open(id, props, ctx->loop, ctx->timers, err, errlen);
    if (strcmp(type.value, "socket") == 0)
        return net_socket_open(id, props, ctx->loop, err, errlen);
    if (strcmp(type.value, "hubport") == 0)
        return net_hubport_open(id, props, err, errlen);
    snprintf(err, errlen,
             "-netdev %s: Parameter 'type' expects a netdev backend type (user, socket, hubport)",
             type.value);
    return NULL;
}

void netdev_close(NetClient *nc)
{
    if (!nc)
        return;
    net_client_cleanup(nc);
    if (nc->ops->cleanup)
        nc->ops->cleanup(nc);
}

bool netdev_start_dump(const char *id, const char *netdev, const char *path, size_t maxlen,
                       char *err, size_t errlen)
{
    NetClient *nc = net_client_find(netdev);
    if (!nc || net_client_is_nic(nc)) {
        snprintf(err, errlen, "filter-dump: no -netdev with id=%s", netdev);
        return false;
    }
    return net_dump_start(nc, id, path, maxlen, err, errlen);
}

/* ---- info network ---- */

static void print_client(StrBuf *out, NetClient *nc)
{
    char text[256] = "";
    if (nc->ops->describe)
        nc->ops->describe(nc, text, sizeof(text));
    strbuf_printf(out, "%s: %s\n", nc->id, text);
    char filter[512];
    net_dump_describe(nc, filter, sizeof(filter));
    if (filter[0])
        strbuf_printf(out, "filters:\n  - %s\n", filter);
}

static void print_hub(void *opaque, int hub_id, NetClient *port)
{
    StrBuf *out = opaque;
    if (!port) {
        strbuf_printf(out, "hub %d\n", hub_id);
    } else if (port->peer) {
        strbuf_printf(out, " \\ %s: ", port->id);
        print_client(out, port->peer);
    } else {
        strbuf_printf(out, " \\ %s\n", port->id);
    }
}

void netdev_info(StrBuf *out)
{
    net_hub_visit(print_hub, out);
    for (NetClient *nc = net_client_next(NULL); nc; nc = net_client_next(nc)) {
        /* Hub ports and what hangs on them were listed with their hub. */
        if (net_hub_id(nc) >= 0 || (nc->peer && net_hub_id(nc->peer) >= 0))
            continue;
        bool nic = net_client_is_nic(nc);
        if (!nc->peer || nic)
            print_client(out, nc);
        if (nc->peer && nic) {
            strbuf_printf(out, " \\ ");
            print_client(out, nc->peer);
        }
    }
}

/* ---- user networking's rules and connections ---- */

/* The user netdev named id, or the first one when id is NULL (QEMU's
 * hostfwd_add without a netdev); NULL with QEMU's message in err. */
static NetClient *find_user(const char *id, char *err, size_t errlen)
{
    for (NetClient *nc = net_client_next(NULL); nc; nc = net_client_next(nc))
        if (net_is_user(nc) && (!id || strcmp(nc->id, id) == 0))
            return nc;
    if (id)
        snprintf(err, errlen, "unrecognized netdev id '%s'", id);
    else
        snprintf(err, errlen, "no user netdev: hostfwd needs -netdev user");
    return NULL;
}

bool netdev_hostfwd_add(const char *id, const char *rule, char *err, size_t errlen)
{
    NetClient *nc = find_user(id, err, errlen);
    return nc && net_user_hostfwd_add(nc, rule, err, errlen);
}

bool netdev_hostfwd_remove(const char *id, const char *rule, char *done, size_t donelen)
{
    NetClient *nc = find_user(id, done, donelen);
    return nc && net_user_hostfwd_remove(nc, rule, done, donelen);
}

void netdev_usernet_info(StrBuf *out)
{
    for (NetClient *nc = net_client_next(NULL); nc; nc = net_client_next(nc)) {
        if (!net_is_user(nc))
            continue;
        int hub = nc->peer ? net_hub_id(nc->peer) : -1;
        strbuf_printf(out, "Hub %d (%s):\n", hub, nc->id);
        char *text = net_user_connections(nc);
        if (text)
            strbuf_append(out, text, strlen(text));
        free(text);
    }
}
