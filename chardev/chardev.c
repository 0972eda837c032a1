/* chardev/chardev.c: character backends behind serial ports (stdio, null,
 * file, tcp) with QEMU's Ctrl-A escapes and flow-controlled input. */
#define _GNU_SOURCE /* accept4 */
#include "chardev/chardev.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "util/log.h"
#include "util/signals.h"

/* Input read from the source but not yet taken by the frontend (a paste
 * into a guest that reads slowly waits here, then in the source itself). */
#define INPUT_BUFFER_SIZE 4096

struct Chardev {
    ChardevKind kind;
    MainLoop *loop;
    int in_fd;       /* -1: no input (none, or its end was reached) */
    int out_fd;      /* -1: output is discarded */
    int watched_fd;  /* the input fd registered with the loop, -1 if none */
    int file_fd;     /* file backend: closed by chardev_close */
    int listen_fd;   /* tcp server */
    int socket_fd;   /* tcp: the connection, -1 while there is none */
    bool owns_stdio; /* the one stdio chardev: restores the terminal */
    bool escapes;
    bool escape_pending; /* Ctrl-A seen, its command byte not yet */
    ChardevFrontend frontend;
    void (*quit)(void *opaque);
    void *quit_opaque;
    uint8_t in_buf[INPUT_BUFFER_SIZE];
    size_t in_head;
    size_t in_len;
};

static const char usage[] = "use stdio, null, file:PATH or tcp:HOST:PORT,server[,nowait]";

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

/* "[host]:port" or "host:port"; the options after the first comma. */
static bool parse_tcp(const char *text, const char *addr, ChardevSpec *spec, char *err,
                      size_t errlen)
{
    size_t addr_len = strcspn(addr, ",");
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
            snprintf(err, errlen, "'%s': unknown tcp option '%.*s' (server, nowait)", text,
                     (int)len, p);
            return false;
        }
        p += len;
    }
    if (!spec->server && wait_given) {
        snprintf(err, errlen, "'%s': wait/nowait only applies to a server", text);
        return false;
    }
    if (!spec->server && port_value == 0) {
        snprintf(err, errlen, "'%s': cannot connect to port 0", text);
        return false;
    }
    spec->kind = CHARDEV_TCP;
    return true;
}

bool chardev_parse_spec(const char *text, ChardevSpec *spec, char *err, size_t errlen)
{
    memset(spec, 0, sizeof(*spec));
    if (strcmp(text, "stdio") == 0 || strcmp(text, "mon:stdio") == 0) {
        spec->kind = CHARDEV_STDIO;
    } else if (strcmp(text, "null") == 0 || strcmp(text, "none") == 0) {
        spec->kind = CHARDEV_NULL;
    } else if (strncmp(text, "file:", 5) == 0) {
        if (text[5] == '\0') {
            snprintf(err, errlen, "'%s': file: needs a path", text);
            return false;
        }
        spec->kind = CHARDEV_FILE;
        spec->path = text + 5;
    } else if (strncmp(text, "tcp:", 4) == 0) {
        return parse_tcp(text, text + 4, spec, err, errlen);
    } else {
        snprintf(err, errlen, "unknown character device '%s' (%s)", text, usage);
        return false;
    }
    return true;
}

/* ---- The terminal: raw while ember runs, restored however it ends ---- */

static bool stdio_in_use;
static struct termios saved_termios;
static volatile sig_atomic_t terminal_is_raw;

/* Async-signal-safe: tcsetattr is, and the state is a sig_atomic_t. */
static void terminal_restore(void)
{
    if (terminal_is_raw) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
        terminal_is_raw = 0;
    }
}

static void install_restore_handlers(void)
{
    static bool installed;
    if (installed)
        return;
    installed = true;
    atexit(terminal_restore);
    signals_at_death(terminal_restore);
}

/* QEMU's stdio settings with signals off, as for -nographic: keys,
 * including Ctrl-C, Ctrl-Z and Ctrl-S, reach the guest unchanged, while
 * output processing stays on so stray newlines still return the carriage. */
