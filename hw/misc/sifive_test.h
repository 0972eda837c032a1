/* hw/misc/sifive_test.h: the SiFive test device ("sifive,test0") QEMU's virt
 * board has at 0x100000: guest-requested poweroff with status, and reset. */
#ifndef EMBER_HW_MISC_SIFIVE_TEST_H
#define EMBER_HW_MISC_SIFIVE_TEST_H

#include "hw/power.h"
#include "hw/device.h"
#include "softmmu/memory.h"

#define SIFIVE_TEST_SIZE 0x1000

typedef struct SifiveTest {
    PowerControl power;
} SifiveTest;

extern const MemoryOps sifive_test_ops;

extern const DeviceType sifive_test_type;

#endif
