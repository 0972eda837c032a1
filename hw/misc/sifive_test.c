/* hw/misc/sifive_test.c: the SiFive test device ("sifive,test0") QEMU's virt
 * board has at 0x100000: guest-requested poweroff with status, and reset. */
#include "hw/misc/sifive_test.h"

#include "util/log.h"

enum {
    TEST_FAIL = 0x3333, /* status in bits 31:16 */
    TEST_PASS = 0x5555,
    TEST_RESET = 0x7777,
};

static uint64_t sifive_test_read(void *opaque, uint64_t offset, unsigned size)
{
    (void)opaque;
    (void)offset;
    (void)size;
    return 0;
}

static void sifive_test_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    SifiveTest *test = opaque;
    (void)size;
    if (offset == 0) {
        switch (value & 0xffff) {
        case TEST_FAIL:
            test->power.shutdown(test->power.opaque, (int)((value >> 16) & 0xffff));
            return;
        case TEST_PASS:
            test->power.shutdown(test->power.opaque, 0);
            return;
        case TEST_RESET:
            test->power.reset(test->power.opaque);
            return;
        }
    }
    log_guest_error("sifive_test: write of 0x%llx at offset 0x%llx ignored\n",
                    (unsigned long long)value, (unsigned long long)offset);
}

const MemoryOps sifive_test_ops = {
    .read = sifive_test_read,
    .write = sifive_test_write,
    .min_size = 2,
    .max_size = 4,
};
