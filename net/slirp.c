/* net/slirp.c: -netdev user: QEMU's user-mode networking on Debian's
 * libslirp. The guest sees a NAT router (10.0.2.2), a DNS forwarder
 * (10.0.2.3) and a DHCP server handing out 10.0.2.15 on; its connections
 * become the host's sockets, and hostfwd rules carry host ports in.
 * libslirp's sockets join each wait of ember's main loop (a source), its
 * timers run on the machine's timer list, both on guest time as in QEMU. */
#include "net/backends.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <slirp/libslirp.h>

#include "util/log.h"

#define USER_MAX_HOSTFWD 16

typedef struct UserNet UserNet;

typedef struct UserTimer {
    Timer timer;
    UserNet *user;
    SlirpTimerId id;
    void *cb_opaque;
} UserTimer;

struct UserNet {
    NetClient nc;
    Slirp *slirp;
    MainLoop *loop;
    TimerList *timers;
    struct in_addr net, mask, dhcp_start;
    bool restricted;
    /* While the NIC cannot take frames, sockets with data for the guest
     * are left out of the wait, so libslirp reads nothing more. */
    bool holding_off;
    char hostname[64];
};

/* ---- What libslirp asks of ember ---- */

static ssize_t user_send_packet(const void *buf, size_t len, void *opaque)
{
    UserNet *u = opaque;
    net_send(&u->nc, buf, len);
    return (ssize_t)len;
}

static void user_guest_error(const char *msg, void *opaque)
{
    UserNet *u = opaque;
    warn_report_guest(u, "netdev %s: %s", u->nc.id, msg);
}

static int64_t user_clock_ns(void *opaque)
{
    (void)opaque;
    return (int64_t)clock_virtual_ns();
}

static void user_timer_fired(void *opaque)
{
    UserTimer *t = opaque;
    slirp_handle_timer(t->user->slirp, t->id, t->cb_opaque);
}

static void *user_timer_new(SlirpTimerId id, void *cb_opaque, void *opaque)
{
    UserNet *u = opaque;
    UserTimer *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    *t = (UserTimer){.user = u, .id = id, .cb_opaque = cb_opaque};
    timer_init(&t->timer, u->timers, user_timer_fired, t);
    return t;
}

static void user_timer_free(void *timer, void *opaque)
{
    (void)opaque;
    UserTimer *t = timer;
    if (t) {
        timer_cancel(&t->timer);
        free(t);
    }
}

static void user_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    (void)opaque;
    UserTimer *t = timer;
    if (t)
        timer_arm(&t->timer, expire_ms < 0 ? 0 : (uint64_t)expire_ms * 1000000u);
}

/* Sockets are polled through the main-loop source, not registered. */
static void user_poll_fd_noop(int fd, void *opaque)
{
    (void)fd;
    (void)opaque;
}

static void user_notify(void *opaque)
{
    (void)opaque; /* one thread: the next wait looks again */
}

static const SlirpCb user_callbacks = {
    .send_packet = user_send_packet,
    .guest_error = user_guest_error,
    .clock_get_ns = user_clock_ns,
    .timer_free = user_timer_free,
    .timer_mod = user_timer_mod,
    .register_poll_fd = user_poll_fd_noop,
    .unregister_poll_fd = user_poll_fd_noop,
    .notify = user_notify,
    .timer_new_opaque = user_timer_new,
};

/* ---- The main-loop source ---- */

static short to_poll_events(int slirp_events)
{
    return (short)(((slirp_events & SLIRP_POLL_IN) ? POLLIN : 0) |
                   ((slirp_events & SLIRP_POLL_OUT) ? POLLOUT : 0) |
                   ((slirp_events & SLIRP_POLL_PRI) ? POLLPRI : 0));
}

static int user_add_poll(int fd, int events, void *opaque)
{
    UserNet *u = opaque;
    if (u->holding_off && (events & SLIRP_POLL_IN))
        return -1;
    return mainloop_poll_add(u->loop, fd, to_poll_events(events));
}

static int user_get_revents(int idx, void *opaque)
{
    UserNet *u = opaque;
    short r = mainloop_poll_revents(u->loop, idx);
    return ((r & POLLIN) ? SLIRP_POLL_IN : 0) | ((r & POLLOUT) ? SLIRP_POLL_OUT : 0) |
           ((r & POLLPRI) ? SLIRP_POLL_PRI : 0) | ((r & POLLERR) ? SLIRP_POLL_ERR : 0) |
           ((r & POLLHUP) ? SLIRP_POLL_HUP : 0);
}

