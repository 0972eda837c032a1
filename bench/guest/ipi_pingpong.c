/* ipi_pingpong: a byte bounced through two pipes between two processes pinned
 * to CPUs A and B (sched_setaffinity), ROUNDS times; on different CPUs every
 * hop wakes a task on the other CPU, so each round trip costs two IPIs.
 *
 *   ipi_pingpong ROUNDS A B
 *
 * prints "pingpong go" when the timed rounds start (after 100 warm-up rounds),
 * so that the host can time them too, then "pingpong cpus A B rounds N
 * seconds S us_per_round U" (guest time, CLOCK_MONOTONIC). */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP 100

static int pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) != 0) {
        perror("ipi_pingpong: sched_setaffinity");
        return -1;
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One hop: write our byte, then wait for the other side's. */
static int bounce(int out, int in)
{
    char c = 'x';
    return write(out, &c, 1) == 1 && read(in, &c, 1) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: ipi_pingpong ROUNDS CPU_A CPU_B\n");
        return 2;
    }
    long rounds = atol(argv[1]);
    int cpu_a = atoi(argv[2]), cpu_b = atoi(argv[3]);
    int ping[2], pong[2];
    if (rounds <= 0 || pipe(ping) != 0 || pipe(pong) != 0)
        return 2;
    pid_t child = fork();
    if (child < 0)
        return 2;
    if (child == 0) {
        /* Only the parent may hold ping's write end: closing it ends us. */
        close(ping[1]);
        close(pong[0]);
        if (pin(cpu_b) != 0)
            _exit(1);
        char c;
        while (read(ping[0], &c, 1) == 1)
            if (write(pong[1], &c, 1) != 1)
                break;
        _exit(0);
    }
    close(ping[0]);
    close(pong[1]);
    if (pin(cpu_a) != 0) {
        kill(child, SIGKILL);
        return 1;
    }
    for (int i = 0; i < WARMUP; i++)
        if (bounce(ping[1], pong[0]) != 0)
            return 1;
    printf("pingpong go\n");
    fflush(stdout);
    double start = now();
    for (long i = 0; i < rounds; i++)
        if (bounce(ping[1], pong[0]) != 0)
            return 1;
    double seconds = now() - start;
    close(ping[1]);
    waitpid(child, NULL, 0);
    printf("pingpong cpus %d %d rounds %ld seconds %.6f us_per_round %.2f\n", cpu_a, cpu_b, rounds,
           seconds, seconds * 1e6 / (double)rounds);
    return 0;
}
