/* mmu_invalid_pte.S: invalid PTEs raise page faults of the access type:
 * V=0, W without R, non-leaf at level 0, reserved bits 63:54 (4.3.2 step 3;
 * ember implements neither Svpbmt nor Svnapot). */
#include "common.h"

#define VA_BASE   0x40000000

/* point the level-0 PTE of VA_BASE + n * 4K at data_page with `pte_flags`
 * (set through pt_map, so the table exists) and expect a load fault there */
#define EXPECT_LOAD_FAULT(n, name)                      \
        ENTER_S;                                        \
        li t1, VA_BASE + (n) * 0x1000 + 8;              \
        EXPECT_TRAP(1f);                                \
2:      ld a0, 0(t1);                                   \
        FAIL(name " load");                             \
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, 2b, VA_BASE + (n) * 0x1000 + 8, name " load")

#define EXPECT_STORE_FAULT(n, name)                     \
        ENTER_S;                                        \
        li t1, VA_BASE + (n) * 0x1000;                  \
        EXPECT_TRAP(1f);                                \
2:      sd a0, 0(t1);                                   \
        FAIL(name " store");                            \
1:      CHECK_TRAP(CAUSE_STORE_PAGE, 2b, VA_BASE + (n) * 0x1000, name " store")

#define EXPECT_FETCH_FAULT(n, name)                     \
        ENTER_S;                                        \
        li t1, VA_BASE + (n) * 0x1000;                  \
        EXPECT_TRAP(1f);                                \
        jr t1;                                          \
1:      TRAP_FIELD(t0, TI_CAUSE);                       \
        CHECK(CAUSE_FETCH_PAGE, t0, name " fetch mcause"); \
        TRAP_FIELD(t0, TI_TVAL);                        \
        CHECK(VA_BASE + (n) * 0x1000, t0, name " fetch mtval")

TEST_BEGIN
        MMU_INIT(2)
        MAP_IDENTITY_RAM
        /* 0: valid control mapping (RWX) */
        MAP_L(VA_BASE + 0x0000, data_page, PTE_ALL, 0)
        /* 1: V = 0 with everything else set */
        MAP_L(VA_BASE + 0x1000, data_page, PTE_ALL & ~PTE_V, 0)
        /* 2: W without R (reserved) */
        MAP_L(VA_BASE + 0x2000, data_page, PTE_V | PTE_W | PTE_A | PTE_D, 0)
        /* 3: W and X without R (reserved) */
        MAP_L(VA_BASE + 0x3000, data_page, PTE_V | PTE_W | PTE_X | PTE_A | PTE_D, 0)
        /* 4: a pointer (R = W = X = 0) at level 0 */
        MAP_L(VA_BASE + 0x4000, data_page, PTE_V, 0)
        /* 5: reserved bit 54 set */
        MAP_L(VA_BASE + 0x5000, data_page, PTE_ALL, 0)
        li t1, 1
        slli t1, t1, 54
        ld t2, 0(a0)
        or t2, t2, t1
        sd t2, 0(a0)
        /* 6: PBMT = 1 (bits 62:61) without Svpbmt: reserved */
        MAP_L(VA_BASE + 0x6000, data_page, PTE_ALL, 0)
        li t1, 1
        slli t1, t1, 61
        ld t2, 0(a0)
        or t2, t2, t1
        sd t2, 0(a0)
        /* 7: N (bit 63) without Svnapot: reserved */
        MAP_L(VA_BASE + 0x7000, data_page, PTE_ALL, 0)
        li t1, 1
        slli t1, t1, 63
        ld t2, 0(a0)
        or t2, t2, t1
        sd t2, 0(a0)
        SATP_ON(SATP_MODE_SV39)

        ENTER_S
        li t1, VA_BASE
        ld a0, 8(t1)
        CHECK(0x77, a0, "valid control mapping")
        ENTER_M
        EXPECT_LOAD_FAULT(1, "V=0")
        EXPECT_STORE_FAULT(1, "V=0")
        EXPECT_FETCH_FAULT(1, "V=0")
        EXPECT_LOAD_FAULT(2, "W without R")
        EXPECT_STORE_FAULT(2, "W without R")
        EXPECT_FETCH_FAULT(3, "WX without R")
        EXPECT_LOAD_FAULT(4, "pointer at level 0")
        EXPECT_STORE_FAULT(4, "pointer at level 0")
        EXPECT_FETCH_FAULT(4, "pointer at level 0")
        EXPECT_LOAD_FAULT(5, "reserved bit 54")
        EXPECT_STORE_FAULT(5, "reserved bit 54")
        EXPECT_LOAD_FAULT(6, "PBMT bits without Svpbmt")
        EXPECT_LOAD_FAULT(7, "N bit without Svnapot")
        /* an invalid non-leaf entry higher up: V = 0 at level 1 */
        ENTER_S
        li t1, 0x7fe00000               /* level-1 entry 511: V = 0 */
        EXPECT_TRAP(1f)
2:      ld a0, 0(t1)
        FAIL("absent level-1 table")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, 2b, 0x7fe00000, "absent level-1 table")
        csrw satp, zero
        TEST_PASS

        .data
        .balign 4096
data_page:
        .dword 0, 0x77
        .space 4096 - 16
