/* net/netdev.h: the -netdev backends (user, socket, hubport), opened from
 * their option text, and the machine-wide list of every network client
 * that the monitor's commands walk. */
#ifndef EMBER_NET_NETDEV_H
#define EMBER_NET_NETDEV_H

#include <stdbool.h>
#include <stddef.h>

#include "net/net.h"
#include "util/mainloop.h"
#include "util/strbuf.h"
#include "util/timer.h"

/* What a backend runs on. */
typedef struct NetdevContext {
    MainLoop *loop;
    TimerList *timers;
} NetdevContext;

/* Opens "TYPE,id=ID,..." (QEMU's -netdev text). Backends that link to
 * another netdev (hubport's netdev=) find it among those opened before.
 * NULL with one line naming the culprit in err. */
NetClient *netdev_open(const char *spec, const NetdevContext *ctx, char *err, size_t errlen);
/* Closes one opened by netdev_open (and unlinks its peer). */
void netdev_close(NetClient *nc);

/* -object filter-dump,id=,netdev=,file=[,maxlen=]: the capture of a netdev. */
bool netdev_start_dump(const char *id, const char *netdev, const char *path, size_t maxlen,
                       char *err, size_t errlen);

/* The hub nc is a port of (net/hub.c), or -1. */
int net_hub_id(const NetClient *nc);

/* info network: QEMU's layout (hubs with their ports, then each NIC with
 * its netdev under it, then netdevs with no peer). */
void netdev_info(StrBuf *out);

/* hostfwd_add / hostfwd_remove on the user netdev named id (NULL: the
 * first one); rule as in -netdev user,hostfwd= (remove: PROTO:[HADDR]:HPORT).
 * false with QEMU's message in err. On success remove says what it did in
 * done ("host forwarding rule for tcp::5555 removed"). */
bool netdev_hostfwd_add(const char *id, const char *rule, char *err, size_t errlen);
bool netdev_hostfwd_remove(const char *id, const char *rule, char *done, size_t donelen);
/* info usernet: each user netdev's connections, as libslirp reports them. */
void netdev_usernet_info(StrBuf *out);

#endif
