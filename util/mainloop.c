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

/* The watch of fd, taking a free slot for it when it has none. */
static MainLoopWatch *watch_for(MainLoop *loop, int fd)
{
    MainLoopWatch *w = find_watch(loop, fd);
    if (!w && (w = find_watch(loop, -1)) != NULL) {
        *w = (MainLoopWatch){.fd = fd, .generation = w->generation + 1};
    }
    return w;
}

/* A slot with neither handler is free again. */
static void release_if_idle(MainLoopWatch *w)
{
    if (!w->on_readable && !w->on_writable)
        w->fd = -1;
}

int mainloop_add_fd(MainLoop *loop, int fd, MainLoopReadHandler *on_readable, void *opaque)
{
    if (fd < 0 || !on_readable)
        return -EINVAL;
    MainLoopWatch *w = find_watch(loop, fd);
    if (w && w->on_readable)
        return -EEXIST;
    if (!(w = watch_for(loop, fd)))
        return -ENOSPC;
    w->on_readable = on_readable;
    w->opaque = opaque;
    w->generation++;
    return 0;
}

void mainloop_remove_fd(MainLoop *loop, int fd)
{
    MainLoopWatch *w = fd >= 0 ? find_watch(loop, fd) : NULL;
    if (w) {
        w->on_readable = NULL;
        w->opaque = NULL;
        release_if_idle(w);
    }
}

int mainloop_set_writable(MainLoop *loop, int fd, MainLoopReadHandler *on_writable, void *opaque)
{
    if (fd < 0)
        return -EINVAL;
    MainLoopWatch *w = on_writable ? watch_for(loop, fd) : find_watch(loop, fd);
    if (!w)
        return on_writable ? -ENOSPC : 0;
    w->on_writable = on_writable;
    w->write_opaque = opaque;
    w->generation++;
    release_if_idle(w);
    return 0;
}

bool mainloop_is_watched(const MainLoop *loop, int fd)
{
    for (int i = 0; fd >= 0 && i < MAINLOOP_MAX_WATCHES; i++) {
        if (loop->watches[i].fd == fd && loop->watches[i].on_readable)
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
        fds[n] = (struct pollfd){
            .fd = w->fd,
            .events = (short)((w->on_readable ? POLLIN : 0) | (w->on_writable ? POLLOUT : 0))};
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
            w->on_readable = w->on_writable = NULL;
            w->fd = -1;
            continue;
        }
        /* Hang-ups and errors go to the reader, which sees them in read(). */
        if (w->on_writable && (fds[k].revents & (POLLOUT | POLLERR | POLLHUP))) {
            w->on_writable(w->write_opaque);
            called++;
        }
        if (w->fd == fds[k].fd && w->generation == generation[k] && w->on_readable &&
            (fds[k].revents & (POLLIN | POLLHUP | POLLERR))) {
            w->on_readable(w->opaque);
            called++;
        }
    }
    return called;
}
