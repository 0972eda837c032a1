/* tests/unit/test_goldfish_rtc.c: unit tests for hw/rtc/goldfish_rtc.c: wall
 * time, setting it, the alarm and its interrupt, bad accesses, the node. */
#include <libfdt.h>
#include <stdlib.h>
#include <time.h>

#include "hw/rtc/goldfish_rtc.h"
#include "tests/unit/harness.h"
#include "util/log.h"

#define RTC_BASE 0x101000ull
#define NS_PER_SEC 1000000000ull
#define HOUR_NS (3600 * NS_PER_SEC)

enum {
    TIME_LOW = 0x00,
    TIME_HIGH = 0x04,
    ALARM_LOW = 0x08,
    ALARM_HIGH = 0x0c,
    IRQ_ENABLED = 0x10,
    CLEAR_ALARM = 0x14,
    ALARM_STATUS = 0x18,
    CLEAR_INTERRUPT = 0x1c,
};

static AddressSpace as;
static GoldfishRtc rtc;
static bool irq_level;
static unsigned irq_number;

static void record_irq(void *opaque, unsigned n, bool level)
{
    (void)opaque;
    irq_number = n;
    irq_level = level;
}

static void setup(void)
{
    irq_level = false;
    irq_number = 0;
    goldfish_rtc_init(&rtc, (IrqLine){.set = record_irq, .n = 11}, NULL);
    ck_assert_ptr_nonnull(
        memory_add_mmio(&as, "rtc", RTC_BASE, GOLDFISH_RTC_SIZE, &goldfish_rtc_ops, &rtc));
    log_capture_start();
}

static void teardown(void)
{
    log_capture_stop();
    memory_destroy(&as);
}

static uint32_t rd(uint64_t offset)
{
    uint64_t value = 0;
    ck_assert_msg(memory_read(&as, RTC_BASE + offset, 4, &value), "read of 0x%llx failed",
                  (unsigned long long)offset);
    return (uint32_t)value;
}

static void wr(uint64_t offset, uint32_t value)
{
    ck_assert_msg(memory_write(&as, RTC_BASE + offset, 4, value), "write of 0x%llx failed",
                  (unsigned long long)offset);
}

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* As Linux's driver reads it: TIME_LOW first, which latches TIME_HIGH. */
static uint64_t read_time(void)
{
    uint64_t low = rd(TIME_LOW);
    return ((uint64_t)rd(TIME_HIGH) << 32) | low;
}

/* As Linux's driver sets it: high half first. */
static void set_time(uint64_t ns)
{
    wr(TIME_HIGH, (uint32_t)(ns >> 32));
    wr(TIME_LOW, (uint32_t)ns);
}

static void set_alarm(uint64_t ns)
{
    wr(ALARM_HIGH, (uint32_t)(ns >> 32));
    wr(ALARM_LOW, (uint32_t)ns);
}

/* Loose: only a host clock step during the test could break it. */
static void assert_near(uint64_t value, uint64_t want)
{
    uint64_t diff = value > want ? value - want : want - value;
    ck_assert_msg(diff < 10 * NS_PER_SEC, "0x%llx is not near 0x%llx", (unsigned long long)value,
                  (unsigned long long)want);
}

START_TEST(test_time_follows_host_wall_clock)
{
    uint64_t before = host_ns();
    uint64_t now = read_time();
    assert_near(now, before);
    ck_assert_uint_ge(read_time(), now);
}
END_TEST

START_TEST(test_time_high_is_latched_by_time_low)
{
    rd(TIME_LOW);
    uint32_t latched = rd(TIME_HIGH);
    set_time((uint64_t)(latched + 7) << 32);
    ck_assert_uint_eq(rd(TIME_HIGH), latched);
    rd(TIME_LOW);
    ck_assert_uint_eq(rd(TIME_HIGH), latched + 7);
}
END_TEST

START_TEST(test_setting_time_offsets_it)
{
    const uint64_t year_2000 = 946684800ull * NS_PER_SEC;
    set_time(year_2000);
    uint64_t now = read_time();
    assert_near(now, year_2000);
    ck_assert_uint_ge(read_time(), now); /* and it keeps running */
    const uint64_t year_2100 = 4102444800ull * NS_PER_SEC;
    set_time(year_2100);
    assert_near(read_time(), year_2100);
    /* The offset survives a reset, like a battery-backed clock. */
    goldfish_rtc_reset(&rtc);
    assert_near(read_time(), year_2100);
}
END_TEST

START_TEST(test_alarm_registers_read_back)
{
    wr(ALARM_HIGH, 0x12345678);
    ck_assert_uint_eq(rd(ALARM_STATUS), 0); /* only ALARM_LOW arms */
    wr(ALARM_LOW, 0x9abcdef0);
    ck_assert_uint_eq(rd(ALARM_HIGH), 0x12345678);
    ck_assert_uint_eq(rd(ALARM_LOW), 0x9abcdef0);
}
END_TEST

