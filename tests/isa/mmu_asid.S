/* mmu_asid.S: address spaces told apart by ASID (priv spec 4.1.11, 4.2.1).
 * Two page tables map the same virtual data and code pages to different
 * physical ones; S-mode switches satp between them without sfence.vma and
 * must always see the current one's (a TLB or jump cache keyed by the
 * virtual address alone fails this). sfence.vma with an ASID, with an
 * address and an ASID, and without an ASID for global (G) mappings make
 * page-table changes visible in the address space they name. */
#include "common.h"

#define VA_DATA   0x40001000
#define VA_GLOBAL 0x40002000
#define VA_CODE   0x40010000
#define ASID_A    1
#define ASID_B    2
#define SV39      (SATP_MODE_SV39)

/* satp value for root register r and an ASID, into rd */
#define SATP_OF(rd, r, asid)                            \
        srli rd, r, 12;                                 \
        li t6, (SV39 | ((asid) << 44));                 \
        or rd, rd, t6

/* the data word at VA_DATA and the code at VA_CODE's result, in space satp */
#define IN_SPACE(satp_reg, data_expected, code_expected, name) \
        csrw satp, satp_reg;                            \
        li t1, VA_DATA;                                 \
        ld a0, 0(t1);                                   \
        CHECK(data_expected, a0, name " data");         \
        li t1, VA_CODE;                                 \
        jalr ra, 0(t1);                                 \
        CHECK(code_expected, a0, name " code")

/* the word at VA_GLOBAL in space A (satp s4) and in space B (s5) */
#define GLOBAL_IN_BOTH(expected, name)                  \
        li t1, VA_GLOBAL;                               \
        csrw satp, s4;                                  \
        ld a0, 0(t1);                                   \
        CHECK(expected, a0, name " in A");              \
        csrw satp, s5;                                  \
        ld a0, 0(t1);                                   \
        CHECK(expected, a0, name " in B")

/* (from S) VA_GLOBAL mapped to label in both tables, no fence */
#define REMAP_GLOBAL(label)                             \
        ENTER_M;                                        \
        mv s0, s2;                                      \
        MAP_L(VA_GLOBAL, label, PTE_RW | PTE_G, 0);     \
        mv s0, s3;                                      \
        MAP_L(VA_GLOBAL, label, PTE_RW | PTE_G, 0);     \
        ENTER_S

TEST_BEGIN
        /* ASIDs are 16 bits on RV64: all of them are writable */
        li t1, (SV39 | (0xffff << 44))
        la t2, data_a
        srli t2, t2, 12
        or t1, t1, t2
        csrw satp, t1
        csrr a0, satp
        CHECKR(t1, a0, "satp keeps a 16-bit ASID")
        csrw satp, zero
        sfence.vma

        /* space A */
        MMU_INIT(2)
        MAP_IDENTITY_RAM
        MAP_L(VA_DATA, data_a, PTE_RW, 0)
        MAP_L(VA_GLOBAL, data_g1, PTE_RW | PTE_G, 0)
        MAP_L(VA_CODE, code_a, PTE_RX, 0)
        mv s2, s0
        /* space B */
        MMU_INIT(2)
        MAP_IDENTITY_RAM
        MAP_L(VA_DATA, data_b, PTE_RW, 0)
        MAP_L(VA_GLOBAL, data_g1, PTE_RW | PTE_G, 0)
        MAP_L(VA_CODE, code_b, PTE_RX, 0)
        mv s3, s0
        SATP_OF(s4, s2, ASID_A)
        SATP_OF(s5, s3, ASID_B)
        csrw satp, s4
        sfence.vma
        ENTER_S

        /* switching back and forth, no fences: each sees its own pages */
        li s6, 20
1:      IN_SPACE(s4, 0xaaaa, 1, "space A")
        IN_SPACE(s5, 0xbbbb, 2, "space B")
        addi s6, s6, -1
        bnez s6, 1b

        /* A's data and code pages remapped while B runs; B fences A's
         * ASID, all of it */
        ENTER_M
        mv s0, s2
        MAP_L(VA_DATA, data_c, PTE_RW, 0)
        MAP_L(VA_CODE, code_c, PTE_RX, 0)
        ENTER_S
        IN_SPACE(s5, 0xbbbb, 2, "space B before A's fence")
        li t1, ASID_A
        sfence.vma zero, t1
        IN_SPACE(s4, 0xcccc, 3, "space A after sfence.vma x0, ASID")
        IN_SPACE(s5, 0xbbbb, 2, "space B after A's fence")

        /* B's pages remapped while A runs; A fences each page in B's ASID */
        ENTER_M
        mv s0, s3
        MAP_L(VA_DATA, data_c, PTE_RW, 0)
        MAP_L(VA_CODE, code_a, PTE_RX, 0)
        ENTER_S
        IN_SPACE(s4, 0xcccc, 3, "space A before B's page fences")
        li t1, ASID_B
        li t2, VA_DATA
        sfence.vma t2, t1
        li t2, VA_CODE
        sfence.vma t2, t1
        IN_SPACE(s5, 0xcccc, 1, "space B after sfence.vma VA, ASID")
        IN_SPACE(s4, 0xcccc, 3, "space A after B's page fences")

        /* a global page: the same in both; changed in both tables, then
         * fenced without an ASID (one page, then all), both see the change */
        GLOBAL_IN_BOTH(0x6161, "global page")
        REMAP_GLOBAL(data_g2)
        li t1, VA_GLOBAL
        sfence.vma t1, zero
        GLOBAL_IN_BOTH(0x6262, "global page after sfence.vma VA, x0")
        REMAP_GLOBAL(data_g1)
        sfence.vma
        GLOBAL_IN_BOTH(0x6161, "global page after sfence.vma")

        /* an ASID reused for another table after its fence */
        li t1, ASID_B
        sfence.vma zero, t1
        SATP_OF(s6, s2, ASID_B)
        IN_SPACE(s6, 0xcccc, 3, "A's table under B's ASID")
        ENTER_M
        csrw satp, zero
        sfence.vma
        TEST_PASS

        .text
        .align 12
code_a: li a0, 1
        ret
        .align 12
code_b: li a0, 2
        ret
        .align 12
code_c: li a0, 3
        ret

        .data
        .align 12
data_a: .dword 0xaaaa
        .align 12
data_b: .dword 0xbbbb
        .align 12
data_c: .dword 0xcccc
        .align 12
data_g1: .dword 0x6161
        .align 12
data_g2: .dword 0x6262
