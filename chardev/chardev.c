/* chardev/chardev.c: character backends behind serial ports and monitors
 * (stdio, null, file; the sockets are in socket.c) with QEMU's Ctrl-A
 * escapes, the mux of several frontends on stdio, flow-controlled input
 * and queued output. */
#define _GNU_SOURCE
#include "chardev/chardev.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "chardev/chardev_internal.h"
#include "util/log.h"
#include "util/signals.h"

static const char usage[] =
    "use stdio, null, file:PATH, tcp:HOST:PORT[,server,nowait] or unix:PATH[,server,nowait]";

/* ---- Parsing ---- */

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
        return chardev_socket_parse(text, CHARDEV_TCP, text + 4, spec, err, errlen);
    } else if (strncmp(text, "unix:", 5) == 0) {
        return chardev_socket_parse(text, CHARDEV_UNIX, text + 5, spec, err, errlen);
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

/* ---- Input: source -> escapes -> buffer -> the focused frontend ---- */

static void input_ready(void *opaque);

void chardev_update_input_watch(Chardev *chr)
{
    bool want = chr->in_fd >= 0 && chr->in_len < sizeof(chr->in_buf);
    if (chr->watched_fd >= 0 && (!want || chr->watched_fd != chr->in_fd)) {
        mainloop_remove_fd(chr->loop, chr->watched_fd);
        chr->watched_fd = -1;
    }
    if (want && chr->watched_fd < 0) {
        int ret = mainloop_add_fd(chr->loop, chr->in_fd, input_ready, chr);
        if (ret < 0)
            error_report("chardev input: cannot watch fd %d: %s", chr->in_fd, strerror(-ret));
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
    while (chr->in_len && chr->focus < chr->n_frontends) {
        const ChardevFrontend *fe = &chr->frontends[chr->focus];
        size_t n = chr->hold_devices && !fe->monitor ? 0 : fe->can_receive(fe->opaque);
        size_t contiguous = sizeof(chr->in_buf) - chr->in_head;
        if (n > chr->in_len)
            n = chr->in_len;
        if (n > contiguous)
            n = contiguous;
        if (n == 0)
            return;
        chr->in_head = (chr->in_head + n) % sizeof(chr->in_buf);
        chr->in_len -= n;
        /* After the bookkeeping: a monitor command run by receive may
         * write, or switch the focus. */
        fe->receive(fe->opaque,
                    &chr->in_buf[(chr->in_head + sizeof(chr->in_buf) - n) % sizeof(chr->in_buf)],
                    n);
    }
}

void chardev_send_event(Chardev *chr, ChardevEvent event)
{
    for (unsigned i = 0; i < chr->n_frontends; i++)
        if (chr->frontends[i].event)
            chr->frontends[i].event(chr->frontends[i].opaque, event);
}

static void write_string(Chardev *chr, const char *text)
{
    chardev_write(chr, (const uint8_t *)text, strlen(text));
}

/* Ctrl-A c: the next frontend gets the input, as QEMU's mux does it. */
static void switch_focus(Chardev *chr)
{
    if (chr->n_frontends < 2)
        return;
    const ChardevFrontend *old = &chr->frontends[chr->focus];
    if (old->event)
        old->event(old->opaque, CHARDEV_FOCUS_OUT);
    chr->focus = (chr->focus + 1) % chr->n_frontends;
    const ChardevFrontend *now = &chr->frontends[chr->focus];
    if (now->event)
        now->event(now->opaque, CHARDEV_FOCUS_IN);
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
    case 'c':
        /* Input already read belongs to the frontend that had the focus. */
        deliver_input(chr);
        if (chr->in_len == 0)
            switch_focus(chr);
        break;
    case 'h':
    case '?':
        write_string(chr, "\r\n"
                          "C-a h    print this help\r\n"
                          "C-a x    exit emulator\r\n"
                          "C-a c    switch between console and monitor\r\n"
                          "C-a C-a  sends C-a\r\n");
        break;
    default:
        break;
    }
}

static void input_closed(Chardev *chr)
{
    if (chr->kind == CHARDEV_TCP || chr->kind == CHARDEV_UNIX) {
        chardev_socket_disconnect(chr);
        return;
    }
    /* End of file stays readable forever: stop watching, or the loop spins. */
    chr->in_fd = -1;
    chardev_update_input_watch(chr);
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
    chardev_update_input_watch(chr);
}

void chardev_hold_input(Chardev *chr, bool held)
{
    chr->hold_devices = held;
    if (!held)
        chardev_accept_input(chr);
}

/* ---- Output ---- */

static bool is_socket(const Chardev *chr)
{
    return chr->kind == CHARDEV_TCP || chr->kind == CHARDEV_UNIX;
}

void chardev_drop_output(Chardev *chr)
{
    if (chr->out_len && chr->socket_fd >= 0)
        mainloop_set_writable(chr->loop, chr->socket_fd, NULL, NULL);
    chr->out_len = 0;
}

/* Writes what it can without blocking: the number of bytes taken, or -1
 * when the reader is gone. */
static ssize_t write_some(Chardev *chr, const uint8_t *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = is_socket(chr) ? send(chr->out_fd, buf + done, len - done, MSG_NOSIGNAL)
                                   : write(chr->out_fd, buf + done, len - done);
        if (n > 0)
            done += (size_t)n;
        else if (n < 0 && errno == EINTR)
            continue;
        else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        else
            return -1;
    }
    return (ssize_t)done;
}

