/* htif.c: the HTIF console and exit of ember's bare-metal guests. */
#include "htif.h"

/*
 * The host finds the 8-byte words tohost and fromhost (start.S) by name in
 * the ELF. A command is device << 56 | command << 48 | payload. Device 1
 * command 1 writes the payload's low byte to the console; the host
 * acknowledges by clearing tohost. Device 0 with bit 0 set ends the
 * simulation with exit code payload >> 1.
 */
extern volatile uint64_t tohost;
extern volatile uint64_t fromhost;

#define HTIF_CONSOLE_PUTCHAR ((1ULL << 56) | (1ULL << 48))

void htif_putchar(char c)
{
    tohost = HTIF_CONSOLE_PUTCHAR | (uint8_t)c;
    while (tohost != 0) {
    }
    fromhost = 0;
}

void htif_write(const char *text, unsigned long length)
{
    for (unsigned long i = 0; i < length; i++) {
        htif_putchar(text[i]);
    }
}

__attribute__((noreturn)) void htif_exit(int code)
{
    for (;;) {
        tohost = ((uint64_t)(uint32_t)code << 1) | 1;
    }
}
