/* machine/fdt.c: the virt board's device tree, built with libfdt from the
 * machine configuration, as QEMU's virt board builds it. */
#include "machine/fdt.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "hw/char/uart16550.h"
#include "hw/intc/aclint.h"
#include "hw/intc/plic.h"
#include "hw/misc/sifive_test.h"
#include "hw/rtc/goldfish_rtc.h"
#include "hw/virtio/mmio.h"
#include "machine/virt.h"

/* Room for everything but the command line, and QEMU's whole buffer (the
 * most a tree may take in guest memory: see QEMU_FDT_SIZE in virt.c). */
#define FDT_BASE_SIZE (64 * 1024)
#define FDT_MAX_SIZE (1024 * 1024)

static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
    fdt64_t cells[2] = {cpu_to_fdt64(base), cpu_to_fdt64(size)};
    return fdt_property(fdt, "reg", cells, sizeof(cells));
}

static int cpus_node(void *fdt)
{
    int err = 0;
    err |= fdt_begin_node(fdt, "cpus");
    err |= fdt_property_u32(fdt, "#address-cells", 1);
    err |= fdt_property_u32(fdt, "#size-cells", 0);
    err |= fdt_property_u32(fdt, "timebase-frequency", (uint32_t)ACLINT_TIMEBASE_HZ);
    return err;
}

static int cpu_node(void *fdt, const char *isa)
{
    int err = 0;
    err |= fdt_begin_node(fdt, "cpu@0");
    err |= fdt_property_u32(fdt, "phandle", PHANDLE_CPU0);
    err |= fdt_property_string(fdt, "device_type", "cpu");
    err |= fdt_property_u32(fdt, "reg", 0);
    err |= fdt_property_string(fdt, "status", "okay");
    err |= fdt_property_string(fdt, "compatible", "riscv");
    err |= fdt_property_string(fdt, "riscv,isa", isa);
    err |= fdt_property_string(fdt, "mmu-type", "riscv,sv48");
    err |= fdt_begin_node(fdt, "interrupt-controller");
    err |= fdt_property_u32(fdt, "#interrupt-cells", 1);
    err |= fdt_property(fdt, "interrupt-controller", NULL, 0);
    err |= fdt_property_string(fdt, "compatible", "riscv,cpu-intc");
    err |= fdt_property_u32(fdt, "phandle", PHANDLE_CPU0_INTC);
    err |= fdt_end_node(fdt); /* interrupt-controller */
    err |= fdt_end_node(fdt); /* cpu@0 */
    err |= fdt_begin_node(fdt, "cpu-map");
    err |= fdt_begin_node(fdt, "cluster0");
    err |= fdt_begin_node(fdt, "core0");
    err |= fdt_property_u32(fdt, "cpu", PHANDLE_CPU0);
    err |= fdt_end_node(fdt);
    err |= fdt_end_node(fdt);
    err |= fdt_end_node(fdt);
    return err;
}

static int initrd_property(void *fdt, const char *name, uint64_t addr)
{
    if (addr >> 32)
        return fdt_property_u64(fdt, name, addr);
    return fdt_property_u32(fdt, name, (uint32_t)addr);
}

static int chosen_node(void *fdt, const VirtFdtConfig *c)
{
    int err = 0;
    err |= fdt_begin_node(fdt, "chosen");
    if (c->initrd_end) {
        /* One cell like QEMU when the address fits (always, with RAM at
         * 2 GiB and the initrd at most 128 MiB above the kernel). */
        err |= initrd_property(fdt, "linux,initrd-end", c->initrd_end);
        err |= initrd_property(fdt, "linux,initrd-start", c->initrd_start);
    }
    /* Like QEMU: 32 random bytes for the kernel's entropy pool. */
    uint8_t seed[32] = {0};
    if (getrandom(seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed))
        err |= fdt_property(fdt, "rng-seed", seed, sizeof(seed));
    if (c->bootargs)
        err |= fdt_property_string(fdt, "bootargs", c->bootargs);
    err |= fdt_property_string(fdt, "stdout-path", "/soc/serial@10000000");
    err |= fdt_end_node(fdt);
    return err;
}

static int syscon_node(void *fdt, const char *name, const char *compatible, uint32_t value)
{
    int err = 0;
    err |= fdt_begin_node(fdt, name);
    err |= fdt_property_u32(fdt, "value", value);
    err |= fdt_property_u32(fdt, "offset", 0);
    err |= fdt_property_u32(fdt, "regmap", PHANDLE_TEST);
    err |= fdt_property_string(fdt, "compatible", compatible);
    err |= fdt_end_node(fdt);
    return err;
}

