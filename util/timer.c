/* util/timer.c: the machine's virtual clock and its timers. */
#include "util/timer.h"

#include <stddef.h>
#include <time.h>

static int64_t offset_ns; /* virtual = host monotonic + offset, while running */
static unsigned stops;
static uint64_t stopped_at;

uint64_t clock_host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int64_t host_ns(void)
{
    return (int64_t)clock_host_ns();
}

uint64_t clock_virtual_ns(void)
{
    return stops ? stopped_at : (uint64_t)(host_ns() + offset_ns);
}

void clock_virtual_stop(void)
{
    if (stops++ == 0)
        stopped_at = (uint64_t)(host_ns() + offset_ns);
}

void clock_virtual_start(void)
{
    if (stops == 0 || --stops != 0)
        return;
    offset_ns = (int64_t)stopped_at - host_ns();
}

bool clock_virtual_stopped(void)
{
    return stops != 0;
}

void clock_virtual_set(uint64_t ns)
{
    if (stops)
        stopped_at = ns;
    else
        offset_ns = (int64_t)ns - host_ns();
}

void timer_init(Timer *timer, TimerList *list, TimerCallback *cb, void *opaque)
{
    *timer = (Timer){.list = list, .cb = cb, .opaque = opaque};
}

void timer_cancel(Timer *timer)
{
    if (!timer->armed)
        return;
    for (Timer **p = &timer->list->head; *p; p = &(*p)->next) {
        if (*p == timer) {
            *p = timer->next;
            break;
        }
    }
    timer->armed = false;
    timer->next = NULL;
}

void timer_arm(Timer *timer, uint64_t deadline)
{
    timer_cancel(timer);
    Timer **p = &timer->list->head;
    while (*p && (*p)->deadline <= deadline)
        p = &(*p)->next;
    timer->deadline = deadline;
    timer->next = *p;
    timer->armed = true;
    *p = timer;
}

uint64_t timer_list_next_deadline(const TimerList *list)
{
    return list->head ? list->head->deadline : UINT64_MAX;
}

void timer_list_run_due(TimerList *list)
{
    if (!list->head)
        return;
    uint64_t now = clock_virtual_ns();
    while (list->head && list->head->deadline <= now) {
        Timer *due = list->head;
        timer_cancel(due);
        due->cb(due->opaque);
    }
}

uint64_t timer_list_ns_until_next(const TimerList *list)
{
    uint64_t next = timer_list_next_deadline(list);
    if (next == UINT64_MAX)
        return UINT64_MAX;
    uint64_t now = clock_virtual_ns();
    return next <= now ? 0 : next - now;
}
