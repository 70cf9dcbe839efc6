/*
 * buf.h — one bounded, growable string buffer with a sticky error.
 *
 * Every buffer has a hard maximum size fixed at init. Appends that would pass
 * the maximum (or fail to allocate) set buf.err and are ignored, as are all
 * later appends: check err once at the end (SQLite's StrAccum habit). The
 * data is always NUL-terminated when len > 0 or after buf_cstr().
 *
 * Ownership: buf_init/buf_release for embedded buffers; buf_take hands the
 * heap string to the caller (who frees it) and leaves the buffer empty.
 */
#ifndef ZG_BUF_H
#define ZG_BUF_H

#include <stdarg.h>
#include <stddef.h>

enum buf_error { BUF_OK = 0, BUF_TOO_LONG = 1, BUF_NOMEM = 2 };

struct buf {
	char *data; /* heap storage, NULL until first append */
	size_t len; /* bytes used, not counting the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* hard limit on len */
	int err;    /* enum buf_error; sticky */
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
/* Appends; returns 0 or the sticky error. */
int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Returns a NUL-terminated view ("" when empty); borrowed, valid until the next append. */
const char *buf_cstr(struct buf *b);
/* Hands over the heap string (caller frees; never NULL unless out of memory). */
char *buf_take(struct buf *b);

#endif
