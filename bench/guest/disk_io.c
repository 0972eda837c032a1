/* disk_io: disk-bench's guest side.
 *   disk_io randread DEV COUNT   COUNT reads of 4 KiB at random aligned
 *                                offsets of DEV with O_DIRECT: prints
 *                                "randread iops N"
 *   disk_io cpu ROUNDS           a CPU-bound loop (no system calls):
 *                                prints "cpu seconds S"
 * Times are the guest's monotonic clock. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static int randread(const char *dev, long count)
{
    int fd = open(dev, O_RDONLY | O_DIRECT);
    if (fd < 0) {
        perror(dev);
        return 1;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    void *buf;
    if (size < 4096 || posix_memalign(&buf, 4096, 4096) != 0) {
        fprintf(stderr, "%s: too small, or no memory\n", dev);
        return 1;
    }
    uint64_t x = 0x9e3779b97f4a7c15ull, blocks = (uint64_t)size / 4096;
    double t0 = now();
    for (long i = 0; i < count; i++) {
        if (pread(fd, buf, 4096, (off_t)(next(&x) % blocks * 4096)) != 4096) {
            perror("pread");
            return 1;
        }
    }
    printf("randread iops %.1f\n", (double)count / (now() - t0));
    return 0;
}

static int cpu(long rounds)
{
    double t0 = now();
    uint64_t x = 1, sum = 0;
    for (long i = 0; i < rounds; i++)
        sum += next(&x) >> 60;
    printf("cpu seconds %.6f (%llu)\n", now() - t0, (unsigned long long)sum);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "randread") == 0)
        return randread(argv[2], atol(argv[3]));
    if (argc == 3 && strcmp(argv[1], "cpu") == 0)
        return cpu(atol(argv[2]));
    fprintf(stderr, "usage: disk_io randread DEV COUNT | disk_io cpu ROUNDS\n");
    return 2;
}
