/* hw/rtc/goldfish_rtc.c: the Goldfish real-time clock ("google,goldfish-rtc")
 * QEMU's virt board has at 0x101000: wall-clock nanoseconds and one alarm. */
#include "hw/rtc/goldfish_rtc.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <time.h>

#include "util/log.h"
#include "util/timer.h"
#include "hw/device.h"

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

static uint64_t host_wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Wall time on the machine's virtual clock (QEMU's -rtc clock=vm): it
 * starts at the host's and stands still while the machine is stopped, so a
 * saved and restored machine shows the time it had. */
static uint64_t guest_ns(const GoldfishRtc *rtc)
{
    return clock_virtual_ns() + rtc->offset;
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

/* The alarm's timer follows the alarm: armed for when it is due. */
static void schedule(GoldfishRtc *rtc)
{
    if (!rtc->timers)
        return;
    uint64_t ns = goldfish_rtc_next_deadline_ns(rtc);
    if (ns == UINT64_MAX)
        timer_cancel(&rtc->alarm_timer);
    else
        timer_arm(&rtc->alarm_timer, clock_virtual_ns() + ns);
}

static void alarm_due(void *opaque)
{
    goldfish_rtc_update(opaque);
}

void goldfish_rtc_init(GoldfishRtc *rtc, IrqLine irq, TimerList *timers)
{
    rtc->irq = irq;
    rtc->offset = host_wall_ns() - clock_virtual_ns();
    rtc->timers = timers;
    if (timers)
        timer_init(&rtc->alarm_timer, timers, alarm_due, rtc);
    goldfish_rtc_reset(rtc);
}

void goldfish_rtc_destroy(GoldfishRtc *rtc)
{
    if (rtc->timers)
        timer_cancel(&rtc->alarm_timer);
}

void goldfish_rtc_reset(GoldfishRtc *rtc)
{
    rtc->alarm = 0;
    rtc->time_high = 0;
    rtc->alarm_armed = false;
    rtc->irq_pending = false;
    rtc->irq_enabled = false;
    update_irq(rtc);
    schedule(rtc);
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
    schedule(rtc);
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
        /* Setting the clock moves the offset; the virtual clock keeps
         * ticking under it. */
        uint64_t now = guest_ns(rtc);
        uint64_t set = offset == TIME_LOW ? set_low(now, value) : set_high(now, value);
        rtc->offset += set - now;
        schedule(rtc);
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
        schedule(rtc);
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

/* ---- Device type ---- */

static bool rtc_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    goldfish_rtc_init(dev->state, dev->irq, ctx->timers);
    return true;
}

static void rtc_reset(Device *dev)
{
    goldfish_rtc_reset(dev->state);
}

static int rtc_fdt_node(Device *dev, void *fdt, const DeviceFdtContext *ctx)
{
    return goldfish_rtc_fdt_node(fdt, dev->base, dev->size, ctx->plic_phandle, dev->irq_number);
}

static void rtc_unrealize(Device *dev)
{
    goldfish_rtc_destroy(dev->state);
}

/* The offset is relative to the virtual clock, which the machine saves and
 * restores as a whole. */
static void rtc_post_load(void *object)
{
    GoldfishRtc *rtc = object;
    update_irq(rtc);
    schedule(rtc);
}

static const StateField rtc_fields[] = {
    STATE_UINT(GoldfishRtc, offset),
    STATE_UINT(GoldfishRtc, alarm),
    STATE_UINT(GoldfishRtc, time_high),
    STATE_BOOL(GoldfishRtc, alarm_armed),
    STATE_BOOL(GoldfishRtc, irq_pending),
    STATE_BOOL(GoldfishRtc, irq_enabled),
    STATE_END,
};

static const StateField rtc_unsaved[] = {
    STATE_UNSAVED(GoldfishRtc, irq),
    STATE_UNSAVED(GoldfishRtc, timers),
    STATE_UNSAVED(GoldfishRtc, alarm_timer),
    STATE_END,
};

static const StateDescription rtc_state = {
    .name = "goldfish_rtc",
    .c_type = "GoldfishRtc",
    .version = 1,
    .struct_size = sizeof(GoldfishRtc),
    .fields = rtc_fields,
    .unsaved = rtc_unsaved,
    .post_load = rtc_post_load,
};

const DeviceType goldfish_rtc_type = {
    .name = "goldfish_rtc",
    .desc = "Goldfish real-time clock",
    .state_size = sizeof(GoldfishRtc),
    .realize = rtc_realize,
    .reset = rtc_reset,
    .mmio_ops = &goldfish_rtc_ops,
    .fdt_node = rtc_fdt_node,
    .unrealize = rtc_unrealize,
    .state = &rtc_state,
};
