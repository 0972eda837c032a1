/* tests/unit/test_qcow2.c: unit tests for block/qcow2.c against QEMU's own
 * tools: images qemu-io and qemu-img wrote read back right (versions 2 and
 * 3, compressed, zero clusters, backing chains), what ember writes passes
 * qemu-img check and compares identical to a raw disk written the same way,
 * internal snapshots agree with qemu-img's and survive being killed, and
 * hostile headers and snapshot tables are refused with a message naming
 * the file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "block/block.h"
#include "tests/unit/harness.h"

static char dir[64];
static char err[1024];

static bool have_qemu_tools(void)
{
    return system("qemu-img --version >/dev/null 2>&1 && qemu-io --version >/dev/null 2>&1") == 0;
}

#define NEED_QEMU()                                                                                \
    do {                                                                                           \
        if (!have_qemu_tools()) {                                                                  \
            fprintf(stderr, "qemu-img/qemu-io not found (Debian qemu-utils): test skipped\n");     \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Runs a shell command in the test's directory; its exit status. */
static int run(const char *fmt, ...)
{
    char cmd[4096];
    int n = snprintf(cmd, sizeof(cmd), "cd '%s' && (", dir);
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
    va_end(ap);
    snprintf(cmd + n, sizeof(cmd) - (size_t)n, ") >/dev/null 2>&1");
    int status = system(cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void run_ok(const char *cmd)
{
    ck_assert_msg(run("%s", cmd) == 0, "failed: %s", cmd);
}

static char *in_dir(const char *name)
{
    static char paths[4][256];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof(paths[0]), "%s/%s", dir, name);
    return p;
}

static void setup(void)
{
    strcpy(dir, "/tmp/ember-test-qcow2-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static BlockDevice *open_ok(const char *name, bool readonly, const char *format)
{
    BlockDevice *bd = block_open(in_dir(name), readonly, format, err, sizeof(err));
    ck_assert_msg(bd, "%s", err);
    return bd;
}

/* The whole disk of an image as ember reads it. */
static uint8_t *read_disk(const char *name, const char *format, uint64_t *size)
{
    BlockDevice *bd = open_ok(name, true, format);
    uint8_t *buf = malloc(bd->size ? bd->size : 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(block_read(bd, 0, buf, bd->size), 0);
    *size = bd->size;
    block_close(bd);
    return buf;
}

/* ember reads the qcow2 image exactly as the raw file ref holds the disk. */
static void assert_reads_as(const char *image, const char *ref)
{
    uint64_t size, ref_size;
    uint8_t *got = read_disk(image, NULL, &size);
    uint8_t *want = read_disk(ref, "raw", &ref_size);
    ck_assert_uint_eq(size, ref_size);
    for (uint64_t i = 0; i < size && memcmp(got, want, size) != 0; i++)
        ck_assert_msg(got[i] == want[i], "%s: byte %llu is %#x, not %#x", image,
                      (unsigned long long)i, got[i], want[i]);
    free(got);
    free(want);
}

/* qemu-io's commands, applied to the image and to the raw reference. */
static void qemu_io_both(const char *image, const char *ref, const char *cmds)
{
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "qemu-io %s '%s' && qemu-io -f raw %s '%s'", cmds, image, cmds, ref);
    run_ok(cmd);
}

static void make_pattern_raw(const char *name, uint64_t size, unsigned seed)
{
    uint8_t *buf = malloc(size);
    ck_assert_ptr_nonnull(buf);
    for (uint64_t i = 0; i < size; i++)
        buf[i] = (uint8_t)((i / 4096 % 3 == 0) ? 0x5a : (i * 7 + seed + i / 512));
    FILE *f = fopen(in_dir(name), "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(buf, 1, size, f), size);
    fclose(f);
    free(buf);
}

START_TEST(test_reads_qemu_written)
{
    NEED_QEMU();
    const char *compat[] = {"1.1", "0.10"};
    for (int i = 0; i < 2; i++) {
        run_ok("rm -f img ref");
        char cmd[256];
        snprintf(cmd, sizeof(cmd),
                 "qemu-img create -q -f qcow2 -o compat=%s img 4M && qemu-img create -q -f raw "
                 "ref 4M",
                 compat[i]);
        run_ok(cmd);
        qemu_io_both("img", "ref",
                     "-c 'write -P 0xab 0 64k' -c 'write -P 0xcd 100k 3k' "
                     "-c 'write -P 0xef 1M 200k' -c 'write -P 0x11 4190208 4096' "
                     "-c 'write -z 1100k 64k'");
        assert_reads_as("img", "ref");
        BlockDevice *bd = open_ok("img", true, NULL);
        ck_assert_str_eq(block_format(bd), "qcow2");
        block_close(bd);
    }
}
END_TEST

START_TEST(test_reads_compressed)
{
    NEED_QEMU();
    make_pattern_raw("ref", 3 * 1024 * 1024 + 4096, 3);
    run_ok("qemu-img convert -c -O qcow2 -f raw ref img");
    assert_reads_as("img", "ref");
    run_ok("qemu-img convert -c -O qcow2 -o cluster_size=4096 -f raw ref img4k");
    assert_reads_as("img4k", "ref");
}
END_TEST

START_TEST(test_reads_chain_and_zero_clusters)
{
    NEED_QEMU();
    make_pattern_raw("base.raw", 2 * 1024 * 1024, 9);
    run_ok("cp base.raw ref && mkdir sub");
    run_ok("qemu-img create -q -f qcow2 -b ../base.raw -F raw sub/mid.qcow2 2M");
    qemu_io_both("sub/mid.qcow2", "ref",
                 "-c 'write -P 0x22 60k 10k' -c 'write -z 512k 128k' -c 'write -P 0x33 1M 64k'");
    /* No format extension here: the backing file's format is probed. */
    ck_assert(block_qcow2_create(in_dir("top.qcow2"), 2 * 1024 * 1024, "sub/mid.qcow2", NULL, err,
                                 sizeof(err)));
    qemu_io_both("top.qcow2", "ref",
                 "-c 'write -P 0x44 1M 1k' -c 'write -z 1500k 64k' -c 'write -P 0x55 2000k 48k'");
    assert_reads_as("top.qcow2", "ref");

    /* Zero clusters over backing data read zeros. */
    BlockDevice *bd = open_ok("top.qcow2", true, NULL);
    uint8_t buf[65536];
    ck_assert_int_eq(block_read(bd, 1500 * 1024, buf, sizeof(buf)), 0);
    for (size_t i = 0; i < sizeof(buf); i++)
        ck_assert_uint_eq(buf[i], 0);
    block_close(bd);
}
END_TEST

/* The same guest writes through ember to the qcow2 image and the raw one. */
static void write_both(BlockDevice *q, BlockDevice *r, uint64_t offset, size_t len, uint8_t seed)
{
    uint8_t *buf = malloc(len);
    ck_assert_ptr_nonnull(buf);
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(seed + i * 13 + i / 777);
    ck_assert_int_eq(block_write(q, offset, buf, len), 0);
    ck_assert_int_eq(block_write(r, offset, buf, len), 0);
    free(buf);
}

static void assert_check_and_compare(const char *image, const char *ref)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "qemu-img check -q '%s'", image);
    run_ok(cmd);
    snprintf(cmd, sizeof(cmd), "qemu-img compare -q -f qcow2 -F raw '%s' '%s'", image, ref);
    run_ok(cmd);
    assert_reads_as(image, ref);
}

/* Unaligned, cross-cluster, over backing data and compressed data, then
 * write_zeroes and discard. */
static void exercise_writes(const char *image, const char *ref, bool has_backing)
{
    BlockDevice *q = open_ok(image, false, "qcow2");
    BlockDevice *r = open_ok(ref, false, "raw");
    write_both(q, r, 100, 1000, 1);
    write_both(q, r, 65536 - 300, 700, 2);
    write_both(q, r, 3 * 65536 + 17, 5 * 65536 + 99, 3);
    write_both(q, r, 1024 * 1024 - 1, 2, 4);
    write_both(q, r, 2 * 1024 * 1024 + 4096, 4096, 5);
    write_both(q, r, 100, 10, 6); /* in place */
    write_both(q, r, q->size - 512, 512, 7);
    block_close(q);
    block_close(r);
    assert_check_and_compare(image, ref);

    q = open_ok(image, false, "qcow2");
    r = open_ok(ref, false, "raw");
    ck_assert_int_eq(block_write_zeroes(q, 50, 200000, true), 0);
    ck_assert_int_eq(block_write_zeroes(r, 50, 200000, false), 0);
    ck_assert_int_eq(block_write_zeroes(q, 1024 * 1024, 3 * 65536, false), 0);
    ck_assert_int_eq(block_write_zeroes(r, 1024 * 1024, 3 * 65536, false), 0);
    /* Discarded whole clusters read zeros (a zero cluster over a backing
     * file); the raw reference zeroes just those. */
    ck_assert_int_eq(block_discard(q, 2 * 1024 * 1024, 4 * 65536), 0);
    ck_assert_int_eq(block_write_zeroes(r, 2 * 1024 * 1024, 4 * 65536, false), 0);
    (void)has_backing;
    write_both(q, r, 1024 * 1024 + 5000, 100, 8); /* into a zero cluster */
    block_close(q);
    block_close(r);
    assert_check_and_compare(image, ref);
}

START_TEST(test_writes_plain_and_compressed)
{
    NEED_QEMU();
    make_pattern_raw("ref", 4 * 1024 * 1024, 5);
    run_ok("qemu-img convert -c -O qcow2 -f raw ref img");
    exercise_writes("img", "ref", false);

    run_ok("qemu-img create -q -f qcow2 -o compat=0.10 v2 4M && qemu-img create -q -f raw ref2 4M");
    exercise_writes("v2", "ref2", false);
}
END_TEST

START_TEST(test_writes_over_backing)
{
    NEED_QEMU();
    make_pattern_raw("base", 4 * 1024 * 1024, 11);
    run_ok("cp base ref");
    ck_assert_msg(
        block_qcow2_create(in_dir("img"), 4 * 1024 * 1024, "base", "raw", err, sizeof(err)), "%s",
        err);
    exercise_writes("img", "ref", true);
}
END_TEST

static uint64_t header_be64(const char *name, uint64_t offset);

/* Small clusters and each refcount width: the refcount table must grow
 * (its 64 entries cover 8 MiB of image with 16-bit refcounts, 2 MiB with
 * 64-bit ones). */
START_TEST(test_refcount_growth)
{
    NEED_QEMU();
    const int widths[] = {1, 16, 64};
    for (int w = 0; w < 3; w++) {
        run_ok("rm -f img ref");
        char cmd[256];
        snprintf(cmd, sizeof(cmd),
                 "qemu-img create -q -f qcow2 -o cluster_size=512,refcount_bits=%d img 32M && "
                 "qemu-img create -q -f raw ref 32M",
                 widths[w]);
        run_ok(cmd);
        uint64_t table = header_be64("img", 48);
        BlockDevice *q = open_ok("img", false, NULL);
        BlockDevice *r = open_ok("ref", false, "raw");
        for (int i = 0; i < 24; i++)
            write_both(q, r, (uint64_t)i * 1300 * 1024 + 333, 400 * 1024, (uint8_t)i);
        ck_assert_int_eq(block_discard(q, 4096, 1024 * 1024), 0);
        ck_assert_int_eq(block_write_zeroes(r, 4096, 1024 * 1024, false), 0);
        block_close(q);
        block_close(r);
        assert_check_and_compare("img", "ref");
        if (widths[w] > 1)
            ck_assert_uint_ne(header_be64("img", 48), table);
    }
}
END_TEST

/* Clusters and L2 tables a snapshot shares are copied, never changed: the
 * snapshot still reads as it was. */
START_TEST(test_writes_with_snapshot)
{
    NEED_QEMU();
    make_pattern_raw("ref", 4 * 1024 * 1024, 21);
    run_ok("qemu-img convert -O qcow2 -f raw ref img && cp ref snap.raw && "
           "qemu-img snapshot -c s1 img");
    exercise_writes("img", "ref", false);
    run_ok("qemu-img convert -O raw -l snapshot.name=s1 img snap.out && cmp snap.out snap.raw");
}
END_TEST

/* Discarded clusters are reused: the image does not grow. */
START_TEST(test_freed_clusters_reused)
{
    NEED_QEMU();
    run_ok("qemu-img create -q -f qcow2 img 64M && qemu-img create -q -f raw ref 64M");
    BlockDevice *q = open_ok("img", false, NULL);
    BlockDevice *r = open_ok("ref", false, "raw");
    write_both(q, r, 0, 4 << 20, 1);
    struct stat st;
    ck_assert_int_eq(fstat(q->fd, &st), 0);
    off_t grown = st.st_size;
    ck_assert_int_eq(block_discard(q, 0, 4 << 20), 0);
    ck_assert_int_eq(block_write_zeroes(r, 0, 4 << 20, false), 0);
    write_both(q, r, 32 << 20, 4 << 20, 2);
    ck_assert_int_eq(fstat(q->fd, &st), 0);
    ck_assert_int_le(st.st_size, grown + 65536);
    block_close(q);
    block_close(r);
    assert_check_and_compare("img", "ref");
}
END_TEST

/* Killed at any moment while writing, the image has at most leaked
 * clusters (qemu-img check: 0, or 3 for leaks; 2 is corruption). */
START_TEST(test_killed_while_writing)
{
    NEED_QEMU();
    make_pattern_raw("base", 8 * 1024 * 1024, 2);
    run_ok("qemu-img create -q -f qcow2 -o cluster_size=4096,refcount_bits=64 -b base -F raw "
           "img 8M");
    for (int round = 0; round < 6; round++) {
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            BlockDevice *bd = block_open(in_dir("img"), false, NULL, err, sizeof(err));
            if (!bd)
                _exit(1);
            uint8_t buf[20000];
            memset(buf, round, sizeof(buf));
            for (uint64_t i = 0;; i++) {
                uint64_t at = (i * 2654435761u) % (bd->size - sizeof(buf));
                if (i % 5 == 4)
                    block_discard(bd, at, 3 * 4096);
                else
                    block_write(bd, at, buf, sizeof(buf) - i % 3000);
            }
        }
        usleep(20000 + (useconds_t)round * 30000);
        kill(pid, SIGKILL);
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFSIGNALED(status));
        int rc = run("qemu-img check img");
        ck_assert_msg(rc == 0 || rc == 3, "round %d: qemu-img check says %d", round, rc);
    }
}
END_TEST

