/*
 * text.h — checks on text from outside: UTF-8 validity and length in characters.
 */
#ifndef ZG_TEXT_H
#define ZG_TEXT_H

#include <stddef.h>

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, no
 * code points past U+10FFFF), else 0. */
int utf8_valid(const char *s, size_t len);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_chars(const char *s);
/* 1 when s contains a control character (below U+0020 or U+007F). */
int text_has_control(const char *s);

/* A SQL LIKE pattern matching q as a substring ("%q%", with %, _ and \
 * escaped by \, for "LIKE ? ESCAPE '\'"), truncated to fit out[outlen].
 * Returns 1, or 0 with out = "" when q is NULL or empty (no filter). */
int text_like_pattern(const char *q, char *out, size_t outlen);

#endif
