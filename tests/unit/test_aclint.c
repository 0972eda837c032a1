/* tests/unit/test_aclint.c: unit tests for hw/intc/aclint.c: MSIP, mtimecmp
 * and MTIP, 4-byte halves, the 10 MHz mtime, bad accesses. */
#include <stdlib.h>
#include <time.h>

#include "hw/intc/aclint.h"
#include "hw/intc/hart_irq.h"
#include "tests/unit/harness.h"
#include "util/log.h"

#define CLINT_BASE 0x2000000ull
#define MSIP(hart) (0x0000 + 4 * (hart))
#define MTIMECMP(hart) (0x4000 + 8 * (hart))
#define MTIME 0xbff8
#define HOUR_TICKS (3600 * ACLINT_TIMEBASE_HZ)

static TestHart *h0, *h1;
static Aclint *aclint;

static void setup(void)
{
    h0 = test_hart_new();
    h1 = test_hart_new();
    aclint = malloc(sizeof(*aclint));
    ck_assert_ptr_nonnull(aclint);
    IrqLine msip[2] = {hart_irq_line(h0->cpu, MIP_MSIP), hart_irq_line(h1->cpu, MIP_MSIP)};
    IrqLine mtip[2] = {hart_irq_line(h0->cpu, MIP_MTIP), hart_irq_line(h1->cpu, MIP_MTIP)};
    aclint_init(aclint, msip, mtip, 2, NULL);
    ck_assert_ptr_nonnull(
        memory_add_mmio(&h0->as, "clint", CLINT_BASE, ACLINT_SIZE, &aclint_ops, aclint));
    log_capture_start();
}

static void teardown(void)
{
    log_capture_stop();
    free(aclint);
    test_hart_free(h1);
    test_hart_free(h0);
}

static uint64_t rd(uint64_t offset, unsigned size)
{
    uint64_t value = 0;
    ck_assert_msg(memory_read(&h0->as, CLINT_BASE + offset, size, &value), "read of 0x%llx failed",
                  (unsigned long long)offset);
    return value;
}

static void wr(uint64_t offset, unsigned size, uint64_t value)
{
    ck_assert_msg(memory_write(&h0->as, CLINT_BASE + offset, size, value), "write of 0x%llx failed",
                  (unsigned long long)offset);
}

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool mtip(TestHart *h)
{
    return h->cpu->mip & MIP_MTIP;
}

START_TEST(test_reset_state)
{
    ck_assert(!mtip(h0));
    ck_assert(!mtip(h1));
    ck_assert_uint_eq(rd(MTIMECMP(0), 8), UINT64_MAX);
    ck_assert_uint_eq(rd(MSIP(0), 4), 0);
    /* mtime starts near zero: well under an hour of ticks. */
    ck_assert_uint_lt(rd(MTIME, 8), HOUR_TICKS);
    ck_assert_uint_eq(aclint_next_deadline(aclint), UINT64_MAX);
}
END_TEST

START_TEST(test_past_mtimecmp_raises_mtip_on_update)
{
    wr(MTIMECMP(0), 8, aclint_mtime(aclint) + HOUR_TICKS);
    ck_assert(!mtip(h0));
    /* Move time past the compare value without a register write: only
     * aclint_update may notice. */
    aclint->mtime_offset += (int64_t)(2 * HOUR_TICKS);
    ck_assert(!mtip(h0));
    aclint_update(aclint);
    ck_assert(mtip(h0));
    ck_assert(!mtip(h1));
}
END_TEST

START_TEST(test_mtip_raised_in_real_time)
{
    uint64_t deadline = aclint_mtime(aclint) + ACLINT_TIMEBASE_HZ / 50; /* 20 ms */
    wr(MTIMECMP(1), 8, deadline);
    ck_assert_uint_eq(aclint_next_deadline(aclint), deadline);
    /* Sleep as the idle loop does; bounded so a broken deadline fails
     * instead of hanging. */
    for (int i = 0; i < 100 && !mtip(h1); i++) {
        uint64_t ns = aclint_ns_until(aclint, aclint_next_deadline(aclint));
        struct timespec ts = {(time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull)};
        nanosleep(&ts, NULL);
        aclint_update(aclint);
    }
    ck_assert(mtip(h1));
    ck_assert_uint_eq(aclint_ns_until(aclint, deadline), 0);
}
END_TEST

