/* util/mainloop.c: the single-threaded event loop's I/O half: file
 * descriptors watched for input, polled by the board between CPU slices. */
#define _GNU_SOURCE /* ppoll */
#include "util/mainloop.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"

void mainloop_init(MainLoop *loop)
{
    memset(loop, 0, sizeof(*loop));
    for (int i = 0; i < MAINLOOP_MAX_WATCHES; i++)
        loop->watches[i] = (MainLoopWatch){.fd = -1};
}

void mainloop_destroy(MainLoop *loop)
{
    free(loop->fds);
    loop->fds = NULL;
    loop->n_fds = loop->fds_cap = 0;
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

int mainloop_add_source(MainLoop *loop, const MainLoopSource *source)
{
    if (loop->n_sources == MAINLOOP_MAX_SOURCES)
        return -ENOSPC;
    loop->sources[loop->n_sources++] = *source;
    return 0;
}

void mainloop_remove_source(MainLoop *loop, void *opaque)
{
    for (unsigned i = 0; i < loop->n_sources; i++) {
        if (loop->sources[i].opaque == opaque) {
            memmove(&loop->sources[i], &loop->sources[i + 1],
                    (loop->n_sources - i - 1) * sizeof(loop->sources[0]));
            loop->n_sources--;
            return;
        }
    }
}

int mainloop_poll_add(MainLoop *loop, int fd, short events)
{
    if (loop->n_fds == loop->fds_cap) {
        unsigned cap = loop->fds_cap ? 2 * loop->fds_cap : 2 * MAINLOOP_MAX_WATCHES;
        struct pollfd *fds = realloc(loop->fds, cap * sizeof(*fds));
        if (!fds)
            return -1;
        loop->fds = fds;
        loop->fds_cap = cap;
    }
    loop->fds[loop->n_fds] = (struct pollfd){.fd = fd, .events = events};
    return (int)loop->n_fds++;
}

short mainloop_poll_revents(const MainLoop *loop, int index)
{
    if (index < 0 || (unsigned)index >= loop->n_fds)
        return 0;
    return loop->fds[index].revents;
}

int mainloop_poll(MainLoop *loop, int64_t timeout_ns)
{
    int slot[MAINLOOP_MAX_WATCHES];
    unsigned generation[MAINLOOP_MAX_WATCHES];
    loop->n_fds = 0;
    for (int i = 0; i < MAINLOOP_MAX_WATCHES; i++) {
        const MainLoopWatch *w = &loop->watches[i];
        if (w->fd < 0)
            continue;
        short events = (short)((w->on_readable ? POLLIN : 0) | (w->on_writable ? POLLOUT : 0));
        int k = mainloop_poll_add(loop, w->fd, events);
        if (k < 0)
            return -ENOMEM;
        slot[k] = i;
        generation[k] = w->generation;
    }
    nfds_t n = loop->n_fds;
    for (unsigned i = 0; i < loop->n_sources; i++)
        loop->sources[i].prepare(loop->sources[i].opaque, &timeout_ns);
    /* ppoll, not poll: an idle hart's sleep until a timer deadline would
     * otherwise be rounded to whole milliseconds. */
    struct timespec ts = {.tv_sec = (time_t)(timeout_ns / 1000000000),
                          .tv_nsec = (long)(timeout_ns % 1000000000)};
    int ready = ppoll(loop->fds, loop->n_fds, timeout_ns < 0 ? NULL : &ts, NULL);
    int saved = errno;
    for (unsigned i = 0; i < loop->n_sources; i++)
        loop->sources[i].dispatch(loop->sources[i].opaque, ready < 0);
    if (ready < 0)
        return saved == EINTR ? 0 : -saved;

    /* The sources have seen theirs; what is left to count is the watches'. */
    struct pollfd *fds = loop->fds;
    ready = 0;
    for (nfds_t k = 0; k < n; k++)
        ready += fds[k].revents != 0;

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
