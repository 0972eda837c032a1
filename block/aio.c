/* block/aio.c: asynchronous requests. Each image a device uses has one
 * worker thread that runs its requests in order through the same checked
 * calls as synchronous I/O (a format's driver is never entered by two
 * threads at once); finished requests go on one process-wide list whose
 * eventfd the main loop watches, and their completions run there. */
#define _GNU_SOURCE
#include "block/block.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "block/block_int.h"
#include "util/timer.h"

/* How long a thread that expects work soon polls before it sleeps. Waking
 * a sleeping thread costs tens of microseconds on a virtual host, each
 * way, while a 4 KiB read from the page cache takes a few: without
 * polling, a guest reading one block at a time gets half the rate. The
 * I/O thread waits for a guest's next request; the CPU thread, idle with
 * requests in flight, for a completion, as long as a 1 MiB copy from the
 * page cache takes. */
#define WORKER_POLL_NS 50000
#define COMPLETION_POLL_NS 300000

/* Tells the host core a spin loop runs (saves power, and its sibling
 * thread gets the core). */
static inline void spin_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

/* Polls *p until it is not NULL or max_ns have passed. */
static bool poll_pointer(BlockRequest *const *p, uint64_t max_ns)
{
    uint64_t deadline = clock_host_ns() + max_ns;
    for (unsigned spins = 0;; spins++) {
        if (__atomic_load_n(p, __ATOMIC_ACQUIRE))
            return true;
        if (spins % 64 == 63 && clock_host_ns() >= deadline)
            return false;
        spin_pause();
    }
}

struct BlockWorker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    BlockRequest *head, **tail; /* submitted, not started */
    bool stop;
};

/* Finished requests, oldest first; the eventfd is readable while the list
 * is not empty, and done_cond wakes block_drain. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    BlockRequest *head, **tail;
    int fd;
} finished = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, &finished.head, -1};

/* Submitted, completion not run yet, on every image (main thread only). */
static unsigned total_in_flight;

int block_completion_fd(void)
{
    if (finished.fd < 0)
        finished.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return finished.fd;
}

static int perform(BlockDevice *bd, const BlockRequest *req)
{
    switch (req->op) {
    case BLOCK_OP_READ:
        return block_readv(bd, req->offset, req->iov, req->iovcnt);
    case BLOCK_OP_WRITE:
        return block_writev(bd, req->offset, req->iov, req->iovcnt);
    case BLOCK_OP_FLUSH:
        return block_flush(bd);
    case BLOCK_OP_WRITE_ZEROES:
        return block_write_zeroes(bd, req->offset, req->len, req->unmap);
    case BLOCK_OP_DISCARD:
        return block_discard(bd, req->offset, req->len);
    }
    return -EINVAL;
}

static void finish(BlockRequest *req)
{
    req->next = NULL;
    pthread_mutex_lock(&finished.lock);
    bool was_empty = finished.head == NULL;
    __atomic_store_n(finished.tail, req, __ATOMIC_RELEASE);
    finished.tail = &req->next;
    if (was_empty && finished.fd >= 0) {
        uint64_t one = 1;
        /* Fails only when the counter is full, which is readable anyway. */
        (void)!write(finished.fd, &one, sizeof(one));
    }
    pthread_cond_broadcast(&finished.done_cond);
    pthread_mutex_unlock(&finished.lock);
}

static void *worker_main(void *opaque)
{
    BlockDevice *bd = opaque;
    BlockWorker *w = bd->worker;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        if (!w->head && !w->stop) {
            /* A guest that just made a request often makes the next soon. */
            pthread_mutex_unlock(&w->lock);
            poll_pointer(&w->head, WORKER_POLL_NS);
            pthread_mutex_lock(&w->lock);
        }
        while (!w->head && !w->stop)
            pthread_cond_wait(&w->wake, &w->lock);
        BlockRequest *req = w->head;
        if (!req)
            break;
        w->head = req->next;
        if (!w->head)
            w->tail = &w->head;
        pthread_mutex_unlock(&w->lock);
        req->ret = perform(bd, req);
        finish(req);
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

bool block_start_worker(BlockDevice *bd, char *err, size_t errlen)
{
    if (bd->worker)
        return true;
    if (block_completion_fd() < 0) {
        snprintf(err, errlen, "'%s': cannot make an eventfd: %s", bd->path, strerror(errno));
        return false;
    }
    BlockWorker *w = calloc(1, sizeof(*w));
    if (!w) {
        snprintf(err, errlen, "'%s': %s", bd->path, strerror(ENOMEM));
        return false;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    w->tail = &w->head;
    bd->worker = w;
    /* Signals stay with the main thread: the worker starts with all
     * blocked. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&w->thread, NULL, worker_main, bd);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        snprintf(err, errlen, "'%s': cannot start its I/O thread: %s", bd->path, strerror(rc));
        bd->worker = NULL;
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return false;
    }
    return true;
}

void block_submit(BlockDevice *bd, BlockRequest *req)
{
    BlockWorker *w = bd->worker;
    req->bd = bd;
    req->next = NULL;
    bd->in_flight++;
    total_in_flight++;
    pthread_mutex_lock(&w->lock);
    __atomic_store_n(w->tail, req, __ATOMIC_RELEASE);
    w->tail = &req->next;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

void block_run_completions(void)
{
    if (finished.fd >= 0) {
        uint64_t count;
        /* Before taking the list: a request finished after this read makes
         * the eventfd readable again. */
        (void)!read(finished.fd, &count, sizeof(count));
    }
    pthread_mutex_lock(&finished.lock);
    BlockRequest *req = finished.head;
    finished.head = NULL;
    finished.tail = &finished.head;
    pthread_mutex_unlock(&finished.lock);
    while (req) {
        BlockRequest *next = req->next;
        req->bd->in_flight--;
        total_in_flight--;
        req->complete(req);
        req = next;
    }
}

bool block_poll_completions(void)
{
    return total_in_flight > 0 && poll_pointer(&finished.head, COMPLETION_POLL_NS);
}

void block_drain(BlockDevice *bd)
{
    while (bd->in_flight > 0) {
        pthread_mutex_lock(&finished.lock);
        while (!finished.head)
            pthread_cond_wait(&finished.done_cond, &finished.lock);
        pthread_mutex_unlock(&finished.lock);
        block_run_completions();
    }
}

void block_stop_worker(BlockDevice *bd)
{
    BlockWorker *w = bd->worker;
    if (!w)
        return;
    block_drain(bd);
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
    bd->worker = NULL;
}