static void user_prepare(void *opaque, int64_t *timeout_ns)
{
    UserNet *u = opaque;
    u->holding_off = !net_peer_can_receive(&u->nc);
    uint32_t ms = UINT32_MAX;
    if (*timeout_ns >= 0 && *timeout_ns / 1000000 < UINT32_MAX)
        ms = (uint32_t)(*timeout_ns / 1000000);
    uint32_t before = ms;
    slirp_pollfds_fill(u->slirp, &ms, user_add_poll, u);
    if (ms < before)
        *timeout_ns = (int64_t)ms * 1000000;
}

static void user_dispatch(void *opaque, bool error)
{
    UserNet *u = opaque;
    slirp_pollfds_poll(u->slirp, error, user_get_revents, u);
}

/* ---- The client ---- */

static bool user_receive(NetClient *nc, const uint8_t *buf, size_t len)
{
    UserNet *u = nc->opaque;
    slirp_input(u->slirp, buf, (int)len);
    return true;
}

static void user_describe(NetClient *nc, char *buf, size_t len)
{
    UserNet *u = nc->opaque;
    snprintf(buf, len, "index=0,type=user,net=%s,restrict=%s", inet_ntoa(u->net),
             u->restricted ? "on" : "off");
}

static void user_cleanup(NetClient *nc)
{
    UserNet *u = nc->opaque;
    mainloop_remove_source(u->loop, u);
    if (u->slirp)
        slirp_cleanup(u->slirp);
    free(u);
}

static const NetClientOps user_ops = {
    .type = "user",
    .receive = user_receive,
    .describe = user_describe,
    .cleanup = user_cleanup,
};

bool net_is_user(const NetClient *nc)
{
    return nc->ops == &user_ops;
}

/* ---- Options ---- */

static bool parse_addr(const char *text, struct in_addr *addr)
{
    return inet_pton(AF_INET, text, addr) == 1;
}

/* net=ADDR[/MASK], MASK as a prefix length or dotted, as QEMU takes it. */
static bool parse_net(const char *text, struct in_addr *net, struct in_addr *mask)
{
    char addr[INET_ADDRSTRLEN];
    const char *slash = strchr(text, '/');
    size_t n = slash ? (size_t)(slash - text) : strlen(text);
    if (n >= sizeof(addr))
        return false;
    memcpy(addr, text, n);
    addr[n] = '\0';
    if (!parse_addr(addr, net))
        return false;
    if (!slash) {
        /* QEMU's default for a bare address: its class's mask, /24 at most. */
        uint32_t a = ntohl(net->s_addr);
        unsigned bits = (a >> 31) == 0 ? 8 : (a >> 30) == 2 ? 16 : 24;
        mask->s_addr = htonl(~0u << (32 - bits));
    } else if (strchr(slash + 1, '.')) {
        if (!parse_addr(slash + 1, mask))
            return false;
        uint32_t m = ntohl(mask->s_addr);
        if (m & (~m >> 1)) /* not contiguous ones then zeros */
            return false;
    } else {
        char *end;
        errno = 0;
        unsigned long bits = strtoul(slash + 1, &end, 10);
        if (errno || *end || end == slash + 1 || bits < 1 || bits > 32)
            return false;
        mask->s_addr = htonl(bits == 32 ? ~0u : ~0u << (32 - bits));
    }
    net->s_addr &= mask->s_addr;
    return true;
}

/* One rule, "tcp|udp:[HADDR]:HPORT[-[GADDR]:GPORT]": the host half, and
 * the guest half when guest is given. QEMU's reasons on failure. */