START_TEST(test_mtimecmp_write_sets_and_clears_mtip)
{
    wr(MTIMECMP(0), 8, 0);
    ck_assert(mtip(h0));
    wr(MTIMECMP(0), 8, aclint_mtime(aclint) + HOUR_TICKS);
    ck_assert(!mtip(h0));
    wr(MTIMECMP(1), 8, 1);
    ck_assert(mtip(h1));
    ck_assert(!mtip(h0));
    wr(MTIMECMP(1), 8, UINT64_MAX);
    ck_assert(!mtip(h1));
}
END_TEST

START_TEST(test_mtimecmp_halves)
{
    wr(MTIMECMP(0), 8, UINT64_MAX);
    wr(MTIMECMP(0), 4, 0x89abcdef);
    ck_assert_uint_eq(rd(MTIMECMP(0), 8), 0xffffffff89abcdefull);
    wr(MTIMECMP(0) + 4, 4, 0x01234567);
    ck_assert_uint_eq(rd(MTIMECMP(0), 8), 0x0123456789abcdefull);
    ck_assert_uint_eq(rd(MTIMECMP(0), 4), 0x89abcdef);
    ck_assert_uint_eq(rd(MTIMECMP(0) + 4, 4), 0x01234567);
    /* The RV32 idiom: high half to all ones first, so no spurious
     * interrupt, then low, then high. */
    wr(MTIMECMP(1) + 4, 4, 0xffffffff);
    wr(MTIMECMP(1), 4, 0);
    ck_assert(!mtip(h1));
    wr(MTIMECMP(1) + 4, 4, 0);
    ck_assert(mtip(h1));
}
END_TEST

START_TEST(test_msip_sets_and_clears)
{
    wr(MSIP(0), 4, 1);
    ck_assert(h0->cpu->mip & MIP_MSIP);
    ck_assert(!(h1->cpu->mip & MIP_MSIP));
    ck_assert_uint_eq(rd(MSIP(0), 4), 1);
    wr(MSIP(1), 4, 1);
    ck_assert(h1->cpu->mip & MIP_MSIP);
    wr(MSIP(0), 4, 0);
    ck_assert(!(h0->cpu->mip & MIP_MSIP));
    ck_assert_uint_eq(rd(MSIP(0), 4), 0);
    /* Only bit 0 is implemented. */
    wr(MSIP(1), 4, 0xfffffffe);
    ck_assert(!(h1->cpu->mip & MIP_MSIP));
    ck_assert_uint_eq(rd(MSIP(1), 4), 0);
}
END_TEST

START_TEST(test_mtime_runs_at_10_mhz)
{
    /* mtime and the bracket come from the same host clock, so the bounds
     * hold however slow the host is. */
    uint64_t t0 = mono_ns();
    uint64_t m0 = rd(MTIME, 8);
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    uint64_t m1 = rd(MTIME, 8);
    uint64_t t1 = mono_ns();
    uint64_t ticks = m1 - m0;
    ck_assert_uint_ge(ticks, ACLINT_TIMEBASE_HZ / 50 - 10);
    ck_assert_uint_le(ticks, (t1 - t0) / (1000000000ull / ACLINT_TIMEBASE_HZ) + 10);
}
END_TEST

START_TEST(test_mtime_write_and_halves)
{
    wr(MTIME, 8, 0x0000000500000000ull);
    uint64_t now = rd(MTIME, 8);
    ck_assert_uint_ge(now, 0x0000000500000000ull);
    ck_assert_uint_lt(now, 0x0000000500000000ull + HOUR_TICKS);
    ck_assert_uint_eq(rd(MTIME + 4, 4), 5);
    wr(MTIME + 4, 4, 7);
    ck_assert_uint_eq(rd(MTIME + 4, 4), 7);
    /* Moving time past a compare value raises MTIP at once. */
    wr(MTIMECMP(0), 8, 0x0000000800000000ull);
    ck_assert(!mtip(h0));
    wr(MTIME + 4, 4, 9);
    ck_assert(mtip(h0));
}
END_TEST

