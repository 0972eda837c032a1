/* tests/unit/test_block.c: unit tests for the block layer: format probing
 * and the refusal of formats ember has no driver for, QEMU's block 0 guard,
 * QEMU-compatible image locks, images given twice, sizes that are not whole
 * sectors, and the messages a user sees. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "block/block.h"
#include "block/image_lock.h"
#include "block/probe.h"
#include "tests/unit/harness.h"

#define QCOW2_HEADER "QFI\xfb\0\0\0\3"

static char path[64];
static char err[512];

/* A new image at path holding len bytes of data. */
static void make_image(const void *data, size_t len)
{
    strcpy(path, "/tmp/ember-test-block-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
}

static void make_zero_image(off_t size)
{
    make_image("", 0);
    ck_assert_int_eq(truncate(path, size), 0);
}

static void teardown(void)
{
    if (path[0])
        unlink(path);
    path[0] = '\0';
}

static off_t file_size(void)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    return st.st_size;
}

/* block_open with stderr going to a temporary file; what ember printed
 * there lands in printed. */
static BlockDevice *open_printing(bool readonly, const char *format, char *printed, size_t len)
{
    fflush(stderr);
    FILE *capture = tmpfile();
    ck_assert_ptr_nonnull(capture);
    int saved = dup(STDERR_FILENO);
    ck_assert_int_ge(dup2(fileno(capture), STDERR_FILENO), 0);
    BlockDevice *bd = block_open(path, readonly, format, err, sizeof(err));
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(capture);
    size_t n = fread(printed, 1, len - 1, capture);
    printed[n] = '\0';
    fclose(capture);
    return bd;
}

static BlockDevice *open_ok(bool readonly, const char *format)
{
    char printed[1024];
    BlockDevice *bd = open_printing(readonly, format, printed, sizeof(printed));
    ck_assert_msg(bd != NULL, "%s", err);
    return bd;
}

/* The format probed from bytes placed at offset in a zeroed block 0. */
static const char *probe_at(size_t offset, const void *bytes, size_t len)
{
    static uint8_t buf[BLOCK_PROBE_SIZE];
    memset(buf, 0, sizeof(buf));
    memcpy(buf + offset, bytes, len);
    return block_probe_format(buf);
}

#define PROBE(s) probe_at(0, s, sizeof(s) - 1)

/* Each check was made against Debian's qemu-img 7.2 ("file format:" of
 * `qemu-img info`, or the error naming the driver that took the file). */
START_TEST(test_probe_each_format)
{
    ck_assert_str_eq(PROBE("QFI\xfb\0\0\0\1"), "qcow");
    ck_assert_str_eq(PROBE("QFI\xfb\0\0\0\2"), "qcow2");
    ck_assert_str_eq(PROBE("QFI\xfb\xff\xff\xff\xff"), "qcow2");
    ck_assert_str_eq(PROBE("KDMV"), "vmdk");
    ck_assert_str_eq(PROBE("COWD"), "vmdk");
    ck_assert_str_eq(PROBE("# Disk DescriptorFile\nversion=1\n"), "vmdk");
    ck_assert_str_eq(PROBE("# Disk DescriptorFile\r\n  \r\nversion=3\r\n"), "vmdk");
    ck_assert_str_eq(PROBE("version=2\n"), "vmdk");
    ck_assert_str_eq(probe_at(0x40, "\x7f\x10\xda\xbe", 4), "vdi");
    ck_assert_str_eq(PROBE("vhdxfile"), "vhdx");
    ck_assert_str_eq(PROBE("QED\0"), "qed");
    ck_assert_str_eq(PROBE("LUKS\xba\xbe\0\1"), "luks");
    ck_assert_str_eq(PROBE("conectix"), "vpc");
    ck_assert_str_eq(PROBE("WithoutFreeSpace\2\0\0\0"), "parallels");
    ck_assert_str_eq(PROBE("WithouFreSpacExt\2\0\0\0"), "parallels");
    ck_assert_str_eq(PROBE("#!/bin/sh\n#V2.0 Format\n"
                           "modprobe cloop file=$0 && mount -r -t iso9660 /dev/cloop $1\n"),
                     "cloop");
    static const char bochs[] = "Bochs Virtual HD Image\0\0\0\0\0\0\0\0\0\0"
                                "Redolog\0\0\0\0\0\0\0\0\0"
                                "Growing\0\0\0\0\0\0\0\0\0"
                                "\0\0\1\0";
    ck_assert_str_eq(PROBE(bochs), "bochs");
}
END_TEST

