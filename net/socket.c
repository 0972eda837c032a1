/* net/socket.c: -netdev socket,listen=[HOST]:PORT | connect=HOST:PORT: a
 * link to another VM (ember or QEMU) over TCP in QEMU's stream format,
 * each frame behind its length as a 32-bit big-endian number. Frames are
 * taken off the stream only while the NIC can take them (the rest wait in
 * the socket, so TCP holds the other VM off); frames for a peer that does
 * not keep up wait in a bounded output buffer, then the NIC is held off. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/backends.h"
#include "util/listen.h"
#include "util/log.h"

#define SOCKET_IN_SIZE (4 + NET_MAX_FRAME)
/* Output beyond this holds the NIC off. */
#define SOCKET_OUT_LIMIT (256 * 1024)

typedef struct SocketNet {
    NetClient nc;
    MainLoop *loop;
    int listen_fd, fd; /* -1: none */
    bool reading;      /* fd is watched for input */
    char address[LISTEN_HOST_SIZE + LISTEN_PORT_SIZE + 1];
    char peer_text[LISTEN_HOST_SIZE + LISTEN_PORT_SIZE +
                   32]; /* info network's "socket: ..." once connected */
    uint8_t in[SOCKET_IN_SIZE];
    size_t in_len;
    uint8_t *out;
    size_t out_len, out_cap;
} SocketNet;

static void socket_readable(void *opaque);
static void socket_writable(void *opaque);
static void socket_accept(void *opaque);

static void watch_input(SocketNet *s, bool on)
{
    if (on == s->reading || s->fd < 0)
        return;
    if (on && mainloop_add_fd(s->loop, s->fd, socket_readable, s) != 0) {
        error_report("netdev %s: cannot watch the socket", s->nc.id);
        return;
    }
    if (!on)
        mainloop_remove_fd(s->loop, s->fd);
    s->reading = on;
}

/* The other side left (or broke the format): a listener waits for the
 * next, as QEMU's does. */
static void disconnect(SocketNet *s, const char *why)
{
    warn_report("netdev %s: %s; the link is down", s->nc.id, why);
    watch_input(s, false);
    mainloop_set_writable(s->loop, s->fd, NULL, NULL);
    close(s->fd);
    s->fd = -1;
    s->in_len = s->out_len = 0;
    s->peer_text[0] = '\0';
    if (s->listen_fd >= 0 && mainloop_add_fd(s->loop, s->listen_fd, socket_accept, s) != 0)
        error_report("netdev %s: cannot wait for a new connection", s->nc.id);
    /* Frames the NIC held back for us are dropped now, not kept forever. */
    net_receiver_ready(&s->nc);
}

/* Hands complete frames of the input to the NIC while it takes them. */
static bool deliver_input(SocketNet *s)
{
    size_t pos = 0;
    bool ok = true;
    while (s->in_len - pos >= 4 && net_peer_can_receive(&s->nc)) {
        const uint8_t *p = s->in + pos;
        uint32_t len = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        if (len == 0 || len > NET_MAX_FRAME) {
            ok = false;
            break;
        }
        if (s->in_len - pos - 4 < len)
            break;
        net_send(&s->nc, p + 4, len);
        pos += 4 + len;
    }
    memmove(s->in, s->in + pos, s->in_len - pos);
    s->in_len -= pos;
    return ok;
}

static void socket_readable(void *opaque)
{
    SocketNet *s = opaque;
    ssize_t n = read(s->fd, s->in + s->in_len, sizeof(s->in) - s->in_len);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        disconnect(s, n == 0 ? "the other side closed the connection" : strerror(errno));
        return;
    }
    if (n > 0)
        s->in_len += (size_t)n;
    if (!deliver_input(s)) {
        disconnect(s, "a frame length out of range in the stream");
        return;
    }
    /* Hold off: what is not read stays in the socket, TCP slows the sender. */
    if (!net_peer_can_receive(&s->nc))
        watch_input(s, false);
}

static void socket_peer_ready(NetClient *nc)
{
    SocketNet *s = nc->opaque;
    if (s->fd < 0)
        return;
    if (!deliver_input(s)) {
        disconnect(s, "a frame length out of range in the stream");
        return;
    }
    if (net_peer_can_receive(&s->nc))
        watch_input(s, true);
}

