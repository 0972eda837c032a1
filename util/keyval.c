/* util/keyval.c: QEMU's KEY=VALUE,... option lists. */
#include "util/keyval.h"

#include <stdio.h>
#include <string.h>

bool keyval_next(const char **cursor, bool first, const char *implied, KeyVal *item,
                 const char *option, char *err, size_t errlen)
{
    char text[KEYVAL_KEY_SIZE + KEYVAL_VALUE_SIZE];
    size_t n = 0;
    const char *p = *cursor;
    for (; *p; p++) {
        if (*p == ',') {
            if (p[1] != ',')
                break;
            p++;
        }
        if (n + 1 >= sizeof(text)) {
            snprintf(err, errlen, "%s: item too long", option);
            return false;
        }
        text[n++] = *p;
    }
    text[n] = '\0';
    *cursor = *p == ',' ? p + 1 : p;
    char *eq = strchr(text, '=');
    const char *key = text, *value = "on";
    if (eq) {
        *eq = '\0';
        value = eq + 1;
    } else if (first && implied) {
        key = implied;
        value = text;
    }
    if (strlen(key) >= sizeof(item->key) || *key == '\0') {
        if (eq)
            *eq = '='; /* the item as given */
        snprintf(err, errlen, "%s: bad item '%s'", option, text);
        return false;
    }
    if (strlen(value) >= sizeof(item->value)) {
        snprintf(err, errlen, "%s: value of %s too long", option, key);
        return false;
    }
    strcpy(item->key, key);
    strcpy(item->value, value);
    return true;
}

bool keyval_bool(const char *text, bool *out)
{
    static const char *const yes[] = {"on", "yes", "true"}, *const no[] = {"off", "no", "false"};
    for (int i = 0; i < 3; i++) {
        if (strcmp(text, yes[i]) == 0)
            return (*out = true);
        if (strcmp(text, no[i]) == 0)
            return !(*out = false);
    }
    return false;
}
