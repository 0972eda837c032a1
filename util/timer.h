/* util/timer.h: the machine's virtual clock and its timers. Guest time
 * advances with the host's monotonic clock while the machine runs and
 * stands still while it is stopped (a debugger or the monitor holding it),
 * so a guest timer does not fire the moment the machine goes on after a
 * long pause, and a restored machine sees no jump. Devices schedule their
 * events on one deadline-ordered list per machine, which the main loop
 * runs and sleeps on. */
#ifndef EMBER_UTIL_TIMER_H
#define EMBER_UTIL_TIMER_H

#include <stdbool.h>
#include <stdint.h>

/* The host's monotonic clock, in nanoseconds: for what the host's own
 * time measures (polling budgets, rate windows, a throttled hart's sleep). */
uint64_t clock_host_ns(void);
/* Guest nanoseconds, monotonic (one machine per process). */
uint64_t clock_virtual_ns(void);
/* Stops and restarts the virtual clock; nested stops need as many starts. */
void clock_virtual_stop(void);
void clock_virtual_start(void);
bool clock_virtual_stopped(void);
/* Makes the clock read ns now (a restored machine's time). */
void clock_virtual_set(uint64_t ns);

typedef struct Timer Timer;
typedef struct TimerList {
    Timer *head; /* armed timers, earliest first */
} TimerList;

typedef void TimerCallback(void *opaque);

struct Timer {
    TimerList *list;
    TimerCallback *cb;
    void *opaque;
    uint64_t deadline; /* virtual ns */
    bool armed;
    Timer *next;
};

void timer_init(Timer *timer, TimerList *list, TimerCallback *cb, void *opaque);
/* (Re)arms the timer for deadline (virtual ns); a deadline in the past
 * fires at the next timer_list_run_due. */
void timer_arm(Timer *timer, uint64_t deadline);
void timer_cancel(Timer *timer);

/* The earliest armed deadline, UINT64_MAX when none is. */
uint64_t timer_list_next_deadline(const TimerList *list);
/* Fires every timer that is due, earliest first; a callback may arm any
 * timer again. */
void timer_list_run_due(TimerList *list);
/* Nanoseconds from now to the earliest deadline (0 if due, UINT64_MAX if
 * none), for sleeping. */
uint64_t timer_list_ns_until_next(const TimerList *list);

#endif