START_TEST(test_bad_offsets_are_logged_and_ignored)
{
    wr(MTIMECMP(0), 8, HOUR_TICKS);
    struct {
        uint64_t offset;
        unsigned size;
    } bad[] = {
        {MSIP(2), 4},                     /* hart 2 of 2 */
        {0x3ffc, 4},                      /* last MSIP word */
        {MSIP(0), 8},                     /* MSIP is 32-bit */
        {MTIMECMP(2), 8},                 /* hart 2 of 2 */
        {MTIMECMP(2), 4}, {MTIME - 8, 8}, /* last mtimecmp slot */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        long before = log_captured_bytes();
        ck_assert_uint_eq(rd(bad[i].offset, bad[i].size), 0);
        wr(bad[i].offset, bad[i].size, UINT64_MAX);
        ck_assert_msg(log_captured_bytes() > before, "offset 0x%llx not logged",
                      (unsigned long long)bad[i].offset);
    }
    ck_assert(!(h0->cpu->mip & MIP_MSIP));
    ck_assert(!(h1->cpu->mip & MIP_MSIP));
    ck_assert_uint_eq(rd(MTIMECMP(0), 8), HOUR_TICKS);
    ck_assert_uint_eq(rd(MTIMECMP(1), 8), UINT64_MAX);
    ck_assert_uint_lt(rd(MTIME, 8), HOUR_TICKS);
}
END_TEST

START_TEST(test_narrow_accesses_fault)
{
    uint64_t value;
    ck_assert(!memory_read(&h0->as, CLINT_BASE + MTIME, 2, &value));
    ck_assert(!memory_write(&h0->as, CLINT_BASE + MSIP(0), 1, 1));
    ck_assert(!(h0->cpu->mip & MIP_MSIP));
}
END_TEST

START_TEST(test_reset_clears_interrupts)
{
    wr(MSIP(0), 4, 1);
    wr(MTIMECMP(1), 8, 0);
    ck_assert(mtip(h1));
    aclint_reset(aclint);
    ck_assert(!(h0->cpu->mip & MIP_MSIP));
    ck_assert(!mtip(h1));
    ck_assert_uint_eq(rd(MTIMECMP(1), 8), UINT64_MAX);
}
END_TEST

static Suite *aclint_suite(void)
{
    Suite *s = suite_create("aclint");

    TCase *timer = tcase_create("timer");
    tcase_add_checked_fixture(timer, setup, teardown);
    tcase_add_test(timer, test_reset_state);
    tcase_add_test(timer, test_past_mtimecmp_raises_mtip_on_update);
    tcase_add_test(timer, test_mtip_raised_in_real_time);
    tcase_add_test(timer, test_mtimecmp_write_sets_and_clears_mtip);
    tcase_add_test(timer, test_mtimecmp_halves);
    tcase_add_test(timer, test_mtime_runs_at_10_mhz);
    tcase_add_test(timer, test_mtime_write_and_halves);
    tcase_add_test(timer, test_reset_clears_interrupts);
    suite_add_tcase(s, timer);

    TCase *soft = tcase_create("software");
    tcase_add_checked_fixture(soft, setup, teardown);
    tcase_add_test(soft, test_msip_sets_and_clears);
    suite_add_tcase(s, soft);

    TCase *guest = tcase_create("guest-input");
    tcase_add_checked_fixture(guest, setup, teardown);
    tcase_add_test(guest, test_bad_offsets_are_logged_and_ignored);
    tcase_add_test(guest, test_narrow_accesses_fault);
    suite_add_tcase(s, guest);
    return s;
}

int main(void)
{
    return run_suite(aclint_suite());
}
