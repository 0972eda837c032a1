/* machine/fdt.c: the virt board's device tree, built with libfdt from the
 * machine configuration, as QEMU's virt board builds it. */
#include "machine/fdt.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cpu/riscv/pmu_state.h"
#include "hw/intc/aclint.h"
#include "util/options.h"

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

/* riscv,isa-extensions: the names as a string list. */
struct name_list {
    char buf[512];
    size_t len;
};

static void add_name(const char *name, void *opaque)
{
    struct name_list *l = opaque;
    size_t n = strlen(name) + 1;
    if (l->len + n <= sizeof(l->buf)) {
        memcpy(l->buf + l->len, name, n);
        l->len += n;
    }
}

/* The extensions in both forms Linux reads: riscv,isa, and (as QEMU 8.2
 * and later write it) riscv,isa-base with riscv,isa-extensions. The cache
 * operations' block sizes come with them. */
static int isa_properties(void *fdt, RiscvExtSet ext)
{
    char isa[256];
    struct name_list names = {.len = 0};
    riscv_ext_isa_string(ext, isa, sizeof(isa));
    riscv_ext_for_each_name(ext, add_name, &names);
    int err = 0;
    if (ext & RISCV_EXT_BIT(ZICBOM))
        err |= fdt_property_u32(fdt, "riscv,cbom-block-size", 64);
    if (ext & RISCV_EXT_BIT(ZICBOZ))
        err |= fdt_property_u32(fdt, "riscv,cboz-block-size", 64);
    if (ext & RISCV_EXT_BIT(ZICBOP))
        err |= fdt_property_u32(fdt, "riscv,cbop-block-size", 64);
    err |= fdt_property_string(fdt, "riscv,isa", isa);
    err |= fdt_property_string(fdt, "riscv,isa-base", (ext & RISCV_XLEN32) ? "rv32i" : "rv64i");
    err |= fdt_property(fdt, "riscv,isa-extensions", names.buf, (int)names.len);
    return err;
}

static int cpu_node(void *fdt, unsigned n_harts, unsigned hart, RiscvExtSet ext)
{
    char name[16];
    snprintf(name, sizeof(name), "cpu@%u", hart);
    int err = 0;
    err |= fdt_begin_node(fdt, name);
    err |= fdt_property_u32(fdt, "phandle", virt_phandle_cpu(n_harts, hart));
    err |= fdt_property_string(fdt, "device_type", "cpu");
    err |= fdt_property_u32(fdt, "reg", hart);
    err |= fdt_property_string(fdt, "status", "okay");
    err |= fdt_property_string(fdt, "compatible", "riscv");
    err |= isa_properties(fdt, ext);
    err |= fdt_property_string(fdt, "mmu-type", (ext & RISCV_XLEN32) ? "riscv,sv32" : "riscv,sv48");
    err |= fdt_begin_node(fdt, "interrupt-controller");
    err |= fdt_property_u32(fdt, "#interrupt-cells", 1);
    err |= fdt_property(fdt, "interrupt-controller", NULL, 0);
    err |= fdt_property_string(fdt, "compatible", "riscv,cpu-intc");
    err |= fdt_property_u32(fdt, "phandle", virt_phandle_cpu_intc(n_harts, hart));
    err |= fdt_end_node(fdt); /* interrupt-controller */
    err |= fdt_end_node(fdt); /* cpu@N */
    return err;
}

/* One cluster (QEMU's virt makes one per socket; ember has one socket),
 * a core per hart. */
static int cpu_map_node(void *fdt, unsigned n_harts)
{
    int err = 0;
    err |= fdt_begin_node(fdt, "cpu-map");
    err |= fdt_begin_node(fdt, "cluster0");
    for (unsigned h = 0; h < n_harts; h++) {
        char name[16];
        snprintf(name, sizeof(name), "core%u", h);
        err |= fdt_begin_node(fdt, name);
        err |= fdt_property_u32(fdt, "cpu", virt_phandle_cpu(n_harts, h));
        err |= fdt_end_node(fdt);
    }
    err |= fdt_end_node(fdt); /* cluster0 */
    err |= fdt_end_node(fdt); /* cpu-map */
    return err;
}

/* OpenSBI's riscv,event-to-mhpmcounters (its docs/pmu_support.md): rows of
 * first event, last event, counters that can count them. As QEMU 7.2
 * writes it: every programmable counter counts every event, cycles and
 * instructions also on mcycle and minstret, and the 20-cell array QEMU
 * fills only in part. */
