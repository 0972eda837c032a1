/* ui/keymap.h: key codes between the front ends' terms and Linux's (the
 * KEY_* codes of linux/input-event-codes.h, which ui/input.h and
 * virtio-input speak): USB HID keyboard usages, which are SDL2's
 * scancodes, and QEMU's QKeyCode names, which the monitor's sendkey and
 * send-key take. The tables follow QEMU's keycodemapdb, so a key reaches
 * the guest as the same Linux code it does under QEMU. */
#ifndef EMBER_UI_KEYMAP_H
#define EMBER_UI_KEYMAP_H

#include <stdint.h>

/* The Linux code of a USB HID keyboard usage (page 7; SDL_Scancode, whose
 * values above 0xff are SDL's own media and application keys); 0 when it
 * is no key. */
uint16_t keymap_usb_hid_to_linux(unsigned usage);

/* The Linux code of a QKeyCode name ("a", "ctrl", "kp_enter", "less");
 * -1 for a name QEMU does not have or "unmapped", which is no key. */
int keymap_qcode_to_linux(const char *name);

/* The QKeyCode name of a Linux code, QEMU's own spelling where it has two
 * ("print", not "sysrq"); NULL when no QKeyCode names it. */
const char *keymap_linux_to_qcode(uint16_t code);

#endif
