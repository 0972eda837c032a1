/* fp_fflags_loop.S: fflags read and written between FP operations in a
 * loop, the way gcc brackets a compare with frflags and fsflags (unpriv
 * spec 11.2): each read sees exactly the exceptions raised since the last
 * write, on every pass (the second and later passes run from translated,
 * jump-cached blocks, as hot code does). */
#include "common.h"
#include "fp.h"

TEST_BEGIN
        FP_ON
        li t0, D_ONE
        fmv.d.x fs0, t0                 /* 1.0 */
        li t0, 0x4008000000000000
        fmv.d.x fs1, t0                 /* 3.0 */
        fmv.d.x fs2, zero               /* +0.0 */
        li s2, 4
1:      fdiv.d fa0, fs0, fs1            /* 1/3: inexact */
        frflags a0
        CHECK(NX, a0, "frflags after an inexact fdiv")
        fsflags a1, zero                /* swap in 0, a1 = the old flags */
        CHECK(NX, a1, "fsflags returns the old flags")
        fadd.d fa1, fs0, fs0            /* exact */
        frflags a0
        CHECK(0, a0, "frflags after fsflags 0 and an exact fadd")
        frflags a3                      /* gcc's bracket around a compare */
        flt.d a2, fs0, fs1
        fsflags a3
        CHECK(1, a2, "flt.d between frflags and fsflags")
        frflags a0
        CHECK(0, a0, "frflags after fsflags with the saved 0")
        fdiv.d fa2, fs0, fs2            /* 1/0 */
        frflags a0
        CHECK(DZ, a0, "frflags after a division by zero")
        csrwi fflags, 0
        addi s2, s2, -1
        bnez s2, 1b
        TEST_PASS
