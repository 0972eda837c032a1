/* rngseed: makes the guest kernel's random number generator ready at once
 * with a fixed seed credited as full entropy (RNDADDENTROPY). Without it
 * the first read of /dev/urandom runs the kernel's jitter-entropy loop for
 * seconds, and for a different time on each boot, inside whichever
 * workload reads it first (sqlite3 does). A benchmark guest keeps no
 * secrets. */
#include <fcntl.h>
#include <linux/random.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void)
{
    struct {
        struct rand_pool_info info;
        __u32 words[16];
    } seed;
    seed.info.entropy_count = 8 * (int)sizeof(seed.words);
    seed.info.buf_size = (int)sizeof(seed.words);
    for (unsigned i = 0; i < 16; i++)
        seed.words[i] = 0x9e3779b9u * (i + 1);
    int fd = open("/dev/urandom", O_WRONLY);
    if (fd < 0 || ioctl(fd, RNDADDENTROPY, &seed) != 0) {
        perror("rngseed: RNDADDENTROPY");
        return 1;
    }
    close(fd);
    return 0;
}
