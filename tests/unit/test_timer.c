/* tests/unit/test_timer.c: the virtual clock (stands still while stopped,
 * can be set) and the timer list (deadline order, re-arming, cancelling,
 * callbacks that arm timers), and the devices that run on them: the
 * ACLINT's MTIP and the Goldfish RTC's alarm rise through the list. */
#include <stdlib.h>
#include <time.h>

#include "hw/intc/aclint.h"
#include "hw/intc/hart_irq.h"
#include "hw/rtc/goldfish_rtc.h"
#include "tests/unit/harness.h"
#include "util/timer.h"

static void sleep_ns(uint64_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
    nanosleep(&ts, NULL);
}

START_TEST(test_clock_stops_and_resumes)
{
    uint64_t before = clock_virtual_ns();
    clock_virtual_stop();
    ck_assert(clock_virtual_stopped());
    uint64_t stopped = clock_virtual_ns();
    ck_assert_uint_ge(stopped, before);
    sleep_ns(20 * 1000 * 1000);
    ck_assert_uint_eq(clock_virtual_ns(), stopped);
    /* Nested stops need as many starts. */
    clock_virtual_stop();
    clock_virtual_start();
    ck_assert_uint_eq(clock_virtual_ns(), stopped);
    clock_virtual_start();
    ck_assert(!clock_virtual_stopped());
    uint64_t after = clock_virtual_ns();
    /* The pause is not counted: at most a little time has passed. */
    ck_assert_uint_ge(after, stopped);
    ck_assert_uint_lt(after - stopped, 15 * 1000 * 1000);
}
END_TEST

START_TEST(test_clock_set)
{
    clock_virtual_set(5000000000ull);
    uint64_t now = clock_virtual_ns();
    ck_assert_uint_ge(now, 5000000000ull);
    ck_assert_uint_lt(now, 5100000000ull);
    clock_virtual_stop();
    clock_virtual_set(42);
    ck_assert_uint_eq(clock_virtual_ns(), 42);
    clock_virtual_start();
    ck_assert_uint_ge(clock_virtual_ns(), 42);
}
END_TEST

static TimerList list;
static int fired[4], order[8], nfired;

static void record(void *opaque)
{
    int id = (int)(intptr_t)opaque;
    fired[id]++;
    order[nfired++ % 8] = id;
}

static Timer rearming;
static void rearm_once(void *opaque)
{
    record(opaque);
    if (fired[3] == 1)
        timer_arm(&rearming, clock_virtual_ns() + 1000000000ull);
}

static void reset_counts(void)
{
    list = (TimerList){0};
    for (int i = 0; i < 4; i++)
        fired[i] = 0;
    nfired = 0;
}

START_TEST(test_timers_fire_in_deadline_order)
{
    reset_counts();
    Timer a, b, c;
    timer_init(&a, &list, record, (void *)0);
    timer_init(&b, &list, record, (void *)1);
    timer_init(&c, &list, record, (void *)2);
    uint64_t now = clock_virtual_ns();
    timer_arm(&a, now + 3000);
    timer_arm(&b, now + 1000);
    timer_arm(&c, now + 3600ull * 1000000000ull);
    ck_assert_uint_eq(timer_list_next_deadline(&list), now + 1000);
    /* Re-arming moves a timer; cancelling removes it. */
    timer_arm(&a, now + 2000);
    ck_assert_uint_le(timer_list_ns_until_next(&list), 1000);
    sleep_ns(10000);
    timer_list_run_due(&list);
    ck_assert_int_eq(nfired, 2);
    ck_assert_int_eq(order[0], 1);
    ck_assert_int_eq(order[1], 0);
    ck_assert_int_eq(fired[2], 0);
    ck_assert(c.armed && !a.armed && !b.armed);
    timer_cancel(&c);
    ck_assert_uint_eq(timer_list_next_deadline(&list), UINT64_MAX);
    ck_assert_uint_eq(timer_list_ns_until_next(&list), UINT64_MAX);
    timer_cancel(&c); /* twice is harmless */
}
END_TEST

START_TEST(test_callback_may_rearm)
{
    reset_counts();
    timer_init(&rearming, &list, rearm_once, (void *)3);
    timer_arm(&rearming, 0);
    timer_list_run_due(&list);
    ck_assert_int_eq(fired[3], 1);
    ck_assert(rearming.armed);
    ck_assert_uint_gt(timer_list_ns_until_next(&list), 500000000ull);
    timer_cancel(&rearming);
}
END_TEST

