/* machine/loader.c: loading guest images into guest memory: RV64 and RV32
 * ELF files (with their HTIF symbols) and raw binaries. Every header field
 * is checked against the file size before use. */
#include "machine/loader.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_IMAGE_SIZE (1ull << 32)

uint8_t *read_file(const char *path, uint64_t max_size, size_t *size, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "'%s' is not a regular file", path);
        fclose(f);
        return NULL;
    }
    if ((uint64_t)st.st_size > max_size) {
        snprintf(err, errlen, "'%s' is too large (%lld bytes)", path, (long long)st.st_size);
        fclose(f);
        return NULL;
    }
    uint8_t *data = malloc(st.st_size ? (size_t)st.st_size : 1);
    if (!data || fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        snprintf(err, errlen, "cannot read '%s': %s", path,
                 !data       ? "out of memory"
                 : ferror(f) ? strerror(errno)
                             : "the file shrank while being read");
        free(data);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *size = (size_t)st.st_size;
    return data;
}

/* The table at offset must lie in the file and be aligned for its class's
 * widest field (8 bytes, 4 for ELF32), so the ELF structures can be read
 * in place. */
static bool range_ok(size_t file_size, uint64_t offset, uint64_t len)
{
    return offset <= file_size && len <= file_size - offset;
}

static bool table_ok(size_t file_size, uint64_t offset, uint64_t len, bool is32)
{
    return range_ok(file_size, offset, len) && offset % (is32 ? 4 : 8) == 0;
}

static bool fill_zero(AddressSpace *as, uint64_t paddr, uint64_t len)
{
    static const uint8_t zeros[4096];
    while (len) {
        uint64_t chunk = len < sizeof(zeros) ? len : sizeof(zeros);
        if (!memory_load_image(as, paddr, zeros, chunk))
            return false;
        paddr += chunk;
        len -= chunk;
    }
    return true;
}

/* An ELF32 file's structures, read as their ELF64 counterparts (the
 * fields the loader uses), so one loader serves both classes. */
static Elf64_Ehdr ehdr_at(const uint8_t *data, bool is32)
{
    if (!is32)
        return *(const Elf64_Ehdr *)data;
    const Elf32_Ehdr *e = (const Elf32_Ehdr *)data;
    Elf64_Ehdr eh = {.e_type = e->e_type,
                     .e_machine = e->e_machine,
                     .e_entry = e->e_entry,
                     .e_phoff = e->e_phoff,
                     .e_shoff = e->e_shoff,
                     .e_phentsize = e->e_phentsize,
                     .e_phnum = e->e_phnum,
                     .e_shentsize = e->e_shentsize,
                     .e_shnum = e->e_shnum};
    memcpy(eh.e_ident, e->e_ident, EI_NIDENT);
    return eh;
}

static Elf64_Phdr phdr_at(const uint8_t *table, unsigned i, bool is32)
{
    if (!is32)
        return ((const Elf64_Phdr *)table)[i];
    const Elf32_Phdr *p = &((const Elf32_Phdr *)table)[i];
    return (Elf64_Phdr){.p_type = p->p_type,
                        .p_offset = p->p_offset,
                        .p_paddr = p->p_paddr,
                        .p_filesz = p->p_filesz,
                        .p_memsz = p->p_memsz};
}

static Elf64_Shdr shdr_at(const uint8_t *table, unsigned i, bool is32)
{
    if (!is32)
        return ((const Elf64_Shdr *)table)[i];
    const Elf32_Shdr *h = &((const Elf32_Shdr *)table)[i];
    return (Elf64_Shdr){.sh_type = h->sh_type,
                        .sh_offset = h->sh_offset,
                        .sh_size = h->sh_size,
                        .sh_link = h->sh_link,
                        .sh_entsize = h->sh_entsize};
}

static Elf64_Sym sym_at(const uint8_t *table, uint64_t i, bool is32)
{
    if (!is32)
        return ((const Elf64_Sym *)table)[i];
    const Elf32_Sym *y = &((const Elf32_Sym *)table)[i];
    return (Elf64_Sym){.st_name = y->st_name, .st_value = y->st_value};
}

static void find_htif_symbols(const uint8_t *data, size_t size, const Elf64_Ehdr *eh, bool is32,
                              LoadedImage *image)
{
    size_t shdr_size = is32 ? sizeof(Elf32_Shdr) : sizeof(Elf64_Shdr);
    size_t sym_size = is32 ? sizeof(Elf32_Sym) : sizeof(Elf64_Sym);
    if (eh->e_shentsize != shdr_size ||
        !table_ok(size, eh->e_shoff, (uint64_t)eh->e_shnum * shdr_size, is32))
        return;
    const uint8_t *sections = data + eh->e_shoff;
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        Elf64_Shdr sh = shdr_at(sections, i, is32);
        if (sh.sh_type != SHT_SYMTAB || sh.sh_entsize != sym_size || sh.sh_link >= eh->e_shnum ||
            !table_ok(size, sh.sh_offset, sh.sh_size, is32))
            continue;
        Elf64_Shdr strtab = shdr_at(sections, sh.sh_link, is32);
        if (!range_ok(size, strtab.sh_offset, strtab.sh_size))
            continue;
        const char *strings = (const char *)(data + strtab.sh_offset);
        const uint8_t *syms = data + sh.sh_offset;
        for (uint64_t s = 0; s < sh.sh_size / sym_size; s++) {
            Elf64_Sym sym = sym_at(syms, s, is32);
            uint64_t name = sym.st_name;
            if (name >= strtab.sh_size)
                continue;
            /* The name must end inside the string table. */
            const char *n = strings + name;
            size_t max = strtab.sh_size - name;
            if (strnlen(n, max) == max)
                continue;
            if (strcmp(n, "tohost") == 0)
                image->tohost = sym.st_value;
            else if (strcmp(n, "fromhost") == 0)
                image->fromhost = sym.st_value;
        }
    }
}

