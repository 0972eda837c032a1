/* tests/unit/test_block_aio.c: scatter-gather transfers (batches, empty
 * pieces, the zeros past a file's end, the block 0 guard across pieces) and
 * asynchronous requests: run in order on the image's thread, completed
 * through the completion descriptor, drained before close, on raw and
 * qcow2. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block/block.h"
#include "tests/unit/harness.h"

static char path[64];
static char err[512];

static void make_file(const void *data, size_t len)
{
    strcpy(path, "/tmp/ember-test-aio-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
}

static void teardown(void)
{
    if (path[0])
        unlink(path);
    path[0] = '\0';
}

static BlockDevice *open_image(const char *format, bool readonly)
{
    BlockDevice *bd = block_open(path, readonly, format, err, sizeof(err));
    ck_assert_msg(bd != NULL, "%s", err);
    return bd;
}

START_TEST(test_readv_pieces_and_tail)
{
    uint8_t data[3000];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 7 + 1);
    make_file(data, sizeof(data));
    BlockDevice *bd = open_image("raw", true);
    ck_assert_uint_eq(bd->size, 3072);
    uint8_t a[1], b[511], c[2560];
    memset(c, 0xee, sizeof(c));
    struct iovec iov[] = {{NULL, 0}, {a, 1}, {b, 511}, {NULL, 0}, {c, 2560}};
    ck_assert_int_eq(block_readv(bd, 0, iov, 5), 0);
    ck_assert_uint_eq(a[0], data[0]);
    ck_assert_mem_eq(b, data + 1, 511);
    ck_assert_mem_eq(c, data + 512, 3000 - 512);
    for (size_t i = 3000 - 512; i < sizeof(c); i++)
        ck_assert_uint_eq(c[i], 0);                          /* past the file's end */
    ck_assert_int_eq(block_readv(bd, 512, iov, 5), -EINVAL); /* ends past the disk */
    block_close(bd);
}
END_TEST

/* More pieces than one system call takes. */
START_TEST(test_writev_many_pieces)
{
    make_file("", 0);
    ck_assert_int_eq(truncate(path, 8192), 0);
    BlockDevice *bd = open_image("raw", false);
    enum { PIECES = 700 };
    static uint8_t src[PIECES][10];
    static struct iovec iov[PIECES];
    for (int i = 0; i < PIECES; i++) {
        memset(src[i], i & 0xff, sizeof(src[i]));
        iov[i] = (struct iovec){src[i], i % 3 == 0 ? 0 : 10};
    }
    ck_assert_int_eq(block_writev(bd, 100, iov, PIECES), 0);
    uint8_t back[8192];
    ck_assert_int_eq(block_read(bd, 0, back, sizeof(back)), 0);
    size_t at = 100;
    for (int i = 0; i < PIECES; i++)
        for (size_t k = 0; k < iov[i].iov_len; k++)
            ck_assert_uint_eq(back[at++], i & 0xff);
    ck_assert_uint_eq(back[at], 0);
    block_close(bd);
}
END_TEST

/* A qcow2 header written in two pieces is still refused by the guard. */
START_TEST(test_block0_guard_across_pieces)
{
    uint8_t zeros[1024] = {0};
    make_file(zeros, sizeof(zeros));
    fflush(stderr);
    BlockDevice *bd = open_image(NULL, false); /* probed: guarded */
    ck_assert(bd->guard_block0);
    struct iovec iov[] = {{(void *)"QF", 2}, {(void *)"I\xfb\0\0\0\3", 6}, {zeros, 504}};
    ck_assert_int_eq(block_writev(bd, 0, iov, 3), -EPERM);
    struct iovec harmless[] = {{(void *)"QF", 2}, {zeros, 510}};
    ck_assert_int_eq(block_writev(bd, 0, harmless, 2), 0);
    block_close(bd);
}
END_TEST

/* Completions record their order here. */
static int done_order[128];
static int n_done;

static void record(BlockRequest *req)
{
    done_order[n_done++] = (int)(intptr_t)req->opaque;
    ck_assert_int_eq(req->ret, 0);
}

static void wait_readable(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    ck_assert_int_eq(poll(&p, 1, 10000), 1);
}

/* 64 writes of one sector, a read of it, a flush: in order, the read sees
 * the last write, and the completions come through the descriptor. */