START_TEST(test_create)
{
    NEED_QEMU();
    make_pattern_raw("base.raw", 1024 * 1024, 1);
    ck_assert_msg(
        block_qcow2_create(in_dir("img"), 1024 * 1024, "base.raw", "raw", err, sizeof(err)), "%s",
        err);
    run_ok("qemu-img check -q img");
    run_ok("qemu-img info img | grep -q '^backing file: base.raw$' && "
           "qemu-img info img | grep -q '^backing file format: raw$' && "
           "qemu-img info img | grep -q 'compat: 1.1'");
    run_ok("qemu-img compare -q img base.raw");
    assert_reads_as("img", "base.raw");

    ck_assert(block_qcow2_create(in_dir("plain"), 10ull << 30, NULL, NULL, err, sizeof(err)));
    run_ok("qemu-img check -q plain && qemu-img info plain | grep -q 'virtual size: 10 GiB'");
}
END_TEST

/* ---- hostile images ---- */

static void patch(const char *name, uint64_t offset, const void *bytes, size_t len)
{
    int fd = open(in_dir(name), O_WRONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pwrite(fd, bytes, len, (off_t)offset), (ssize_t)len);
    close(fd);
}

static void patch_be32(const char *name, uint64_t offset, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    patch(name, offset, b, 4);
}

