/* chardev/socket.c: the tcp and unix socket backends: a server takes one
 * client at a time and waits for the next when it leaves (as QEMU's), a
 * client connects once. Parsing accepts QEMU's -serial spellings. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "chardev/chardev_internal.h"
#include "util/listen.h"
#include "util/log.h"

/* ---- Parsing ---- */

static bool parse_on_off(const char *value, size_t len, bool *out)
{
    if (len == 2 && strncmp(value, "on", 2) == 0)
        *out = true;
    else if (len == 3 && strncmp(value, "off", 3) == 0)
        *out = false;
    else
        return false;
    return true;
}

/* "[host]:port" or "host:port", up to the first comma. */
static bool parse_tcp_address(const char *text, const char *addr, size_t addr_len,
                              ChardevSpec *spec, char *err, size_t errlen)
{
    const char *host = addr, *host_end, *port;
    if (*addr == '[') {
        host = addr + 1;
        host_end = memchr(host, ']', addr_len - 1);
        if (!host_end || host_end[1] != ':') {
            snprintf(err, errlen, "'%s': expected tcp:[IPV6]:PORT", text);
            return false;
        }
        port = host_end + 2;
    } else {
        host_end = memchr(addr, ':', addr_len);
        if (!host_end) {
            snprintf(err, errlen, "'%s': expected tcp:HOST:PORT", text);
            return false;
        }
        if (memchr(host_end + 1, ':', addr_len - (size_t)(host_end + 1 - addr))) {
            snprintf(err, errlen, "'%s': an IPv6 address needs brackets: tcp:[ADDR]:PORT", text);
            return false;
        }
        port = host_end + 1;
    }
    size_t host_len = (size_t)(host_end - host);
    size_t port_len = (size_t)(addr + addr_len - port);
    if (host_len >= sizeof(spec->host)) {
        snprintf(err, errlen, "'%s': host name too long", text);
        return false;
    }
    unsigned long port_value = 0;
    bool port_ok = port_len > 0 && port_len < sizeof(spec->port);
    for (size_t i = 0; port_ok && i < port_len; i++) {
        port_ok = port[i] >= '0' && port[i] <= '9';
        port_value = port_value * 10 + (unsigned long)(port[i] - '0');
    }
    if (!port_ok || port_value > 65535) {
        snprintf(err, errlen, "'%s': bad port '%.*s' (expected 0 to 65535)", text, (int)port_len,
                 port);
        return false;
    }
    memcpy(spec->host, host, host_len);
    spec->host[host_len] = '\0';
    memcpy(spec->port, port, port_len);
    spec->port[port_len] = '\0';
    return true;
}

bool chardev_socket_parse(const char *text, ChardevKind kind, const char *addr, ChardevSpec *spec,
                          char *err, size_t errlen)
{
    size_t addr_len = strcspn(addr, ",");
    const char *name = kind == CHARDEV_TCP ? "tcp" : "unix";
    if (kind == CHARDEV_TCP) {
        if (!parse_tcp_address(text, addr, addr_len, spec, err, errlen))
            return false;
    } else if (addr_len == 0) {
        snprintf(err, errlen, "'%s': unix: needs a path", text);
        return false;
    }
    /* The path ends at the first comma: QEMU's spelling has no escape. */
    if (kind == CHARDEV_UNIX) {
        if (addr_len >= sizeof(spec->socket_path)) {
            snprintf(err, errlen, "'%s': the socket path is too long", text);
            return false;
        }
        memcpy(spec->socket_path, addr, addr_len);
        spec->socket_path[addr_len] = '\0';
    }

    bool wait_given = false;
    spec->wait = true;
    for (const char *p = addr + addr_len; *p == ',';) {
        p++;
        size_t len = strcspn(p, ",");
        bool ok = true;
        if (len == 6 && strncmp(p, "server", 6) == 0) {
            spec->server = true;
        } else if (len > 7 && strncmp(p, "server=", 7) == 0) {
            ok = parse_on_off(p + 7, len - 7, &spec->server);
        } else if (len == 6 && strncmp(p, "nowait", 6) == 0) {
            spec->wait = false;
            wait_given = true;
        } else if (len == 4 && strncmp(p, "wait", 4) == 0) {
            spec->wait = true;
            wait_given = true;
        } else if (len > 5 && strncmp(p, "wait=", 5) == 0) {
            ok = parse_on_off(p + 5, len - 5, &spec->wait);
            wait_given = true;
        } else {
            ok = false;
        }
        if (!ok) {
            snprintf(err, errlen, "'%s': unknown %s option '%.*s' (server, nowait)", text, name,
                     (int)len, p);
            return false;
        }
        p += len;
    }
    if (!spec->server && wait_given) {
        snprintf(err, errlen, "'%s': wait/nowait only applies to a server", text);
        return false;
    }
    if (kind == CHARDEV_TCP && !spec->server && strcmp(spec->port, "0") == 0) {
        snprintf(err, errlen, "'%s': cannot connect to port 0", text);
        return false;
    }
    spec->kind = kind;
    return true;
}

