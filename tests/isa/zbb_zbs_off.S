/* zbb_zbs_off.S: with only Zbb and Zbs turned off (-cpu rv64,zbb=off,
 * zbs=off), their instructions are illegal while those of Zba and Zbc still
 * execute: each instruction is gated by its own extension. */
#include "common.h"
#include "zb_rows.h"

TEST_BEGIN
        .option arch, +zba, +zbb, +zbc, +zbs
        /* Zba (on: executes) */
        ZBA_ROWS(EXECUTES_ROW)
        /* Zbb (off: illegal) */
        ZBB_ROWS(ILLEGAL_ROW)
        /* Zbc (on: executes) */
        ZBC_ROWS(EXECUTES_ROW)
        /* Zbs (off: illegal) */
        ZBS_ROWS(ILLEGAL_ROW)
        TEST_PASS
