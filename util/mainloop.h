/* util/mainloop.h: the single-threaded event loop's I/O half: file
 * descriptors watched for input, polled by the board between CPU slices. */
#ifndef EMBER_UTIL_MAINLOOP_H
#define EMBER_UTIL_MAINLOOP_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#define MAINLOOP_MAX_WATCHES 32

/* Called when fd has input, or has hung up or failed: a read() on it then
 * returns at once (data, 0 for end of file, or an error). As a write
 * handler: a write() would not block (or fail at once). */
typedef void MainLoopReadHandler(void *opaque);

typedef struct MainLoopWatch {
    int fd; /* -1: free slot */
    MainLoopReadHandler *on_readable;
    void *opaque;
    MainLoopReadHandler *on_writable;
    void *write_opaque;
    /* Bumped on every add, so a dispatch pass never calls a watcher that
     * was removed and replaced by a callback earlier in the same pass. */
    unsigned generation;
} MainLoopWatch;

/* A source with descriptors of its own that change from one wait to the
 * next (libslirp's sockets): before each wait prepare adds the ones it
 * wants now (mainloop_poll_add) and may shorten the wait; after it,
 * dispatch reads what happened to them (mainloop_poll_revents). error:
 * the wait itself failed. */
#define MAINLOOP_MAX_SOURCES 8
typedef struct MainLoopSource {
    void (*prepare)(void *opaque, int64_t *timeout_ns);
    void (*dispatch)(void *opaque, bool error);
    void *opaque;
} MainLoopSource;

typedef struct MainLoop {
    MainLoopWatch watches[MAINLOOP_MAX_WATCHES];
    MainLoopSource sources[MAINLOOP_MAX_SOURCES];
    unsigned n_sources;
    /* One wait's descriptors: the watches', then the sources'. */
    struct pollfd *fds;
    unsigned n_fds, fds_cap;
} MainLoop;

void mainloop_init(MainLoop *loop);
void mainloop_destroy(MainLoop *loop);

/* Watches fd for input. Returns 0, -EINVAL (bad fd or no handler), -EEXIST
 * (fd already watched) or -ENOSPC (table full). */
int mainloop_add_fd(MainLoop *loop, int fd, MainLoopReadHandler *on_readable, void *opaque);
/* Stops watching fd for input (no-op if it is not watched); safe inside a
 * handler. */
void mainloop_remove_fd(MainLoop *loop, int fd);
/* Watches fd for room to write (output queued behind a slow reader), or
 * stops when on_writable is NULL; independent of its input watch. 0 or a
 * negative errno as mainloop_add_fd. */
int mainloop_set_writable(MainLoop *loop, int fd, MainLoopReadHandler *on_writable, void *opaque);
bool mainloop_is_watched(const MainLoop *loop, int fd);

/* 0, or -ENOSPC when MAINLOOP_MAX_SOURCES are there. */
int mainloop_add_source(MainLoop *loop, const MainLoopSource *source);
/* Removes the source with this opaque. */
void mainloop_remove_source(MainLoop *loop, void *opaque);
/* Inside prepare: fd joins this wait for events (POLLIN, POLLOUT, ...).
 * Returns its index for mainloop_poll_revents, -1 when out of memory. */
int mainloop_poll_add(MainLoop *loop, int fd, short events);
/* Inside dispatch: what poll reported for index (0 for -1). */
short mainloop_poll_revents(const MainLoop *loop, int index);

/* Waits up to timeout_ns for input on the watched fds (0: only check, < 0:
 * no limit) and calls the handler of each ready one. Returns the number of
 * handlers called (0 on timeout or when a signal interrupted the wait) or
 * a negative errno. With nothing watched it simply sleeps for the timeout. */
int mainloop_poll(MainLoop *loop, int64_t timeout_ns);

#endif
