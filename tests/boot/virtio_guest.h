/* virtio_guest.h: the driver core of the bare-metal guests that abuse
 * virtio devices (virtio_*hostile.c): their lines and exit through HTIF,
 * virtio-mmio registers, reset and feature negotiation, and split
 * virtqueues placed where a case wants them. Header-only, so each guest
 * stays one file built by hostile_guest(); a guest defines GUEST_NAME
 * (what its lines start with) and VIRTQ_MAX (its largest queue) before it
 * includes this, and includes it once. */
#ifndef EMBER_TESTS_BOOT_VIRTIO_GUEST_H
#define EMBER_TESTS_BOOT_VIRTIO_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "htif.h"
#include "hw/virtio/virtio_spec.h"

#if !defined(GUEST_NAME) || !defined(VIRTQ_MAX)
#error "define GUEST_NAME and VIRTQ_MAX before including virtio_guest.h"
#endif

/* Both ember's and QEMU's virt board count mtime at 10 MHz. */
#define CLINT_MTIME 0x200bff8ul
#define MTIME_HZ 10000000ull

static inline void print(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    htif_write(s, n);
}

static inline void print_number(uint64_t v, unsigned radix)
{
    char digits[24]; /* 2^64 - 1 has 20 decimal digits */
    int i = sizeof(digits) - 1;
    digits[i] = '\0';
    do {
        digits[--i] = "0123456789abcdef"[v % radix];
        v /= radix;
    } while (v);
    print(digits + i);
}

static inline void print_dec(uint64_t v)
{
    print_number(v, 10);
}

static inline void print_hex(uint64_t v)
{
    print("0x");
    print_number(v, 16);
}

/* One line of the guest's own: its name, then what. */
static inline void say(const char *what)
{
    print(GUEST_NAME ": ");
    print(what);
    print("\n");
}

__attribute__((noreturn)) static inline void fail(const char *what)
{
    print(GUEST_NAME ": FAILED: ");
    print(what);
    print("\n");
    htif_exit(1);
}

/* start.S sends every trap here; none is expected, and where it happened
 * is what tells a broken guest from a broken device. */
void guest_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval)
{
    print(GUEST_NAME ": trap mcause ");
    print_hex(mcause);
    print(" mepc ");
    print_hex(mepc);
    print(" mtval ");
    print_hex(mtval);
    print("\n");
    fail("unexpected trap");
}

/* Orders the guest's ring writes against the device's view of them. */
static inline void barrier(void)
{
    __asm__ volatile("fence" ::: "memory");
}

static inline void zero(void *p, unsigned long len)
{
    for (unsigned long i = 0; i < len; i++)
        ((volatile uint8_t *)p)[i] = 0;
}

static inline uint64_t mtime(void)
{
    return *(volatile uint64_t *)CLINT_MTIME;
}

static inline volatile uint32_t *virtio_reg(uintptr_t base, unsigned offset)
{
    return (volatile uint32_t *)(base + offset);
}

/* Whether a virtio-mmio device of type device_id, of any version, is at
 * base. */
static inline bool virtio_present(uintptr_t base, uint32_t device_id)
{
    return *virtio_reg(base, VIRTIO_MMIO_MAGIC) == VIRTIO_MMIO_MAGIC_VALUE &&
           *virtio_reg(base, VIRTIO_MMIO_DEVICE_ID) == device_id;
}

/* A slot without a device reads device id 0 (4.2.2). */
static inline bool virtio_slot_empty(uintptr_t base)
{
    return *virtio_reg(base, VIRTIO_MMIO_DEVICE_ID) == 0;
}

/* Fails with what unless a modern (version 2) device of type device_id is
 * at base: the guests drive only that interface. */
static inline void virtio_expect(uintptr_t base, uint32_t device_id, const char *what)
{
    if (!virtio_present(base, device_id) ||
        *virtio_reg(base, VIRTIO_MMIO_VERSION) != VIRTIO_MMIO_VERSION_MODERN)
        fail(what);
}

static inline void virtio_set_addr(uintptr_t base, unsigned low, uint64_t addr)
{
    *virtio_reg(base, low) = (uint32_t)addr;
    *virtio_reg(base, low + 4) = (uint32_t)(addr >> 32);
}

/* Resets the device and negotiates VIRTIO_F_VERSION_1 with those of the
 * low 32 feature bits in want that it offers; returns what it offered.
 * Neither indirect descriptors nor event indices are ever taken, so the
 * chains stay plain and the device interrupts on every used buffer. */