static bool load_elf(AddressSpace *as, const char *path, const uint8_t *data, size_t size,
                     LoadedImage *image, char *err, size_t errlen)
{
    bool is32 = size > EI_CLASS && data[EI_CLASS] == ELFCLASS32;
    size_t ehdr_size = is32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
    size_t phdr_size = is32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
    if (size < ehdr_size || (!is32 && data[EI_CLASS] != ELFCLASS64)) {
        snprintf(err, errlen, "'%s' is not a little-endian RISC-V executable ELF", path);
        return false;
    }
    Elf64_Ehdr header = ehdr_at(data, is32);
    const Elf64_Ehdr *eh = &header;
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_RISCV ||
        (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)) {
        snprintf(err, errlen, "'%s' is not a little-endian RISC-V executable ELF", path);
        return false;
    }
    if (eh->e_phentsize != phdr_size ||
        !table_ok(size, eh->e_phoff, (uint64_t)eh->e_phnum * phdr_size, is32)) {
        snprintf(err, errlen, "'%s' has a corrupt program header table", path);
        return false;
    }
    image->low = UINT64_MAX;
    image->high = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr segment = phdr_at(data + eh->e_phoff, i, is32);
        const Elf64_Phdr *ph = &segment;
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
            continue;
        if (ph->p_filesz > ph->p_memsz || !range_ok(size, ph->p_offset, ph->p_filesz) ||
            ph->p_paddr + ph->p_memsz < ph->p_paddr) {
            snprintf(err, errlen, "'%s' has a corrupt segment %u", path, i);
            return false;
        }
        if (!memory_load_image(as, ph->p_paddr, data + ph->p_offset, ph->p_filesz) ||
            !fill_zero(as, ph->p_paddr + ph->p_filesz, ph->p_memsz - ph->p_filesz)) {
            snprintf(err, errlen,
                     "'%s': segment %u at 0x%llx (0x%llx bytes) is outside guest RAM/ROM", path, i,
                     (unsigned long long)ph->p_paddr, (unsigned long long)ph->p_memsz);
            return false;
        }
        if (ph->p_paddr < image->low)
            image->low = ph->p_paddr;
        if (ph->p_paddr + ph->p_memsz > image->high)
            image->high = ph->p_paddr + ph->p_memsz;
    }
    if (image->high == 0) {
        snprintf(err, errlen, "'%s' has no loadable segment", path);
        return false;
    }
    image->entry = eh->e_entry;
    image->is_elf = true;
    image->is_elf32 = is32;
    find_htif_symbols(data, size, eh, is32, image);
    return true;
}

static bool load_raw(AddressSpace *as, const char *path, const uint8_t *data, size_t size,
                     uint64_t addr, LoadedImage *image, char *err, size_t errlen)
{
    if (!memory_load_image(as, addr, data, size)) {
        snprintf(err, errlen, "'%s' (%zu bytes) does not fit in guest RAM at 0x%llx", path, size,
                 (unsigned long long)addr);
        return false;
    }
    image->entry = image->low = addr;
    image->high = addr + size;
    return true;
}

static bool load_file(AddressSpace *as, const char *path, uint64_t raw_addr, bool allow_elf,
                      LoadedImage *image, char *err, size_t errlen)
{
    memset(image, 0, sizeof(*image));
    size_t size;
    uint8_t *data = read_file(path, MAX_IMAGE_SIZE, &size, err, errlen);
    if (!data)
        return false;
    if (size == 0 && allow_elf) {
        /* A program of no bytes would run a machine of zeros (an illegal
         * instruction trap loop) without a word; /proc files look empty
         * too. */
        snprintf(err, errlen, "could not load '%s': the file is empty", path);
        free(data);
        return false;
    }
    bool ok;
    if (allow_elf && size >= 4 && memcmp(data, ELFMAG, SELFMAG) == 0)
        ok = load_elf(as, path, data, size, image, err, errlen);
    else
        ok = load_raw(as, path, data, size, raw_addr, image, err, errlen);
    free(data);
    return ok;
}

bool load_image(AddressSpace *as, const char *path, uint64_t raw_addr, LoadedImage *image,
                char *err, size_t errlen)
{
    return load_file(as, path, raw_addr, true, image, err, errlen);
}

bool load_raw_image(AddressSpace *as, const char *path, uint64_t addr, LoadedImage *image,
                    char *err, size_t errlen)
{
    return load_file(as, path, addr, false, image, err, errlen);
}