static bool terminal_make_raw(char *err, size_t errlen)
{
    if (tcgetattr(STDIN_FILENO, &saved_termios) != 0) {
        snprintf(err, errlen, "stdio: cannot read the terminal settings: %s", strerror(errno));
        return false;
    }
    struct termios raw = saved_termios;
    raw.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    raw.c_oflag |= OPOST;
    raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | IEXTEN | ISIG);
    raw.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    raw.c_cflag |= CS8;
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    install_restore_handlers();
    terminal_is_raw = 1;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) != 0) {
        terminal_is_raw = 0;
        snprintf(err, errlen, "stdio: cannot switch the terminal to raw mode: %s", strerror(errno));
        return false;
    }
    return true;
}

/* ---- Input: source -> escapes -> buffer -> frontend ---- */

static void input_ready(void *opaque);

static void update_input_watch(Chardev *chr)
{
    bool want = chr->in_fd >= 0 && chr->in_len < sizeof(chr->in_buf);
    if (chr->watched_fd >= 0 && (!want || chr->watched_fd != chr->in_fd)) {
        mainloop_remove_fd(chr->loop, chr->watched_fd);
        chr->watched_fd = -1;
    }
    if (want && chr->watched_fd < 0) {
        int ret = mainloop_add_fd(chr->loop, chr->in_fd, input_ready, chr);
        if (ret < 0)
            error_report("serial input: cannot watch fd %d: %s", chr->in_fd, strerror(-ret));
        else
            chr->watched_fd = chr->in_fd;
    }
}

static void buffer_put(Chardev *chr, uint8_t byte)
{
    chr->in_buf[(chr->in_head + chr->in_len) % sizeof(chr->in_buf)] = byte;
    chr->in_len++;
}

static void deliver_input(Chardev *chr)
{
    while (chr->in_len && chr->frontend.receive) {
        size_t n = chr->frontend.can_receive(chr->frontend.opaque);
        size_t contiguous = sizeof(chr->in_buf) - chr->in_head;
        if (n > chr->in_len)
            n = chr->in_len;
        if (n > contiguous)
            n = contiguous;
        if (n == 0)
            return;
        chr->frontend.receive(chr->frontend.opaque, &chr->in_buf[chr->in_head], n);
        chr->in_head = (chr->in_head + n) % sizeof(chr->in_buf);
        chr->in_len -= n;
    }
}

static void write_string(Chardev *chr, const char *text)
{
    chardev_write(chr, (const uint8_t *)text, strlen(text));
}

/* QEMU's mux escapes: Ctrl-A then a command byte; unknown commands are
 * dropped, so a stray Ctrl-A never leaks half a command to the guest. */
static void escape_byte(Chardev *chr, uint8_t byte)
{
    if (!chr->escape_pending) {
        if (byte == CHARDEV_ESCAPE_CHAR)
            chr->escape_pending = true;
        else
            buffer_put(chr, byte);
        return;
    }
    chr->escape_pending = false;
    switch (byte) {
    case CHARDEV_ESCAPE_CHAR:
        buffer_put(chr, byte);
        break;
    case 'x':
        if (chr->quit) {
            write_string(chr, "ember: terminated\r\n");
            chr->quit(chr->quit_opaque);
        }
        break;
    case 'h':
    case '?':
        write_string(chr, "\r\n"
                          "C-a h    print this help\r\n"
                          "C-a x    exit emulator\r\n"
                          "C-a C-a  sends C-a\r\n");
        break;
    default: /* 'c' (the monitor) is reserved until there is a monitor */
        break;
    }
}

static void tcp_disconnect(Chardev *chr);

static void input_closed(Chardev *chr)
{
    if (chr->kind == CHARDEV_TCP) {
        tcp_disconnect(chr);
        return;
    }
    /* End of file stays readable forever: stop watching, or the loop spins. */
    chr->in_fd = -1;
    update_input_watch(chr);
}

