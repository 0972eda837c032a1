/* machine/virt_net.c: the board's network: -netdev backends opened before
 * the NICs that name them, captures started and lone netdevs reported
 * once the NICs are there, everything closed after the NICs. */
#include <string.h>

#include "machine/virt.h"
#include "net/netdev.h"
#include "util/log.h"

bool virt_open_netdevs(VirtMachine *m, char *err, size_t errlen)
{
    NetdevContext ctx = {.loop = &m->loop, .timers = &m->timers};
    for (unsigned i = 0; i < m->opts.nnetdevs; i++) {
        m->netdevs[i] = netdev_open(m->opts.netdevs[i].spec, &ctx, err, errlen);
        if (!m->netdevs[i])
            return false;
    }
    return true;
}

NetClient *virt_board_netdev(void *board, const char *id, char *err, size_t errlen)
{
    VirtMachine *m = board;
    for (unsigned i = 0; i < m->opts.nnetdevs; i++) {
        if (strcmp(m->opts.netdevs[i].id, id) != 0)
            continue;
        if (m->netdevs[i]->peer) {
            snprintf(err, errlen, "netdev '%s' is already in use", id);
            return NULL;
        }
        return m->netdevs[i];
    }
    snprintf(err, errlen, "no -netdev with id=%s", id);
    return NULL;
}

bool virt_start_network(VirtMachine *m, char *err, size_t errlen)
{
    for (unsigned i = 0; i < m->opts.nfilters; i++) {
        const FilterDumpOption *f = &m->opts.filters[i];
        if (!netdev_start_dump(f->id, f->netdev, f->file, f->maxlen, err, errlen))
            return false;
    }
    /* QEMU's warnings for what nothing is plugged into. */
    for (NetClient *nc = net_client_next(NULL); nc; nc = net_client_next(nc)) {
        if (nc->peer)
            continue;
        if (net_hub_id(nc) >= 0)
            warn_report("hub port %s has no peer", nc->id);
        warn_report("%s %s has no peer", net_client_is_nic(nc) ? "nic" : "netdev", nc->id);
    }
    return true;
}

void virt_close_netdevs(VirtMachine *m)
{
    for (unsigned i = EMBER_MAX_NETDEVS; i-- > 0;) {
        netdev_close(m->netdevs[i]);
        m->netdevs[i] = NULL;
    }
}
