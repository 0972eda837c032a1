/* hw/rtc/goldfish_rtc.c: the Goldfish real-time clock ("google,goldfish-rtc")
 * QEMU's virt board has at 0x101000: wall-clock nanoseconds and one alarm. */
#include "hw/rtc/goldfish_rtc.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <time.h>

#include "util/log.h"

enum {
    TIME_LOW = 0x00, /* reading it latches TIME_HIGH */
    TIME_HIGH = 0x04,
    ALARM_LOW = 0x08, /* writing it arms the alarm */
    ALARM_HIGH = 0x0c,
    IRQ_ENABLED = 0x10,
    CLEAR_ALARM = 0x14,
    ALARM_STATUS = 0x18,
    CLEAR_INTERRUPT = 0x1c,
};

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t guest_ns(const GoldfishRtc *rtc)
{
    return host_ns() + rtc->offset;
}

static uint64_t set_low(uint64_t reg, uint64_t value)
{
    return (reg & ~0xffffffffull) | (uint32_t)value;
}

static uint64_t set_high(uint64_t reg, uint64_t value)
{
    return (reg & 0xffffffffull) | (value << 32);
}

static void update_irq(GoldfishRtc *rtc)
{
    irq_set(&rtc->irq, rtc->irq_pending && rtc->irq_enabled);
}

void goldfish_rtc_init(GoldfishRtc *rtc, IrqLine irq)
{
    rtc->irq = irq;
    rtc->offset = 0;
    goldfish_rtc_reset(rtc);
}

void goldfish_rtc_reset(GoldfishRtc *rtc)
{
    rtc->alarm = 0;
    rtc->time_high = 0;
    rtc->alarm_armed = false;
    rtc->irq_pending = false;
    rtc->irq_enabled = false;
    update_irq(rtc);
}

/* The interrupt latches when the alarm fires, whether or not it is enabled,
 * so enabling it later still reports the alarm (as QEMU's does). */
void goldfish_rtc_update(GoldfishRtc *rtc)
{
    if (rtc->alarm_armed && guest_ns(rtc) >= rtc->alarm) {
        rtc->alarm_armed = false;
        rtc->irq_pending = true;
        update_irq(rtc);
    }
}

uint64_t goldfish_rtc_next_deadline_ns(GoldfishRtc *rtc)
{
    if (!rtc->alarm_armed)
        return UINT64_MAX;
    uint64_t now = guest_ns(rtc);
    return rtc->alarm > now ? rtc->alarm - now : 0;
}

static uint64_t goldfish_rtc_read(void *opaque, uint64_t offset, unsigned size)
{
    GoldfishRtc *rtc = opaque;
    (void)size; /* always 4 */
    switch (offset) {
    case TIME_LOW: {
        /* Latching makes the two 32-bit reads one consistent 64-bit time. */
        uint64_t now = guest_ns(rtc);
        rtc->time_high = (uint32_t)(now >> 32);
        return (uint32_t)now;
    }
    case TIME_HIGH:
        return rtc->time_high;
    case ALARM_LOW:
        return (uint32_t)rtc->alarm;
    case ALARM_HIGH:
        return rtc->alarm >> 32;
    case IRQ_ENABLED:
        return rtc->irq_enabled;
    case ALARM_STATUS:
        return rtc->alarm_armed;
    }
    log_guest_error("goldfish_rtc: read of unimplemented offset 0x%" PRIx64 "\n", offset);
    return 0;
}

static void goldfish_rtc_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    GoldfishRtc *rtc = opaque;
    (void)size;
    switch (offset) {
    case TIME_LOW:
    case TIME_HIGH: {
        /* Setting the clock moves the offset; the host clock keeps ticking
         * under it. */
        uint64_t now = guest_ns(rtc);
        uint64_t set = offset == TIME_LOW ? set_low(now, value) : set_high(now, value);
        rtc->offset += set - now;
        return;
    }
    case ALARM_LOW:
        rtc->alarm = set_low(rtc->alarm, value);
        rtc->alarm_armed = true;
        goldfish_rtc_update(rtc); /* an alarm in the past fires at once */
        return;
    case ALARM_HIGH:
        rtc->alarm = set_high(rtc->alarm, value);
        return;
    case IRQ_ENABLED:
        rtc->irq_enabled = value & 1;
        update_irq(rtc);
        return;
    case CLEAR_ALARM:
        rtc->alarm_armed = false;
        return;
    case CLEAR_INTERRUPT:
        rtc->irq_pending = false;
        update_irq(rtc);
        return;
    }
    log_guest_error("goldfish_rtc: write of 0x%" PRIx64 " to offset 0x%" PRIx64 " ignored\n", value,
                    offset);
}

const MemoryOps goldfish_rtc_ops = {
    .read = goldfish_rtc_read,
    .write = goldfish_rtc_write,
    .min_size = 4,
    .max_size = 4,
};

int goldfish_rtc_fdt_node(void *fdt, uint64_t base, uint64_t size, uint32_t plic_phandle,
                          unsigned irq)
{
    char name[32];
    snprintf(name, sizeof(name), "rtc@%" PRIx64, base);
    fdt64_t reg[2] = {cpu_to_fdt64(base), cpu_to_fdt64(size)};
    int err;
    if ((err = fdt_begin_node(fdt, name)) || (err = fdt_property_u32(fdt, "interrupts", irq)) ||
        (err = fdt_property_u32(fdt, "interrupt-parent", plic_phandle)) ||
        (err = fdt_property(fdt, "reg", reg, sizeof(reg))) ||
        (err = fdt_property_string(fdt, "compatible", "google,goldfish-rtc")) ||
        (err = fdt_end_node(fdt)))
        return err;
    return 0;
}
