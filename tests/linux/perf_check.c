/* perf_check.c: a static riscv64 Linux program for tests/linux/pmu-test.
 * Through perf_event_open (Linux's SBI PMU driver, OpenSBI's counters) it
 * counts a loop's instructions in user mode, samples them with counter
 * overflow interrupts (Sscofpmf), and counts data TLB read misses; it prints
 * one "name value" line each and "perf_check: ok" when all are sane. With
 * --no-sampling (a hart without Sscofpmf) sampling must be refused, and the
 * counts include the kernel's instructions: without the extension's
 * privilege filter Linux refuses exclude_kernel. */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOOP_ITERATIONS 1000000ull
#define SAMPLE_PERIOD 10000ull
#define RING_PAGES 16

static int exclude_kernel = 1;

static int open_event(uint32_t type, uint64_t config, uint64_t period)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.size = sizeof(attr);
    attr.type = type;
    attr.config = config;
    attr.disabled = 1;
    attr.exclude_kernel = exclude_kernel;
    attr.exclude_hv = exclude_kernel;
    if (period) {
        attr.sample_period = period;
        attr.sample_type = PERF_SAMPLE_IP;
        attr.wakeup_events = 1;
    }
    return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
}

/* Two instructions an iteration, nothing else. */
static void spin(uint64_t n)
{
    __asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b" : "+r"(n));
}

static long long count(int fd, void (*work)(void))
{
    long long value = -1;
    ioctl(fd, PERF_EVENT_IOC_RESET, 0);
    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
    work();
    ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
    if (read(fd, &value, sizeof(value)) != sizeof(value))
        return -1;
    return value;
}

static void spin_loop(void)
{
    spin(LOOP_ITERATIONS);
}

static char pages[64 * 4096];

/* Touches 64 pages, 20 times: more than a small TLB holds. */
static void walk_pages(void)
{
    for (int round = 0; round < 20; round++)
        for (int p = 0; p < 64; p++)
            ((volatile char *)pages)[p * 4096 + round] += 1;
}

int main(int argc, char **argv)
{
    int sampling = !(argc > 1 && strcmp(argv[1], "--no-sampling") == 0);
    exclude_kernel = sampling;
    int ok = 1;
    int fd = open_event(PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 0);
    if (fd < 0) {
        printf("perf_event_open instructions: %s\n", strerror(errno));
        return 1;
    }
    long long insns = count(fd, spin_loop);
    printf("instructions %lld\n", insns);
    close(fd);
    /* The loop's own 2M, plus the few around it. */
    if (insns < (long long)(2 * LOOP_ITERATIONS) || insns > (long long)(3 * LOOP_ITERATIONS))
        ok = 0;

    fd = open_event(PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 0);
    long long cycles = fd >= 0 ? count(fd, spin_loop) : -1;
    printf("cycles %lld\n", cycles);
    if (fd >= 0)
        close(fd);
    if (cycles <= 0)
        ok = 0;

    fd = open_event(PERF_TYPE_HW_CACHE,
                    PERF_COUNT_HW_CACHE_DTLB | (PERF_COUNT_HW_CACHE_OP_READ << 8) |
                        (PERF_COUNT_HW_CACHE_RESULT_MISS << 16),
                    0);
    long long dtlb = fd >= 0 ? count(fd, walk_pages) : -1;
    printf("dtlb-read-misses %lld\n", dtlb);
    if (fd >= 0)
        close(fd);
    if (dtlb < 0)
        ok = 0;

    /* Sampling: each overflow of the period is an interrupt and a sample
     * in the ring. */
    fd = open_event(PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, SAMPLE_PERIOD);
    if (!sampling) {
        /* Linux's driver refuses sampling without an overflow interrupt. */
        printf("samples %s\n", fd < 0 ? strerror(errno) : "accepted");
        ok = ok && fd < 0;
        printf("perf_check: %s\n", ok ? "ok" : "FAILED");
        return ok ? 0 : 1;
    }
    if (fd < 0) {
        printf("samples error %s\n", strerror(errno));
        return 1;
    }
    size_t len = (RING_PAGES + 1) * 4096;
    struct perf_event_mmap_page *ring = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ring == MAP_FAILED) {
        printf("samples mmap %s\n", strerror(errno));
        return 1;
    }
    ioctl(fd, PERF_EVENT_IOC_RESET, 0);
    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
    spin(LOOP_ITERATIONS);
    ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
    uint64_t head = ring->data_head;
    __sync_synchronize();
    const uint8_t *data = (const uint8_t *)ring + ring->data_offset;
    uint64_t size = ring->data_size, samples = 0;
    for (uint64_t pos = 0; pos + sizeof(struct perf_event_header) <= head && pos < size;) {
        const struct perf_event_header *h = (const void *)(data + pos);
        if (h->size == 0)
            break;
        if (h->type == PERF_RECORD_SAMPLE)
            samples++;
        pos += h->size;
    }
    printf("samples %llu\n", (unsigned long long)samples);
    /* 2M instructions at a period of 10000: about 200 (the ring holds
     * them all). */
    if (samples < 100 || samples > 400)
        ok = 0;
    munmap(ring, len);
    close(fd);
    printf("perf_check: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
