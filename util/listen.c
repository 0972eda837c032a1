/* util/listen.c: listening and connecting sockets for ember's servers and
 * clients. */
#define _GNU_SOURCE /* accept4, memrchr */
#include "util/listen.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

bool listen_parse_tcp(const char *addr, size_t len, char *host, char *port)
{
    const char *colon = memrchr(addr, ':', len);
    if (!colon)
        return false;
    size_t host_len = (size_t)(colon - addr), port_len = len - host_len - 1;
    unsigned long value = 0;
    for (size_t i = 0; i < port_len && value <= 65535; i++) {
        char c = colon[1 + i];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (unsigned long)(c - '0');
    }
    if (port_len == 0 || port_len >= LISTEN_PORT_SIZE || value > 65535 ||
        host_len >= LISTEN_HOST_SIZE)
        return false;
    const char *name = host_len ? addr : "127.0.0.1";
    size_t name_len = host_len ? host_len : strlen(name);
    memcpy(host, name, name_len);
    host[name_len] = '\0';
    memcpy(port, colon + 1, port_len);
    port[port_len] = '\0';
    return true;
}

int listen_tcp(const char *option, const char *host, const char *port, char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE},
                    *res;
    int rc = getaddrinfo(host, port, &hints, &res);
    const char *shown = host ? host : "";
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s:%s: %s", option, shown, port, gai_strerror(rc));
        return -1;
    }
    int fd = -1, saved = 0;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1) != 0) {
            saved = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        snprintf(err, errlen, "%s: cannot listen on %s:%s: %s", option, shown, port,
                 strerror(saved));
    return fd;
}

int connect_tcp(const char *option, const char *host, const char *port, char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
    struct addrinfo *list;
    int gai = getaddrinfo(host[0] ? host : NULL, port, &hints, &list);
    if (gai != 0) {
        snprintf(err, errlen, "%s:%s:%s: %s", option, host, port, gai_strerror(gai));
        return -1;
    }
    int fd = -1, saved_errno = 0;
    for (struct addrinfo *ai = list; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            saved_errno = errno;
            close(fd);
            fd = -1;
        } else if (fd < 0) {
            saved_errno = errno;
        }
    }
    freeaddrinfo(list);
    if (fd < 0)
        snprintf(err, errlen, "%s:%s:%s: cannot connect: %s", option, host, port,
                 strerror(saved_errno));
    return fd;
}

int listen_unix(const char *option, const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(sun.sun_path)) {
        snprintf(err, errlen, "%s: socket path '%s' is too long", option, path);
        return -1;
    }
    memcpy(sun.sun_path, path, strlen(path));
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    unlink(path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 || listen(fd, 1) != 0) {
        snprintf(err, errlen, "%s: cannot listen on '%s': %s", option, path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int listen_accept(int listen_fd)
{
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd >= 0) {
        /* A small reply must not wait for the client's delayed ACK. Unix
         * sockets refuse the option, which is fine. */
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    return fd;
}