START_TEST(test_past_alarm_fires_at_once)
{
    wr(IRQ_ENABLED, 1);
    set_alarm(read_time() - NS_PER_SEC);
    ck_assert(irq_level);
    ck_assert_uint_eq(irq_number, 11);
    ck_assert_uint_eq(rd(ALARM_STATUS), 0);
    wr(CLEAR_INTERRUPT, 1);
    ck_assert(!irq_level);
}
END_TEST

START_TEST(test_future_alarm_fires_when_time_reaches_it)
{
    wr(IRQ_ENABLED, 1);
    uint64_t now = read_time();
    set_alarm(now + HOUR_NS);
    ck_assert_uint_eq(rd(ALARM_STATUS), 1);
    goldfish_rtc_update(&rtc);
    ck_assert(!irq_level);
    uint64_t deadline = goldfish_rtc_next_deadline_ns(&rtc);
    ck_assert_uint_le(deadline, HOUR_NS);
    ck_assert_uint_gt(deadline, HOUR_NS - 10 * NS_PER_SEC);
    /* Setting the clock past the alarm makes it due. */
    set_time(now + 2 * HOUR_NS);
    ck_assert_uint_eq(goldfish_rtc_next_deadline_ns(&rtc), 0);
    goldfish_rtc_update(&rtc);
    ck_assert(irq_level);
    ck_assert_uint_eq(rd(ALARM_STATUS), 0);
    ck_assert_uint_eq(goldfish_rtc_next_deadline_ns(&rtc), UINT64_MAX);
    wr(CLEAR_INTERRUPT, 1);
    ck_assert(!irq_level);
}
END_TEST

START_TEST(test_alarm_fires_in_real_time)
{
    wr(IRQ_ENABLED, 1);
    set_alarm(read_time() + 20 * 1000 * 1000);
    /* Sleep until each reported deadline, as the idle loop does; bounded so
     * a broken deadline fails instead of hanging. */
    for (int i = 0; i < 100 && !irq_level; i++) {
        uint64_t ns = goldfish_rtc_next_deadline_ns(&rtc);
        ck_assert_uint_ne(ns, UINT64_MAX);
        struct timespec ts = {(time_t)(ns / NS_PER_SEC), (long)(ns % NS_PER_SEC)};
        nanosleep(&ts, NULL);
        goldfish_rtc_update(&rtc);
    }
    ck_assert(irq_level);
}
END_TEST

START_TEST(test_irq_enabled_gates_the_line)
{
    set_alarm(1);
    ck_assert(!irq_level); /* fired, but interrupts are disabled */
    ck_assert_uint_eq(rd(ALARM_STATUS), 0);
    wr(IRQ_ENABLED, 1);
    ck_assert_uint_eq(rd(IRQ_ENABLED), 1);
    ck_assert(irq_level);
    wr(IRQ_ENABLED, 0);
    ck_assert(!irq_level);
    wr(IRQ_ENABLED, 0xfffffffe); /* only bit 0 counts */
    ck_assert_uint_eq(rd(IRQ_ENABLED), 0);
    ck_assert(!irq_level);
    wr(CLEAR_INTERRUPT, 1);
    wr(IRQ_ENABLED, 1);
    ck_assert(!irq_level);
}
END_TEST

START_TEST(test_clear_alarm_disarms)
{
    wr(IRQ_ENABLED, 1);
    uint64_t now = read_time();
    set_alarm(now + HOUR_NS);
    wr(CLEAR_ALARM, 1);
    ck_assert_uint_eq(rd(ALARM_STATUS), 0);
    ck_assert_uint_eq(goldfish_rtc_next_deadline_ns(&rtc), UINT64_MAX);
    set_time(now + 2 * HOUR_NS);
    goldfish_rtc_update(&rtc);
    ck_assert(!irq_level);
}
END_TEST

START_TEST(test_reset_disarms_and_lowers)
{
    wr(IRQ_ENABLED, 1);
    set_alarm(1);
    ck_assert(irq_level);
    set_alarm(read_time() + HOUR_NS);
    goldfish_rtc_reset(&rtc);
    ck_assert(!irq_level);
    ck_assert_uint_eq(rd(IRQ_ENABLED), 0);
    ck_assert_uint_eq(rd(ALARM_STATUS), 0);
    ck_assert_uint_eq(goldfish_rtc_next_deadline_ns(&rtc), UINT64_MAX);
}
END_TEST

START_TEST(test_bad_offsets_are_logged_and_ignored)
{
    wr(IRQ_ENABLED, 1);
    const uint64_t bad[] = {0x20, 0x24, 0x100, GOLDFISH_RTC_SIZE - 4};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        long before = log_captured_bytes();
        ck_assert_uint_eq(rd(bad[i]), 0);
        wr(bad[i], 0xffffffff);
        ck_assert_msg(log_captured_bytes() > before, "offset 0x%llx not logged",
                      (unsigned long long)bad[i]);
    }
    ck_assert_uint_eq(rd(IRQ_ENABLED), 1);
    ck_assert_uint_eq(rd(ALARM_STATUS), 0);
    ck_assert(!irq_level);
    assert_near(read_time(), host_ns());
    /* Write-only registers read as zero, with a log line. */
    long before = log_captured_bytes();
    ck_assert_uint_eq(rd(CLEAR_ALARM), 0);
    ck_assert_uint_eq(rd(CLEAR_INTERRUPT), 0);
    ck_assert_int_gt(log_captured_bytes(), before);
}
END_TEST

