/* zicbo.S: cache-block operations (Zicbom, Zicboz, Zicbop) with 64-byte
 * blocks: cbo.zero zeroes exactly the aligned block holding its address;
 * cbo.clean/flush/inval and prefetch.i/r/w execute; menvcfg/senvcfg
 * CBZE, CBCFE and CBIE gate the CBOs below M (illegal instruction when
 * clear); a CBO the page or the address does not permit faults as a store
 * with mtval = rs1. Needs -cpu rv64,zicbom=on,zicboz=on,zicbop=on; QEMU 7.2
 * has none of them. */
#include "common.h"

/* menvcfg and senvcfg fields (privileged spec, "Machine Environment
 * Configuration Register"): CBIE 01 makes cbo.inval a flush, 11 an inval */
#define ENVCFG_CBIE_FLUSH  (1 << 4)
#define ENVCFG_CBIE_INVAL  (3 << 4)
#define ENVCFG_CBCFE       (1 << 6)
#define ENVCFG_CBZE        (1 << 7)
#define ENVCFG_CBO_ALL     (ENVCFG_CBIE_INVAL | ENVCFG_CBCFE | ENVCFG_CBZE)

/* the CBOs with rs1 = a1, as illegal instructions report them */
#define CBO_ZERO_A1   0x0045a00f
#define CBO_CLEAN_A1  0x0015a00f
#define CBO_FLUSH_A1  0x0025a00f
#define CBO_INVAL_A1  0x0005a00f

#define VA_RW    0x40001000             /* the blocks' page, read-write */
#define VA_RO    0x40002000             /* the same page, read-only */
#define VA_HOLE  0x40003000             /* not mapped */
#define HOLE     0x100                  /* no memory or device (trap_access.S) */

/* the 64-byte blocks at blocks, blocks + 64, blocks + 128 get a pattern */
#define FILL  call fill_blocks

/* CHECK_ZEROED(block, name): block 0, 1 or 2 reads zero, the others hold
 * the pattern (block -1: no block is zero). Fails naming the first dword
 * (0-23) that differs. */
#define CHECK_ZEROED(block, name)               \
        li a0, block;                           \
        call check_blocks;                      \
        CHECK(-1, a0, name ": first wrong dword")

/* ZERO_AT(offset, block): cbo.zero at blocks + offset zeroes block `block`,
 * and leaves its address register alone */