/* While the clock is stopped, nothing comes due. */
START_TEST(test_stopped_clock_holds_timers)
{
    reset_counts();
    Timer t;
    timer_init(&t, &list, record, (void *)0);
    timer_arm(&t, clock_virtual_ns() + 5 * 1000 * 1000);
    clock_virtual_stop();
    sleep_ns(20 * 1000 * 1000);
    timer_list_run_due(&list);
    ck_assert_int_eq(fired[0], 0);
    clock_virtual_start();
    sleep_ns(20 * 1000 * 1000);
    timer_list_run_due(&list);
    ck_assert_int_eq(fired[0], 1);
}
END_TEST

START_TEST(test_aclint_mtip_through_timer)
{
    reset_counts();
    TestHart *h = test_hart_new();
    Aclint *aclint = calloc(1, sizeof(*aclint));
    ck_assert_ptr_nonnull(aclint);
    IrqLine msip = hart_irq_line(h->cpu, MIP_MSIP), mtip = hart_irq_line(h->cpu, MIP_MTIP);
    aclint_init(aclint, &msip, &mtip, 1, &list);
    ck_assert_ptr_nonnull(
        memory_add_mmio(&h->as, "clint", 0x2000000, ACLINT_SIZE, &aclint_ops, aclint));
    /* Far enough ahead that a loaded machine still writes it in time. */
    uint64_t deadline = aclint_mtime(aclint) + ACLINT_TIMEBASE_HZ / 5; /* 200 ms */
    ck_assert(memory_write(&h->as, 0x2000000 + 0x4000, 8, deadline));
    ck_assert(list.head == &aclint->timer);
    ck_assert(!(h->cpu->mip & MIP_MTIP));
    /* mtime stands still while the clock is stopped. */
    clock_virtual_stop();
    uint64_t frozen = aclint_mtime(aclint);
    sleep_ns(15 * 1000 * 1000);
    ck_assert_uint_eq(aclint_mtime(aclint), frozen);
    timer_list_run_due(&list);
    ck_assert(!(h->cpu->mip & MIP_MTIP));
    clock_virtual_start();
    for (int i = 0; i < 100 && !(h->cpu->mip & MIP_MTIP); i++) {
        sleep_ns(timer_list_ns_until_next(&list));
        timer_list_run_due(&list);
    }
    ck_assert(h->cpu->mip & MIP_MTIP);
    ck_assert_ptr_null(list.head);
    aclint_destroy(aclint);
    free(aclint);
    test_hart_free(h);
}
END_TEST

static bool rtc_irq;
static void rtc_line(void *opaque, unsigned n, bool level)
{
    (void)opaque;
    (void)n;
    rtc_irq = level;
}

START_TEST(test_rtc_alarm_through_timer)
{
    reset_counts();
    GoldfishRtc rtc;
    goldfish_rtc_init(&rtc, (IrqLine){.set = rtc_line, .n = 11}, &list);
    uint64_t now = 0;
    ck_assert(goldfish_rtc_ops.read != NULL);
    now = goldfish_rtc_ops.read(&rtc, 0x00, 4);
    now |= goldfish_rtc_ops.read(&rtc, 0x04, 4) << 32;
    uint64_t alarm = now + 200 * 1000 * 1000; /* written in time even under load */
    goldfish_rtc_ops.write(&rtc, 0x10, 1, 4); /* IRQ_ENABLED */
    goldfish_rtc_ops.write(&rtc, 0x0c, alarm >> 32, 4);
    goldfish_rtc_ops.write(&rtc, 0x08, (uint32_t)alarm, 4);
    ck_assert(rtc.alarm_timer.armed);
    for (int i = 0; i < 100 && !rtc_irq; i++) {
        sleep_ns(timer_list_ns_until_next(&list));
        timer_list_run_due(&list);
    }
    ck_assert(rtc_irq);
    ck_assert(!rtc.alarm_timer.armed);
    goldfish_rtc_destroy(&rtc);
}
END_TEST

static Suite *timer_suite(void)
{
    Suite *s = suite_create("timer");
    TCase *clock = tcase_create("clock");
    tcase_add_test(clock, test_clock_stops_and_resumes);
    tcase_add_test(clock, test_clock_set);
    suite_add_tcase(s, clock);
    TCase *timers = tcase_create("timers");
    tcase_add_test(timers, test_timers_fire_in_deadline_order);
    tcase_add_test(timers, test_callback_may_rearm);
    tcase_add_test(timers, test_stopped_clock_holds_timers);
    tcase_add_test(timers, test_aclint_mtip_through_timer);
    tcase_add_test(timers, test_rtc_alarm_through_timer);
    suite_add_tcase(s, timers);
    return s;
}

int main(void)
{
    return run_suite(timer_suite());
}
