/* main.c: ember's entry point: command line -> machine configuration -> run;
 * nothing else. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "isa/riscv_ext.h"
#include "machine/board_devices.h"
#include "machine/virt.h"
#include "util/log.h"
#include "util/options.h"
#include "util/signals.h"

int main(int argc, char **argv)
{
    EmberOptions opts;
    char err[512];
    signals_install();
    if (!options_parse(argc, argv, &opts, err, sizeof(err))) {
        error_report("%s", err);
        return 1;
    }
    /* As qemu-system-riscv32 is QEMU's: invoked as ember-riscv32, the harts
     * are RV32 unless -cpu says otherwise. */
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    if (!opts.cpu && strcmp(name, "ember-riscv32") == 0)
        opts.cpu = "rv32";
    if (opts.show_help) {
        options_print_help(argv[0]);
        return 0;
    }
    if (opts.show_version) {
        printf("ember version %s\n", EMBER_VERSION);
        return 0;
    }
    if (opts.show_log_help) {
        log_print_categories(stdout);
        return 0;
    }
    if (opts.cpu && strcmp(opts.cpu, "help") == 0) {
        riscv_ext_print_help(stdout);
        return 0;
    }
    bool help_failed;
    if (user_devices_help(&opts, stdout, &help_failed, err, sizeof(err))) {
        if (help_failed)
            error_report("%s", err);
        return help_failed ? 1 : 0;
    }
    log_mask = opts.log_mask;
    if (opts.log_path && !log_open_file(opts.log_path)) {
        error_report("-D: cannot open log file '%s': %s", opts.log_path, strerror(errno));
        return 1;
    }
    static VirtMachine machine;
    if (!virt_init(&machine, &opts, err, sizeof(err))) {
        error_report("%s", err);
        virt_destroy(&machine);
        return 1;
    }
    if (opts.dumpdtb) {
        bool ok = virt_dump_dtb(&machine, opts.dumpdtb, err, sizeof(err));
        if (ok)
            fprintf(stderr, "ember: info: dtb dumped to %s. Exiting.\n", opts.dumpdtb);
        else
            error_report("%s", err);
        virt_destroy(&machine);
        return ok ? 0 : 1;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int status = virt_run(&machine);
    warn_report_repeats();
    if (log_enabled(LOG_STATS)) {
        clock_gettime(CLOCK_MONOTONIC, &end);
        virt_report_stats(&machine, (double)(end.tv_sec - start.tv_sec) +
                                        (double)(end.tv_nsec - start.tv_nsec) * 1e-9);
    }
    virt_destroy(&machine);
    log_close_file();
    return status;
}
