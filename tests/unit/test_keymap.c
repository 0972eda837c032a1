/* tests/unit/test_keymap.c: unit tests for ui/keymap.c: every key of a
 * full keyboard reaches the guest as Linux's code for it, and every key
 * name QEMU's sendkey takes is known. */
#include <linux/input-event-codes.h>
#include <string.h>

#include "tests/unit/harness.h"
#include "ui/keymap.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* QEMU's QKeyCode (qapi/ui.json) but "unmapped", in its order. */
static const char *const qkeycodes[] = {
    "shift",
    "shift_r",
    "alt",
    "alt_r",
    "ctrl",
    "ctrl_r",
    "menu",
    "esc",
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
    "0",
    "minus",
    "equal",
    "backspace",
    "tab",
    "q",
    "w",
    "e",
    "r",
    "t",
    "y",
    "u",
    "i",
    "o",
    "p",
    "bracket_left",
    "bracket_right",
    "ret",
    "a",
    "s",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "semicolon",
    "apostrophe",
    "grave_accent",
    "backslash",
    "z",
    "x",
    "c",
    "v",
    "b",
    "n",
    "m",
    "comma",
    "dot",
    "slash",
    "asterisk",
    "spc",
    "caps_lock",
    "f1",
    "f2",
    "f3",
    "f4",
    "f5",
    "f6",
    "f7",
    "f8",
    "f9",
    "f10",
    "num_lock",
    "scroll_lock",
    "kp_divide",
    "kp_multiply",
    "kp_subtract",
    "kp_add",
    "kp_enter",
    "kp_decimal",
    "sysrq",
    "kp_0",
    "kp_1",
    "kp_2",
    "kp_3",
    "kp_4",
    "kp_5",
    "kp_6",
    "kp_7",
    "kp_8",
    "kp_9",
    "less",
    "f11",
    "f12",
    "print",
    "home",
    "pgup",
    "pgdn",
    "end",
    "left",
    "up",
    "down",
    "right",
    "insert",
    "delete",
    "stop",
    "again",
    "props",
    "undo",
    "front",
    "copy",
    "open",
    "paste",
    "find",
    "cut",
    "lf",
    "help",
    "meta_l",
    "meta_r",
    "compose",
    "pause",
    "ro",
    "hiragana",
    "henkan",
    "yen",
    "muhenkan",
    "katakanahiragana",
    "kp_comma",
    "kp_equals",
    "power",
    "sleep",
    "wake",
    "audionext",
    "audioprev",
    "audiostop",
    "audioplay",
    "audiomute",
    "volumeup",
    "volumedown",
    "mediaselect",
    "mail",
    "calculator",
    "computer",
    "ac_home",
    "ac_back",
    "ac_forward",
    "ac_refresh",
    "ac_bookmarks",
    "lang1",
    "lang2",
    "f13",
    "f14",
    "f15",
    "f16",
    "f17",
    "f18",
    "f19",
    "f20",
    "f21",
    "f22",
    "f23",
    "f24",
};

START_TEST(test_full_keyboard_mapped)
{
    /* A 105-key keyboard's usages (and the US one's 0x31): letters, digits,
     * punctuation, F1-F12, the editing and arrow blocks, the keypad, the
     * ISO key, the menu key, the eight modifiers. */
    bool seen[KEY_MAX + 1] = {false};
    unsigned keys = 0;
    for (unsigned usage = 0x04; usage <= 0xe7; usage++) {
        if (usage > 0x65 && usage < 0xe0)
            continue;
        uint16_t code = keymap_usb_hid_to_linux(usage);
        ck_assert_msg(code != 0 && code <= KEY_MAX, "usage 0x%x has no key", usage);
        /* Only the two backslash positions share a key, as in Linux. */
        ck_assert_msg(!seen[code] || usage == 0x32, "usage 0x%x: key %u twice", usage, code);
        seen[code] = true;
        keys++;
    }
    ck_assert_uint_eq(keys, 106);
}
END_TEST