START_TEST(test_only_32_bit_accesses)
{
    uint64_t value;
    ck_assert(!memory_read(&as, RTC_BASE, 8, &value));
    ck_assert(!memory_read(&as, RTC_BASE + TIME_HIGH, 2, &value));
    ck_assert(!memory_write(&as, RTC_BASE + IRQ_ENABLED, 1, 1));
    ck_assert_uint_eq(rd(IRQ_ENABLED), 0);
}
END_TEST

START_TEST(test_fdt_node_matches_qemu)
{
    char fdt[1024];
    ck_assert_int_eq(fdt_create(fdt, sizeof(fdt)), 0);
    ck_assert_int_eq(fdt_finish_reservemap(fdt), 0);
    ck_assert_int_eq(fdt_begin_node(fdt, ""), 0);
    ck_assert_int_eq(goldfish_rtc_fdt_node(fdt, RTC_BASE, GOLDFISH_RTC_SIZE, 3, 11), 0);
    ck_assert_int_eq(fdt_end_node(fdt), 0);
    ck_assert_int_eq(fdt_finish(fdt), 0);

    int node = fdt_path_offset(fdt, "/rtc@101000");
    ck_assert_int_ge(node, 0);
    int len;
    const fdt32_t *cell = fdt_getprop(fdt, node, "interrupts", &len);
    ck_assert_int_eq(len, 4);
    ck_assert_uint_eq(fdt32_to_cpu(*cell), 11);
    cell = fdt_getprop(fdt, node, "interrupt-parent", &len);
    ck_assert_int_eq(len, 4);
    ck_assert_uint_eq(fdt32_to_cpu(*cell), 3);
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    ck_assert_int_eq(len, 16);
    ck_assert_uint_eq(fdt32_to_cpu(reg[0]), 0);
    ck_assert_uint_eq(fdt32_to_cpu(reg[1]), 0x101000);
    ck_assert_uint_eq(fdt32_to_cpu(reg[2]), 0);
    ck_assert_uint_eq(fdt32_to_cpu(reg[3]), 0x1000);
    const char *compat = fdt_getprop(fdt, node, "compatible", &len);
    ck_assert_int_eq(len, sizeof("google,goldfish-rtc"));
    ck_assert_str_eq(compat, "google,goldfish-rtc");

    char small[128];
    ck_assert_int_eq(fdt_create(small, sizeof(small)), 0);
    ck_assert_int_eq(fdt_finish_reservemap(small), 0);
    ck_assert_int_eq(fdt_begin_node(small, ""), 0);
    ck_assert_int_eq(goldfish_rtc_fdt_node(small, RTC_BASE, GOLDFISH_RTC_SIZE, 3, 11),
                     -FDT_ERR_NOSPACE);
}
END_TEST

static Suite *goldfish_rtc_suite(void)
{
    Suite *s = suite_create("goldfish_rtc");

    TCase *time = tcase_create("time");
    tcase_add_checked_fixture(time, setup, teardown);
    tcase_add_test(time, test_time_follows_host_wall_clock);
    tcase_add_test(time, test_time_high_is_latched_by_time_low);
    tcase_add_test(time, test_setting_time_offsets_it);
    suite_add_tcase(s, time);

    TCase *alarm = tcase_create("alarm");
    tcase_add_checked_fixture(alarm, setup, teardown);
    tcase_add_test(alarm, test_alarm_registers_read_back);
    tcase_add_test(alarm, test_past_alarm_fires_at_once);
    tcase_add_test(alarm, test_future_alarm_fires_when_time_reaches_it);
    tcase_add_test(alarm, test_alarm_fires_in_real_time);
    tcase_add_test(alarm, test_irq_enabled_gates_the_line);
    tcase_add_test(alarm, test_clear_alarm_disarms);
    tcase_add_test(alarm, test_reset_disarms_and_lowers);
    suite_add_tcase(s, alarm);

    TCase *guest = tcase_create("guest-input");
    tcase_add_checked_fixture(guest, setup, teardown);
    tcase_add_test(guest, test_bad_offsets_are_logged_and_ignored);
    tcase_add_test(guest, test_only_32_bit_accesses);
    suite_add_tcase(s, guest);

    TCase *fdt = tcase_create("fdt");
    tcase_add_test(fdt, test_fdt_node_matches_qemu);
    suite_add_tcase(s, fdt);
    return s;
}

int main(void)
{
    return run_suite(goldfish_rtc_suite());
}
