/* util/keyval.h: QEMU's KEY=VALUE,... option lists (QemuOpts' rules), for
 * -drive, -device, -chardev and every later option that takes one. */
#ifndef EMBER_UTIL_KEYVAL_H
#define EMBER_UTIL_KEYVAL_H

#include <stdbool.h>
#include <stddef.h>

#define KEYVAL_KEY_SIZE 32
#define KEYVAL_VALUE_SIZE 1024

typedef struct KeyVal {
    char key[KEYVAL_KEY_SIZE];
    char value[KEYVAL_VALUE_SIZE];
} KeyVal;

/* Takes the item at *cursor and moves past it. ",," is a comma inside a
 * value; a first item (first) without '=' is the value of the implied key
 * (a device or backend name) when implied is given; any other item without
 * '=' is a flag, KEY=on. false with "OPTION: ..." in err for an empty key
 * or an item too long. */
bool keyval_next(const char **cursor, bool first, const char *implied, KeyVal *item,
                 const char *option, char *err, size_t errlen);

/* on/yes/true and off/no/false, as QEMU takes them. */
bool keyval_bool(const char *text, bool *out);

#endif
