/* util/state.c: the one walker over state descriptions: writes and reads the
 * self-describing stream.
 *
 * A section: "EMST" magic, name (u16 length + bytes), version (u32), field
 * count (u32), then per field: name (u16 + bytes), kind (u8), element size
 * (u32), count (u32) and the data, integers little-endian; a FIELD_STRUCT's
 * data is its elements' sections, one after the other; a FIELD_VARIABLE's
 * count is its length in bytes. */
#include "util/state.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/le.h"

static const uint8_t section_magic[4] = {'E', 'M', 'S', 'T'};

uint8_t *state_buffer_reserve(StateBuffer *buf, size_t len)
{
    if (buf->failed)
        return NULL;
    if (len > SIZE_MAX / 2 - buf->len) {
        buf->failed = true;
        return NULL;
    }
    if (buf->len + len > buf->cap) {
        size_t cap = buf->cap ? buf->cap : 4096;
        while (cap < buf->len + len)
            cap *= 2;
        uint8_t *grown = realloc(buf->data, cap);
        if (!grown) {
            buf->failed = true;
            return NULL;
        }
        buf->data = grown;
        buf->cap = cap;
    }
    return buf->data + buf->len;
}

void state_buffer_put(StateBuffer *buf, const void *bytes, size_t len)
{
    uint8_t *at = len ? state_buffer_reserve(buf, len) : NULL;
    if (at) {
        memcpy(at, bytes, len);
        buf->len += len;
    }
}

static void put_uint(StateBuffer *buf, uint64_t value, size_t size)
{
    uint8_t bytes[8];
    st_le(bytes, (unsigned)size, value);
    state_buffer_put(buf, bytes, size);
}

static void put_name(StateBuffer *buf, const char *name)
{
    size_t len = strlen(name);
    put_uint(buf, len, 2);
    state_buffer_put(buf, name, len);
}

/* Its length, then its bytes (which the hook writes to a buffer of its
 * own first, as the length comes before them). */
static void save_variable(StateBuffer *buf, const StateField *f, void *object)
{
    StateBuffer data = {0};
    f->var->save(object, &data);
    if (data.failed || data.len > UINT32_MAX) {
        buf->failed = true;
    } else {
        put_uint(buf, data.len, 4);
        state_buffer_put(buf, data.data, data.len);
    }
    state_buffer_free(&data);
}

void state_save(StateBuffer *buf, const StateDescription *desc, void *object)
{
    if (desc->pre_save)
        desc->pre_save(object);
    state_buffer_put(buf, section_magic, sizeof(section_magic));
    put_name(buf, desc->name);
    put_uint(buf, desc->version, 4);
    uint32_t nfields = 0;
    for (const StateField *f = desc->fields; f->name; f++)
        nfields++;
    put_uint(buf, nfields, 4);
    for (const StateField *f = desc->fields; f->name; f++) {
        put_name(buf, f->name);
        put_uint(buf, f->kind, 1);
        put_uint(buf, f->size, 4);
        if (f->kind == FIELD_VARIABLE) {
            save_variable(buf, f, object);
            continue;
        }
        put_uint(buf, f->count, 4);
        uint8_t *base = (uint8_t *)object + f->offset;
        for (size_t i = 0; i < f->count; i++) {
            uint8_t *elem = base + i * f->size;
            switch (f->kind) {
            case FIELD_BOOL:
                put_uint(buf, *(bool *)elem ? 1 : 0, 1);
                break;
            case FIELD_UINT: /* little-endian, as the host is (util/le.h) */
            case FIELD_BYTES:
                state_buffer_put(buf, elem, f->size);
                break;
            case FIELD_STRUCT:
                state_save(buf, f->sub, elem);
                break;
            case FIELD_VARIABLE: /* written above */
                break;
            }
        }
    }
}

/* A cursor over the stream that refuses to read past its end. */
typedef struct Reader {
    const uint8_t *data;
    size_t len, pos;
    char *err;
    size_t errlen;
    bool ok;
} Reader;

static const uint8_t *take(Reader *r, size_t n, const char *what)
{
    if (!r->ok)
        return NULL;
    if (n > r->len - r->pos) {
        snprintf(r->err, r->errlen, "state stream ends inside %s", what);
        r->ok = false;
        return NULL;
    }
    const uint8_t *p = r->data + r->pos;
    r->pos += n;
    return p;
}

static uint64_t take_uint(Reader *r, size_t size, const char *what)
{
    const uint8_t *p = take(r, size, what);
    return p ? ld_le(p, (unsigned)size) : 0;
}

static bool take_name(Reader *r, const char *want, const char *what)
{
    size_t len = (size_t)take_uint(r, 2, what);
    const uint8_t *p = take(r, len, what);
    if (!p)
        return false;
    if (len != strlen(want) || memcmp(p, want, len) != 0) {
        snprintf(r->err, r->errlen, "state stream has %s '%.*s' where '%s' was expected", what,
                 (int)(len > 64 ? 64 : len), (const char *)p, want);
        r->ok = false;
    }
    return r->ok;
}

