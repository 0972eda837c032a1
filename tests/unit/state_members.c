/* tests/unit/state_members.c: prints "C_TYPE MEMBER" for every member the
 * state descriptions name, saved or not, for tests/unit/state-coverage,
 * which compares them with what the compiler says each struct holds. Built
 * with every type's debug information (-g -fno-eliminate-unused-debug-types). */
#include <stdio.h>

#include "cpu/riscv/cpu.h"
#include "hw/char/uart16550.h"
#include "hw/devices.h"
#include "hw/intc/aclint.h"
#include "hw/intc/plic.h"
#include "hw/misc/htif.h"
#include "hw/misc/sifive_test.h"
#include "hw/rtc/goldfish_rtc.h"
#include "hw/virtio/blk.h"
#include "hw/virtio/console.h"
#include "hw/virtio/gpu.h"
#include "hw/virtio/input.h"
#include "hw/virtio/mmio.h"
#include "hw/virtio/net.h"
#include "hw/virtio/rng.h"

int main(void)
{
    static const DeviceType *const board[] = {
        &aclint_type,    &plic_type,         &virtio_mmio_type, &sifive_test_type,
        &uart16550_type, &goldfish_rtc_type, &htif_type,        NULL,
    };
    for (const DeviceType *const *t = board; *t; t++)
        state_list_members((*t)->state, stdout);
    for (const DeviceType *const *t = device_types; *t; t++)
        state_list_members((*t)->state, stdout);
    state_list_members(&riscv_cpu_state, stdout);
    return 0;
}
