/* hw/misc/htif.h: the Spike host-target interface that bare-metal test
 * suites use: a guest write to the tohost word ends the run or prints. */
#ifndef EMBER_HW_MISC_HTIF_H
#define EMBER_HW_MISC_HTIF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hw/device.h"
#include "hw/power.h"
#include "softmmu/memory.h"

typedef struct Htif {
    AddressSpace *as;
    uint64_t tohost;   /* guest physical addresses of the two words */
    uint64_t fromhost; /* 0 when the program has no fromhost */
    FILE *console;
    PowerControl power;
} Htif;

/* Watches stores to tohost (a RAM address); false if it is not in RAM. */
bool htif_init(Htif *htif, AddressSpace *as, uint64_t tohost, uint64_t fromhost, FILE *console,
               PowerControl power);
/* Called for every store to a watched page. */
void htif_store(Htif *htif, uint64_t paddr, unsigned size);

extern const DeviceType htif_type;

#endif
