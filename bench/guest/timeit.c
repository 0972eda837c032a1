/* timeit: runs a command in the guest and prints how long it took and how
 * many instructions the hart retired meanwhile (rdinstret counts everything
 * the hart ran, kernel included; exact on ember, not on QEMU without icount):
 *   bench NAME seconds S instret N status X */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static unsigned long instret(void)
{
    unsigned long n;
    __asm__ volatile("rdinstret %0" : "=r"(n));
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: timeit NAME COMMAND [ARGS...]\n");
        return 2;
    }
    double t0 = now();
    unsigned long i0 = instret();
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    unsigned long i1 = instret();
    double t1 = now();
    printf("bench %s seconds %.6f instret %lu status %d\n", argv[1], t1 - t0, i1 - i0,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}
