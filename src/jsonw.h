/*
 * jsonw.h — compact JSON text of a jansson value, written straight into a
 * struct buf.
 *
 * The same text as json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(p)):
 * keys in insertion order, UTF-8 passed through, '"', '\\' and control
 * characters escaped as jansson does, reals as "%.17g" (or p digits) with
 * ".0" added to whole numbers. Several times faster than json_dumps, which
 * formats each container's address into a hash table to detect cycles (a
 * tree built by this program has none; depth is limited instead).
 */
#ifndef ZG_JSONW_H
#define ZG_JSONW_H

#include "buf.h"

#include <jansson.h>
#include <stddef.h>

#define JSONW_MAX_DEPTH 64

/* Appends the text of v to b. Returns 0, or -1 when b failed (its sticky
 * error) or v is nested deeper than JSONW_MAX_DEPTH. real_precision: 0 for
 * jansson's default of 17 significant digits. */
int json_write(struct buf *b, const json_t *v, int real_precision);

/* The text of v as a new string (caller frees) with its length, or NULL. */
char *json_text(const json_t *v, int real_precision, size_t *len);

#endif