static void patch_be64(const char *name, uint64_t offset, uint64_t v)
{
    patch_be32(name, offset, (uint32_t)(v >> 32));
    patch_be32(name, offset + 4, (uint32_t)v);
}

static uint64_t header_be64(const char *name, uint64_t offset)
{
    uint8_t b[8];
    int fd = open(in_dir(name), O_RDONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pread(fd, b, 8, (off_t)offset), 8);
    close(fd);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | b[i];
    return v;
}

static void assert_refused(const char *name, bool readonly, const char *what)
{
    BlockDevice *bd = block_open(in_dir(name), readonly, NULL, err, sizeof(err));
    if (bd)
        block_close(bd);
    ck_assert_msg(!bd, "%s: opened", what);
    ck_assert_msg(strstr(err, in_dir(name)), "%s: %s", what, err);
}

static void fresh(void)
{
    ck_assert(block_qcow2_create(in_dir("h"), 16 * 1024 * 1024, NULL, NULL, err, sizeof(err)));
}

START_TEST(test_hostile_headers)
{
    struct {
        const char *what;
        uint64_t offset;
        int width; /* 4 or 8 */
        uint64_t value;
    } cases[] = {
        {"version 4", 4, 4, 4},
        {"encrypted", 32, 4, 1},
        {"external data file", 72, 8, 1 << 2},
        {"zstd", 72, 8, 1 << 3},
        {"extended L2", 72, 8, 1 << 4},
        {"unknown incompatible", 72, 8, 1 << 10},
        {"cluster_bits 8", 20, 4, 8},
        {"cluster_bits 22", 20, 4, 22},
        {"cluster_bits huge", 20, 4, 0xffffffff},
        {"L1 beyond file", 40, 8, 0x7fff0000},
        {"L1 unaligned", 40, 8, 0x30008},
        {"L1 offset wraps", 40, 8, 0xffffffffffff0000ull},
        {"size past L1 coverage", 24, 8, 1ull << 40},
        {"size huge", 24, 8, 1ull << 62},
        {"L1 too small", 36, 4, 0},
        {"refcount table beyond file", 48, 8, 0x7fff0000},
        {"refcount table huge", 56, 4, 0xffffffff},
        {"refcount table empty", 56, 4, 0},
        {"header too short", 100, 4, 80},
        {"header past cluster", 100, 4, 0x20000},
        {"refcount order 7", 96, 4, 7},
        {"backing name too long", 16, 4, 5000},
        {"backing name past cluster", 8, 8, 65530},
        {"L1 over the refcount table", 40, 8, 0x10000},
        {"refcount table over the header", 48, 8, 0},
        {"L1 over the header", 40, 8, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fresh();
        if (strcmp(cases[i].what, "backing name past cluster") == 0)
            patch_be32("h", 16, 100);
        if (strcmp(cases[i].what, "backing name too long") == 0)
            patch_be64("h", 8, 200);
        if (cases[i].width == 4)
            patch_be32("h", cases[i].offset, (uint32_t)cases[i].value);
        else
            patch_be64("h", cases[i].offset, cases[i].value);
        assert_refused("h", true, cases[i].what);
    }
    /* zstd given in the compression type byte alone. */
    fresh();
    uint8_t one = 1;
    patch("h", 104, &one, 1);
    assert_refused("h", true, "compression type byte");

    /* Dirty (lazy refcounts) or corrupt: readable, not writable. */
    for (uint64_t bit = 1; bit <= 2; bit++) {
        fresh();
        patch_be64("h", 72, bit);
        assert_refused("h", false, "dirty or corrupt");
        BlockDevice *bd = open_ok("h", true, NULL);
        block_close(bd);
    }

    /* Bad L2 pointers fail reads, not ember. */
    fresh();
    BlockDevice *bd = open_ok("h", false, NULL);
    uint8_t buf[4096] = {1};
    ck_assert_int_eq(block_write(bd, 0, buf, sizeof(buf)), 0);
    block_close(bd);
    patch_be64("h", 0x30000, 0x80000000000a0200ull); /* unaligned L2 table */
    bd = open_ok("h", false, NULL);
    ck_assert_int_eq(block_read(bd, 0, buf, sizeof(buf)), -EIO);
    ck_assert_int_eq(block_write(bd, 0, buf, sizeof(buf)), -EIO);
    block_close(bd);
    patch_be64("h", 0x30000, 0x8000000000f00000ull); /* L2 table past the end */
    bd = open_ok("h", true, NULL);
    ck_assert_int_eq(block_read(bd, 0, buf, sizeof(buf)), -EIO);
    block_close(bd);
}
END_TEST

/* Corrupt pointers that would make a write overwrite metadata (QEMU's
 * overlap check): the write fails, the image is marked corrupt and takes
 * no more writes, the metadata is untouched. */
START_TEST(test_writes_never_overwrite_metadata)
{
    uint8_t buf[4096], refblock[65536], back[65536];
    memset(buf, 0x77, sizeof(buf));
    for (int how = 0; how < 2; how++) {
        fresh();
        BlockDevice *bd = open_ok("h", false, NULL);
        ck_assert_int_eq(block_write(bd, 0, buf, sizeof(buf)), 0);
        block_close(bd);
        uint64_t rt_offset = header_be64("h", 48);
        uint64_t rb_offset = header_be64("h", rt_offset) & ~0x1ffull;
        uint64_t l1_offset = header_be64("h", 40);
        uint64_t l2_offset = header_be64("h", l1_offset) & 0x00fffffffffffe00ull;
        if (how == 0) {
            /* Guest cluster 0's data "is" the refcount block. */
            patch_be64("h", l2_offset, 0x8000000000000000ull | rb_offset);
        } else {
            /* The L1 table's cluster looks free. */
            uint8_t zero[2] = {0, 0};
            patch("h", rb_offset + 2 * (l1_offset >> 16), zero, 2);
        }
        int fd = open(in_dir("h"), O_RDONLY);
        ck_assert_int_eq(pread(fd, refblock, sizeof(refblock), (off_t)rb_offset), 65536);
        bd = open_ok("h", false, NULL);
        /* how 0: an in-place write; how 1: a new cluster is allocated. */
        ck_assert_int_eq(block_write(bd, how ? 1 << 20 : 0, buf, sizeof(buf)), -EIO);
        ck_assert_int_eq(block_write(bd, 2 << 20, buf, sizeof(buf)), -EIO);
        ck_assert_int_eq(block_read(bd, 0, back, sizeof(buf)), 0);
        block_close(bd);
        ck_assert_int_eq(pread(fd, back, sizeof(back), (off_t)rb_offset), 65536);
        close(fd);
        ck_assert_mem_eq(back, refblock, sizeof(back));
        ck_assert_uint_eq(header_be64("h", 72) & 2, 2);
        assert_refused("h", false, "marked corrupt");
    }
}
END_TEST

/* Write-zeroes without unmap keeps the clusters (QEMU's zero clusters
 * with an offset) and a write into one lands in place; with unmap they
 * go. The same steps through qemu-io give the same map and content. */
START_TEST(test_write_zeroes_keeps_clusters)
{
    NEED_QEMU();
    run_ok("qemu-img create -q -f qcow2 e 1M && qemu-img create -q -f qcow2 q 1M");
    BlockDevice *bd = open_ok("e", false, "qcow2");
    static uint8_t buf[256 * 1024];
    memset(buf, 0x11, sizeof(buf));
    ck_assert_int_eq(block_write(bd, 0, buf, sizeof(buf)), 0);
    ck_assert_int_eq(block_write_zeroes(bd, 64 * 1024, 128 * 1024, false), 0);
    memset(buf, 0x22, 512);
    ck_assert_int_eq(block_write(bd, 68 * 1024, buf, 512), 0);
    ck_assert_int_eq(block_write_zeroes(bd, 192 * 1024, 64 * 1024, true), 0);
    block_close(bd);
    run_ok("qemu-io -f qcow2 -c 'write -P 0x11 0 256k' -c 'write -z 64k 128k' "
           "-c 'write -P 0x22 68k 512' -c 'write -z -u 192k 64k' q");
    run_ok("qemu-img check -q e && qemu-img compare -q e q");
    /* In place: no cluster more than QEMU's image has. */
    run_ok("test $(stat -c %s e) -le $(stat -c %s q)");
    /* Per cluster: QEMU merges neighbours whose host offsets follow. */
    run_ok("for i in e q; do qemu-img map --output=json $i | python3 -c 'import json, sys; "
           "[print(e[\"start\"] + k, e[\"zero\"], e[\"data\"], \"offset\" in e) "
           "for e in json.load(sys.stdin) for k in range(0, e[\"length\"], 65536)]' > $i.map; "
           "done; cmp e.map q.map && grep -q '^131072 True False True$' e.map");
}
END_TEST

START_TEST(test_backing_loops_and_depth)
{
    ck_assert(block_qcow2_create(in_dir("self"), 1 << 20, "self", "qcow2", err, sizeof(err)));
    assert_refused("self", true, "self loop");
    ck_assert_msg(strstr(err, "loops"), "%s", err);

    ck_assert(block_qcow2_create(in_dir("a"), 1 << 20, "b", NULL, err, sizeof(err)));
    ck_assert(block_qcow2_create(in_dir("b"), 1 << 20, "a", NULL, err, sizeof(err)));
    assert_refused("a", false, "two-image loop");
    ck_assert_msg(strstr(err, "loops"), "%s", err);

    ck_assert(block_qcow2_create(in_dir("m"), 1 << 20, "missing", "raw", err, sizeof(err)));
    assert_refused("m", true, "missing backing file");
    ck_assert_msg(strstr(err, "backing file"), "%s", err);

    /* 70 deep: over the limit, one message. */
    char name[32], below[32];
    ck_assert(block_qcow2_create(in_dir("c0"), 1 << 20, NULL, NULL, err, sizeof(err)));
    for (int i = 1; i < 70; i++) {
        snprintf(name, sizeof(name), "c%d", i);
        snprintf(below, sizeof(below), "c%d", i - 1);
        ck_assert(block_qcow2_create(in_dir(name), 1 << 20, below, "qcow2", err, sizeof(err)));
    }
    assert_refused("c69", true, "deep chain");
    ck_assert_msg(strstr(err, "longer than"), "%s", err);
    /* 60 deep is fine. */
    BlockDevice *bd = open_ok("c60", true, NULL);
    uint8_t b[512];
    ck_assert_int_eq(block_read(bd, 0, b, sizeof(b)), 0);
    block_close(bd);
}
END_TEST

/* Random damage to a valid image's metadata (header, refcount table and
 * block, L1 and L2 tables): opening, reading every byte, writing,
 * discarding and closing must fail cleanly or work, never crash or hang
 * (run under ASan in CI). */
START_TEST(test_fuzzed_metadata)
{
    enum { DISK = 2 << 20, ROUNDS = 300 };
    ck_assert(block_qcow2_create(in_dir("fz"), DISK, NULL, NULL, err, sizeof(err)));
    BlockDevice *bd = open_ok("fz", false, "qcow2");
    static uint8_t buf[DISK];
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    ck_assert_int_eq(block_write(bd, 0, buf, 200000), 0);
    ck_assert_int_eq(block_write(bd, DISK - 70000, buf, 70000), 0);
    block_close(bd);
    int fd = open(in_dir("fz"), O_RDONLY);
    ck_assert_int_ge(fd, 0);
    static uint8_t image[1 << 20];
    ssize_t size = pread(fd, image, sizeof(image), 0);
    close(fd);
    ck_assert_int_gt(size, 0);
    /* The metadata lives in the first clusters and the L2 tables between
     * the data: damage anywhere in the file but the data's bulk. */
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (int round = 0; round < ROUNDS; round++) {
        fd = open(in_dir("fz"), O_WRONLY | O_TRUNC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(pwrite(fd, image, (size_t)size, 0), size);
        int damage = 1 + round % 4;
        for (int k = 0; k < damage; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            uint64_t at = (seed >> 33) % (uint64_t)(round % 2 ? 4 * 65536 : 512);
            uint64_t value = seed ^ (seed << 17);
            /* Big numbers, small numbers and single flipped bits. */
            uint8_t bytes[8];
            for (int b = 0; b < 8; b++)
                bytes[b] = (uint8_t)(value >> (8 * b));
            size_t len = k % 3 == 0 ? 8 : k % 3 == 1 ? 4 : 1;
            if (len == 1)
                bytes[0] = (uint8_t)(image[at] ^ (1u << (seed >> 61)));
            ck_assert_int_eq(pwrite(fd, bytes, len, (off_t)(at & ~(uint64_t)(len - 1))),
                             (ssize_t)len);
        }
        close(fd);
        bd = block_open(in_dir("fz"), round % 3 == 0, "qcow2", err, sizeof(err));
        if (!bd) {
            ck_assert_msg(strstr(err, in_dir("fz")), "round %d: %s", round, err);
            continue;
        }
        (void)block_read(bd, 0, buf, bd->size < DISK ? (size_t)bd->size : DISK);
        if (!bd->readonly && bd->size >= DISK) {
            (void)block_write(bd, 65536 * 3 + 100, buf, 100000);
            (void)block_write_zeroes(bd, 0, 65536, true);
            (void)block_discard(bd, DISK - 65536, 65536);
            (void)block_flush(bd);
        }
        block_close(bd);
    }
}
END_TEST

/* ---- internal snapshots ---- */

static void snap_create(BlockDevice *bd, const char *name, const void *vm, size_t len,
                        uint64_t clock)
{
    ck_assert_msg(block_snapshot_create(bd, name, vm, len, clock, err, sizeof(err)) == 0, "%s",
                  err);
}

static void snap_goto(BlockDevice *bd, const char *name)
{
    ck_assert_msg(block_snapshot_goto(bd, name, err, sizeof(err)) == 0, "%s", err);
}

static void snap_delete(BlockDevice *bd, const char *name)
{
    ck_assert_msg(block_snapshot_delete(bd, name, err, sizeof(err)) == 0, "%s", err);
}

static uint8_t *pattern(size_t len, unsigned seed)
{
    uint8_t *p = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)(seed * 31 + i * 7 + i / 4099);
    return p;
}

static void assert_vmstate(BlockDevice *bd, const char *name, size_t len, unsigned seed)
{
    uint8_t *data;
    size_t got;
    ck_assert_msg(block_snapshot_read_vmstate(bd, name, &data, &got, err, sizeof(err)) == 0, "%s",
                  err);
    ck_assert_uint_eq(got, len);
    uint8_t *want = pattern(len, seed);
    ck_assert(len == 0 ? data == NULL : memcmp(data, want, len) == 0);
    free(want);
    free(data);
}

/* The snapshots as ember lists them: "id:tag,id:tag,". */
static void assert_listed(BlockDevice *bd, const char *want)
{
    BlockSnapshot *list;
    int n = block_snapshot_list(bd, &list, err, sizeof(err));
    ck_assert_msg(n >= 0, "%s", err);
    char got[512] = "";
    for (int i = 0; i < n; i++)
        snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s:%s,", list[i].id, list[i].name);
    free(list);
    ck_assert_str_eq(got, want);
}

static void check_clean(const char *image)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "qemu-img check -q '%s'", image);
    run_ok(cmd);
}