#define ZERO_AT(offset, block)                  \
        FILL;                                   \
        la a1, blocks + offset;                 \
        cbo.zero (a1);                          \
        la a2, blocks + offset;                 \
        CHECKR(a2, a1, "cbo.zero blocks+" #offset ": rs1 kept"); \
        CHECK_ZEROED(block, "cbo.zero blocks+" #offset)

/* CBO_ILLEGAL(bits, instruction, name): in the current mode the CBO at
 * a1 = blocks + 72 is an illegal instruction (mtval = bits) and changes no
 * memory. Ends in M-mode. */
#define CBO_ILLEGAL(bits, insn, name)           \
        FILL;                                   \
        la a1, blocks + 72;                     \
        EXPECT_TRAP(1f);                        \
2:      insn;                                   \
        FAIL(name " did not trap");             \
1:      CHECK_TRAP(CAUSE_ILLEGAL, 2b, bits, name); \
        CHECK_ZEROED(-1, name)

/* CBO_FAULT(cause, address, instruction, name): the CBO at a1 = address
 * traps with cause and mtval = address. Ends in M-mode. */
#define CBO_FAULT(cause, address, insn, name)   \
        li a1, address;                         \
        EXPECT_TRAP(1f);                        \
2:      insn;                                   \
        FAIL(name " did not trap");             \
1:      CHECK_TRAP(cause, 2b, address, name)

#define SET_ENVCFG(m, s)                        \
        li t1, m;                               \
        csrw CSR_MENVCFG, t1;                   \
        li t1, s;                               \
        csrw CSR_SENVCFG, t1

TEST_BEGIN
        .option arch, +zicbom, +zicboz, +zicbop
        SET_ENVCFG(0, 0)

        /* ---- M-mode: no envcfg gate ---- */
        /* cbo.zero zeroes the aligned block holding any address inside it
         * (unpriv "Zicboz") */
        ZERO_AT(64, 1)
        ZERO_AT(65, 1)
        ZERO_AT(72, 1)
        ZERO_AT(103, 1)
        ZERO_AT(127, 1)
        ZERO_AT(63, 0)
        ZERO_AT(128, 2)
        /* cbo.clean/flush/inval: memory keeps its contents (nothing is
         * cached: memory holds every store already) */
        FILL
        la a1, blocks + 69
        cbo.clean (a1)
        cbo.flush (a1)
        cbo.inval (a1)
        la a2, blocks + 69
        CHECKR(a2, a1, "cbo.clean/flush/inval: rs1 kept")
        CHECK_ZEROED(-1, "cbo.clean/flush/inval in M")
        /* prefetch.i/r/w are ORI hints (rd = x0): no trap even where
         * nothing is, nothing written */
        la a1, blocks
        prefetch.i 0(a1)
        prefetch.r 32(a1)
        prefetch.w 64(a1)
        prefetch.r -32(a1)
        prefetch.w 2016(a1)
        prefetch.i -2048(a1)
        li a2, HOLE
        prefetch.r 0(a2)
        prefetch.w 32(a2)
        prefetch.i 0(a2)
        la a3, blocks
        CHECKR(a3, a1, "prefetch: rs1 kept")
        CHECK(HOLE, a2, "prefetch hole: rs1 kept")
        CHECK(0, zero, "prefetch: x0")
        CHECK_ZEROED(-1, "prefetch")

        /* the gates are WARL fields of menvcfg and senvcfg */
        SET_ENVCFG(ENVCFG_CBO_ALL, ENVCFG_CBO_ALL)
        csrr t1, CSR_MENVCFG
        andi t1, t1, 0xf0
        CHECK(ENVCFG_CBO_ALL, t1, "menvcfg CBIE/CBCFE/CBZE = 1")
        csrr t1, CSR_SENVCFG
        andi t1, t1, 0xf0
        CHECK(ENVCFG_CBO_ALL, t1, "senvcfg CBIE/CBCFE/CBZE = 1")
        SET_ENVCFG(ENVCFG_CBIE_FLUSH, ENVCFG_CBIE_FLUSH)
        csrr t1, CSR_MENVCFG
        andi t1, t1, 0xf0
        CHECK(ENVCFG_CBIE_FLUSH, t1, "menvcfg CBIE = 01")
        csrr t1, CSR_SENVCFG
        andi t1, t1, 0xf0
        CHECK(ENVCFG_CBIE_FLUSH, t1, "senvcfg CBIE = 01")

        /* ---- S-mode: menvcfg gates ---- */
        SET_ENVCFG(0, ENVCFG_CBO_ALL)
        ENTER_S
        CBO_ILLEGAL(CBO_ZERO_A1, cbo.zero (a1), "cbo.zero in S, menvcfg.CBZE = 0")
        ENTER_S
        CBO_ILLEGAL(CBO_CLEAN_A1, cbo.clean (a1), "cbo.clean in S, menvcfg.CBCFE = 0")
        ENTER_S
        CBO_ILLEGAL(CBO_FLUSH_A1, cbo.flush (a1), "cbo.flush in S, menvcfg.CBCFE = 0")
        ENTER_S
        CBO_ILLEGAL(CBO_INVAL_A1, cbo.inval (a1), "cbo.inval in S, menvcfg.CBIE = 00")
        /* prefetches are hints: never gated */
        ENTER_S
        la a1, blocks
        prefetch.i 0(a1)
        prefetch.r 0(a1)
        prefetch.w 0(a1)
        ENTER_M

        /* CBZE alone: cbo.zero only */
        SET_ENVCFG(ENVCFG_CBZE, 0)
        ENTER_S
        FILL
        la a1, blocks + 100
        cbo.zero (a1)
        ENTER_M
        CHECK_ZEROED(1, "cbo.zero in S, menvcfg.CBZE = 1")
        ENTER_S
        CBO_ILLEGAL(CBO_CLEAN_A1, cbo.clean (a1), "cbo.clean in S, only CBZE")
        ENTER_S
        CBO_ILLEGAL(CBO_FLUSH_A1, cbo.flush (a1), "cbo.flush in S, only CBZE")
        ENTER_S
        CBO_ILLEGAL(CBO_INVAL_A1, cbo.inval (a1), "cbo.inval in S, only CBZE")

        /* CBCFE alone: cbo.clean and cbo.flush */
        SET_ENVCFG(ENVCFG_CBCFE, 0)
        ENTER_S
        FILL
        la a1, blocks + 100
        cbo.clean (a1)
        cbo.flush (a1)
        ENTER_M
        CHECK_ZEROED(-1, "cbo.clean/flush in S, menvcfg.CBCFE = 1")
        ENTER_S
        CBO_ILLEGAL(CBO_ZERO_A1, cbo.zero (a1), "cbo.zero in S, only CBCFE")
        ENTER_S
        CBO_ILLEGAL(CBO_INVAL_A1, cbo.inval (a1), "cbo.inval in S, only CBCFE")

        /* CBIE = 01 (inval runs as a flush) and 11 (inval) */
        SET_ENVCFG(ENVCFG_CBIE_FLUSH, 0)
        ENTER_S
        FILL
        la a1, blocks + 100
        cbo.inval (a1)
        ENTER_M
        CHECK_ZEROED(-1, "cbo.inval in S, menvcfg.CBIE = 01")
        ENTER_S
        CBO_ILLEGAL(CBO_ZERO_A1, cbo.zero (a1), "cbo.zero in S, only CBIE")
        ENTER_S
        CBO_ILLEGAL(CBO_CLEAN_A1, cbo.clean (a1), "cbo.clean in S, only CBIE")
        SET_ENVCFG(ENVCFG_CBIE_INVAL, 0)
        ENTER_S
        FILL
        la a1, blocks + 100
        cbo.inval (a1)
        ENTER_M
        CHECK_ZEROED(-1, "cbo.inval in S, menvcfg.CBIE = 11")

        /* ---- U-mode: menvcfg and senvcfg both gate ---- */
        SET_ENVCFG(ENVCFG_CBO_ALL, 0)
        ENTER_U
        CBO_ILLEGAL(CBO_ZERO_A1, cbo.zero (a1), "cbo.zero in U, senvcfg.CBZE = 0")
        ENTER_U
        CBO_ILLEGAL(CBO_CLEAN_A1, cbo.clean (a1), "cbo.clean in U, senvcfg.CBCFE = 0")
        ENTER_U
        CBO_ILLEGAL(CBO_FLUSH_A1, cbo.flush (a1), "cbo.flush in U, senvcfg.CBCFE = 0")
        ENTER_U
        CBO_ILLEGAL(CBO_INVAL_A1, cbo.inval (a1), "cbo.inval in U, senvcfg.CBIE = 00")
        SET_ENVCFG(0, ENVCFG_CBO_ALL)
        ENTER_U
        CBO_ILLEGAL(CBO_ZERO_A1, cbo.zero (a1), "cbo.zero in U, menvcfg.CBZE = 0")
        ENTER_U
        CBO_ILLEGAL(CBO_CLEAN_A1, cbo.clean (a1), "cbo.clean in U, menvcfg.CBCFE = 0")
        ENTER_U
        CBO_ILLEGAL(CBO_INVAL_A1, cbo.inval (a1), "cbo.inval in U, menvcfg.CBIE = 00")
        ENTER_U
        la a1, blocks
        prefetch.i 0(a1)
        prefetch.r 0(a1)
        prefetch.w 0(a1)
        ENTER_M
        SET_ENVCFG(ENVCFG_CBO_ALL, ENVCFG_CBZE)
        ENTER_U
        FILL
        la a1, blocks + 140
        cbo.zero (a1)
        ENTER_M
        CHECK_ZEROED(2, "cbo.zero in U, both CBZE = 1")
        ENTER_U
        CBO_ILLEGAL(CBO_CLEAN_A1, cbo.clean (a1), "cbo.clean in U, only senvcfg.CBZE")
        SET_ENVCFG(ENVCFG_CBO_ALL, ENVCFG_CBO_ALL)
        ENTER_U
        FILL
        la a1, blocks + 10
        cbo.clean (a1)
        cbo.flush (a1)
        cbo.inval (a1)
        cbo.zero (a1)
        ENTER_M
        CHECK_ZEROED(0, "CBOs in U, all enabled")

        /* ---- faults: a CBO faults as a store, and mtval is "the faulting
         * effective address (i.e. the value of rs1)", not the block's
         * (unpriv "CMO" Traps; Sail does the same) ---- */
        SET_ENVCFG(ENVCFG_CBO_ALL, ENVCFG_CBO_ALL)
        MMU_INIT(2)
        MAP_IDENTITY_RAM
        MAP_L(VA_RW, blocks, PTE_RW, 0)
        MAP_L(VA_RO, blocks, PTE_RO, 0)
        SATP_ON(SATP_MODE_SV39)
        /* through a writable mapping */
        ENTER_S
        FILL
        li a1, VA_RW + 64 + 16
        cbo.zero (a1)
        ENTER_M
        CHECK_ZEROED(1, "cbo.zero through a page mapping")
        /* cbo.zero needs write permission: store page fault, no byte written */
        FILL
        ENTER_S
        CBO_FAULT(CAUSE_STORE_PAGE, VA_RO + 72, cbo.zero (a1), "cbo.zero to a read-only page")
        CHECK_ZEROED(-1, "cbo.zero to a read-only page")
        ENTER_S
        CBO_FAULT(CAUSE_STORE_PAGE, VA_HOLE + 72, cbo.zero (a1), "cbo.zero to an unmapped page")
        ENTER_S
        CBO_FAULT(CAUSE_STORE_PAGE, VA_HOLE + 128, cbo.zero (a1), "cbo.zero to an unmapped block")
        /* the management CBOs need read or write permission, and fault
         * as a store where there is neither */
        ENTER_S
        FILL
        li a1, VA_RO + 72
        cbo.clean (a1)
        cbo.flush (a1)
        cbo.inval (a1)
        ENTER_M
        CHECK_ZEROED(-1, "clean/flush/inval on a read-only page")
        ENTER_S
        CBO_FAULT(CAUSE_STORE_PAGE, VA_HOLE + 72, cbo.clean (a1), "cbo.clean to an unmapped page")
        ENTER_S
        CBO_FAULT(CAUSE_STORE_PAGE, VA_HOLE + 72, cbo.flush (a1), "cbo.flush to an unmapped page")
        ENTER_S
        CBO_FAULT(CAUSE_STORE_PAGE, VA_HOLE + 72, cbo.inval (a1), "cbo.inval to an unmapped page")
        /* prefetches never fault */
        ENTER_S
        li a1, VA_HOLE
        prefetch.i 0(a1)
        prefetch.r 0(a1)
        prefetch.w 0(a1)
        li a1, VA_RO
        prefetch.w 0(a1)
        ENTER_M
        /* no memory at the physical address: store access fault */
        CBO_FAULT(CAUSE_STORE_ACCESS, HOLE + 72, cbo.zero (a1), "cbo.zero to no memory")
        CBO_FAULT(CAUSE_STORE_ACCESS, HOLE + 72, cbo.clean (a1), "cbo.clean to no memory")
        CBO_FAULT(CAUSE_STORE_ACCESS, HOLE + 72, cbo.flush (a1), "cbo.flush to no memory")
        CBO_FAULT(CAUSE_STORE_ACCESS, HOLE + 72, cbo.inval (a1), "cbo.inval to no memory")
        csrw satp, zero
        sfence.vma
        TEST_PASS

/* fill_blocks: dword k (0-23) of the three blocks = (k + 1) * 0x0101010101010101.
 * Clobbers t0-t3. */
fill_blocks:
        la t0, blocks
        li t1, 0x0101010101010101
        mv t2, t1
        li t3, 24
1:      sd t2, 0(t0)
        add t2, t2, t1
        addi t0, t0, 8
        addi t3, t3, -1
        bnez t3, 1b
        ret

/* check_blocks(a0 = the block that must read zero, or -1): returns in a0
 * the first dword (0-23) that is not as expected, or -1. Clobbers t0-t6. */
check_blocks:
        la t0, blocks
        li t1, 0x0101010101010101
        mv t2, t1                       /* the pattern's dword */
        li t3, 0                        /* dword index */
1:      ld t4, 0(t0)
        mv t5, t2
        srli t6, t3, 3                  /* its block */
        bne t6, a0, 2f
        li t5, 0
2:      bne t4, t5, 3f
        add t2, t2, t1
        addi t0, t0, 8
        addi t3, t3, 1
        li t6, 24
        bne t3, t6, 1b
        li a0, -1
        ret
3:      mv a0, t3
        ret

        .data
        .balign 4096                    /* a page of its own: VA_RW, VA_RO */
blocks:
        .zero 4096