static inline uint32_t virtio_negotiate(uintptr_t base, uint32_t want)
{
    *virtio_reg(base, VIRTIO_MMIO_STATUS) = 0;
    if (*virtio_reg(base, VIRTIO_MMIO_STATUS) != 0)
        fail("reset did not clear the status");
    *virtio_reg(base, VIRTIO_MMIO_STATUS) = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
    *virtio_reg(base, VIRTIO_MMIO_DEVICE_FEATURES_SEL) = 1;
    if (!(*virtio_reg(base, VIRTIO_MMIO_DEVICE_FEATURES) & 1))
        fail("no VIRTIO_F_VERSION_1");
    *virtio_reg(base, VIRTIO_MMIO_DEVICE_FEATURES_SEL) = 0;
    uint32_t offered = *virtio_reg(base, VIRTIO_MMIO_DEVICE_FEATURES);
    *virtio_reg(base, VIRTIO_MMIO_DRIVER_FEATURES_SEL) = 0;
    *virtio_reg(base, VIRTIO_MMIO_DRIVER_FEATURES) = want & offered;
    *virtio_reg(base, VIRTIO_MMIO_DRIVER_FEATURES_SEL) = 1;
    *virtio_reg(base, VIRTIO_MMIO_DRIVER_FEATURES) = 1;
    *virtio_reg(base, VIRTIO_MMIO_STATUS) =
        VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK;
    if (!(*virtio_reg(base, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
        fail("FEATURES_OK refused");
    return offered;
}

/* Gives queue index of size entries its three parts wherever the caller
 * says, even where no driver should put them; returns whether the device
 * made the queue ready. */
static inline bool virtio_place_queue(uintptr_t base, unsigned index, unsigned size, uint64_t desc,
                                      uint64_t driver, uint64_t device)
{
    *virtio_reg(base, VIRTIO_MMIO_QUEUE_SEL) = index;
    if (*virtio_reg(base, VIRTIO_MMIO_QUEUE_NUM_MAX) < size)
        fail("a queue is smaller than this guest needs");
    *virtio_reg(base, VIRTIO_MMIO_QUEUE_NUM) = size;
    virtio_set_addr(base, VIRTIO_MMIO_QUEUE_DESC_LOW, desc);
    virtio_set_addr(base, VIRTIO_MMIO_QUEUE_DRIVER_LOW, driver);
    virtio_set_addr(base, VIRTIO_MMIO_QUEUE_DEVICE_LOW, device);
    *virtio_reg(base, VIRTIO_MMIO_QUEUE_READY) = 1;
    return *virtio_reg(base, VIRTIO_MMIO_QUEUE_READY) == 1;
}

static inline void virtio_driver_ok(uintptr_t base)
{
    barrier();
    *virtio_reg(base, VIRTIO_MMIO_STATUS) = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                                            VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK;
}

static inline void virtio_notify(uintptr_t base, unsigned index)
{
    barrier();
    *virtio_reg(base, VIRTIO_MMIO_QUEUE_NOTIFY) = index;
}

static inline bool virtio_broken(uintptr_t base)
{
    return *virtio_reg(base, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET;
}

static inline void expect_alive(uintptr_t base, const char *what)
{
    if (virtio_broken(base))
        fail(what);
}

/* A device that gives up must say so both ways (2.1.2): NEEDS_RESET in its
 * status and a configuration change interrupt. */
static inline void expect_needs_reset(uintptr_t base, const char *what)
{
    if (!virtio_broken(base) ||
        !(*virtio_reg(base, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_ISR_CONFIG))
        fail(what);
    print(GUEST_NAME ": ");
    print(what);
    print(": device needs reset, as it should\n");
}

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

/* A split virtqueue (2.6) of up to VIRTQ_MAX entries; size is what the
 * device was told. Each part starts a page, more than the 16, 2 and 4
 * bytes of alignment the spec asks for. */
struct virtq {
    struct virtq_desc desc[VIRTQ_MAX] __attribute__((aligned(4096)));
    struct {
        uint16_t flags, idx, ring[VIRTQ_MAX], used_event;
    } avail __attribute__((aligned(4096)));
    struct {
        uint16_t flags, idx;
        struct {
            uint32_t id, len;
        } ring[VIRTQ_MAX];
        uint16_t avail_event;
    } used __attribute__((aligned(4096)));
    unsigned size;
};

/* Empties both rings, as a device after a reset expects them. */
static inline void virtq_clear(struct virtq *q, unsigned size)
{
    zero(&q->avail, sizeof(q->avail));
    zero(&q->used, sizeof(q->used));
    q->size = size;
}

/* Clears q and gives it to the device as queue index. */
static inline bool virtq_setup(uintptr_t base, unsigned index, struct virtq *q, unsigned size)
{
    virtq_clear(q, size);
    return virtio_place_queue(base, index, size, (uintptr_t)q->desc, (uintptr_t)&q->avail,
                              (uintptr_t)&q->used);
}

/* Makes the chain at head available, without a notify. A step above 1
 * moves the index past entries never written, as a hostile driver may. */
static inline void virtq_offer(struct virtq *q, uint16_t head, uint16_t step)
{
    uint16_t idx = q->avail.idx;
    q->avail.ring[idx % q->size] = head;
    barrier();
    *(volatile uint16_t *)&q->avail.idx = (uint16_t)(idx + step);
}

static inline uint16_t virtq_used_idx(const struct virtq *q)
{
    uint16_t idx = *(volatile const uint16_t *)&q->used.idx;
    barrier();
    return idx;
}

/* Waits for the device to use a buffer after its used index stood at
 * before: devices may complete on threads of their own while the hart
 * goes on. False when timeout mtime ticks pass first. mtime is read once
 * every 1024 polls: read on every one, it made ember complete virtio-blk
 * reads three times slower. */
static inline bool virtq_wait_used(const struct virtq *q, uint16_t before, uint64_t timeout)
{
    uint64_t deadline = mtime() + timeout;
    for (unsigned long spins = 1; virtq_used_idx(q) == before; spins++)
        if (spins % 1024 == 0 && mtime() > deadline)
            return false;
    return true;
}

#endif
