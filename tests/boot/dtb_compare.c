/* dtb_compare.c: compares ember's device tree with QEMU's for the same
 * machine options, node by node and property by property; every intended
 * difference is listed below with its reason. */
#include <libfdt.h>
#include <stdbool.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Differences we mean to have. A node entry covers the node and everything
 * below it; a property entry names "node-path:property" (a shell pattern:
 * every hart's node has the same). */
static const struct {
    const char *what;
    const char *reason;
} intended[] = {
    {"/fw-cfg@10100000", "no fw_cfg device"},
    {"/flash@20000000", "no pflash"},
    {"/platform-bus@4000000", "no dynamic sysbus devices"},
    {"/soc/pci@30000000", "no PCIe host bridge"},
    {"/cpus/cpu@*:riscv,isa-base", "also the riscv,isa-extensions form (QEMU 8.2 and later)"},
    {"/cpus/cpu@*:riscv,isa-extensions", "also the riscv,isa-extensions form (QEMU 8.2 and later)"},
    {"/chosen:rng-seed", "random on every boot, on both"},
};

static const char *intended_reason(const char *path, const char *prop)
{
    char key[512];
    snprintf(key, sizeof(key), "%s%s%s", path, prop ? ":" : "", prop ? prop : "");
    for (size_t i = 0; i < sizeof(intended) / sizeof(intended[0]); i++) {
        const char *w = intended[i].what;
        bool is_prop = strchr(w, ':') != NULL;
        if (is_prop ? (prop && fnmatch(w, key, 0) == 0) : strncmp(path, w, strlen(w)) == 0)
            return intended[i].reason;
    }
    return NULL;
}

static void *load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    void *copy = malloc(n);
    memcpy(copy, buf, n);
    if (fdt_check_header(copy) != 0) {
        fprintf(stderr, "%s: not a device tree\n", path);
        exit(2);
    }
    return copy;
}

static int differences;
static bool used[sizeof(intended) / sizeof(intended[0])];

static void note(const char *path, const char *prop, const char *what)
{
    const char *reason = intended_reason(path, prop);
    if (reason) {
        for (size_t i = 0; i < sizeof(intended) / sizeof(intended[0]); i++)
            if (intended[i].reason == reason)
                used[i] = true;
        return;
    }
    printf("DIFF %s%s%s: %s\n", path, prop ? ":" : "", prop ? prop : "", what);
    differences++;
}

/* riscv,isa agrees when the only difference is QEMU's H (ember has no
 * hypervisor extension): the single letters before the first '_'. */
static bool same_isa_but_h(const char *ember, int len_ember, const char *qemu, int len_qemu)
{
    char without_h[512];
    int n = 0;
    bool letters = true;
    for (int i = 0; i < len_qemu && n < (int)sizeof(without_h); i++) {
        letters &= qemu[i] != '_';
        if (!(letters && i >= 4 && qemu[i] == 'h'))
            without_h[n++] = qemu[i];
    }
    return n == len_ember && memcmp(ember, without_h, (size_t)n) == 0;
}

/* Compares node a (in tree A) with the node of the same path in B; called
 * both ways round so that extra nodes and properties on either side show. */
static void compare_node(const void *a, int node_a, const void *b, const char *path,
                         const char *a_name, const char *b_name, bool values)
{
    int node_b = fdt_path_offset(b, path[0] ? path : "/");
    if (node_b < 0) {
        char what[128];
        snprintf(what, sizeof(what), "node only in %s", a_name);
        note(path, NULL, what);
        return;
    }
    int prop;
    fdt_for_each_property_offset(prop, a, node_a)
    {
        const char *name;
        int len_a, len_b;
        const void *va = fdt_getprop_by_offset(a, prop, &name, &len_a);
        const void *vb = fdt_getprop(b, node_b, name, &len_b);
        char what[160];
        if (!vb) {
            snprintf(what, sizeof(what), "property only in %s", a_name);
            note(path[0] ? path : "/", name, what);
        } else if (values && !strcmp(name, "riscv,isa") && same_isa_but_h(va, len_a, vb, len_b)) {
            continue;
        } else if (values && (len_a != len_b || memcmp(va, vb, (size_t)len_a) != 0)) {
            snprintf(what, sizeof(what), "values differ (%s %d bytes, %s %d bytes)", a_name, len_a,
                     b_name, len_b);
            note(path[0] ? path : "/", name, what);
        }
    }
    int child;
    fdt_for_each_subnode(child, a, node_a)
    {
        char sub[512];
        snprintf(sub, sizeof(sub), "%s/%s", path, fdt_get_name(a, child, NULL));
        compare_node(a, child, b, sub, a_name, b_name, values);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s EMBER.dtb QEMU.dtb\n", argv[0]);
        return 2;
    }
    void *ember = load(argv[1]);
    void *qemu = load(argv[2]);
    compare_node(ember, 0, qemu, "", "ember", "QEMU", true);
    compare_node(qemu, 0, ember, "", "QEMU", "ember", false);
    for (size_t i = 0; i < sizeof(intended) / sizeof(intended[0]); i++)
        if (!used[i])
            printf("STALE intended difference %s (%s): the trees agree there now\n",
                   intended[i].what, intended[i].reason);
    printf("%d unexpected difference(s)\n", differences);
    return differences ? 1 : 0;
}