START_TEST(test_probe_near_misses_are_raw)
{
    /* QEMU takes all of these for raw data, so ember must too. */
    uint8_t zeros[BLOCK_PROBE_SIZE] = {0};
    ck_assert_ptr_null(block_probe_format(zeros));
    ck_assert_ptr_null(PROBE("QFI\xfb\0\0\0\0"));
    ck_assert_ptr_null(PROBE("LUKS\xba\xbe\0\2"));
    ck_assert_ptr_null(PROBE("WithoutFreeSpace\3\0\0\0"));
    ck_assert_ptr_null(PROBE("QEDx"));
    ck_assert_ptr_null(PROBE("vhdxfil"));
    ck_assert_ptr_null(PROBE("# Disk DescriptorFile\nfoo\n"));
    ck_assert_ptr_null(PROBE("\nversion=1\n"));
    ck_assert_ptr_null(PROBE(" x\nversion=1\n"));
    ck_assert_ptr_null(PROBE("version=4\n"));
    ck_assert_ptr_null(PROBE("#!/bin/sh\n#V2.0 Format\nmodprobe cloop file=$1\n"));
    static const char bochs_v3[] = "Bochs Virtual HD Image\0\0\0\0\0\0\0\0\0\0"
                                   "Redolog\0\0\0\0\0\0\0\0\0"
                                   "Growing\0\0\0\0\0\0\0\0\0"
                                   "\0\0\3\0";
    ck_assert_ptr_null(PROBE(bochs_v3));
    /* A comment that never ends is no descriptor. */
    uint8_t comment[BLOCK_PROBE_SIZE];
    memset(comment, '#', sizeof(comment));
    ck_assert_ptr_null(block_probe_format(comment));
}
END_TEST

START_TEST(test_probed_format_refused)
{
    /* Opened as raw, a vmdk image's first guest write would destroy it. */
    make_image("KDMV", 4);
    ck_assert_ptr_null(block_open(path, false, NULL, err, sizeof(err)));
    char want[512];
    snprintf(want, sizeof(want),
             "'%s' is a vmdk image, which ember cannot open yet (convert it with qemu-img "
             "convert -O raw, or give format=raw to use the file itself as the disk)",
             path);
    ck_assert_str_eq(err, want);
    ck_assert_ptr_null(block_open(path, true, NULL, err, sizeof(err)));
    ck_assert_str_eq(err, want);
    ck_assert_ptr_null(block_open(path, false, "vmdk", err, sizeof(err)));
    ck_assert_msg(strstr(err, "cannot open images in format 'vmdk'"), "%s", err);
    teardown();

    /* A qcow2 image goes to the qcow2 driver, probed or given: this one
     * is only a header's first bytes, which it refuses, naming the file. */
    make_image(QCOW2_HEADER, 8);
    ck_assert_ptr_null(block_open(path, false, NULL, err, sizeof(err)));
    ck_assert_msg(strstr(err, path) && strstr(err, "qcow2 header"), "%s", err);
    ck_assert_ptr_null(block_open(path, true, "qcow2", err, sizeof(err)));
    ck_assert_msg(strstr(err, path) && strstr(err, "qcow2 header"), "%s", err);

    /* format=raw: the file is the disk, as asked, with no guard. */
    BlockDevice *bd = open_ok(false, "raw");
    ck_assert_uint_eq(bd->size, 512);
    uint8_t zeros[512] = {0};
    ck_assert_int_eq(block_write(bd, 0, zeros, sizeof(zeros)), 0);
    ck_assert_int_eq(block_write(bd, 0, QCOW2_HEADER, 8), 0);
    block_close(bd);
}
END_TEST