static void input_ready(void *opaque)
{
    Chardev *chr = opaque;
    uint8_t raw[INPUT_BUFFER_SIZE];
    /* The watch exists only while the buffer has room, so this reads at
     * least one byte and every byte read fits (escapes only shrink it). */
    ssize_t n = read(chr->in_fd, raw, sizeof(chr->in_buf) - chr->in_len);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (n <= 0) {
        input_closed(chr);
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (chr->escapes)
            escape_byte(chr, raw[i]);
        else
            buffer_put(chr, raw[i]);
    }
    chardev_accept_input(chr);
}

void chardev_accept_input(Chardev *chr)
{
    deliver_input(chr);
    update_input_watch(chr);
}

/* ---- Output ---- */

void chardev_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    while (len && chr->out_fd >= 0) {
        ssize_t n = chr->kind == CHARDEV_TCP ? send(chr->out_fd, buf, len, MSG_NOSIGNAL)
                                             : write(chr->out_fd, buf, len);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return; /* a tcp client that does not keep up loses output */
        } else if (chr->kind == CHARDEV_TCP) {
            tcp_disconnect(chr);
        } else {
            chr->out_fd = -1; /* the reader is gone: discard from now on */
        }
    }
}

/* ---- TCP ---- */

static void tcp_accept_ready(void *opaque);

static void tcp_watch_listener(Chardev *chr)
{
    int ret = mainloop_add_fd(chr->loop, chr->listen_fd, tcp_accept_ready, chr);
    if (ret < 0)
        error_report("serial tcp: cannot watch for connections: %s", strerror(-ret));
}

static void tcp_connected(Chardev *chr, int fd)
{
    mainloop_remove_fd(chr->loop, chr->listen_fd);
    chr->socket_fd = chr->in_fd = chr->out_fd = fd;
    update_input_watch(chr);
}

/* Back to waiting for the next client, as QEMU's server does. */
static void tcp_disconnect(Chardev *chr)
{
    chr->in_fd = chr->out_fd = -1;
    update_input_watch(chr);
    close(chr->socket_fd);
    chr->socket_fd = -1;
    if (chr->listen_fd >= 0)
        tcp_watch_listener(chr);
}

static void tcp_accept_ready(void *opaque)
{
    Chardev *chr = opaque;
    int fd = accept4(chr->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
        tcp_connected(chr, fd);
    } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED) {
        /* The listener would stay readable: stop, or the loop spins. */
        error_report("serial tcp: accept failed, no more connections: %s", strerror(errno));
        mainloop_remove_fd(chr->loop, chr->listen_fd);
    }
}

