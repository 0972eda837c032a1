/* util/listen.h: sockets for ember's servers (gdbstub, QMP) and clients
 * (chardevs, the socket netdev): TCP on a host and port, or a Unix socket
 * path. */
#ifndef EMBER_UTIL_LISTEN_H
#define EMBER_UTIL_LISTEN_H

#include <stddef.h>

#include <stdbool.h>

#define LISTEN_HOST_SIZE 256
#define LISTEN_PORT_SIZE 8

/* "[HOST]:PORT", len bytes of it: the host (127.0.0.1 when none is given:
 * whoever reaches one of ember's servers owns the machine) and a decimal
 * port up to 65535. */
bool listen_parse_tcp(const char *addr, size_t len, char *host, char *port);

/* A listening socket (close-on-exec; host NULL: every address), or -1 with
 * one line in err naming what for (option) and the system's reason. */
int listen_tcp(const char *option, const char *host, const char *port, char *err, size_t errlen);
/* Accepts a client (close-on-exec; for TCP without Nagle's delay, as
 * request-reply protocols need). -1 when none was waiting. */
int listen_accept(int listen_fd);
/* A connected TCP socket (close-on-exec; blocking; host "" is the local
 * host), or -1 with "OPTION:HOST:PORT: reason" in err. */
int connect_tcp(const char *option, const char *host, const char *port, char *err, size_t errlen);
/* An existing file at path is replaced, as QEMU replaces it. */
int listen_unix(const char *option, const char *path, char *err, size_t errlen);

#endif
