/* rv64i_fence.S: fence (all predecessor/successor sets), fence.tso,
 * fence.i and sfence.vma execute in M-mode without trapping or side effects. */
#include "common.h"

TEST_BEGIN
        la a0, buf
        li a1, 0x55
        sd a1, 0(a0)
        fence
        fence rw, rw
        fence r, r
        fence w, w
        fence iorw, iorw
        fence io, io
        fence w, r
        fence.tso
        fence.i
        sfence.vma
        sfence.vma a0
        sfence.vma zero, a1
        ld a2, 0(a0)
        CHECK(0x55, a2, "memory unchanged by fences")
        /* the reserved fence encodings with fm/rs1/rd fields set must
         * execute as fence (unpriv 2.7: ignore rs1, rd, reserved fm) */
        .word 0x0ff5000f        /* fence iorw, iorw with rs1 = a0 */
        .word 0x0ff0058f        /* fence iorw, iorw with rd = a1 */
        CHECK(0x55, a1, "fence with rd does not write rd")
        TEST_PASS

        .data
        .align 3
buf:    .dword 0