static bool tcp_open(Chardev *chr, const ChardevSpec *spec, char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = spec->server ? AI_PASSIVE : 0};
    struct addrinfo *list;
    const char *host = spec->host[0] ? spec->host : NULL;
    int gai = getaddrinfo(host, spec->port, &hints, &list);
    if (gai != 0) {
        snprintf(err, errlen, "tcp:%s:%s: %s", spec->host, spec->port, gai_strerror(gai));
        return false;
    }
    int fd = -1, saved_errno = 0;
    for (struct addrinfo *ai = list; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            saved_errno = errno;
            continue;
        }
        int one = 1;
        bool ok = spec->server
                      ? setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0 &&
                            bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0
                      : connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
        if (!ok) {
            saved_errno = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(list);
    if (fd < 0) {
        snprintf(err, errlen, "tcp:%s:%s: cannot %s: %s", spec->host, spec->port,
                 spec->server ? "listen" : "connect", strerror(saved_errno));
        return false;
    }
    if (!spec->server) {
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        chr->socket_fd = chr->in_fd = chr->out_fd = fd;
        return true;
    }
    chr->listen_fd = fd;
    if (spec->wait) {
        fprintf(stderr, "ember: info: waiting for connection on tcp:%s:%s\n", spec->host,
                spec->port);
        int client;
        do {
            client = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        } while (client < 0 && errno == EINTR);
        if (client < 0) {
            snprintf(err, errlen, "tcp:%s:%s: accept: %s", spec->host, spec->port, strerror(errno));
            return false;
        }
        chr->socket_fd = chr->in_fd = chr->out_fd = client;
    }
    /* A client that gives up between poll and accept must not block us. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (chr->socket_fd < 0)
        tcp_watch_listener(chr);
    return true;
}

/* ---- Life cycle ---- */

static Chardev *chardev_new(ChardevKind kind, MainLoop *loop)
{
    Chardev *chr = calloc(1, sizeof(*chr));
    if (!chr)
        return NULL;
    chr->kind = kind;
    chr->loop = loop;
    chr->in_fd = chr->out_fd = chr->watched_fd = -1;
    chr->file_fd = chr->listen_fd = chr->socket_fd = -1;
    return chr;
}

Chardev *chardev_open_fds(MainLoop *loop, int in_fd, int out_fd, bool escapes)
{
    /* Plain descriptors behave as stdio does, without the terminal. */
    Chardev *chr = chardev_new(CHARDEV_STDIO, loop);
    if (!chr)
        return NULL;
    chr->in_fd = in_fd;
    chr->out_fd = out_fd;
    chr->escapes = escapes;
    update_input_watch(chr);
    return chr;
}

static bool stdio_open(Chardev *chr, char *err, size_t errlen)
{
    if (stdio_in_use) {
        snprintf(err, errlen, "stdio: already used by another character device");
        return false;
    }
    /* A closed stdin or stdout is no input or no output, not an error. */
    chr->in_fd = fcntl(STDIN_FILENO, F_GETFD) >= 0 ? STDIN_FILENO : -1;
    chr->out_fd = fcntl(STDOUT_FILENO, F_GETFD) >= 0 ? STDOUT_FILENO : -1;
    chr->escapes = true;
    if (chr->in_fd >= 0 && isatty(chr->in_fd) && !terminal_make_raw(err, errlen))
        return false;
    stdio_in_use = chr->owns_stdio = true;
    return true;
}

Chardev *chardev_open(const ChardevSpec *spec, MainLoop *loop, char *err, size_t errlen)
{
    Chardev *chr = chardev_new(spec->kind, loop);
    if (!chr) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    bool ok = true;
    switch (spec->kind) {
    case CHARDEV_NULL:
        break;
    case CHARDEV_STDIO:
        ok = stdio_open(chr, err, errlen);
        break;
    case CHARDEV_FILE:
        chr->file_fd = open(spec->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (chr->file_fd < 0) {
            snprintf(err, errlen, "file:%s: cannot open: %s", spec->path, strerror(errno));
            ok = false;
        }
        chr->out_fd = chr->file_fd;
        break;
    case CHARDEV_TCP:
        ok = tcp_open(chr, spec, err, errlen);
        break;
    }
    if (!ok) {
        chardev_close(chr);
        return NULL;
    }
    update_input_watch(chr);
    return chr;
}

void chardev_close(Chardev *chr)
{
    if (!chr)
        return;
    chr->in_fd = -1;
    update_input_watch(chr);
    if (chr->owns_stdio) {
        terminal_restore();
        stdio_in_use = false;
    }
    if (chr->listen_fd >= 0) {
        mainloop_remove_fd(chr->loop, chr->listen_fd);
        close(chr->listen_fd);
    }
    if (chr->socket_fd >= 0)
        close(chr->socket_fd);
    if (chr->file_fd >= 0)
        close(chr->file_fd);
    free(chr);
}

void chardev_set_frontend(Chardev *chr, const ChardevFrontend *frontend)
{
    chr->frontend = *frontend;
    chardev_accept_input(chr);
}

void chardev_set_quit_handler(Chardev *chr, void (*quit)(void *opaque), void *opaque)
{
    chr->quit = quit;
    chr->quit_opaque = opaque;
}