/* Create, list, apply and delete, with qemu-img checking every step and
 * agreeing on what each snapshot holds. */
START_TEST(test_snapshot_round_trip)
{
    NEED_QEMU();
    make_pattern_raw("ref", 4 * 1024 * 1024, 5);
    run_ok("qemu-img convert -O qcow2 -f raw ref img && cp ref a.raw");
    BlockDevice *q = open_ok("img", false, NULL);
    ck_assert(block_can_snapshot(q));
    uint8_t *vm = pattern(65537, 1);
    snap_create(q, "a", vm, 65537, 1500000000ull);
    free(vm);
    block_close(q);
    check_clean("img");
    run_ok("qemu-img snapshot -l img | grep -Eq '^1 +a +64 KiB .* 00:00:01\\.500 *$'");
    run_ok("qemu-img info --output=json img | grep -q '\"vm-state-size\": 65537'");

    q = open_ok("img", false, NULL);
    BlockDevice *r = open_ok("ref", false, "raw");
    write_both(q, r, 100, 70000, 2);
    write_both(q, r, 3 * 1024 * 1024, 5000, 3);
    snap_create(q, "b", NULL, 0, 7);
    run_ok("cp ref b.raw");
    write_both(q, r, 50000, 200000, 4);
    ck_assert_int_eq(block_write_zeroes(q, 1024 * 1024, 1024 * 1024, true), 0);
    ck_assert_int_eq(block_write_zeroes(r, 1024 * 1024, 1024 * 1024, false), 0);
    block_close(r);
    assert_listed(q, "1:a,2:b,");
    block_close(q);
    check_clean("img");
    assert_check_and_compare("img", "ref");

    /* ember's goto and qemu-img's -a leave the same disk. */
    run_ok("cp img img2 && qemu-img snapshot -a a img2");
    q = open_ok("img", false, NULL);
    snap_goto(q, "a");
    block_close(q);
    check_clean("img");
    assert_check_and_compare("img", "a.raw");
    run_ok("qemu-img compare -q img img2 && qemu-img check -q img2");

    q = open_ok("img", false, NULL);
    snap_goto(q, "2");
    assert_vmstate(q, "a", 65537, 1);
    assert_vmstate(q, "b", 0, 0);
    block_close(q);
    check_clean("img");
    assert_check_and_compare("img", "b.raw");

    /* Deleting gives the active image its clusters back whole. */
    q = open_ok("img", false, NULL);
    snap_delete(q, "a");
    assert_listed(q, "2:b,");
    block_close(q);
    check_clean("img");
    assert_check_and_compare("img", "b.raw");
    q = open_ok("img", false, NULL);
    snap_delete(q, "b");
    assert_listed(q, "");
    block_close(q);
    check_clean("img");
    run_ok("qemu-img check img | grep -q 'No errors were found'");
    assert_check_and_compare("img", "b.raw");
    run_ok("test -z \"$(qemu-img snapshot -l img)\"");

    /* The same name again replaces the snapshot; its id is QEMU's. */
    q = open_ok("img", false, NULL);
    snap_create(q, "c", NULL, 0, 0);
    snap_create(q, "d", NULL, 0, 0);
    vm = pattern(1, 9);
    snap_create(q, "d", vm, 1, 0);
    free(vm);
    assert_listed(q, "1:c,2:d,");
    assert_vmstate(q, "d", 1, 9);
    ck_assert_int_eq(block_snapshot_goto(q, "nosuch", err, sizeof(err)), -ENOENT);
    ck_assert_msg(strstr(err, in_dir("img")) && strstr(err, "nosuch"), "%s", err);
    block_close(q);
    check_clean("img");
    run_ok("qemu-img snapshot -l img | grep -Eq '^2 +d +1 B '");
}
END_TEST

