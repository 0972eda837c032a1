/* tests/unit/harness.h: what the unit tests share: a hart on an address space
 * with RAM at 0x80000000, a page-table builder, and the check main. */
#ifndef EMBER_TESTS_UNIT_HARNESS_H
#define EMBER_TESTS_UNIT_HARNESS_H

#include <check.h>
#include <stdint.h>

#include "cpu/riscv/cpu.h"
#include "softmmu/memory.h"

#define TEST_RAM_BASE 0x80000000ull
#define TEST_RAM_SIZE (16ull << 20)
/* Page tables are allocated from the top 4 MiB of RAM. */
#define TEST_PT_BASE (TEST_RAM_BASE + TEST_RAM_SIZE - (4ull << 20))

/* Page-table entry bits (priv spec 4.4.1). */
#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4)
#define PTE_G (1ull << 5)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define PTE_RWX (PTE_R | PTE_W | PTE_X)

/* pmpcfg bits (priv spec 3.7.1). */
#define PMPCFG_R 0x01
#define PMPCFG_W 0x02
#define PMPCFG_X 0x04
#define PMPCFG_TOR (1u << 3)
#define PMPCFG_NA4 (2u << 3)
#define PMPCFG_NAPOT (3u << 3)
#define PMPCFG_L 0x80

typedef struct TestHart {
    AddressSpace as;
    MemoryRegion *ram;
    RiscvCpu *cpu;
    uint64_t next_table; /* next free page-table page */
} TestHart;

/* A reset hart (M-mode, bare, no PMP) on 16 MiB of RAM at TEST_RAM_BASE. */
TestHart *test_hart_new(void);
void test_hart_free(TestHart *h);

uint64_t test_read64(TestHart *h, uint64_t paddr);
void test_write64(TestHart *h, uint64_t paddr, uint64_t value);

/* Changes privilege and recomputes the MMU mode, as a trap or xRET does. */
void test_set_priv(TestHart *h, enum privilege priv);
/* Sets or clears mstatus bits and recomputes the MMU mode. */
void test_set_mstatus(TestHart *h, uint64_t set, uint64_t clear);

/* Starts an empty page table and points satp at it (SATP_MODE_SV39/SV48). */
void pt_init(TestHart *h, unsigned mode);
/* Maps va to pa with a leaf at level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB,
 * 3: 512 GiB) carrying flags, creating intermediate tables as needed.
 * Returns the physical address of the leaf PTE. */
uint64_t pt_map(TestHart *h, uint64_t va, uint64_t pa, uint64_t flags, int level);
/* The physical address of the PTE for va at level, or 0 if a table on the
 * way is missing. */
uint64_t pt_entry_addr(TestHart *h, uint64_t va, int level);

/* pmpaddr value of a NAPOT entry covering [base, base + size), size a power
 * of two >= 8 and base aligned to it. */
uint64_t pmp_napot(uint64_t base, uint64_t size);
/* Sets PMP entry i directly and flushes cached translations. */
void test_set_pmp(TestHart *h, int i, uint8_t cfg, uint64_t addr);
/* Entry 15 grants RWX on all memory, so S and U accesses pass PMP unless a
 * lower-numbered entry says otherwise. */
void test_pmp_allow_all(TestHart *h);

/* Runs one suite with CK_FORK (the default) and returns the exit status. */
/* Sends -d guest_errors output to a temporary file, so a test can check
 * that a bad guest access was logged. */
void log_capture_start(void);
void log_capture_stop(void);
long log_captured_bytes(void);

int run_suite(Suite *suite);

#endif
