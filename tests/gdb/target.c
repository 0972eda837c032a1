/* tests/gdb/target.c: the program gdb debugs in tests/gdb: calls, a loop,
 * a variable to watch and to change from gdb, a spin to interrupt. Exits
 * through HTIF with 0 when main ran to the end with what gdb set. */
#include <stdint.h>

#include "htif.h"

volatile long counter;  /* counted by the loop */
volatile long answer;   /* gdb sets it to 42 */
volatile long spinning; /* gdb clears it to end the spin */
long atomics;           /* changed only by an AMO */

__attribute__((noinline)) long square(long x)
{
    return x * x;
}

/* No trap is expected: one ends the run with code 2. */
void guest_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval)
{
    (void)mcause;
    (void)mepc;
    (void)mtval;
    htif_exit(2);
}

int main(void)
{
    long sum = 0;
    for (long i = 0; i < 10; i++) {
        sum += square(i);
        counter++;
        __atomic_fetch_add(&atomics, 1, __ATOMIC_SEQ_CST);
    }
    while (spinning)
        counter++;
    return sum == 285 && answer == 42 ? 0 : 1;
}