static bool parse_fwd(const char *rule, bool *udp, struct in_addr *haddr, int *hport,
                      struct in_addr *gaddr, int *gport, struct in_addr default_guest,
                      const char **reason)
{
    char buf[256];
    if (snprintf(buf, sizeof(buf), "%s", rule) >= (int)sizeof(buf)) {
        *reason = "Rule too long";
        return false;
    }
    char *p = buf, *colon = strchr(p, ':');
    if (!colon) {
        *reason = "No : separators";
        return false;
    }
    *colon = '\0';
    if (strcmp(p, "tcp") == 0 || *p == '\0')
        *udp = false;
    else if (strcmp(p, "udp") == 0)
        *udp = true;
    else {
        *reason = "Bad protocol name";
        return false;
    }
    p = colon + 1;
    if (!(colon = strchr(p, ':'))) {
        *reason = "Missing : separator";
        return false;
    }
    *colon = '\0';
    /* A forwarded port listens on loopback unless an address is given:
     * whoever reaches it reaches the guest's service. */
    if (*p == '\0')
        inet_pton(AF_INET, "127.0.0.1", haddr);
    else if (!parse_addr(p, haddr)) {
        *reason = "Bad host address";
        return false;
    }
    p = colon + 1;
    char *dash = strchr(p, '-');
    if (dash)
        *dash = '\0';
    char *end;
    long port = strtol(p, &end, 10);
    if (*p == '\0' || *end || port < 0 || port > 65535) {
        *reason = "Bad host port";
        return false;
    }
    *hport = (int)port;
    if (!gaddr)
        return true;
    if (!dash) {
        *reason = "Bad host port separator";
        return false;
    }
    p = dash + 1;
    if (!(colon = strchr(p, ':'))) {
        *reason = "Missing guest address";
        return false;
    }
    *colon = '\0';
    if (*p == '\0')
        *gaddr = default_guest;
    else if (!parse_addr(p, gaddr)) {
        *reason = "Bad guest address";
        return false;
    }
    p = colon + 1;
    port = strtol(p, &end, 10);
    if (*p == '\0' || *end || port < 1 || port > 65535) {
        *reason = "Bad guest port";
        return false;
    }
    *gport = (int)port;
    return true;
}

bool net_user_hostfwd_add(NetClient *nc, const char *rule, char *err, size_t errlen)
{
    UserNet *u = nc->opaque;
    bool udp;
    struct in_addr haddr, gaddr;
    int hport, gport;
    const char *reason;
    if (!parse_fwd(rule, &udp, &haddr, &hport, &gaddr, &gport, u->dhcp_start, &reason)) {
        snprintf(err, errlen, "Invalid host forwarding rule '%s' (%s)", rule, reason);
        return false;
    }
    if (slirp_add_hostfwd(u->slirp, udp, haddr, hport, gaddr, gport) < 0) {
        snprintf(err, errlen, "Could not set up host forwarding rule '%s'", rule);
        return false;
    }
    return true;
}

bool net_user_hostfwd_remove(NetClient *nc, const char *rule, char *done, size_t donelen)
{
    UserNet *u = nc->opaque;
    bool udp;
    struct in_addr haddr;
    int hport;
    const char *reason;
    if (!parse_fwd(rule, &udp, &haddr, &hport, NULL, NULL, u->dhcp_start, &reason)) {
        snprintf(done, donelen, "invalid format");
        return false;
    }
    if (slirp_remove_hostfwd(u->slirp, udp, haddr, hport) < 0) {
        snprintf(done, donelen, "host forwarding rule for %s not found", rule);
        return false;
    }
    snprintf(done, donelen, "host forwarding rule for %s removed", rule);
    return true;
}

char *net_user_connections(NetClient *nc)
{
    UserNet *u = nc->opaque;
    return slirp_connection_info(u->slirp);
}

