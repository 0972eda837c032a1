/* maptouch: one short process of bench/run's procs workload: maps KIB
 * KiB of anonymous memory, writes every page (a page fault each), reads
 * them back, unmaps it and exits; run thousands of times by procs.sh it
 * exercises fork, exec, page faults, address-space teardown and context
 * switches more than any computation.
 *   maptouch KIB */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: maptouch KIB\n");
        return 2;
    }
    size_t size = strtoul(argv[1], NULL, 10) * 1024;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    volatile unsigned char *p =
        mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    for (size_t off = 0; off < size; off += page)
        p[off] = (unsigned char)(off / page);
    unsigned sum = 0;
    for (size_t off = 0; off < size; off += page)
        sum += p[off];
    if (munmap((void *)p, size) != 0) {
        perror("munmap");
        return 1;
    }
    /* Every page kept its value: the sum of 0..pages-1, modulo 256 each. */
    unsigned want = 0;
    for (size_t i = 0; i < size / page; i++)
        want += (unsigned char)i;
    return sum == want ? 0 : 1;
}
