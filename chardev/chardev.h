/* chardev/chardev.h: character backends behind serial ports and monitors
 * (stdio, null, file, tcp, unix) with QEMU's Ctrl-A escapes, which also
 * switch stdio between its frontends (the console and the monitor), and
 * flow-controlled input. */
#ifndef EMBER_CHARDEV_CHARDEV_H
#define EMBER_CHARDEV_CHARDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/mainloop.h"

typedef enum ChardevKind {
    CHARDEV_NULL,  /* output discarded, no input ("null", "none") */
    CHARDEV_STDIO, /* the terminal or pipes, with Ctrl-A escapes ("stdio", "mon:stdio") */
    CHARDEV_FILE,  /* output written to PATH, truncated first; no input ("file:PATH") */
    CHARDEV_TCP,   /* "tcp:HOST:PORT[,server[=on|off]][,nowait|,wait=on|off]" */
    CHARDEV_UNIX,  /* "unix:PATH[,server...][,nowait...]" (same options) */
} ChardevKind;

typedef struct ChardevSpec {
    ChardevKind kind;
    const char *path;      /* file: points into the parsed text, which must outlive it */
    char socket_path[108]; /* unix */
    char host[256];        /* tcp: empty means any address (server) or localhost */
    char port[8];
    bool server;
    bool wait; /* server: block in chardev_open until a client connects */
    bool mux;  /* Ctrl-A escapes and several frontends (stdio always has them) */
} ChardevSpec;

/* The escape character of the stdio backend: Ctrl-A, as in QEMU. */
#define CHARDEV_ESCAPE_CHAR 0x01

typedef struct Chardev Chardev;

typedef enum ChardevEvent {
    CHARDEV_OPENED,    /* a client connected (sockets) */
    CHARDEV_CLOSED,    /* it went away */
    CHARDEV_FOCUS_IN,  /* Ctrl-A c gave this frontend the input */
    CHARDEV_FOCUS_OUT, /* and took it away again */
} ChardevEvent;

/* The device or monitor reading from a chardev. can_receive says how many
 * bytes it takes now; input it cannot take waits in the chardev (which
 * stops reading its source when that buffer is full) until
 * chardev_accept_input. receive gets at most that many bytes and must not
 * call back into the chardev's input side. */
typedef struct ChardevFrontend {
    size_t (*can_receive)(void *opaque);
    void (*receive)(void *opaque, const uint8_t *buf, size_t len);
    void *opaque;
    void (*event)(void *opaque, ChardevEvent event); /* NULL: not interested */
    bool monitor; /* a monitor: chardev_hold_input does not hold its input */
} ChardevFrontend;

#define CHARDEV_MAX_FRONTENDS 4

/* Parses a -serial argument; false with one line naming the culprit in err. */
bool chardev_parse_spec(const char *text, ChardevSpec *spec, char *err, size_t errlen);

/* Opens the backend and registers its input with loop. A stdio terminal is
 * switched to raw mode (no echo, no signals: Ctrl-C goes to the guest) and
 * restored by chardev_close, at exit and on fatal signals. A tcp server
 * with wait blocks here until a client connects. NULL with err on failure. */
Chardev *chardev_open(const ChardevSpec *spec, MainLoop *loop, char *err, size_t errlen);
/* A chardev over descriptors the caller owns and keeps open while it lives
 * (pipes; -1 for none), with or without the Ctrl-A escapes. */
Chardev *chardev_open_fds(MainLoop *loop, int in_fd, int out_fd, bool escapes);
void chardev_close(Chardev *chr);

/* Connects a device or monitor; buffered input is offered to it at once.
 * A chardev with the Ctrl-A escapes (stdio) takes several, as QEMU's mux:
 * output from all of them is interleaved, input goes to the one with the
 * focus (at first the first; Ctrl-A c moves it on). Others take one.
 * false when the chardev has no room for it. */
bool chardev_add_frontend(Chardev *chr, const ChardevFrontend *frontend);
/* Whether a client is there (always, for what needs none). */
bool chardev_is_connected(const Chardev *chr);
/* QEMU's "filename" of the backend (query-chardev): "stdio",
 * "tcp:127.0.0.1:4444,server=on <-> 127.0.0.1:51234", "unix:/p,server=on". */
void chardev_describe(const Chardev *chr, char *buf, size_t len);
/* Ctrl-A x calls this (the board ends the run, exit status 0); without a
 * handler the escape is ignored. */
void chardev_set_quit_handler(Chardev *chr, void (*quit)(void *opaque), void *opaque);

/* Output. Never blocks: a socket client that does not keep up gets it
 * queued (up to 1 MiB, then it is dropped), and without a client it is
 * dropped. */
void chardev_write(Chardev *chr, const uint8_t *buf, size_t len);
/* The frontend has room again: hands over buffered input and resumes
 * reading the source. */
void chardev_accept_input(Chardev *chr);
/* While held, input for the guest's devices waits in the chardev (and
 * its source): the machine's state is being replaced (an incoming
 * migration). Monitors still get theirs. */
void chardev_hold_input(Chardev *chr, bool held);

#endif
