/* net/backends.h: the -netdev backends' constructors and their own
 * operations, for net/netdev.c (which parses the common part and keeps
 * the list). props is what follows TYPE and id in the option text. */
#ifndef EMBER_NET_BACKENDS_H
#define EMBER_NET_BACKENDS_H

#include <stddef.h>

#include "net/net.h"
#include "util/keyval.h"
#include "util/mainloop.h"
#include "util/timer.h"

/* The next of a backend's KEY=VALUE items, skipping the id (netdev.c
 * took it); an empty key when only the id was left. */
bool netdev_next_prop(const char **cursor, KeyVal *kv, const char *option, char *err,
                      size_t errlen);

/* net/slirp.c: -netdev user */
NetClient *net_user_open(const char *id, const char *props, MainLoop *loop, TimerList *timers,
                         char *err, size_t errlen);
bool net_is_user(const NetClient *nc);
bool net_user_hostfwd_add(NetClient *nc, const char *rule, char *err, size_t errlen);
bool net_user_hostfwd_remove(NetClient *nc, const char *rule, char *done, size_t donelen);
/* libslirp's connection table (malloc'd text). */
char *net_user_connections(NetClient *nc);

/* net/socket.c: -netdev socket, QEMU's stream of length-prefixed frames */
NetClient *net_socket_open(const char *id, const char *props, MainLoop *loop, char *err,
                           size_t errlen);

/* net/hub.c: -netdev hubport, a port of a virtual switch */
NetClient *net_hubport_open(const char *id, const char *props, char *err, size_t errlen);
/* Each hub, last created first, its ports as QEMU lists them. */
typedef void NetHubVisitor(void *opaque, int hub_id, NetClient *port);
void net_hub_visit(NetHubVisitor *visit, void *opaque);

#endif
