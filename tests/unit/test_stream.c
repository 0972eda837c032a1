/* tests/unit/test_stream.c: ember's machine stream (migration/stream.c):
 * RAM round trips (zero pages by number only, data compressed), the
 * header's and sections' checks (truncation at every byte, CRC damage,
 * version, unknown types, page numbers past RAM, compressed data of the
 * wrong size), and a fuzzer over damaged streams. */
#include <stdlib.h>
#include <string.h>

#include "migration/stream.h"
#include "tests/unit/harness.h"
#include "util/le.h"

#define RAM_PAGES 1024
#define RAM_SIZE ((uint64_t)RAM_PAGES * MIG_PAGE_SIZE)

static uint8_t *ram, *copy;
static char err[512];

static void setup(void)
{
    ram = calloc(1, RAM_SIZE);
    copy = malloc(RAM_SIZE);
    ck_assert(ram && copy);
    /* Every third page has data that compresses, every seventh noise
     * (sent raw), the rest is zero. */
    uint64_t x = 88172645463325252ull;
    for (uint64_t p = 0; p < RAM_PAGES; p++) {
        for (unsigned i = 0; i < MIG_PAGE_SIZE && (p % 3 == 0 || p % 7 == 0); i += 8) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            st_le64(ram + p * MIG_PAGE_SIZE + i, p % 3 == 0 ? p * 0x9e3779b97f4a7c15ull ^ i : x);
        }
    }
    memset(copy, 0xcc, RAM_SIZE);
}

static void teardown(void)
{
    free(ram);
    free(copy);
}

/* Header, all of RAM in batches, a DEVICES section, END. */
static void make_stream(StateBuffer *out, MigRamStats *stats)
{
    mig_put_header(out, "board=test ram=4194304");
    uint32_t pages[MIG_RAM_BATCH];
    for (unsigned first = 0; first < RAM_PAGES; first += MIG_RAM_BATCH) {
        for (unsigned i = 0; i < MIG_RAM_BATCH; i++)
            pages[i] = first + i;
        mig_put_ram(out, ram, pages, MIG_RAM_BATCH, stats);
    }
    mig_put_section(out, MIG_SECTION_DEVICES, "devices", 7);
    mig_put_end(out, true);
    ck_assert(!out->failed);
}

/* Reads a whole stream into copy; -1 on the first error, 0 when it ends
 * early, 1 when it reached END. */
static int read_stream(const uint8_t *data, size_t len, bool load)
{
    char config[MIG_CONFIG_MAX];
    long got = mig_get_header(data, len, config, err, sizeof(err));
    if (got <= 0)
        return (int)got;
    size_t pos = (size_t)got;
    for (;;) {
        MigSection s;
        got = mig_get_section(data + pos, len - pos, &s, err, sizeof(err));
        if (got <= 0)
            return (int)got;
        pos += (size_t)got;
        if (s.type == MIG_SECTION_END)
            return mig_end_running(&s, err, sizeof(err)) == 1 ? 1 : -1;
        if (s.type == MIG_SECTION_RAM &&
            !mig_load_ram(&s, load ? copy : NULL, RAM_SIZE, err, sizeof(err)))
            return -1;
    }
}

START_TEST(test_round_trip)
{
    StateBuffer out = {0};
    MigRamStats stats = {0};
    make_stream(&out, &stats);
    unsigned data_pages = 0, noise_pages = 0;
    for (unsigned p = 0; p < RAM_PAGES; p++) {
        data_pages += p % 3 == 0 || p % 7 == 0;
        noise_pages += p % 3 != 0 && p % 7 == 0;
    }
    ck_assert_uint_eq(stats.normal_pages, data_pages);
    ck_assert_uint_eq(stats.zero_pages, RAM_PAGES - data_pages);
    /* Zero pages cost their number and kind; data compresses, noise goes
     * as it is. */
    ck_assert_uint_lt(out.len, (uint64_t)data_pages * MIG_PAGE_SIZE);
    ck_assert_uint_gt(out.len, (uint64_t)noise_pages * MIG_PAGE_SIZE);
    ck_assert_int_eq(read_stream(out.data, out.len, true), 1);
    ck_assert_mem_eq(copy, ram, RAM_SIZE);
    char config[MIG_CONFIG_MAX];
    ck_assert_int_gt(mig_get_header(out.data, out.len, config, err, sizeof(err)), 0);
    ck_assert_str_eq(config, "board=test ram=4194304");
    state_buffer_free(&out);
}
END_TEST

/* Cut anywhere, the stream reads as "more to come", never as an error. */
START_TEST(test_truncated_everywhere)
{
    StateBuffer out = {0};
    MigRamStats stats = {0};
    make_stream(&out, &stats);
    for (size_t len = 0; len < out.len; len += 1 + len / 64)
        ck_assert_int_eq(read_stream(out.data, len, false), 0);
    state_buffer_free(&out);
}
END_TEST