START_TEST(test_probed_raw_warning)
{
    make_zero_image(4096);
    char printed[1024], want[1024];
    BlockDevice *bd = open_printing(false, NULL, printed, sizeof(printed));
    ck_assert_msg(bd != NULL, "%s", err);
    snprintf(want, sizeof(want),
             "ember: warning: Image format was not specified for '%s' and probing guessed raw.\n"
             "         Automatically detecting the format is dangerous for raw images, write "
             "operations on block 0 will be restricted.\n"
             "         Specify the 'raw' format explicitly to remove the restrictions.\n",
             path);
    ck_assert_str_eq(printed, want);
    block_close(bd);

    /* As in QEMU: nothing to say when the format is given or nothing can
     * be written. */
    bd = open_printing(false, "raw", printed, sizeof(printed));
    ck_assert_ptr_nonnull(bd);
    ck_assert_str_eq(printed, "");
    block_close(bd);
    bd = open_printing(true, NULL, printed, sizeof(printed));
    ck_assert_ptr_nonnull(bd);
    ck_assert_str_eq(printed, "");
    block_close(bd);
}
END_TEST

START_TEST(test_empty_image_probes_raw)
{
    make_image("", 0);
    BlockDevice *bd = open_ok(false, NULL);
    ck_assert_uint_eq(bd->size, 0);
    ck_assert(bd->guard_block0);
    block_close(bd);
}
END_TEST

START_TEST(test_block0_guard)
{
    make_zero_image(1 << 20);
    BlockDevice *bd = open_ok(false, NULL);
    uint8_t sector[1024] = QCOW2_HEADER, back[512];
    ck_assert_int_eq(block_write(bd, 0, sector, 512), -EPERM);
    ck_assert_int_eq(block_read(bd, 0, back, sizeof(back)), 0);
    ck_assert_uint_eq(back[0], 0);
    /* Judged on the block as the write would leave it, whatever its size. */
    ck_assert_int_eq(block_write(bd, 0, "QF", 2), 0);
    ck_assert_int_eq(block_write(bd, 2, "I\xfb\0\0\0\3", 6), -EPERM);
    ck_assert_int_eq(block_write(bd, 0, sector, 1024), -EPERM);
    /* Other writes to block 0, and headers anywhere else, are fine. */
    memset(sector, 0x5a, sizeof(sector));
    ck_assert_int_eq(block_write(bd, 0, sector, 512), 0);
    ck_assert_int_eq(block_write(bd, 512, QCOW2_HEADER, 8), 0);
    ck_assert_int_eq(block_read(bd, 0, back, sizeof(back)), 0);
    ck_assert_mem_eq(back, sector, sizeof(back));
    block_close(bd);
}
END_TEST

START_TEST(test_block0_guard_zeroes)
{
    /* Raw to QEMU (version 0x01000002, not 2) until byte 19 is zeroed. */
    make_image("WithoutFreeSpace\2\0\0\1", 20);
    BlockDevice *bd = open_ok(false, NULL);
    ck_assert_int_eq(block_write_zeroes(bd, 19, 1, false), -EPERM);
    ck_assert_int_eq(block_write_zeroes(bd, 19, 1, true), -EPERM);
    /* A discard is a hint: refused zeros leave the data, without error. */
    ck_assert_int_eq(block_discard(bd, 19, 1), 0);
    uint8_t back[20];
    ck_assert_int_eq(block_read(bd, 0, back, sizeof(back)), 0);
    ck_assert_uint_eq(back[19], 1);
    ck_assert_int_eq(block_write_zeroes(bd, 0, 512, false), 0);
    block_close(bd);
}
END_TEST

START_TEST(test_given_twice)
{
    make_zero_image(4096);
    char want[512];
    snprintf(want, sizeof(want), "'%s' is given twice (already open as a disk of this machine)",
             path);
    BlockDevice *bd = open_ok(false, "raw");
    ck_assert_ptr_null(block_open(path, false, "raw", err, sizeof(err)));
    ck_assert_str_eq(err, want);
    ck_assert_ptr_null(block_open(path, true, "raw", err, sizeof(err)));
    ck_assert_str_eq(err, want);
    block_close(bd);

    /* Two readers may share it, as in QEMU; a writer may not join them. */
    BlockDevice *r1 = open_ok(true, "raw"), *r2 = open_ok(true, "raw");
    ck_assert_ptr_null(block_open(path, false, "raw", err, sizeof(err)));
    ck_assert_str_eq(err, want);
    block_close(r1);
    ck_assert_ptr_null(block_open(path, false, "raw", err, sizeof(err)));
    block_close(r2);
    /* Closing took it off the list. */
    bd = open_ok(false, "raw");
    block_close(bd);
}
END_TEST

