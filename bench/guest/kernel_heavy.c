/* kernel_heavy: workloads that live in the kernel: forkexec (fork and exec
 * a tiny static program 300 times) and mmap (map 16 MiB, touch every page,
 * unmap, 40 times: about 160,000 page faults). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

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

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        return 7;
    for (int i = 1; i < argc; i++) {
        long r;
        if (strcmp(argv[i], "forkexec") == 0)
            r = forkexec("/proc/self/exe");
        else if (strcmp(argv[i], "mmap") == 0)
            r = touch_pages();
        else {
            fprintf(stderr, "kernel_heavy: unknown workload %s\n", argv[i]);
            return 2;
        }
        printf("checksum %s %ld\n", argv[i], r);
    }
    return 0;
}