/* Machine state of every size comes back as given, after reopening too. */
START_TEST(test_snapshot_vmstate_sizes)
{
    NEED_QEMU();
    run_ok("qemu-img create -q -f qcow2 -o cluster_size=4096 img 3M");
    static const size_t sizes[] = {0, 1, 65537, 3 << 20};
    BlockDevice *q = open_ok("img", false, NULL);
    for (unsigned i = 0; i < 4; i++) {
        char name[8];
        snprintf(name, sizeof(name), "s%u", i);
        uint8_t *vm = pattern(sizes[i], i);
        uint8_t data[5000];
        memset(data, (int)i + 1, sizeof(data));
        ck_assert_int_eq(block_write(q, i * 700000, data, sizeof(data)), 0);
        snap_create(q, name, vm, sizes[i], i * 1000000000ull);
        free(vm);
    }
    block_close(q);
    check_clean("img");
    run_ok("qemu-img info --output=json img | grep -q '\"vm-state-size\": 3145728'");
    run_ok("qemu-img snapshot -l img | grep -Eq '^4 +s3 +3 MiB .* 00:00:03\\.000 *$'");
    q = open_ok("img", true, NULL);
    for (unsigned i = 0; i < 4; i++) {
        char name[8];
        snprintf(name, sizeof(name), "s%u", i);
        assert_vmstate(q, name, sizes[i], i);
    }
    ck_assert(!block_can_snapshot(q));
    ck_assert_int_eq(block_snapshot_delete(q, "s0", err, sizeof(err)), -EROFS);
    ck_assert_msg(strstr(err, in_dir("img")), "%s", err);
    block_close(q);
    /* Each snapshot's disk, as qemu-img reads it, is the one ember saw. */
    q = open_ok("img", false, NULL);
    snap_goto(q, "s1");
    block_close(q);
    check_clean("img");
    run_ok("qemu-img convert -O raw -l snapshot.name=s1 img s1.raw && qemu-img compare -q img "
           "s1.raw");
}
END_TEST