/* Runs a child process holding path open through block_open until the
 * returned pipe is closed; the child is then reaped by stop_holder. */
static int start_holder(bool readonly, pid_t *pid)
{
    int ready[2], quit[2];
    ck_assert_int_eq(pipe(ready), 0);
    ck_assert_int_eq(pipe(quit), 0);
    *pid = fork();
    ck_assert_int_ge(*pid, 0);
    if (*pid == 0) {
        close(ready[0]);
        close(quit[1]);
        char child_err[512];
        BlockDevice *bd = block_open(path, readonly, "raw", child_err, sizeof(child_err));
        char c = bd ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1 || read(quit[0], &c, 1) < 0)
            _exit(2);
        _exit(bd ? 0 : 1);
    }
    close(ready[1]);
    close(quit[0]);
    char c = 0;
    ck_assert_int_eq(read(ready[0], &c, 1), 1);
    close(ready[0]);
    ck_assert_int_eq(c, 'y');
    return quit[1];
}

static void stop_holder(int quit, pid_t pid)
{
    close(quit);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(test_locked_against_other_process)
{
    make_zero_image(4096);
    char want_write[512], want_shared[512];
    snprintf(want_write, sizeof(want_write),
             "'%s' is in use by another process (failed to get \"write\" lock)", path);
    snprintf(want_shared, sizeof(want_shared),
             "'%s' is in use by another process (failed to get shared \"write\" lock)", path);
    pid_t pid;
    int quit = start_holder(false, &pid);
    ck_assert_ptr_null(block_open(path, false, "raw", err, sizeof(err)));
    ck_assert_str_eq(err, want_write);
    ck_assert_ptr_null(block_open(path, true, "raw", err, sizeof(err)));
    ck_assert_str_eq(err, want_shared);
    stop_holder(quit, pid);

    quit = start_holder(true, &pid);
    BlockDevice *bd = open_ok(true, "raw");
    block_close(bd);
    ck_assert_ptr_null(block_open(path, false, "raw", err, sizeof(err)));
    ck_assert_str_eq(err, want_write);
    stop_holder(quit, pid);
    /* Gone with the holder: the locks belonged to its open image. */
    bd = open_ok(false, "raw");
    block_close(bd);
}
END_TEST

/* The lock bytes some other open of path holds, as a mask: bit i for byte
 * 100 + i, bit 4 + i for byte 200 + i. */
static unsigned lock_bytes_held(void)
{
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    unsigned held = 0;
    for (int i = 0; i < 8; i++) {
        int byte = i < 4 ? 100 + i : 200 + i - 4;
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1};
        ck_assert_int_eq(fcntl(fd, F_OFD_GETLK, &fl), 0);
        if (fl.l_type != F_UNLCK)
            held |= 1u << i;
    }
    close(fd);
    return held;
}

START_TEST(test_lock_bytes_are_qemus)
{
    /* Measured on Debian's QEMU 7.2: a writable virtio disk holds 100, 101
     * and 201; a read-only one 100 and 201. */
    make_zero_image(4096);
    BlockDevice *bd = open_ok(false, "raw");
    ck_assert_uint_eq(lock_bytes_held(), 0x23);
    block_close(bd);
    ck_assert_uint_eq(lock_bytes_held(), 0);
    bd = open_ok(true, "raw");
    ck_assert_uint_eq(lock_bytes_held(), 0x21);
    block_close(bd);

    /* A refused lock leaves no byte behind. */
    int writer = open(path, O_RDWR), other = open(path, O_RDWR);
    ck_assert(image_lock(writer, path, IMAGE_PERM_CONSISTENT_READ | IMAGE_PERM_WRITE,
                         IMAGE_PERM_ALL & ~IMAGE_PERM_WRITE, err, sizeof(err)));
    ck_assert(!image_lock(other, path,
                          IMAGE_PERM_CONSISTENT_READ | IMAGE_PERM_WRITE | IMAGE_PERM_RESIZE,
                          IMAGE_PERM_ALL, err, sizeof(err)));
    ck_assert_msg(strstr(err, "failed to get \"write\" lock") != NULL, "%s", err);
    close(writer);
    ck_assert_uint_eq(lock_bytes_held(), 0);
    close(other);
}
END_TEST

