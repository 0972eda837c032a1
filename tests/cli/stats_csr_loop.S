/* stats_csr_loop.S: a loop whose every block ends at a CSR read (an
 * unchained exit), for cli/stats-unchained: -d stats must count its loads
 * once. Exact counts: 6 (reset vector, 2 loads) + 3 (prologue) + 1000 * 4
 * (ld, csrr, addi, bnez: 1000 loads) + 4 (HTIF exit: 1 store) + 1 (the jump
 * after it) = 4014 instructions, 1002 loads, 1 store. */
#include "htif.h"

    .option norvc
    .option norelax
    .text
    .globl _start
_start:
    la      a0, word
    li      t0, 1000
loop:
    ld      a1, 0(a0)
    csrr    a2, mscratch
    addi    t0, t0, -1
    bnez    t0, loop

    HTIF_EXIT_0

    HTIF_MAILBOX

    .data
    .balign 8
word:
    .dword  42