/* The reader is gone: output is discarded from now on. A socket client
 * is let go when its hangup is read, after the input it sent before it
 * left ("quit", then close) has been delivered, and never in the middle
 * of a frontend's write. */
static void output_gone(Chardev *chr)
{
    chardev_drop_output(chr);
    chr->out_fd = -1;
}

static void flush_queue(void *opaque)
{
    Chardev *chr = opaque;
    ssize_t n = chr->out_fd >= 0 ? write_some(chr, chr->out_queue, chr->out_len) : -1;
    if (n < 0) {
        output_gone(chr);
        return;
    }
    memmove(chr->out_queue, chr->out_queue + n, chr->out_len - (size_t)n);
    chr->out_len -= (size_t)n;
    if (chr->out_len == 0)
        mainloop_set_writable(chr->loop, chr->socket_fd, NULL, NULL);
}

/* A socket client that does not keep up: the rest waits for it. */
static void queue_output(Chardev *chr, const uint8_t *buf, size_t len)
{
    if (chr->out_len + len > OUTPUT_QUEUE_LIMIT)
        return; /* a client that stopped reading loses output, as on a serial line */
    if (chr->out_len + len > chr->out_cap) {
        size_t cap = chr->out_cap ? chr->out_cap : 4096;
        while (cap < chr->out_len + len)
            cap *= 2;
        uint8_t *queue = realloc(chr->out_queue, cap);
        if (!queue)
            return;
        chr->out_queue = queue;
        chr->out_cap = cap;
    }
    if (chr->out_len == 0 && mainloop_set_writable(chr->loop, chr->socket_fd, flush_queue, chr) < 0)
        return;
    memcpy(chr->out_queue + chr->out_len, buf, len);
    chr->out_len += len;
}

void chardev_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    if (chr->out_fd < 0 || len == 0)
        return;
    if (chr->out_len) { /* behind what waits already */
        queue_output(chr, buf, len);
        return;
    }
    ssize_t n = write_some(chr, buf, len);
    if (n < 0)
        output_gone(chr);
    else if ((size_t)n < len && is_socket(chr))
        queue_output(chr, buf + n, len - (size_t)n);
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
    chardev_update_input_watch(chr);
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
    case CHARDEV_UNIX:
        ok = chardev_socket_open(chr, spec, err, errlen);
        break;
    }
    if (!ok) {
        chardev_close(chr);
        return NULL;
    }
    chr->escapes |= spec->mux;
    chardev_update_input_watch(chr);
    return chr;
}

void chardev_close(Chardev *chr)
{
    if (!chr)
        return;
    chr->in_fd = -1;
    chardev_update_input_watch(chr);
    if (chr->owns_stdio) {
        terminal_restore();
        stdio_in_use = false;
    }
    chardev_drop_output(chr);
    chardev_socket_close(chr);
    if (chr->file_fd >= 0)
        close(chr->file_fd);
    free(chr->out_queue);
    free(chr);
}

bool chardev_add_frontend(Chardev *chr, const ChardevFrontend *frontend)
{
    unsigned limit = chr->escapes ? CHARDEV_MAX_FRONTENDS : 1;
    if (chr->n_frontends >= limit)
        return false;
    chr->frontends[chr->n_frontends++] = *frontend;
    /* The one with the focus is open at once when its peer is there. */
    if (chr->n_frontends - 1 == chr->focus && chardev_is_connected(chr) && frontend->event)
        frontend->event(frontend->opaque, CHARDEV_OPENED);
    chardev_accept_input(chr);
    return true;
}

bool chardev_is_connected(const Chardev *chr)
{
    return !is_socket(chr) || chr->socket_fd >= 0;
}

void chardev_describe(const Chardev *chr, char *buf, size_t len)
{
    switch (chr->kind) {
    case CHARDEV_NULL:
        snprintf(buf, len, "null");
        break;
    case CHARDEV_STDIO:
        snprintf(buf, len, chr->owns_stdio ? "stdio" : "pipe");
        break;
    case CHARDEV_FILE:
        snprintf(buf, len, "file");
        break;
    case CHARDEV_TCP:
    case CHARDEV_UNIX:
        if (chr->peer[0])
            snprintf(buf, len, "%s <-> %s", chr->address, chr->peer);
        else
            snprintf(buf, len, "%s", chr->address);
        break;
    }
}

void chardev_set_quit_handler(Chardev *chr, void (*quit)(void *opaque), void *opaque)
{
    chr->quit = quit;
    chr->quit_opaque = opaque;
}