START_TEST(test_damage_refused)
{
    StateBuffer out = {0};
    MigRamStats stats = {0};
    make_stream(&out, &stats);
    uint8_t *bad = malloc(out.len);
    ck_assert_ptr_nonnull(bad);
    struct {
        size_t at;
        uint8_t flip;
        const char *want;
    } cases[] = {
        {0, 1, "magic"},
        {8, 2, "version"},
        {20, 1, "header is damaged"},
        {43, 1, "damaged"},              /* the first section's length */
        {out.len - 10, 0x80, "section"}, /* END's type */
        {out.len / 2, 0x10, "damaged"},  /* inside RAM data */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memcpy(bad, out.data, out.len);
        bad[cases[i].at] ^= cases[i].flip;
        err[0] = '\0';
        ck_assert_msg(read_stream(bad, out.len, false) == -1, "case %zu read on", i);
        ck_assert_msg(strstr(err, cases[i].want), "case %zu: %s", i, err);
    }
    free(bad);
    state_buffer_free(&out);
}
END_TEST

/* A RAM section whose CRC is right but whose content lies. */
static bool load_payload(const uint8_t *payload, uint32_t len, uint64_t ram_size)
{
    MigSection s = {MIG_SECTION_RAM, payload, len};
    return mig_load_ram(&s, NULL, ram_size, err, sizeof(err));
}

START_TEST(test_ram_section_checks)
{
    StateBuffer out = {0};
    MigRamStats stats = {0};
    uint32_t pages[2] = {0, 999}; /* both hold data */
    mig_put_ram(&out, ram, pages, 2, &stats);
    uint8_t *p = out.data + 5;
    uint32_t len = (uint32_t)(out.len - 9);
    ck_assert(load_payload(p, len, RAM_SIZE));
    /* Page 999 lies past a smaller RAM. */
    ck_assert(!load_payload(p, len, 999 * MIG_PAGE_SIZE));
    ck_assert_msg(strstr(err, "past this machine"), "%s", err);
    /* A kind byte other than 0 and 1. */
    p[4 + 8] = 7;
    ck_assert(!load_payload(p, len, RAM_SIZE));
    /* Page 999 claimed zero: the data does not fit the kinds. */
    p[4 + 8] = 1;
    p[4 + 9] = 0;
    ck_assert(!load_payload(p, len, RAM_SIZE));
    ck_assert_msg(strstr(err, "decompress"), "%s", err);
    p[4 + 9] = 1;
    /* More pages than a batch, lengths that do not add up. */
    st_le32(p, MIG_RAM_BATCH + 1);
    ck_assert(!load_payload(p, len, RAM_SIZE));
    st_le32(p, 2);
    ck_assert(!load_payload(p, len - 1, RAM_SIZE));
    ck_assert(!load_payload(p, 3, RAM_SIZE));
    ck_assert(load_payload(p, len, RAM_SIZE));
    state_buffer_free(&out);
}
END_TEST

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Random damage (bytes flipped, CRCs fixed up or not, lengths changed):
 * the reader says error, more, or END, and touches nothing outside. */
START_TEST(test_fuzzed_streams)
{
    StateBuffer out = {0};
    MigRamStats stats = {0};
    make_stream(&out, &stats);
    uint8_t *bad = malloc(out.len);
    ck_assert_ptr_nonnull(bad);
    uint64_t seed = 0x5eed5eed;
    for (int round = 0; round < 400; round++) {
        memcpy(bad, out.data, out.len);
        size_t len = out.len - xorshift(&seed) % 64;
        for (int k = 0; k < 1 + (int)(xorshift(&seed) % 4); k++)
            bad[xorshift(&seed) % len] ^= (uint8_t)(1 + xorshift(&seed) % 255);
        int rc = read_stream(bad, len, true);
        ck_assert(rc >= -1 && rc <= 1);
    }
    free(bad);
    state_buffer_free(&out);

    /* Past the CRC: a RAM payload damaged, then read and loaded. */
    StateBuffer one = {0};
    uint32_t pages[8] = {0, 3, 6, 1, 2, 900, 1023, 9};
    mig_put_ram(&one, ram, pages, 8, &stats);
    uint8_t *payload = malloc(one.len);
    ck_assert_ptr_nonnull(payload);
    for (int round = 0; round < 2000; round++) {
        uint32_t len = (uint32_t)(one.len - 9);
        memcpy(payload, one.data + 5, len);
        for (int k = 0; k < 1 + (int)(xorshift(&seed) % 3); k++)
            payload[xorshift(&seed) % len] ^= (uint8_t)(1 + xorshift(&seed) % 255);
        if (xorshift(&seed) % 4 == 0)
            len -= (uint32_t)(xorshift(&seed) % len);
        MigSection s = {MIG_SECTION_RAM, payload, len};
        if (mig_load_ram(&s, NULL, RAM_SIZE, err, sizeof(err)))
            ck_assert(mig_load_ram(&s, copy, RAM_SIZE, err, sizeof(err)));
    }
    free(payload);
    state_buffer_free(&one);
}
END_TEST

static Suite *stream_suite(void)
{
    Suite *s = suite_create("stream");
    TCase *tc = tcase_create("stream");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_truncated_everywhere);
    tcase_add_test(tc, test_damage_refused);
    tcase_add_test(tc, test_ram_section_checks);
    tcase_add_test(tc, test_fuzzed_streams);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(stream_suite());
}
