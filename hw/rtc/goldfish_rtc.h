/* hw/rtc/goldfish_rtc.h: the Goldfish real-time clock ("google,goldfish-rtc")
 * QEMU's virt board has at 0x101000: wall-clock nanoseconds and one alarm. */
#ifndef EMBER_HW_RTC_GOLDFISH_RTC_H
#define EMBER_HW_RTC_GOLDFISH_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/irq.h"
#include "util/timer.h"
#include "hw/device.h"
#include "softmmu/memory.h"

#define GOLDFISH_RTC_SIZE 0x1000

typedef struct GoldfishRtc {
    IrqLine irq;
    uint64_t offset;    /* guest time minus the virtual clock, ns (mod 2^64) */
    uint64_t alarm;     /* ALARM_HIGH:ALARM_LOW, guest ns */
    uint32_t time_high; /* latched by each TIME_LOW read */
    bool alarm_armed;
    bool irq_pending; /* the alarm fired and CLEAR_INTERRUPT has not been written */
    bool irq_enabled;
    TimerList *timers; /* NULL: the caller runs goldfish_rtc_update itself */
    Timer alarm_timer;
} GoldfishRtc;

extern const MemoryOps goldfish_rtc_ops;

/* Guest time starts at host wall-clock time and runs on the virtual clock. The alarm fires through
 * a timer on timers (NULL: only when goldfish_rtc_update is called). */
void goldfish_rtc_init(GoldfishRtc *rtc, IrqLine irq, TimerList *timers);
/* Cancels the alarm's timer. */
void goldfish_rtc_destroy(GoldfishRtc *rtc);
/* Disarms the alarm and clears the interrupt state; the time set by the
 * guest survives, as a battery-backed clock's does. */
void goldfish_rtc_reset(GoldfishRtc *rtc);
/* Fires the alarm if its time has come. */
void goldfish_rtc_update(GoldfishRtc *rtc);
/* Nanoseconds from now until the armed alarm (0 if due), UINT64_MAX if no
 * alarm is armed; for sleeping in the idle loop. */
uint64_t goldfish_rtc_next_deadline_ns(GoldfishRtc *rtc);

/* Emits the RTC's node (sequential-write libfdt) as QEMU's virt does, with
 * irq on the interrupt controller plic_phandle; 0 or a negative libfdt
 * error. */
int goldfish_rtc_fdt_node(void *fdt, uint64_t base, uint64_t size, uint32_t plic_phandle,
                          unsigned irq);

extern const DeviceType goldfish_rtc_type;

#endif
