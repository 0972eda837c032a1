/* timeit: runs a command in the guest and prints how long it took and how
 * many instructions it retired, children and kernel work included (perf's
 * instruction counter through SBI PMU; without perf in the kernel, the
 * hart's instret, which then counts everything the hart ran). Exact on
 * ember, not on QEMU without icount:
 *   bench NAME seconds S instret N status X */
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A counter of this process's instructions that its children's add to
 * when they exit; -1 without perf. Linux's SBI PMU driver stops the
 * counters it does not use, instret among them, so rdinstret alone may
 * read a stopped counter. */
static int open_counter(void)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.type = PERF_TYPE_HARDWARE;
    attr.size = sizeof(attr);
    attr.config = PERF_COUNT_HW_INSTRUCTIONS;
    attr.inherit = 1;
    return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
}

static unsigned long instret(int counter)
{
    unsigned long n;
    if (counter >= 0 && read(counter, &n, sizeof(n)) == (ssize_t)sizeof(n))
        return n;
    __asm__ volatile("rdinstret %0" : "=r"(n));
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: timeit NAME COMMAND [ARGS...]\n");
        return 2;
    }
    int counter = open_counter();
    double t0 = now();
    unsigned long i0 = instret(counter);
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    unsigned long i1 = instret(counter);
    double t1 = now();
    printf("bench %s seconds %.6f instret %lu status %d\n", argv[1], t1 - t0, i1 - i0,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}