START_TEST(test_size_rounded_up)
{
    uint8_t data[1000];
    memset(data, 0x11, sizeof(data));
    make_image(data, sizeof(data));
    BlockDevice *bd = open_ok(false, "raw");
    ck_assert_uint_eq(bd->size, 1024);
    uint8_t back[1024];
    memset(back, 0xee, sizeof(back));
    ck_assert_int_eq(block_read(bd, 0, back, sizeof(back)), 0);
    ck_assert_uint_eq(back[999], 0x11);
    for (int i = 1000; i < 1024; i++)
        ck_assert_uint_eq(back[i], 0);
    ck_assert_int_eq(block_read(bd, 1024, back, 1), -EINVAL);

    /* A write into the tail extends the file. */
    ck_assert_int_eq(block_write(bd, 1020, "tail", 4), 0);
    ck_assert_int_eq(file_size(), 1024);
    ck_assert_int_eq(block_read(bd, 512, back, 512), 0);
    ck_assert_mem_eq(back + 508, "tail", 4);
    ck_assert_uint_eq(back[500], 0);

    /* The file shrinks under ember: the lost part reads as zeros. */
    ck_assert_int_eq(truncate(path, 100), 0);
    memset(back, 0xee, sizeof(back));
    ck_assert_int_eq(block_read(bd, 0, back, sizeof(back)), 0);
    ck_assert_uint_eq(back[99], 0x11);
    for (int i = 100; i < 1024; i++)
        ck_assert_uint_eq(back[i], 0);
    block_close(bd);
}
END_TEST

START_TEST(test_errors_name_file_and_reason)
{
    ck_assert_ptr_null(block_open("/nonexistent/ember.img", false, "raw", err, sizeof(err)));
    ck_assert_str_eq(err, "cannot open '/nonexistent/ember.img': No such file or directory");
    ck_assert_ptr_null(block_open("/tmp", false, NULL, err, sizeof(err)));
    ck_assert_str_eq(err, "cannot open '/tmp': Is a directory");
    ck_assert_ptr_null(block_open("/tmp", true, NULL, err, sizeof(err)));
    ck_assert_str_eq(err, "'/tmp' is not a regular file or block device");
    ck_assert_ptr_null(block_open("/dev/null", false, NULL, err, sizeof(err)));
    ck_assert_str_eq(err, "'/dev/null' is not a regular file or block device");
}
END_TEST

static Suite *block_suite(void)
{
    Suite *s = suite_create("block");
    TCase *probe = tcase_create("probe");
    tcase_add_test(probe, test_probe_each_format);
    tcase_add_test(probe, test_probe_near_misses_are_raw);
    suite_add_tcase(s, probe);

    TCase *open = tcase_create("open");
    tcase_add_checked_fixture(open, NULL, teardown);
    tcase_add_test(open, test_probed_format_refused);
    tcase_add_test(open, test_probed_raw_warning);
    tcase_add_test(open, test_empty_image_probes_raw);
    tcase_add_test(open, test_block0_guard);
    tcase_add_test(open, test_block0_guard_zeroes);
    tcase_add_test(open, test_given_twice);
    tcase_add_test(open, test_locked_against_other_process);
    tcase_add_test(open, test_lock_bytes_are_qemus);
    tcase_add_test(open, test_size_rounded_up);
    tcase_add_test(open, test_errors_name_file_and_reason);
    suite_add_tcase(s, open);
    return s;
}

int main(void)
{
    return run_suite(block_suite());
}
