/* util/mainloop.h: the single-threaded event loop's I/O half: file
 * descriptors watched for input, polled by the board between CPU slices. */
#ifndef EMBER_UTIL_MAINLOOP_H
#define EMBER_UTIL_MAINLOOP_H

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

typedef struct MainLoop {
    MainLoopWatch watches[MAINLOOP_MAX_WATCHES];
} MainLoop;

void mainloop_init(MainLoop *loop);

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

/* Waits up to timeout_ns for input on the watched fds (0: only check, < 0:
 * no limit) and calls the handler of each ready one. Returns the number of
 * handlers called (0 on timeout or when a signal interrupted the wait) or
 * a negative errno. With nothing watched it simply sleeps for the timeout. */
int mainloop_poll(MainLoop *loop, int64_t timeout_ns);

#endif
