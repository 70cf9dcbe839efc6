/*
 * jsonw.c — compact JSON text of a jansson value; see jsonw.h.
 */
#include "jsonw.h"

#include <stdio.h>
#include <string.h>

#define TEXT_MAX ((size_t)1 << 30)

static void write_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF"; /* jansson writes \u001F */
	buf_putc(b, '"');
	size_t run = 0; /* start of the bytes not yet copied */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, s + run, i - run);
		run = i + 1;
		char esc[6] = {'\\', 0};
		size_t el = 2;
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			el = 6;
		}
		buf_append(b, esc, el);
	}
	buf_append(b, s + run, n - run);
	buf_putc(b, '"');
}

/* A real as jansson writes it (jsonp_dtostr): "%.*g", ".0" when neither
 * '.' nor 'e' is in it, and no '+' or leading zeros in the exponent. */
static void write_real(struct buf *b, double x, int precision)
{
	char t[64];
	int n = snprintf(t, sizeof t - 3, "%.*g", precision > 0 ? precision : 17, x);
	if (n < 0 || (size_t)n >= sizeof t - 3) {
		b->err = b->err ? b->err : BUF_TOO_LONG;
		return;
	}
	if (!strchr(t, '.') && !strchr(t, 'e')) {
		memcpy(t + n, ".0", 3);
		n += 2;
	}
	char *e = strchr(t, 'e');
	if (e) {
		char *start = e + 1, *end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, (size_t)(t + n - end) + 1);
			n -= (int)(end - start);
		}
	}
	buf_append(b, t, (size_t)n);
}

static int write_value(struct buf *b, const json_t *v, int precision, int depth)
{
	if (depth > JSONW_MAX_DEPTH)
		return -1;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		buf_putc(b, '{');
		const char *key;
		size_t klen;
		json_t *item;
		int first = 1;
		json_object_keylen_foreach((json_t *)v, key, klen, item)
		{
			if (!first)
				buf_putc(b, ',');
			first = 0;
			write_string(b, key, klen);
			buf_putc(b, ':');
			if (write_value(b, item, precision, depth + 1))
				return -1;
		}
		buf_putc(b, '}');
		break;
	}
	case JSON_ARRAY: {
		buf_putc(b, '[');
		size_t n = json_array_size(v);
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_putc(b, ',');
			if (write_value(b, json_array_get(v, i), precision, depth + 1))
				return -1;
		}
		buf_putc(b, ']');
		break;
	}
	case JSON_STRING:
		write_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		write_real(b, json_real_value(v), precision);
		break;
	case JSON_TRUE:
		buf_append(b, "true", 4);
		break;
	case JSON_FALSE:
		buf_append(b, "false", 5);
		break;
	case JSON_NULL:
		buf_append(b, "null", 4);
		break;
	}
	return b->err ? -1 : 0;
}

int json_write(struct buf *b, const json_t *v, int real_precision)
{
	if (!v)
		return -1;
	return write_value(b, v, real_precision, 0);
}

char *json_text(const json_t *v, int real_precision, size_t *len)
{
	struct buf b;
	buf_init(&b, TEXT_MAX);
	if (json_write(&b, v, real_precision)) {
		buf_release(&b);
		return NULL;
	}
	*len = b.len;
	char *s = buf_take(&b);
	return s;
}