static void check_order(const char *format)
{
    BlockDevice *bd = open_image(format, false);
    ck_assert(block_start_worker(bd, err, sizeof(err)));
    static uint8_t sectors[64][512], back[512];
    static BlockRequest reqs[66];
    static struct iovec iov[65];
    n_done = 0;
    for (int i = 0; i < 64; i++) {
        memset(sectors[i], i + 1, 512);
        iov[i] = (struct iovec){sectors[i], 512};
        reqs[i] = (BlockRequest){.op = BLOCK_OP_WRITE,
                                 .offset = 4096,
                                 .iov = &iov[i],
                                 .iovcnt = 1,
                                 .complete = record,
                                 .opaque = (void *)(intptr_t)i};
    }
    iov[64] = (struct iovec){back, 512};
    reqs[64] = (BlockRequest){.op = BLOCK_OP_READ,
                              .offset = 4096,
                              .iov = &iov[64],
                              .iovcnt = 1,
                              .complete = record,
                              .opaque = (void *)64};
    reqs[65] = (BlockRequest){.op = BLOCK_OP_FLUSH, .complete = record, .opaque = (void *)65};
    for (int i = 0; i < 66; i++)
        block_submit(bd, &reqs[i]);
    ck_assert_uint_eq(bd->in_flight, 66); /* none has completed: nothing ran them */
    while (n_done < 66) {
        wait_readable(block_completion_fd());
        block_run_completions();
    }
    ck_assert_uint_eq(bd->in_flight, 0);
    for (int i = 0; i < 66; i++)
        ck_assert_int_eq(done_order[i], i);
    for (int i = 0; i < 512; i++)
        ck_assert_uint_eq(back[i], 64);
    block_close(bd);
}

START_TEST(test_order_raw)
{
    make_file("", 0);
    ck_assert_int_eq(truncate(path, 1 << 20), 0);
    check_order("raw");
}
END_TEST

START_TEST(test_order_qcow2)
{
    make_file("", 0);
    ck_assert(block_qcow2_create(path, 1 << 20, NULL, NULL, err, sizeof(err)));
    check_order("qcow2");
}
END_TEST

static void expect_error(BlockRequest *req)
{
    n_done++;
    ck_assert_int_eq(req->ret, (int)(intptr_t)req->opaque);
}

/* Errors arrive as the synchronous calls return them; close waits for
 * what is still in flight, and what it wrote is there afterwards. */
START_TEST(test_errors_and_close_drains)
{
    make_file("", 0);
    ck_assert_int_eq(truncate(path, 1 << 20), 0);
    BlockDevice *bd = open_image("raw", false);
    ck_assert(block_start_worker(bd, err, sizeof(err)));
    static uint8_t buf[65536];
    memset(buf, 0x5a, sizeof(buf));
    struct iovec iov = {buf, sizeof(buf)};
    BlockRequest bad = {.op = BLOCK_OP_READ,
                        .offset = (1 << 20) - 512,
                        .iov = &iov,
                        .iovcnt = 1,
                        .complete = expect_error,
                        .opaque = (void *)(intptr_t)-EINVAL};
    BlockRequest zero = {.op = BLOCK_OP_WRITE_ZEROES,
                         .offset = 1 << 20,
                         .len = 512,
                         .complete = expect_error,
                         .opaque = (void *)(intptr_t)-EINVAL};
    static BlockRequest writes[16];
    n_done = 0;
    block_submit(bd, &bad);
    block_submit(bd, &zero);
    for (int i = 0; i < 16; i++) {
        writes[i] = (BlockRequest){.op = BLOCK_OP_WRITE,
                                   .offset = (uint64_t)i * sizeof(buf),
                                   .iov = &iov,
                                   .iovcnt = 1,
                                   .complete = expect_error,
                                   .opaque = (void *)0};
        block_submit(bd, &writes[i]);
    }
    block_close(bd);
    ck_assert_int_eq(n_done, 18);
    bd = open_image("raw", true);
    static uint8_t back[1 << 20];
    ck_assert_int_eq(block_read(bd, 0, back, sizeof(back)), 0);
    for (size_t i = 0; i < sizeof(back); i++)
        ck_assert_uint_eq(back[i], 0x5a);
    BlockRequest ro = {.op = BLOCK_OP_DISCARD,
                       .len = 512,
                       .complete = expect_error,
                       .opaque = (void *)(intptr_t)-EROFS};
    ck_assert(block_start_worker(bd, err, sizeof(err)));
    n_done = 0;
    block_submit(bd, &ro);
    block_drain(bd);
    ck_assert_int_eq(n_done, 1);
    block_close(bd);
}
END_TEST

static Suite *block_aio_suite(void)
{
    Suite *s = suite_create("block-aio");
    TCase *tc = tcase_create("aio");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_readv_pieces_and_tail);
    tcase_add_test(tc, test_writev_many_pieces);
    tcase_add_test(tc, test_block0_guard_across_pieces);
    tcase_add_test(tc, test_order_raw);
    tcase_add_test(tc, test_order_qcow2);
    tcase_add_test(tc, test_errors_and_close_drains);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(block_aio_suite());
}