static int soc_node(void *fdt)
{
    int err = 0;
    err |= fdt_begin_node(fdt, "soc");
    err |= fdt_property_u32(fdt, "#address-cells", 2);
    err |= fdt_property_u32(fdt, "#size-cells", 2);
    err |= fdt_property_string(fdt, "compatible", "simple-bus");
    err |= fdt_property(fdt, "ranges", NULL, 0);

    err |= goldfish_rtc_fdt_node(fdt, VIRT_RTC_BASE, GOLDFISH_RTC_SIZE, PHANDLE_PLIC, VIRT_RTC_IRQ);
    err |= uart16550_fdt_node(fdt, VIRT_UART0_BASE, UART16550_SIZE, PHANDLE_PLIC, VIRT_UART0_IRQ);
    err |= fdt_begin_node(fdt, "test@100000");
    err |= fdt_property_u32(fdt, "phandle", PHANDLE_TEST);
    err |= prop_reg(fdt, VIRT_TEST_BASE, SIFIVE_TEST_SIZE);
    static const char test_compat[] = "sifive,test1\0sifive,test0\0syscon";
    err |= fdt_property(fdt, "compatible", test_compat, sizeof(test_compat));
    err |= fdt_end_node(fdt);

    /* Every slot, empty or not, highest address first as QEMU lists them. */
    for (int n = VIRT_VIRTIO_COUNT - 1; n >= 0; n--)
        err |= virtio_mmio_fdt_node(fdt, VIRT_VIRTIO_BASE + (uint64_t)n * VIRTIO_MMIO_SIZE,
                                    PHANDLE_PLIC, VIRT_VIRTIO_IRQ + (unsigned)n);

    const uint32_t intc[1] = {PHANDLE_CPU0_INTC};
    err |= plic_fdt_node(fdt, VIRT_PLIC_BASE, PLIC_SIZE, intc, 1, PHANDLE_PLIC);
    err |= fdt_begin_node(fdt, "clint@2000000");
    fdt32_t irqs[4] = {cpu_to_fdt32(PHANDLE_CPU0_INTC), cpu_to_fdt32(3),
                       cpu_to_fdt32(PHANDLE_CPU0_INTC), cpu_to_fdt32(7)};
    err |= fdt_property(fdt, "interrupts-extended", irqs, sizeof(irqs));
    err |= prop_reg(fdt, VIRT_CLINT_BASE, ACLINT_SIZE);
    static const char clint_compat[] = "sifive,clint0\0riscv,clint0";
    err |= fdt_property(fdt, "compatible", clint_compat, sizeof(clint_compat));
    err |= fdt_end_node(fdt);

    err |= fdt_end_node(fdt); /* soc */
    return err;
}

void *virt_fdt_build(const VirtFdtConfig *c, size_t *size, char *err, size_t errlen)
{
    size_t bootargs = c->bootargs ? strlen(c->bootargs) + 1 : 0;
    if (bootargs > FDT_MAX_SIZE - FDT_BASE_SIZE) {
        snprintf(err, errlen,
                 "-append: the command line is %zu bytes; the device tree has room for %d",
                 bootargs - 1, FDT_MAX_SIZE - FDT_BASE_SIZE - 1);
        return NULL;
    }
    size_t capacity = FDT_BASE_SIZE + bootargs;
    void *fdt = malloc(capacity);
    if (!fdt) {
        snprintf(err, errlen, "out of memory building the device tree");
        return NULL;
    }
    int rc = fdt_create(fdt, (int)capacity);
    rc |= fdt_finish_reservemap(fdt);
    rc |= fdt_begin_node(fdt, "");
    rc |= fdt_property_u32(fdt, "#address-cells", 2);
    rc |= fdt_property_u32(fdt, "#size-cells", 2);
    rc |= fdt_property_string(fdt, "compatible", "riscv-virtio");
    rc |= fdt_property_string(fdt, "model", "riscv-virtio,qemu");
    rc |= chosen_node(fdt, c);
    rc |= syscon_node(fdt, "poweroff", "syscon-poweroff", 0x5555);
    rc |= syscon_node(fdt, "reboot", "syscon-reboot", 0x7777);
    rc |= fdt_begin_node(fdt, "memory@80000000");
    rc |= fdt_property_string(fdt, "device_type", "memory");
    rc |= prop_reg(fdt, c->ram_base, c->ram_size);
    rc |= fdt_end_node(fdt);
    rc |= cpus_node(fdt);
    rc |= cpu_node(fdt, c->isa);
    rc |= fdt_end_node(fdt); /* cpus */
    rc |= soc_node(fdt);
    rc |= fdt_end_node(fdt); /* root */
    rc |= fdt_finish(fdt);
    if (rc != 0) {
        snprintf(err, errlen, "cannot build the device tree (libfdt error)");
        free(fdt);
        return NULL;
    }
    *size = fdt_totalsize(fdt);
    return fdt;
}
