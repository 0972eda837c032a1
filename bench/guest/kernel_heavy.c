/* kernel_heavy: workloads that live in the kernel: forkexec (fork, then exec
 * this static program again, 300 times) and mmap (map 16 MiB, touch every page,
 * unmap, 40 times: about 160,000 page faults). */
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "workload.h"

static long forkexec(const char *self)
{
    long ok = 0;
    for (int i = 0; i < 300; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            execl(self, self, "child", (char *)NULL);
            _exit(127);
        }
        int status;
        waitpid(pid, &status, 0);
        ok += WIFEXITED(status) && WEXITSTATUS(status) == 7;
    }
    return ok;
}

static long touch_pages(void)
{
    long sum = 0;
    size_t len = 16u << 20;
    for (int rep = 0; rep < 40; rep++) {
        volatile char *p =
            mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return -1;
        for (size_t off = 0; off < len; off += 4096)
            p[off] = (char)off;
        sum += p[len - 4096];
        munmap((void *)p, len);
    }
    return sum;
}

static uint64_t forkexec_self(void)
{
    return (uint64_t)forkexec("/proc/self/exe");
}

static uint64_t mmap_pages(void)
{
    return (uint64_t)touch_pages();
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        return 7; /* what forkexec's children report */
    static const Workload table[] = {{"forkexec", forkexec_self}, {"mmap", mmap_pages}};
    return run_workloads("kernel_heavy", table, 2, argc, argv);
}