/* Writes what the socket takes now; the rest waits for it to drain. */
static void flush_output(SocketNet *s)
{
    size_t done = 0;
    while (done < s->out_len) {
        ssize_t n = write(s->fd, s->out + done, s->out_len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN)
            break; /* the reader sees the failure and disconnects */
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    memmove(s->out, s->out + done, s->out_len - done);
    s->out_len -= done;
    mainloop_set_writable(s->loop, s->fd, s->out_len ? socket_writable : NULL, s);
}

static void socket_writable(void *opaque)
{
    SocketNet *s = opaque;
    flush_output(s);
    if (s->out_len < SOCKET_OUT_LIMIT)
        net_receiver_ready(&s->nc);
}

static bool socket_can_receive(NetClient *nc)
{
    SocketNet *s = nc->opaque;
    return s->fd < 0 || s->out_len < SOCKET_OUT_LIMIT;
}

static bool socket_receive(NetClient *nc, const uint8_t *buf, size_t len)
{
    SocketNet *s = nc->opaque;
    if (s->fd < 0)
        return true; /* no link: like a cable to nowhere */
    if (s->out_len >= SOCKET_OUT_LIMIT)
        return false;
    bool was_empty = s->out_len == 0;
    size_t need = s->out_len + 4 + len;
    if (need > s->out_cap) {
        size_t cap = s->out_cap ? s->out_cap : 64 * 1024;
        while (cap < need)
            cap *= 2;
        uint8_t *out = realloc(s->out, cap);
        if (!out)
            return true; /* dropped, as a full NIC would */
        s->out = out;
        s->out_cap = cap;
    }
    uint8_t *p = s->out + s->out_len;
    p[0] = (uint8_t)(len >> 24);
    p[1] = (uint8_t)(len >> 16);
    p[2] = (uint8_t)(len >> 8);
    p[3] = (uint8_t)len;
    memcpy(p + 4, buf, len);
    s->out_len = need;
    if (was_empty)
        flush_output(s); /* else the socket is watched for room already */
    return true;
}

static void describe(NetClient *nc, char *buf, size_t len)
{
    SocketNet *s = nc->opaque;
    snprintf(buf, len, "index=0,type=socket,%s", s->peer_text);
}

static void socket_cleanup(NetClient *nc)
{
    SocketNet *s = nc->opaque;
    if (s->fd >= 0) {
        watch_input(s, false);
        mainloop_set_writable(s->loop, s->fd, NULL, NULL);
        close(s->fd);
    }
    if (s->listen_fd >= 0) {
        mainloop_remove_fd(s->loop, s->listen_fd);
        close(s->listen_fd);
    }
    free(s->out);
    free(s);
}

static const NetClientOps socket_ops = {
    .type = "socket",
    .receive = socket_receive,
    .can_receive = socket_can_receive,
    .describe = describe,
    .peer_ready = socket_peer_ready,
    .cleanup = socket_cleanup,
};

static bool connected(SocketNet *s, int fd, const char *how)
{
    /* Frames are small writes that must not wait for each other. */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        close(fd);
        return false;
    }
    s->fd = fd;
    snprintf(s->peer_text, sizeof(s->peer_text), "socket: %s %s", how, s->address);
    watch_input(s, true);
    return true;
}

static void socket_accept(void *opaque)
{
    SocketNet *s = opaque;
    int fd = listen_accept(s->listen_fd);
    if (fd < 0)
        return;
    mainloop_remove_fd(s->loop, s->listen_fd); /* one link at a time */
    if (!connected(s, fd, "connection on"))
        error_report("netdev %s: cannot use the new connection", s->nc.id);
}

NetClient *net_socket_open(const char *id, const char *props, MainLoop *loop, char *err,
                           size_t errlen)
{
    char option[64];
    snprintf(option, sizeof(option), "-netdev socket,id=%s", id);
    char listen_at[LISTEN_HOST_SIZE + LISTEN_PORT_SIZE] = "", connect_to[sizeof(listen_at)] = "";
    KeyVal kv;
    for (const char *p = props; *p;) {
        if (!netdev_next_prop(&p, &kv, option, err, errlen))
            return NULL;
        if (!kv.key[0])
            break;
        bool is_listen = strcmp(kv.key, "listen") == 0;
        if ((is_listen || strcmp(kv.key, "connect") == 0) && strlen(kv.value) < sizeof(listen_at)) {
            strcpy(is_listen ? listen_at : connect_to, kv.value);
        } else {
            snprintf(err, errlen, "%s: Invalid parameter '%s' (listen= or connect=)", option,
                     kv.key);
            return NULL;
        }
    }
    if (!listen_at[0] == !connect_to[0]) {
        snprintf(err, errlen, "%s: exactly one of listen= and connect= is needed", option);
        return NULL;
    }
    const char *addr = listen_at[0] ? listen_at : connect_to;
    char host[LISTEN_HOST_SIZE], port[LISTEN_PORT_SIZE];
    if (!listen_parse_tcp(addr, strlen(addr), host, port)) {
        snprintf(err, errlen, "%s: '%s' is not [HOST]:PORT", option, addr);
        return NULL;
    }
    SocketNet *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->loop = loop;
    s->fd = s->listen_fd = -1;
    snprintf(s->address, sizeof(s->address), "%s:%s", host, port);
    net_client_init(&s->nc, &socket_ops, id, s);
    if (listen_at[0]) {
        s->listen_fd = listen_tcp(option, host, port, err, errlen);
        if (s->listen_fd < 0 || mainloop_add_fd(loop, s->listen_fd, socket_accept, s) != 0)
            goto fail;
    } else {
        int fd = connect_tcp(option, host, port, err, errlen);
        if (fd < 0 || !connected(s, fd, "connect to"))
            goto fail;
    }
    return &s->nc;
fail:
    if (!*err)
        snprintf(err, errlen, "%s: cannot set up the socket", option);
    net_client_cleanup(&s->nc);
    socket_cleanup(&s->nc);
    return NULL;
}