static int pmu_node(void *fdt)
{
    const uint32_t hpm = ((1u << PMU_NUM_HPM) - 1) << PMU_FIRST_HPM;
    static const uint32_t events[] = {PMU_EVENT_CYCLES, PMU_EVENT_INSTRUCTIONS,
                                      PMU_EVENT_DTLB_READ_MISS, PMU_EVENT_DTLB_WRITE_MISS,
                                      PMU_EVENT_ITLB_READ_MISS};
    fdt32_t map[20] = {0};
    for (unsigned i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        uint32_t counters = hpm;
        if (events[i] == PMU_EVENT_CYCLES)
            counters |= 1u << 0;
        if (events[i] == PMU_EVENT_INSTRUCTIONS)
            counters |= 1u << 2;
        map[3 * i] = cpu_to_fdt32(events[i]);
        map[3 * i + 1] = cpu_to_fdt32(events[i]);
        map[3 * i + 2] = cpu_to_fdt32(counters);
    }
    int err = 0;
    err |= fdt_begin_node(fdt, "pmu");
    err |= fdt_property(fdt, "riscv,event-to-mhpmcounters", map, sizeof(map));
    err |= fdt_property_string(fdt, "compatible", "riscv,pmu");
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

static int syscon_node(void *fdt, const char *name, const char *compatible, uint32_t value,
                       uint32_t regmap)
{
    int err = 0;
    err |= fdt_begin_node(fdt, name);
    err |= fdt_property_u32(fdt, "value", value);
    err |= fdt_property_u32(fdt, "offset", 0);
    err |= fdt_property_u32(fdt, "regmap", regmap);
    err |= fdt_property_string(fdt, "compatible", compatible);
    err |= fdt_end_node(fdt);
    return err;
}

/* /soc holds every device with a node, in reverse creation order (see the
 * board table in virt.c). */
static int soc_node(void *fdt, const VirtFdtConfig *c)
{
    int err = 0;
    err |= fdt_begin_node(fdt, "soc");
    err |= fdt_property_u32(fdt, "#address-cells", 2);
    err |= fdt_property_u32(fdt, "#size-cells", 2);
    err |= fdt_property_string(fdt, "compatible", "simple-bus");
    err |= fdt_property(fdt, "ranges", NULL, 0);
    uint32_t intc[EMBER_MAX_HARTS];
    for (unsigned h = 0; h < c->n_harts; h++)
        intc[h] = virt_phandle_cpu_intc(c->n_harts, h);
    DeviceFdtContext ctx = {
        .plic_phandle = virt_phandle_plic(c->n_harts),
        .hart_intc_phandles = intc,
        .n_harts = c->n_harts,
    };
    for (unsigned i = c->n_devices; i-- > 0;) {
        Device *dev = c->devices[i];
        if (dev->type->fdt_node)
            err |= dev->type->fdt_node(dev, fdt, &ctx);
    }
    err |= fdt_end_node(fdt); /* soc */
    return err;
}

void *virt_fdt_build(const VirtFdtConfig *c, size_t *size, char *err, size_t errlen)
{
    if (c->n_harts == 0 || c->n_harts > EMBER_MAX_HARTS) {
        snprintf(err, errlen, "cannot build a device tree for %u harts", c->n_harts);
        return NULL;
    }
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
    rc |= pmu_node(fdt);
    rc |= chosen_node(fdt, c);
    rc |= syscon_node(fdt, "poweroff", "syscon-poweroff", 0x5555, virt_phandle_test(c->n_harts));
    rc |= syscon_node(fdt, "reboot", "syscon-reboot", 0x7777, virt_phandle_test(c->n_harts));
    rc |= fdt_begin_node(fdt, "memory@80000000");
    rc |= fdt_property_string(fdt, "device_type", "memory");
    rc |= prop_reg(fdt, c->ram_base, c->ram_size);
    rc |= fdt_end_node(fdt);
    rc |= cpus_node(fdt);
    for (unsigned h = 0; h < c->n_harts; h++)
        rc |= cpu_node(fdt, c->n_harts, h, c->ext);
    rc |= cpu_map_node(fdt, c->n_harts);
    rc |= fdt_end_node(fdt); /* cpus */
    rc |= soc_node(fdt, c);
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