/* Snapshots qemu-img made are listed and applied by ember as qemu-img
 * applies them, and what ember made, qemu-img deletes cleanly. */
START_TEST(test_snapshot_qemu_interop)
{
    NEED_QEMU();
    run_ok("qemu-img create -q -f qcow2 img 8M && "
           "qemu-io -c 'write -P 1 0 1M' -c 'write -c -P 2 4M 64k' img && "
           "qemu-img snapshot -c q1 img && qemu-io -c 'write -P 3 512k 1M' img && "
           "qemu-img snapshot -c q2 img && qemu-io -c 'write -z 0 256k' img && cp img img2");
    BlockDevice *q = open_ok("img", false, NULL);
    assert_listed(q, "1:q1,2:q2,");
    snap_goto(q, "q1");
    block_close(q);
    run_ok("qemu-img snapshot -a q1 img2 && qemu-img compare -q img img2");
    check_clean("img");

    q = open_ok("img", false, NULL);
    uint8_t data[3000];
    memset(data, 7, sizeof(data));
    ck_assert_int_eq(block_write(q, 100, data, sizeof(data)), 0);
    uint8_t *vm = pattern(3000, 4);
    snap_create(q, "e", vm, 3000, 5);
    free(vm);
    snap_delete(q, "q2");
    block_close(q);
    check_clean("img");
    run_ok("qemu-img snapshot -l img | grep -Eq '^3 +e ' && qemu-img snapshot -c q3 img && "
           "qemu-img snapshot -d q1 img && qemu-img check -q img");
    q = open_ok("img", false, NULL);
    assert_listed(q, "3:e,4:q3,");
    assert_vmstate(q, "e", 3000, 4);
    block_close(q);
}
END_TEST

