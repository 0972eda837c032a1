/* init.c: /init of the 32-bit guest's initramfs, built with the kernel's
 * nolibc: prints one banner line (kernel release, machine, the hart's ISA
 * and MMU from /proc/cpuinfo) and powers the machine off. */
#include <asm/unistd.h>

/* Linux 6.1's nolibc compiles every wrapper, and some call system calls RV32
 * does not have (it has only the time64 and 64-bit-offset ones: ppoll_time64,
 * pselect6_time64, statx, llseek, waitid). This init uses none of them; each
 * gets the first number that is no system call, so a call would fail with
 * ENOSYS rather than do something else. */
#if __riscv_xlen == 32
#define __NR_gettimeofday __NR_syscalls
#define __NR_lseek        __NR_syscalls
#define __NR_wait4        __NR_syscalls
#define __NR_poll         __NR_syscalls
#define __NR_select       __NR_syscalls
#define __NR_newfstatat   __NR_syscalls
#endif

#include <nolibc.h> /* the kernel's tools/include/nolibc (LINUX_REBOOT_*, syscalls) */
#include <linux/utsname.h>

/* cpuinfo_field(text, name, out, size): the value of the first "name : value"
 * line of text, or "?" */
static void cpuinfo_field(const char *text, const char *name, char *out, size_t size)
{
    size_t name_len = strlen(name);
    const char *line = text;

    while (*line) {
        const char *end = line;
        while (*end && *end != '\n')
            end++;
        if (strncmp(line, name, name_len) == 0 &&
            (line[name_len] == ' ' || line[name_len] == '\t' || line[name_len] == ':')) {
            const char *value = line + name_len;
            while (value < end && (*value == ' ' || *value == '\t' || *value == ':'))
                value++;
            size_t len = (size_t)(end - value) < size - 1 ? (size_t)(end - value) : size - 1;
            memcpy(out, value, len);
            out[len] = '\0';
            return;
        }
        line = *end ? end + 1 : end;
    }
    strcpy(out, "?");
}

/* The machine stops here. PID 1 must never exit (the kernel would panic),
 * and rv32 has only the time64 sleeps, which this nolibc lacks: yield. */
static void power_off(void)
{
    reboot(LINUX_REBOOT_CMD_POWER_OFF);
    printf("ember-rv32 init: power off failed (errno %d)\n", errno);
    for (;;)
        sched_yield();
}

int main(void)
{
    static char cpuinfo[4096];
    struct new_utsname uts;
    char isa[128], mmu[32];
    ssize_t got = 0;
    int fd;

    if (mount("proc", "/proc", "proc", 0, NULL) < 0)
        printf("ember-rv32 init: mounting /proc failed (errno %d)\n", errno);
    fd = open("/proc/cpuinfo", O_RDONLY);
    if (fd >= 0) {
        ssize_t n;
        while (got < (ssize_t)sizeof(cpuinfo) - 1 &&
               (n = read(fd, cpuinfo + got, sizeof(cpuinfo) - 1 - got)) > 0)
            got += n;
        close(fd);
    }
    cpuinfo[got] = '\0';
    cpuinfo_field(cpuinfo, "isa", isa, sizeof(isa));
    cpuinfo_field(cpuinfo, "mmu", mmu, sizeof(mmu));
    if (my_syscall1(__NR_uname, &uts) < 0) {
        strcpy(uts.release, "?");
        strcpy(uts.machine, "?");
    }
    printf("ember-rv32 init: Linux %s %s, isa %s, mmu %s\n", uts.release, uts.machine, isa, mmu);
    power_off();
    return 0;
}