NetClient *net_user_open(const char *id, const char *props, MainLoop *loop, TimerList *timers,
                         char *err, size_t errlen)
{
    UserNet *u = calloc(1, sizeof(*u));
    if (!u) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    u->loop = loop;
    u->timers = timers;
    net_client_init(&u->nc, &user_ops, id, u);
    SlirpConfig cfg = {.version = 4, .in_enabled = true, .in6_enabled = true, .vprefix_len = 64};
    inet_pton(AF_INET, "10.0.2.0", &u->net);
    inet_pton(AF_INET, "255.255.255.0", &u->mask);
    struct in_addr host = {0}, dhcp = {0}, dns = {0};
    bool host_set = false, dhcp_set = false, dns_set = false;
    char domain[64] = "";
    KeyVal fwds[USER_MAX_HOSTFWD]; /* added once libslirp runs */
    unsigned n_fwds = 0;
    KeyVal item;
    char option[64];
    snprintf(option, sizeof(option), "-netdev user,id=%s", id);
    for (const char *p = props; *p;) {
        if (!netdev_next_prop(&p, &item, option, err, errlen))
            goto fail;
        if (!item.key[0])
            break;
        const char *k = item.key, *v = item.value;
        bool ok = true;
        if (strcmp(k, "net") == 0)
            ok = parse_net(v, &u->net, &u->mask);
        else if (strcmp(k, "host") == 0)
            ok = host_set = parse_addr(v, &host);
        else if (strcmp(k, "dhcpstart") == 0)
            ok = dhcp_set = parse_addr(v, &dhcp);
        else if (strcmp(k, "dns") == 0)
            ok = dns_set = parse_addr(v, &dns);
        else if (strcmp(k, "restrict") == 0)
            ok = keyval_bool(v, &u->restricted);
        else if (strcmp(k, "ipv4") == 0)
            ok = keyval_bool(v, &cfg.in_enabled);
        else if (strcmp(k, "ipv6") == 0)
            ok = keyval_bool(v, &cfg.in6_enabled);
        else if (strcmp(k, "hostname") == 0)
            ok = snprintf(u->hostname, sizeof(u->hostname), "%s", v) < (int)sizeof(u->hostname);
        else if (strcmp(k, "domainname") == 0)
            ok = snprintf(domain, sizeof(domain), "%s", v) < (int)sizeof(domain);
        else if (strcmp(k, "hostfwd") == 0) {
            if (n_fwds == USER_MAX_HOSTFWD) {
                snprintf(err, errlen, "%s: at most %d hostfwd rules", option, USER_MAX_HOSTFWD);
                goto fail;
            }
            fwds[n_fwds++] = item;
        } else {
            snprintf(err, errlen, "%s: Invalid parameter '%s'", option, k);
            goto fail;
        }
        if (!ok) {
            snprintf(err, errlen, "%s: invalid %s '%s'", option, k, v);
            goto fail;
        }
    }
    if (!cfg.in_enabled && !cfg.in6_enabled) {
        snprintf(err, errlen, "%s: IPv4 and IPv6 cannot both be disabled", option);
        goto fail;
    }
    /* QEMU's addresses inside the network: .2 the host, .3 DNS, .15 on DHCP. */
    uint32_t base = ntohl(u->net.s_addr);
    if (!host_set)
        host.s_addr = htonl(base | 2);
    if (!dhcp_set)
        dhcp.s_addr = htonl(base | 15);
    if (!dns_set)
        dns.s_addr = htonl(base | 3);
    struct in_addr checked[3] = {host, dhcp, dns};
    const char *names[3] = {"host", "dhcpstart", "dns"};
    for (int i = 0; i < 3; i++) {
        if ((checked[i].s_addr & u->mask.s_addr) != u->net.s_addr) {
            char addr[INET_ADDRSTRLEN], net[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &checked[i], addr, sizeof(addr));
            inet_ntop(AF_INET, &u->net, net, sizeof(net));
            snprintf(err, errlen, "%s: %s %s is not in the guest network %s", option, names[i],
                     addr, net);
            goto fail;
        }
    }
    u->dhcp_start = dhcp;
    cfg.restricted = u->restricted;
    cfg.vnetwork = u->net;
    cfg.vnetmask = u->mask;
    cfg.vhost = host;
    cfg.vdhcp_start = dhcp;
    cfg.vnameserver = dns;
    inet_pton(AF_INET6, "fec0::", &cfg.vprefix_addr6);
    inet_pton(AF_INET6, "fec0::2", &cfg.vhost6);
    inet_pton(AF_INET6, "fec0::3", &cfg.vnameserver6);
    cfg.vhostname = u->hostname[0] ? u->hostname : NULL;
    cfg.vdomainname = domain[0] ? domain : NULL;
    u->slirp = slirp_new(&cfg, &user_callbacks, u);
    if (!u->slirp) {
        snprintf(err, errlen, "%s: libslirp could not start", option);
        goto fail;
    }
    for (unsigned i = 0; i < n_fwds; i++)
        if (!net_user_hostfwd_add(&u->nc, fwds[i].value, err, errlen))
            goto fail;
    MainLoopSource source = {user_prepare, user_dispatch, u};
    if (mainloop_add_source(loop, &source) != 0) {
        snprintf(err, errlen, "%s: too many user netdevs", option);
        goto fail;
    }
    return &u->nc;
fail:
    net_client_cleanup(&u->nc);
    user_cleanup(&u->nc);
    return NULL;
}
