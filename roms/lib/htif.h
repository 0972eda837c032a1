/* htif.h: the HTIF console and exit of ember's bare-metal guests (Spike's
 * host-target interface, as QEMU's spike board and ember implement it). */
#ifndef EMBER_ROMS_HTIF_H
#define EMBER_ROMS_HTIF_H

#include <stdint.h>

void htif_putchar(char c);
/* Writes bytes exactly as given (no newline translation). */
void htif_write(const char *text, unsigned long length);
__attribute__((noreturn)) void htif_exit(int code);

/* Called by start.S for any trap; the guest defines it. */
void guest_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval);

#endif
