/* zba_zbc_off.S: with only Zba and Zbc turned off (-cpu rv64,zba=off,
 * zbc=off), their instructions are illegal while those of Zbb and Zbs still
 * execute: each instruction is gated by its own extension. */
#include "common.h"
#include "zb_rows.h"

TEST_BEGIN
        .option arch, +zba, +zbb, +zbc, +zbs
        /* Zba (off: illegal) */
        ZBA_ROWS(ILLEGAL_ROW)
        /* Zbb (on: executes) */
        ZBB_ROWS(EXECUTES_ROW)
        /* Zbc (off: illegal) */
        ZBC_ROWS(ILLEGAL_ROW)
        /* Zbs (on: executes) */
        ZBS_ROWS(EXECUTES_ROW)
        TEST_PASS
