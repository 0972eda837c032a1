/* hw/misc/sifive_test.c: the SiFive test device ("sifive,test0") QEMU's virt
 * board has at 0x100000: guest-requested poweroff with status, and reset. */
#include "hw/misc/sifive_test.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>

#include "util/log.h"
#include "hw/device.h"

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

/* ---- Device type ---- */

static bool test_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    SifiveTest *test = dev->state;
    test->power = ctx->power;
    return true;
}

/* The board's poweroff and reboot syscon nodes refer to it by phandle. */
static int test_fdt_node(Device *dev, void *fdt, const DeviceFdtContext *ctx)
{
    (void)ctx;
    char name[32];
    snprintf(name, sizeof(name), "test@%" PRIx64, dev->base);
    fdt64_t reg[2] = {cpu_to_fdt64(dev->base), cpu_to_fdt64(dev->size)};
    static const char compatible[] = "sifive,test1\0sifive,test0\0syscon";
    int err;
    if ((err = fdt_begin_node(fdt, name)) ||
        (err = fdt_property_u32(fdt, "phandle", dev->phandle)) ||
        (err = fdt_property(fdt, "reg", reg, sizeof(reg))) ||
        (err = fdt_property(fdt, "compatible", compatible, sizeof(compatible))) ||
        (err = fdt_end_node(fdt)))
        return err;
    return 0;
}

static const StateField test_fields[] = {STATE_END};

static const StateField test_unsaved[] = {
    STATE_UNSAVED(SifiveTest, power),
    STATE_END,
};

static const StateDescription test_state = {
    .name = "riscv.sifive.test",
    .c_type = "SifiveTest",
    .version = 1,
    .struct_size = sizeof(SifiveTest),
    .fields = test_fields,
    .unsaved = test_unsaved,
};

const DeviceType sifive_test_type = {
    .name = "riscv.sifive.test",
    .desc = "SiFive test device (poweroff, reset)",
    .state_size = sizeof(SifiveTest),
    .realize = test_realize,
    .mmio_ops = &sifive_test_ops,
    .fdt_node = test_fdt_node,
    .state = &test_state,
};