/* Killed at any moment while snapshots come and go, the image has at most
 * leaked clusters, and the snapshots taken before and the disk are whole. */
START_TEST(test_snapshot_killed)
{
    NEED_QEMU();
    make_pattern_raw("ref", 2 * 1024 * 1024, 8);
    run_ok("qemu-img convert -O qcow2 -o cluster_size=4096 -f raw ref img");
    BlockDevice *q = open_ok("img", false, NULL);
    uint8_t *vm = pattern(100000, 3);
    snap_create(q, "keep", vm, 100000, 1);
    free(vm);
    block_close(q);
    unsigned seed = 12345;
    for (int round = 0; round < 6; round++) {
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            BlockDevice *bd = block_open(in_dir("img"), false, NULL, err, sizeof(err));
            if (!bd)
                _exit(1);
            uint8_t *state = pattern(300000, 4);
            for (size_t i = 0;; i++) {
                (void)block_snapshot_create(bd, "t", state, i * 7919 % 300000, i, err, sizeof(err));
                (void)block_snapshot_create(bd, i % 2 ? "u" : "v", state, 5000, i, err,
                                            sizeof(err));
                (void)block_snapshot_delete(bd, i % 2 ? "v" : "u", err, sizeof(err));
            }
        }
        seed = seed * 1103515245u + 12345u;
        usleep(10000 + seed % 90000);
        kill(pid, SIGKILL);
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFSIGNALED(status));
        int rc = run("qemu-img check img");
        ck_assert_msg(rc == 0 || rc == 3, "round %d: qemu-img check says %d", round, rc);
        run_ok("qemu-img compare -q img ref");
        q = open_ok("img", false, NULL);
        assert_vmstate(q, "keep", 100000, 3);
        block_close(q);
    }
}
END_TEST

/* A damaged snapshot table: refused at open with one line naming the
 * image, or its snapshots refused likewise; never a crash. */
