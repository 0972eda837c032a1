/* smp_stress.c: a guest program (static riscv64 Linux) for tests/linux/
 * smp-test: threads on several harts that depend on TLB shootdowns being
 * right. Pairs of threads share one address: the writer replaces the page
 * there (munmap, then mmap MAP_FIXED with new contents) or takes access
 * away (mprotect PROT_NONE) and announces it; the reader, which has just
 * used the old translation on its own hart, must then see the new page, or
 * fault. A stale TLB entry on the reader's hart shows the old contents, or
 * lets a read through that must fault.
 *
 *   smp_stress PAIRS ROUNDS   prints "smp_stress: ok ..." or a failure */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

typedef struct Pair {
    volatile unsigned char *page; /* the shared address */
    atomic_uint round;            /* the writer's announcement */
    atomic_uint seen;             /* the reader's answer */
    atomic_uint protected_round;  /* a round whose page the reader must not read */
    unsigned rounds;
    unsigned faults;
    int failed;
} Pair;

static __thread sigjmp_buf fault_jump;
static __thread volatile int expecting_fault;

static void on_segv(int sig)
{
    (void)sig;
    if (expecting_fault)
        siglongjmp(fault_jump, 1);
    static const char msg[] = "smp_stress: FAILED: an unexpected fault\n";
    (void)!write(2, msg, sizeof(msg) - 1);
    _exit(1);
}

static void wait_for(atomic_uint *value, unsigned want)
{
    while (atomic_load(value) != want)
        sched_yield();
}

static void *writer(void *arg)
{
    Pair *p = arg;
    for (unsigned r = 1; r <= p->rounds && !p->failed; r++) {
        /* Replace the page: the reader read the old one just before. */
        if (munmap((void *)p->page, PAGE) != 0 ||
            mmap((void *)p->page, PAGE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (void *)p->page) {
            p->failed = 1;
            break;
        }
        memset((void *)p->page, (int)(r & 0xff), PAGE);
        if (r % 4 == 0) {
            /* Every fourth round, no access at all. */
            mprotect((void *)p->page, PAGE, PROT_NONE);
            atomic_store(&p->protected_round, r);
        }
        atomic_store(&p->round, r);
        wait_for(&p->seen, r);
        if (r % 4 == 0)
            mprotect((void *)p->page, PAGE, PROT_READ | PROT_WRITE);
    }
    return NULL;
}

/* Whether reading addr faults. */
static int read_faults(volatile unsigned char *addr)
{
    int faulted = 1;
    expecting_fault = 1;
    if (sigsetjmp(fault_jump, 1) == 0) {
        (void)*addr;
        faulted = 0;
    }
    expecting_fault = 0;
    return faulted;
}

static void *reader(void *arg)
{
    Pair *p = arg;
    for (unsigned r = 1; r <= p->rounds && !p->failed; r++) {
        wait_for(&p->round, r);
        if (atomic_load(&p->protected_round) == r) {
            if (read_faults(p->page)) {
                p->faults++;
            } else {
                fprintf(stderr, "smp_stress: FAILED: round %u read a page with no access\n", r);
                p->failed = 1;
            }
        } else {
            unsigned char got = p->page[PAGE / 2];
            if (got != (unsigned char)(r & 0xff)) {
                fprintf(stderr, "smp_stress: FAILED: round %u read %u, the old page's\n", r, got);
                p->failed = 1;
            }
        }
        atomic_store(&p->seen, r);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    unsigned pairs = argc > 1 ? (unsigned)atoi(argv[1]) : 2;
    unsigned rounds = argc > 2 ? (unsigned)atoi(argv[2]) : 1000;
    if (pairs == 0 || pairs > 16 || rounds == 0) {
        fprintf(stderr, "usage: smp_stress PAIRS(1-16) ROUNDS\n");
        return 2;
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, NULL);
    Pair p[16];
    pthread_t threads[32];
    for (unsigned i = 0; i < pairs; i++) {
        memset(&p[i], 0, sizeof(p[i]));
        p[i].rounds = rounds;
        p[i].page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p[i].page == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        pthread_create(&threads[2 * i], NULL, writer, &p[i]);
        pthread_create(&threads[2 * i + 1], NULL, reader, &p[i]);
    }
    unsigned faults = 0;
    int failed = 0;
    for (unsigned i = 0; i < pairs; i++) {
        pthread_join(threads[2 * i], NULL);
        pthread_join(threads[2 * i + 1], NULL);
        faults += p[i].faults;
        failed |= p[i].failed;
    }
    if (failed || faults != pairs * (rounds / 4)) {
        fprintf(stderr, "smp_stress: FAILED (%u faults of %u expected)\n", faults,
                pairs * (rounds / 4));
        return 1;
    }
    printf("smp_stress: ok, %u pairs, %u rounds, %u faults as expected\n", pairs, rounds, faults);
    return 0;
}
