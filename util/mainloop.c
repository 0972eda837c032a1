/* util/mainloop.c: the single-threaded event loop's I/O half: file
 * descriptors watched for input, polled by the board between CPU slices. */
#define _GNU_SOURCE /* ppoll */
#include "util/mainloop.h"

#include <errno.h>
#include <poll.h>
#include <time.h>

#include "util/log.h"

void mainloop_init(MainLoop *loop)
{
    for (int i = 0; i < MAINLOOP_MAX_WATCHES; i++)
        loop->watches[i] = (MainLoopWatch){.fd = -1};
}

static MainLoopWatch *find_watch(MainLoop *loop, int fd)
{
    for (int i = 0; i < MAINLOOP_MAX_WATCHES; i++) {
        if (loop->watches[i].fd == fd)
            return &loop->watches[i];
    }
    return NULL;
}

int mainloop_add_fd(MainLoop *loop, int fd, MainLoopReadHandler *on_readable, void *opaque)
{
    if (fd < 0 || !on_readable)
        return -EINVAL;
    if (find_watch(loop, fd))
        return -EEXIST;
    MainLoopWatch *w = find_watch(loop, -1);
    if (!w)
        return -ENOSPC;
    w->fd = fd;
    w->on_readable = on_readable;
    w->opaque = opaque;
    w->generation++;
    return 0;
}

void mainloop_remove_fd(MainLoop *loop, int fd)
{
    MainLoopWatch *w = fd >= 0 ? find_watch(loop, fd) : NULL;
    if (w) {
        w->fd = -1;
        w->on_readable = NULL;
        w->opaque = NULL;
    }
}

bool mainloop_is_watched(const MainLoop *loop, int fd)
{
    for (int i = 0; fd >= 0 && i < MAINLOOP_MAX_WATCHES; i++) {
        if (loop->watches[i].fd == fd)
            return true;
    }
    return false;
}

int mainloop_poll(MainLoop *loop, int64_t timeout_ns)
{
    struct pollfd fds[MAINLOOP_MAX_WATCHES];
    int slot[MAINLOOP_MAX_WATCHES];
    unsigned generation[MAINLOOP_MAX_WATCHES];
    nfds_t n = 0;
    for (int i = 0; i < MAINLOOP_MAX_WATCHES; i++) {
        const MainLoopWatch *w = &loop->watches[i];
        if (w->fd < 0)
            continue;
        fds[n] = (struct pollfd){.fd = w->fd, .events = POLLIN};
        slot[n] = i;
        generation[n] = w->generation;
        n++;
    }
    /* ppoll, not poll: an idle hart's sleep until a timer deadline would
     * otherwise be rounded to whole milliseconds. */
    struct timespec ts = {.tv_sec = (time_t)(timeout_ns / 1000000000),
                          .tv_nsec = (long)(timeout_ns % 1000000000)};
    int ready = ppoll(fds, n, timeout_ns < 0 ? NULL : &ts, NULL);
    if (ready < 0)
        return errno == EINTR ? 0 : -errno;

    int called = 0;
    for (nfds_t k = 0; k < n && ready > 0; k++) {
        if (!fds[k].revents)
            continue;
        ready--;
        MainLoopWatch *w = &loop->watches[slot[k]];
        /* An earlier handler of this pass may have removed this watch. */
        if (w->fd != fds[k].fd || w->generation != generation[k])
            continue;
        if (fds[k].revents & POLLNVAL) {
            /* Closed without being removed: polling it again would spin. */
            error_report("internal error: fd %d was closed while watched", w->fd);
            mainloop_remove_fd(loop, w->fd);
            continue;
        }
        w->on_readable(w->opaque);
        called++;
    }
    return called;
}