/* ---- Connections ---- */

static void accept_ready(void *opaque);

static void watch_listener(Chardev *chr)
{
    int ret = mainloop_add_fd(chr->loop, chr->listen_fd, accept_ready, chr);
    if (ret < 0)
        error_report("%s: cannot watch for connections: %s", chr->address, strerror(-ret));
}

static void note_peer(Chardev *chr, int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    char host[64] = "", port[16] = "";
    chr->peer[0] = '\0';
    if (chr->kind == CHARDEV_TCP && getpeername(fd, (struct sockaddr *)&ss, &len) == 0 &&
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), port, sizeof(port),
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0)
        snprintf(chr->peer, sizeof(chr->peer), "%s:%s", host, port);
}

static void connected(Chardev *chr, int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    chr->socket_fd = chr->in_fd = chr->out_fd = fd;
    note_peer(chr, fd);
    chardev_update_input_watch(chr);
    chardev_send_event(chr, CHARDEV_OPENED);
}

void chardev_socket_disconnect(Chardev *chr)
{
    if (chr->socket_fd < 0)
        return;
    chardev_drop_output(chr);
    chr->in_fd = chr->out_fd = -1;
    chardev_update_input_watch(chr);
    close(chr->socket_fd);
    chr->socket_fd = -1;
    chr->peer[0] = '\0';
    /* Input of the old client never reaches the next one. */
    chr->in_len = 0;
    chr->escape_pending = false;
    if (chr->listen_fd >= 0)
        watch_listener(chr);
    chardev_send_event(chr, CHARDEV_CLOSED);
}

static void accept_ready(void *opaque)
{
    Chardev *chr = opaque;
    int fd = listen_accept(chr->listen_fd);
    if (fd >= 0) {
        /* One client at a time: the next waits in the backlog. */
        mainloop_remove_fd(chr->loop, chr->listen_fd);
        connected(chr, fd);
    } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED) {
        /* The listener would stay readable: stop, or the loop spins. */
        error_report("%s: accept failed, no more connections: %s", chr->address, strerror(errno));
        mainloop_remove_fd(chr->loop, chr->listen_fd);
    }
}

static int connect_unix(const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(sun.sun_path)) {
        snprintf(err, errlen, "unix:%s: the path is too long", path);
        return -1;
    }
    memcpy(sun.sun_path, path, strlen(path));
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
        snprintf(err, errlen, "unix:%s: cannot connect: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

bool chardev_socket_open(Chardev *chr, const ChardevSpec *spec, char *err, size_t errlen)
{
    bool tcp = spec->kind == CHARDEV_TCP;
    if (tcp)
        snprintf(chr->address, sizeof(chr->address), "tcp:%s:%s%s", spec->host, spec->port,
                 spec->server ? ",server=on" : "");
    else
        snprintf(chr->address, sizeof(chr->address), "unix:%s%s", spec->socket_path,
                 spec->server ? ",server=on" : "");
    if (!spec->server) {
        int fd = tcp ? connect_tcp("tcp", spec->host, spec->port, err, errlen)
                     : connect_unix(spec->socket_path, err, errlen);
        if (fd < 0)
            return false;
        connected(chr, fd);
        return true;
    }
    char what[320];
    snprintf(what, sizeof(what), "%s", tcp ? "tcp" : "unix");
    chr->listen_fd =
        tcp ? listen_tcp(what, spec->host[0] ? spec->host : NULL, spec->port, err, errlen)
            : listen_unix(what, spec->socket_path, err, errlen);
    if (chr->listen_fd < 0)
        return false;
    if (!tcp)
        snprintf(chr->unix_path, sizeof(chr->unix_path), "%s", spec->socket_path);
    if (spec->wait) {
        fprintf(stderr, "ember: info: waiting for connection on %s\n", chr->address);
        int client;
        do {
            client = listen_accept(chr->listen_fd);
        } while (client < 0 && errno == EINTR);
        if (client < 0) {
            snprintf(err, errlen, "%s: accept: %s", chr->address, strerror(errno));
            return false;
        }
        connected(chr, client);
    }
    /* A client that gives up between poll and accept must not block us. */
    fcntl(chr->listen_fd, F_SETFL, fcntl(chr->listen_fd, F_GETFL) | O_NONBLOCK);
    if (chr->socket_fd < 0)
        watch_listener(chr);
    return true;
}

void chardev_socket_close(Chardev *chr)
{
    if (chr->socket_fd >= 0) {
        mainloop_set_writable(chr->loop, chr->socket_fd, NULL, NULL);
        close(chr->socket_fd);
        chr->socket_fd = -1;
    }
    if (chr->listen_fd >= 0) {
        mainloop_remove_fd(chr->loop, chr->listen_fd);
        close(chr->listen_fd);
        chr->listen_fd = -1;
    }
    if (chr->unix_path[0])
        unlink(chr->unix_path);
}