START_TEST(test_snapshot_hostile_tables)
{
    ck_assert(block_qcow2_create(in_dir("h"), 1024 * 1024, NULL, NULL, err, sizeof(err)));
    BlockDevice *bd = open_ok("h", false, "qcow2");
    uint8_t *vm = pattern(70000, 1);
    ck_assert_int_eq(block_write(bd, 0, vm, 70000), 0);
    snap_create(bd, "first", vm, 70000, 1);
    snap_create(bd, "second", NULL, 0, 2);
    free(vm);
    block_close(bd);
    uint64_t table = header_be64("h", 64);
    int fd = open(in_dir("h"), O_RDONLY);
    ck_assert_int_ge(fd, 0);
    static uint8_t image[4 << 20];
    ssize_t size = pread(fd, image, sizeof(image), 0);
    close(fd);
    ck_assert_int_gt(size, (ssize_t)table);
    ck_assert_int_lt(size - (ssize_t)table, 40 + 24 + 2 * 65535); /* see "runs past" */

    struct {
        uint64_t at;
        uint32_t value;
        const char *what;
    } cases[] = {
        {60, 0xffffffffu, "too many snapshots"},
        {60, 60000, "snapshot table offset is invalid"},
        {64, 0x7fff0000u, "snapshot table offset is invalid"},
        {68, 0x100, "snapshot table offset is invalid"},
        {table + 36, 0x10000, "extra data"},
        {table + 12, 0xffffffffu, "runs past the end"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fresh();
        patch("h", 0, image, (size_t)size);
        patch_be32("h", cases[i].at, cases[i].value);
        assert_refused("h", true, cases[i].what);
        ck_assert_msg(strstr(err, cases[i].what), "%s: %s", cases[i].what, err);
    }
    /* An L1 table too large or outside the image: the snapshot is refused. */
    for (int i = 0; i < 2; i++) {
        patch("h", 0, image, (size_t)size);
        patch_be32("h", table + (i ? 8 : 4), i ? 0x10000000u : 0x7fff0000u);
        bd = open_ok("h", false, "qcow2");
        uint8_t *data;
        size_t len;
        ck_assert_int_lt(block_snapshot_goto(bd, "first", err, sizeof(err)), 0);
        ck_assert_msg(strstr(err, in_dir("h")) && strstr(err, "L1 table"), "%s", err);
        ck_assert_int_lt(block_snapshot_read_vmstate(bd, "1", &data, &len, err, sizeof(err)), 0);
        ck_assert_int_lt(block_snapshot_delete(bd, "first", err, sizeof(err)), 0);
        snap_delete(bd, "second");
        block_close(bd);
    }

    uint64_t seed = 0x2545f4914f6cdd1dull;
    for (int round = 0; round < 300; round++) {
        fd = open(in_dir("h"), O_WRONLY | O_TRUNC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(pwrite(fd, image, (size_t)size, 0), size);
        close(fd);
        for (int k = 0; k < 1 + round % 3; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            uint64_t at = round % 5 == 0 ? 60 + (seed >> 33) % 12 : table + (seed >> 33) % 150;
            uint8_t b = (uint8_t)(seed >> 20);
            patch("h", at, &b, 1);
        }
        bd = block_open(in_dir("h"), round % 4 == 0, "qcow2", err, sizeof(err));
        if (!bd) {
            ck_assert_msg(strstr(err, in_dir("h")), "round %d: %s", round, err);
            continue;
        }
        BlockSnapshot *list;
        int n = block_snapshot_list(bd, &list, err, sizeof(err));
        for (int i = 0; i < n; i++) {
            uint8_t *data;
            size_t len;
            if (block_snapshot_read_vmstate(bd, list[i].id, &data, &len, err, sizeof(err)) == 0)
                free(data);
            else
                ck_assert_msg(strstr(err, in_dir("h")), "round %d: %s", round, err);
            if (!bd->readonly && block_snapshot_goto(bd, list[i].id, err, sizeof(err)) < 0)
                ck_assert_msg(strstr(err, in_dir("h")), "round %d: %s", round, err);
        }
        if (n > 0 && !bd->readonly && block_snapshot_delete(bd, list[0].id, err, sizeof(err)) < 0)
            ck_assert_msg(strstr(err, in_dir("h")), "round %d: %s", round, err);
        free(list);
        if (!bd->readonly && block_snapshot_create(bd, "new", NULL, 0, 0, err, sizeof(err)) < 0)
            ck_assert_msg(strstr(err, in_dir("h")), "round %d: %s", round, err);
        block_close(bd);
    }
}
END_TEST

/* Formats without snapshots say so, naming the image. */
START_TEST(test_snapshot_raw_refused)
{
    int fd = open(in_dir("r"), O_WRONLY | O_CREAT, 0644);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
    close(fd);
    BlockDevice *bd = open_ok("r", false, "raw");
    ck_assert(!block_can_snapshot(bd));
    BlockSnapshot *list;
    ck_assert_int_eq(block_snapshot_list(bd, &list, err, sizeof(err)), -ENOTSUP);
    ck_assert_int_eq(block_snapshot_create(bd, "x", NULL, 0, 0, err, sizeof(err)), -ENOTSUP);
    ck_assert_msg(strstr(err, in_dir("r")) && strstr(err, "raw does not support snapshots"), "%s",
                  err);
    block_close(bd);
}
END_TEST

static Suite *qcow2_suite(void)
{
    Suite *s = suite_create("qcow2");
    TCase *t = tcase_create("qcow2");
    tcase_set_timeout(t, 110);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, test_reads_qemu_written);
    tcase_add_test(t, test_reads_compressed);
    tcase_add_test(t, test_reads_chain_and_zero_clusters);
    tcase_add_test(t, test_writes_plain_and_compressed);
    tcase_add_test(t, test_writes_over_backing);
    tcase_add_test(t, test_refcount_growth);
    tcase_add_test(t, test_writes_with_snapshot);
    tcase_add_test(t, test_freed_clusters_reused);
    tcase_add_test(t, test_killed_while_writing);
    tcase_add_test(t, test_create);
    tcase_add_test(t, test_hostile_headers);
    tcase_add_test(t, test_writes_never_overwrite_metadata);
    tcase_add_test(t, test_write_zeroes_keeps_clusters);
    tcase_add_test(t, test_backing_loops_and_depth);
    tcase_add_test(t, test_fuzzed_metadata);
    tcase_add_test(t, test_snapshot_round_trip);
    tcase_add_test(t, test_snapshot_vmstate_sizes);
    tcase_add_test(t, test_snapshot_qemu_interop);
    tcase_add_test(t, test_snapshot_killed);
    tcase_add_test(t, test_snapshot_hostile_tables);
    tcase_add_test(t, test_snapshot_raw_refused);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(qcow2_suite());
}
