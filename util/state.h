/* util/state.h: state descriptions (QEMU's VMStateDescription is the model).
 * Each device, each virtio queue and the hart describe their guest-visible
 * state as a table of fields; one walker writes and reads a versioned,
 * self-describing stream from the tables, so snapshots and migration need
 * no code per device. What is not saved (wiring: chardev and block
 * backends, IRQ lines, timers, pointers into the host; and what post_load
 * derives) is listed apart, so a test can tell when a struct gains a
 * member that is in neither list. */
#ifndef EMBER_UTIL_STATE_H
#define EMBER_UTIL_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum StateFieldKind {
    FIELD_UINT,     /* little-endian unsigned integers of 1, 2, 4 or 8 bytes */
    FIELD_BOOL,     /* one byte, 0 or 1 */
    FIELD_BYTES,    /* raw bytes */
    FIELD_STRUCT,   /* an embedded struct with a description of its own */
    FIELD_VARIABLE, /* data of varying length, written and read by hooks */
} StateFieldKind;

typedef struct StateDescription StateDescription;
typedef struct StateBuffer StateBuffer;

/* The hooks of a FIELD_VARIABLE: state that no fixed table holds (a
 * device's list of resources, each with its pixels). save appends the
 * object's data; check decides whether len bytes are well-formed without
 * an object (the whole machine is checked before any of it loads); load
 * replaces the object's data with them (it runs only on data check
 * accepted, so it fails only for want of memory or of room the object
 * allows, and then leaves the object empty but consistent). */
typedef struct StateVariable {
    void (*save)(void *object, StateBuffer *buf);
    bool (*check)(const uint8_t *data, size_t len, char *err, size_t errlen);
    bool (*load)(void *object, const uint8_t *data, size_t len, char *err, size_t errlen);
} StateVariable;

typedef struct StateField {
    const char *name; /* NULL ends a table */
    StateFieldKind kind;
    size_t offset;
    size_t size;                 /* of one element */
    size_t count;                /* elements (1 for a scalar) */
    const StateDescription *sub; /* FIELD_STRUCT */
    const StateVariable *var;    /* FIELD_VARIABLE */
} StateField;

struct StateDescription {
    const char *name;
    const char *c_type; /* the struct's typedef name, for the coverage test */
    uint32_t version;
    size_t struct_size;
    const StateField *fields;
    /* Members that are not saved (STATE_UNSAVED), for the coverage test. */
    const StateField *unsaved;
    /* Derives what is not stored (host-clock offsets, interrupt levels,
     * timers) after a load; NULL: nothing to do. */
    void (*post_load)(void *object);
    /* Turns what is derived from the host into guest terms before a save
     * (a wall clock's offset into the time it shows); NULL: nothing. */
    void (*pre_save)(void *object);
};

#define STATE_FIELD_(type, member, kind_, elem, n)                                                 \
    {                                                                                              \
        .name = #member, .kind = kind_, .offset = offsetof(type, member), .size = elem, .count = n \
    }
/* An unsigned integer member, or an array of them. */
#define STATE_UINT(type, member)                                                                   \
    STATE_FIELD_(type, member, FIELD_UINT, sizeof(((type *)0)->member), 1)
#define STATE_UINT_ARRAY(type, member)                                                             \
    STATE_FIELD_(type, member, FIELD_UINT, sizeof(((type *)0)->member[0]),                         \
                 sizeof(((type *)0)->member) / sizeof(((type *)0)->member[0]))
#define STATE_BOOL(type, member) STATE_FIELD_(type, member, FIELD_BOOL, sizeof(bool), 1)
#define STATE_BOOL_ARRAY(type, member)                                                             \
    STATE_FIELD_(type, member, FIELD_BOOL, sizeof(bool), sizeof(((type *)0)->member) / sizeof(bool))
/* An embedded struct described by sub. */
#define STATE_STRUCT(type, member, subdesc)                                                        \
    {                                                                                              \
        .name = #member, .kind = FIELD_STRUCT, .offset = offsetof(type, member),                   \
        .size = sizeof(((type *)0)->member), .count = 1, .sub = subdesc                            \
    }
/* An array of embedded structs described by sub. */
#define STATE_STRUCT_ARRAY(type, member, subdesc)                                                  \
    {                                                                                              \
        .name = #member, .kind = FIELD_STRUCT, .offset = offsetof(type, member),                   \
        .size = sizeof(((type *)0)->member[0]),                                                    \
        .count = sizeof(((type *)0)->member) / sizeof(((type *)0)->member[0]), .sub = subdesc      \
    }
/* Data of varying length kept from member on (a pointer, say), which the
 * hooks write and read; the stream holds its length and bytes. */
#define STATE_VARIABLE(type, member, hooks)                                                        \
    {                                                                                              \
        .name = #member, .kind = FIELD_VARIABLE, .offset = offsetof(type, member), .size = 1,      \
        .count = 0, .var = hooks                                                                   \
    }

/* A member that is not saved: wiring, or derived by post_load. */
#define STATE_UNSAVED(type, member)                                                                \
    {                                                                                              \
        .name = #member, .kind = FIELD_BYTES, .offset = offsetof(type, member),                    \
        .size = sizeof(((type *)0)->member), .count = 1                                            \
    }
#define STATE_END                                                                                  \
    {                                                                                              \
        .name = NULL                                                                               \
    }

/* A growing byte buffer the stream is written into. */
struct StateBuffer {
    uint8_t *data;
    size_t len, cap;
    bool failed; /* out of memory */
};

/* Appends object's section ("name", version, then each field by name,
 * kind, size and count, then its bytes) to buf. pre_save may change
 * object (it only turns host terms into guest ones). */
void state_save(StateBuffer *buf, const StateDescription *desc, void *object);

/* Reads one section at *pos into object: the name, version, field names,
 * kinds, sizes and counts must be the description's, and the section must
 * lie in the buffer; otherwise false with one line in err and object
 * untouched. On success moves *pos past it and runs post_load. */
bool state_load(const uint8_t *data, size_t len, size_t *pos, const StateDescription *desc,
                void *object, char *err, size_t errlen);

/* Checks a section without applying it (a whole machine is checked
 * before any of it is loaded). */
bool state_check(const uint8_t *data, size_t len, size_t *pos, const StateDescription *desc,
                 char *err, size_t errlen);

/* "C_TYPE MEMBER" for every state and wiring member, nested descriptions
 * too: tests/unit/state-coverage compares this with the members the
 * compiler's debug information lists (pahole), so a member that is in
 * neither list fails the build's tests. */
void state_list_members(const StateDescription *desc, FILE *out);

void state_buffer_free(StateBuffer *buf);
/* Appends len bytes (nothing once the buffer has failed). */
void state_buffer_put(StateBuffer *buf, const void *bytes, size_t len);
/* Room for len more bytes at the end, which the caller fills and then
 * counts in buf->len; NULL (and failed) when out of memory. */
uint8_t *state_buffer_reserve(StateBuffer *buf, size_t len);

#endif
