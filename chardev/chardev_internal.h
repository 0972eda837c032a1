/* chardev/chardev_internal.h: the chardev structure, shared by the core
 * (chardev.c) and the socket backends (socket.c); nothing outside chardev/
 * includes it. */
#ifndef EMBER_CHARDEV_INTERNAL_H
#define EMBER_CHARDEV_INTERNAL_H

#include "chardev/chardev.h"

/* Input read from the source but not yet taken by the frontend (a paste
 * into a guest that reads slowly waits here, then in the source itself). */
#define INPUT_BUFFER_SIZE 4096
/* Output a socket client has not taken yet; beyond this it is dropped. */
#define OUTPUT_QUEUE_LIMIT (1u << 20)

struct Chardev {
    ChardevKind kind;
    MainLoop *loop;
    int in_fd;       /* -1: no input (none, or its end was reached) */
    int out_fd;      /* -1: output is discarded */
    int watched_fd;  /* the input fd registered with the loop, -1 if none */
    int file_fd;     /* file backend: closed by chardev_close */
    int listen_fd;   /* socket server */
    int socket_fd;   /* socket: the connection, -1 while there is none */
    bool owns_stdio; /* the one stdio chardev: restores the terminal */
    bool escapes;
    bool escape_pending; /* Ctrl-A seen, its command byte not yet */
    ChardevFrontend frontends[CHARDEV_MAX_FRONTENDS];
    unsigned n_frontends;
    unsigned focus;    /* the frontend that gets input */
    bool hold_devices; /* input waits unless a monitor has the focus */
    void (*quit)(void *opaque);
    void *quit_opaque;
    uint8_t in_buf[INPUT_BUFFER_SIZE];
    size_t in_head;
    size_t in_len;
    uint8_t *out_queue; /* sockets: what the client has not taken yet */
    size_t out_len;
    size_t out_cap;
    char address[300];   /* sockets: "tcp:HOST:PORT,server=on" or "unix:PATH..." */
    char peer[80];       /* sockets: the connected client, for describe */
    char unix_path[108]; /* a unix server's socket file, removed at close */
};

/* The core's side, for the sockets. */
void chardev_update_input_watch(Chardev *chr);
void chardev_send_event(Chardev *chr, ChardevEvent event);
void chardev_drop_output(Chardev *chr);

/* socket.c */
bool chardev_socket_parse(const char *text, ChardevKind kind, const char *addr, ChardevSpec *spec,
                          char *err, size_t errlen);
bool chardev_socket_open(Chardev *chr, const ChardevSpec *spec, char *err, size_t errlen);
/* The client left (or output to it failed): back to waiting for the next. */
void chardev_socket_disconnect(Chardev *chr);
void chardev_socket_close(Chardev *chr);

#endif