static void walk_variable(Reader *r, const StateDescription *desc, const StateField *f, size_t len,
                          uint8_t *object)
{
    const uint8_t *p = take(r, len, "a field's data");
    if (!p)
        return;
    char why[256];
    bool ok = object ? f->var->load(object, p, len, why, sizeof(why))
                     : f->var->check(p, len, why, sizeof(why));
    if (!ok) {
        snprintf(r->err, r->errlen, "state field '%s.%s': %s", desc->name, f->name, why);
        r->ok = false;
    }
}

/* Walks one section, checking it against desc; with object, also stores
 * the values there. */
static bool walk(Reader *r, const StateDescription *desc, uint8_t *object)
{
    const uint8_t *magic = take(r, sizeof(section_magic), "a section header");
    if (magic && memcmp(magic, section_magic, sizeof(section_magic)) != 0) {
        snprintf(r->err, r->errlen, "state stream: no section where '%s' was expected", desc->name);
        r->ok = false;
    }
    if (!r->ok || !take_name(r, desc->name, "section"))
        return false;
    uint32_t version = (uint32_t)take_uint(r, 4, "a section header");
    uint32_t nfields = (uint32_t)take_uint(r, 4, "a section header");
    uint32_t want = 0;
    for (const StateField *f = desc->fields; f->name; f++)
        want++;
    if (r->ok && (version != desc->version || nfields != want)) {
        snprintf(r->err, r->errlen,
                 "state section '%s' is version %u with %u fields; ember's is version %u with %u",
                 desc->name, version, nfields, desc->version, want);
        r->ok = false;
    }
    for (const StateField *f = desc->fields; r->ok && f->name; f++) {
        if (!take_name(r, f->name, "field"))
            return false;
        uint8_t kind = (uint8_t)take_uint(r, 1, "a field header");
        size_t size = (size_t)take_uint(r, 4, "a field header");
        size_t count = (size_t)take_uint(r, 4, "a field header");
        if (r->ok &&
            (kind != f->kind || size != f->size || (kind != FIELD_VARIABLE && count != f->count))) {
            snprintf(r->err, r->errlen, "state field '%s.%s' has another type or size", desc->name,
                     f->name);
            r->ok = false;
        }
        if (r->ok && kind == FIELD_VARIABLE) {
            walk_variable(r, desc, f, count, object);
            continue;
        }
        for (size_t i = 0; r->ok && i < f->count; i++) {
            uint8_t *elem = object ? object + f->offset + i * f->size : NULL;
            if (f->kind == FIELD_STRUCT) {
                walk(r, f->sub, elem);
                continue;
            }
            size_t bytes = f->kind == FIELD_BOOL ? 1 : f->size;
            const uint8_t *p = take(r, bytes, "a field's data");
            if (!p)
                break;
            if (f->kind == FIELD_BOOL && *p > 1) {
                snprintf(r->err, r->errlen, "state field '%s.%s' is not a boolean", desc->name,
                         f->name);
                r->ok = false;
            } else if (elem && f->kind == FIELD_BOOL) {
                *(bool *)elem = *p != 0;
            } else if (elem) {
                memcpy(elem, p, bytes);
            }
        }
    }
    if (r->ok && object && desc->post_load)
        desc->post_load(object);
    return r->ok;
}

bool state_check(const uint8_t *data, size_t len, size_t *pos, const StateDescription *desc,
                 char *err, size_t errlen)
{
    Reader r = {data, len, *pos, err, errlen, true};
    if (!walk(&r, desc, NULL))
        return false;
    *pos = r.pos;
    return true;
}

bool state_load(const uint8_t *data, size_t len, size_t *pos, const StateDescription *desc,
                void *object, char *err, size_t errlen)
{
    /* Checked whole first, so a bad stream leaves object untouched. */
    size_t check = *pos;
    if (!state_check(data, len, &check, desc, err, errlen))
        return false;
    Reader r = {data, len, *pos, err, errlen, true};
    walk(&r, desc, object);
    *pos = r.pos;
    return true;
}

void state_list_members(const StateDescription *desc, FILE *out)
{
    for (const StateField *f = desc->fields; f->name; f++)
        fprintf(out, "%s %s\n", desc->c_type, f->name);
    for (const StateField *f = desc->unsaved; f && f->name; f++)
        fprintf(out, "%s %s\n", desc->c_type, f->name);
    for (const StateField *f = desc->fields; f->name; f++)
        if (f->kind == FIELD_STRUCT)
            state_list_members(f->sub, out);
}

void state_buffer_free(StateBuffer *buf)
{
    free(buf->data);
    *buf = (StateBuffer){0};
}
