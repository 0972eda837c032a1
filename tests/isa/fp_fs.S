/* fp_fs.S: mstatus.FS (priv spec 3.1.6.6): Off makes every FP instruction
 * and FP CSR illegal; Initial and Clean turn Dirty on any change of FP
 * state, SD follows; fcsr, frm and fflags (unpriv spec 11.2); reserved
 * rounding modes are illegal, statically and through frm. */
#include "common.h"
#include "fp.h"

/* run `insn` and expect an illegal-instruction trap with mtval = bits */
#define ILLEGAL_FP(bits, name, insn...)         \
        EXPECT_TRAP(1f);                        \
2:      insn;                                   \
        FAIL(name " did not trap");             \
1:      CHECK_TRAP(CAUSE_ILLEGAL, 2b, bits, name)

#define SET_FS(state)                           \
        li t0, MSTATUS_FS;                      \
        csrc mstatus, t0;                       \
        li t0, state;                           \
        csrs mstatus, t0

#define CHECK_FS(state, name)                   \
        csrr a0, mstatus;                       \
        li a1, MSTATUS_FS;                      \
        and a0, a0, a1;                         \
        CHECK(state, a0, name)

TEST_BEGIN
        .option push
        .option norvc
        SET_FS(0)
        CHECK_FS(0, "FS off")
        csrr a0, mstatus
        srli a0, a0, 63
        CHECK(0, a0, "SD clear with FS off")

        /* FS Off: instructions and FP CSRs are illegal, mtval = the bits */
        ILLEGAL_FP(0x02c58553, "fadd.d with FS off", fadd.d fa0, fa1, fa2, rne)
        ILLEGAL_FP(0x0005b507, "fld with FS off", fld fa0, 0(a1))
        ILLEGAL_FP(0x00a13027, "fsd with FS off", fsd fa0, 0(sp))
        ILLEGAL_FP(0xe2058553, "fmv.x.d with FS off", fmv.x.d a0, fa1)
        ILLEGAL_FP(0xf2058553, "fmv.d.x with FS off", fmv.d.x fa0, a1)
        ILLEGAL_FP(0x00102573, "frflags with FS off", frflags a0)
        ILLEGAL_FP(0x00202573, "frrm with FS off", frrm a0)
        ILLEGAL_FP(0x00301073, "fscsr with FS off", fscsr zero)
        .option rvc
        ILLEGAL_FP(0x2108, "c.fld with FS off", c.fld fa0, 0(a0))
        .option norvc

        /* Initial: a register write makes FS Dirty and sets SD, also as
         * sstatus shows it */
        SET_FS(MSTATUS_FS_INITIAL)
        CHECK_FS(MSTATUS_FS_INITIAL, "FS initial")
        li a0, D_ONE
        fmv.d.x fa1, a0
        CHECK_FS(MSTATUS_FS_DIRTY, "fmv.d.x dirties FS")
        csrr a0, mstatus
        srli a0, a0, 63
        CHECK(1, a0, "SD with FS dirty")
        csrr a0, sstatus
        srli a1, a0, 63
        CHECK(1, a1, "sstatus.SD")
        li a1, MSTATUS_FS
        and a0, a0, a1
        CHECK(MSTATUS_FS_DIRTY, a0, "sstatus.FS")

        /* Clean: stores, moves to integer registers, fclass and CSR reads
         * change no FP state; loads, arithmetic and CSR writes do */
        SET_FS(MSTATUS_FS_CLEAN)
        addi sp, sp, -16
        fsd fa1, 0(sp)
        fsw fa1, 8(sp)
        fmv.x.d a0, fa1
        fclass.d a0, fa1
        frflags a0
        frcsr a0
        CHECK_FS(MSTATUS_FS_CLEAN, "Clean after non-modifying instructions")
        csrr a0, mstatus
        srli a0, a0, 63
        CHECK(0, a0, "SD clear with FS clean")
        fld fa2, 0(sp)
        CHECK_FS(MSTATUS_FS_DIRTY, "fld dirties FS")
        SET_FS(MSTATUS_FS_CLEAN)
        fadd.d fa2, fa1, fa1
        CHECK_FS(MSTATUS_FS_DIRTY, "fadd.d dirties FS")
        SET_FS(MSTATUS_FS_CLEAN)
        fsflags zero
        CHECK_FS(MSTATUS_FS_DIRTY, "fsflags dirties FS")
        addi sp, sp, 16

        /* fcsr = frm << 5 | fflags; the rest reads zero */
        li a0, -1
        fscsr a0
        frcsr a1
        CHECK(0xff, a1, "fcsr keeps 8 bits")
        frrm a1
        CHECK(7, a1, "frm from fcsr")
        frflags a1
        CHECK(0x1f, a1, "fflags from fcsr")
        li a0, 0x3d
        fsrm a0
        frrm a1
        CHECK(5, a1, "frm keeps 3 bits")
        frcsr a1
        CHECK(0xbf, a1, "fcsr after frm write")
        csrwi fflags, 0x15
        csrr a1, fcsr
        CHECK(0xb5, a1, "fcsr after fflags write")
        fscsr zero

        /* reserved rounding modes: static rm 5 and 6, dynamic with frm 5,
         * 6 or 7 */
        ILLEGAL_FP(0x02c5d553, "fadd.d rm 5", .word 0x02c5d553)
        ILLEGAL_FP(0x02c5e553, "fadd.d rm 6", .word 0x02c5e553)
        ILLEGAL_FP(0x5a05e553, "fsqrt.d rm 6", .word 0x5a05e553)
        ILLEGAL_FP(0x6ac5d543, "fmadd.d rm 5", .word 0x6ac5d543)
        ILLEGAL_FP(0xc205d553, "fcvt.w.d rm 5", .word 0xc205d553)
        li a0, 5
        fsrm a0
        ILLEGAL_FP(0x02c5f553, "fadd.d dyn with frm 5", fadd.d fa0, fa1, fa2, dyn)
        li a0, 7
        fsrm a0
        ILLEGAL_FP(0x1ac5f553, "fdiv.d dyn with frm 7", fdiv.d fa0, fa1, fa2, dyn)
        li a0, 6
        fsrm a0
        ILLEGAL_FP(0xc205f553, "fcvt.w.d dyn with frm 6", fcvt.w.d a0, fa1, dyn)
        /* rounding-free instructions do not care about frm */
        fsgnj.d fa0, fa1, fa1
        fmin.d fa0, fa1, fa1
        li a0, 1
        fsrm a0
        fadd.d fa0, fa1, fa1, dyn
        fscsr zero

        /* U-mode uses the FPU and its CSRs while FS is on */
        ENTER_U
        li a0, D_TWO
        fmv.d.x fa0, a0
        fdiv.d fa1, fa0, fa0
        fmv.x.d a1, fa1
        CHECK(D_ONE, a1, "fdiv.d in U-mode")
        li a0, D_ONE
        fmv.d.x fa0, a0
        li a0, 3
        fcvt.d.l fa2, a0
        fdiv.d fa1, fa0, fa2
        frflags a1
        CHECK(NX, a1, "fflags in U-mode")
        ENTER_M
        .option pop
        TEST_PASS