START_TEST(test_usb_keys)
{
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x04), KEY_A);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x1d), KEY_Z);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x1e), KEY_1);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x27), KEY_0);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x28), KEY_ENTER);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x29), KEY_ESC);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x35), KEY_GRAVE);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x39), KEY_CAPSLOCK);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x46), KEY_SYSRQ);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x48), KEY_PAUSE);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x52), KEY_UP);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x58), KEY_KPENTER);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x63), KEY_KPDOT);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x64), KEY_102ND);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x65), KEY_COMPOSE);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x67), KEY_KPEQUAL);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x68), KEY_F13);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x73), KEY_F24);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x7f), KEY_MUTE);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x85), KEY_KPCOMMA);
    /* International keys. */
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x87), KEY_RO);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x88), KEY_KATAKANAHIRAGANA);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x89), KEY_YEN);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x8a), KEY_HENKAN);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x8b), KEY_MUHENKAN);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x90), KEY_HANGEUL);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x91), KEY_HANJA);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x94), KEY_ZENKAKUHANKAKU);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0xe0), KEY_LEFTCTRL);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0xe6), KEY_RIGHTALT);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0xe7), KEY_RIGHTMETA);
    /* SDL's media keys. */
    ck_assert_uint_eq(keymap_usb_hid_to_linux(258), KEY_NEXTSONG);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(261), KEY_PLAYPAUSE);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(269), KEY_HOMEPAGE);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(282), KEY_SLEEP);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(286), KEY_FASTFORWARD);
    /* No key. */
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0), 0);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0x03), 0);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(0xe8), 0);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(257), 0);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(287), 0);
    ck_assert_uint_eq(keymap_usb_hid_to_linux(~0u), 0);
}
END_TEST

START_TEST(test_every_qcode_known)
{
    for (size_t i = 0; i < ARRAY_LEN(qkeycodes); i++) {
        int code = keymap_qcode_to_linux(qkeycodes[i]);
        ck_assert_msg(code > 0 && code <= KEY_MAX, "%s has no key", qkeycodes[i]);
        const char *back = keymap_linux_to_qcode((uint16_t)code);
        ck_assert_ptr_nonnull(back);
        if (strcmp(qkeycodes[i], "sysrq") == 0)
            ck_assert_str_eq(back, "print");
        else if (strcmp(qkeycodes[i], "asterisk") == 0)
            ck_assert_str_eq(back, "kp_multiply");
        else
            ck_assert_str_eq(back, qkeycodes[i]);
    }
}
END_TEST

START_TEST(test_qcodes)
{
    ck_assert_int_eq(keymap_qcode_to_linux("a"), KEY_A);
    ck_assert_int_eq(keymap_qcode_to_linux("shift"), KEY_LEFTSHIFT);
    ck_assert_int_eq(keymap_qcode_to_linux("ctrl"), KEY_LEFTCTRL);
    ck_assert_int_eq(keymap_qcode_to_linux("alt_r"), KEY_RIGHTALT);
    ck_assert_int_eq(keymap_qcode_to_linux("meta_l"), KEY_LEFTMETA);
    ck_assert_int_eq(keymap_qcode_to_linux("ret"), KEY_ENTER);
    ck_assert_int_eq(keymap_qcode_to_linux("spc"), KEY_SPACE);
    ck_assert_int_eq(keymap_qcode_to_linux("less"), KEY_102ND);
    ck_assert_int_eq(keymap_qcode_to_linux("kp_0"), KEY_KP0);
    ck_assert_int_eq(keymap_qcode_to_linux("kp_decimal"), KEY_KPDOT);
    ck_assert_int_eq(keymap_qcode_to_linux("kp_multiply"), KEY_KPASTERISK);
    ck_assert_int_eq(keymap_qcode_to_linux("print"), KEY_SYSRQ);
    ck_assert_int_eq(keymap_qcode_to_linux("sysrq"), KEY_SYSRQ);
    ck_assert_int_eq(keymap_qcode_to_linux("grave_accent"), KEY_GRAVE);
    ck_assert_int_eq(keymap_qcode_to_linux("pgdn"), KEY_PAGEDOWN);
    ck_assert_int_eq(keymap_qcode_to_linux("menu"), KEY_MENU);
    ck_assert_int_eq(keymap_qcode_to_linux("lang1"), KEY_HANGEUL);
    ck_assert_int_eq(keymap_qcode_to_linux("f24"), KEY_F24);
    ck_assert_int_eq(keymap_qcode_to_linux("mediaselect"), KEY_MEDIA);
    ck_assert_int_eq(keymap_qcode_to_linux("unmapped"), -1);
    ck_assert_int_eq(keymap_qcode_to_linux("A"), -1); /* QEMU's names are lower case */
    ck_assert_int_eq(keymap_qcode_to_linux(""), -1);
    ck_assert_int_eq(keymap_qcode_to_linux("ctrl-alt-delete"), -1);
    ck_assert_ptr_null(keymap_linux_to_qcode(0));
    ck_assert_ptr_null(keymap_linux_to_qcode(KEY_WWW));
    ck_assert_ptr_null(keymap_linux_to_qcode(0xffff));
}
END_TEST

static Suite *keymap_suite(void)
{
    Suite *s = suite_create("keymap");
    TCase *tc = tcase_create("keymap");
    tcase_add_test(tc, test_full_keyboard_mapped);
    tcase_add_test(tc, test_usb_keys);
    tcase_add_test(tc, test_every_qcode_known);
    tcase_add_test(tc, test_qcodes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(keymap_suite());
}
