/* migration/pack.c: the packer's workers and its ring of batches. */
#include "migration/pack.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORKERS 8

typedef struct PackJob {
    const uint8_t *ram;
    uint32_t pages[MIG_RAM_BATCH];
    unsigned n;
    bool done;
    StateBuffer section; /* kept between uses: no allocation per batch */
    MigRamStats stats;
} PackJob;

struct MigPacker {
    pthread_mutex_t lock;
    pthread_cond_t work, finished;
    PackJob jobs[MIG_PACKER_QUEUE];
    /* Counters, each job at counter % MIG_PACKER_QUEUE: collected up to
     * head, taken by a worker up to next, submitted up to tail. */
    unsigned head, next, tail;
    bool stop;
    pthread_t workers[MAX_WORKERS];
    unsigned n_workers;
};

static void *worker_main(void *opaque)
{
    MigPacker *p = opaque;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->next == p->tail && !p->stop)
            pthread_cond_wait(&p->work, &p->lock);
        if (p->next == p->tail)
            break;
        PackJob *job = &p->jobs[p->next++ % MIG_PACKER_QUEUE];
        pthread_mutex_unlock(&p->lock);
        job->section.len = 0;
        job->section.failed = false;
        job->stats = (MigRamStats){0};
        mig_put_ram(&job->section, job->ram, job->pages, job->n, &job->stats);
        pthread_mutex_lock(&p->lock);
        job->done = true;
        pthread_cond_broadcast(&p->finished);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

MigPacker *mig_packer_new(unsigned threads)
{
    MigPacker *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->finished, NULL);
    /* Signals stay with the main thread. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    for (unsigned i = 0; i < threads && i < MAX_WORKERS; i++)
        if (pthread_create(&p->workers[p->n_workers], NULL, worker_main, p) == 0)
            p->n_workers++;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (p->n_workers == 0) {
        mig_packer_free(p);
        return NULL;
    }
    return p;
}

void mig_packer_free(MigPacker *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->n_workers; i++)
        pthread_join(p->workers[i], NULL);
    for (unsigned i = 0; i < MIG_PACKER_QUEUE; i++)
        state_buffer_free(&p->jobs[i].section);
    pthread_cond_destroy(&p->finished);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

bool mig_packer_submit(MigPacker *p, const uint8_t *ram, const uint32_t *pages, unsigned n)
{
    pthread_mutex_lock(&p->lock);
    bool room = p->tail - p->head < MIG_PACKER_QUEUE;
    if (room) {
        PackJob *job = &p->jobs[p->tail % MIG_PACKER_QUEUE];
        job->ram = ram;
        memcpy(job->pages, pages, n * sizeof(pages[0]));
        job->n = n;
        job->done = false;
        p->tail++;
        pthread_cond_signal(&p->work);
    }
    pthread_mutex_unlock(&p->lock);
    return room;
}

unsigned mig_packer_collect(MigPacker *p, StateBuffer *out, MigRamStats *stats, unsigned most_left)
{
    pthread_mutex_lock(&p->lock);
    while (p->head != p->tail) {
        PackJob *job = &p->jobs[p->head % MIG_PACKER_QUEUE];
        if (!job->done) {
            if (p->tail - p->head <= most_left)
                break;
            pthread_cond_wait(&p->finished, &p->lock);
            continue;
        }
        /* The job is the collector's until head moves past it. */
        pthread_mutex_unlock(&p->lock);
        state_buffer_put(out, job->section.data, job->section.len);
        out->failed |= job->section.failed;
        stats->zero_pages += job->stats.zero_pages;
        stats->normal_pages += job->stats.normal_pages;
        pthread_mutex_lock(&p->lock);
        p->head++;
    }
    unsigned in_flight = p->tail - p->head;
    pthread_mutex_unlock(&p->lock);
    return in_flight;
}
