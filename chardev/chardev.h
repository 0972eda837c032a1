/* chardev/chardev.h: character backends behind serial ports (stdio, null,
 * file, tcp) with QEMU's Ctrl-A escapes and flow-controlled input. */
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
} ChardevKind;

typedef struct ChardevSpec {
    ChardevKind kind;
    const char *path; /* file: points into the parsed text, which must outlive it */
    char host[256];   /* tcp: empty means any address (server) or localhost */
    char port[8];
    bool server;
    bool wait; /* server: block in chardev_open until a client connects */
} ChardevSpec;

/* The escape character of the stdio backend: Ctrl-A, as in QEMU. */
#define CHARDEV_ESCAPE_CHAR 0x01

typedef struct Chardev Chardev;

/* The device reading from a chardev. can_receive says how many bytes it
 * takes now; input it cannot take waits in the chardev (which stops reading
 * its source when that buffer is full) until chardev_accept_input. receive
 * gets at most that many bytes and must not call back into the chardev. */
typedef struct ChardevFrontend {
    size_t (*can_receive)(void *opaque);
    void (*receive)(void *opaque, const uint8_t *buf, size_t len);
    void *opaque;
} ChardevFrontend;

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

/* Connects the device side; buffered input is offered to it at once. */
void chardev_set_frontend(Chardev *chr, const ChardevFrontend *frontend);
/* Ctrl-A x calls this (the board ends the run, exit status 0); without a
 * handler the escape is ignored. */
void chardev_set_quit_handler(Chardev *chr, void (*quit)(void *opaque), void *opaque);

/* Output from the guest. Never blocks on a tcp client (output is dropped
 * when it does not keep up, or when no client is connected). */
void chardev_write(Chardev *chr, const uint8_t *buf, size_t len);
/* The frontend has room again: hands over buffered input and resumes
 * reading the source. */
void chardev_accept_input(Chardev *chr);

#endif
