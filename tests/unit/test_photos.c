/*
 * test_photos.c — recognising JPEG, PNG and WebP by their bytes (photos.h):
 * dimensions from each format's header, and every damaged or foreign file
 * refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "photos.h"

#include <string.h>

static int sniff(const void *d, size_t len, struct photo_info *info, struct zerr *err)
{
	zerr_clear(err);
	memset(info, 0, sizeof *info);
	return photo_sniff(d, len, info, err);
}

/* A minimal baseline JPEG: SOI, APP0, SOF0 (w × h), SOS, two bytes of data, EOI. */
static size_t make_jpeg(unsigned char *b, unsigned w, unsigned h, unsigned char sof)
{
	static const unsigned char app0[] = {0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0};
	size_t n = 0;
	b[n++] = 0xFF;
	b[n++] = 0xD8;
	memcpy(b + n, app0, sizeof app0);
	n += sizeof app0;
	unsigned char sofseg[] = {0xFF,
	                          sof,
	                          0x00,
	                          0x0B,
	                          8,
	                          (unsigned char)(h >> 8),
	                          (unsigned char)h,
	                          (unsigned char)(w >> 8),
	                          (unsigned char)w,
	                          1,
	                          1,
	                          0x11,
	                          0};
	memcpy(b + n, sofseg, sizeof sofseg);
	n += sizeof sofseg;
	static const unsigned char sos[] = {0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0, 0x12, 0x34, 0xFF, 0xD9};
	memcpy(b + n, sos, sizeof sos);
	return n + sizeof sos;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* Signature, IHDR (w × h), an empty IDAT, IEND (CRCs are not checked by the sniffer). */
static size_t make_png(unsigned char *b, uint32_t w, uint32_t h)
{
	size_t n = 0;
	memcpy(b, "\x89PNG\r\n\x1a\n", 8);
	n = 8;
	put_be32(b + n, 13);
	memcpy(b + n + 4, "IHDR", 4);
	put_be32(b + n + 8, w);
	put_be32(b + n + 12, h);
	memcpy(b + n + 16, "\x08\x02\x00\x00\x00", 5);
	n += 8 + 13 + 4;
	put_be32(b + n, 0);
	memcpy(b + n + 4, "IDAT", 4);
	n += 12;
	put_be32(b + n, 0);
	memcpy(b + n + 4, "IEND\xae\x42\x60\x82", 8);
	return n + 12;
}

/* RIFF/WEBP with one chunk of the given fourcc and payload. */
static size_t make_webp(unsigned char *b, const char *fourcc, const unsigned char *payload, size_t plen)
{
	memcpy(b, "RIFF", 4);
	memcpy(b + 8, "WEBP", 4);
	memcpy(b + 12, fourcc, 4);
	put_le32(b + 16, (uint32_t)plen);
	memcpy(b + 20, payload, plen);
	size_t n = 20 + plen;
	put_le32(b + 4, (uint32_t)(n - 8));
	return n;
}

static void test_photos_jpeg_dimensions_from_the_frame_header(void **state)
{
	(void)state;
	unsigned char b[128];
	struct photo_info info;
	struct zerr err;
	size_t n = make_jpeg(b, 4032, 3024, 0xC0);
	assert_int_equal(sniff(b, n, &info, &err), 0);
	assert_string_equal(info.mime, "image/jpeg");
	assert_int_equal(info.width, 4032);
	assert_int_equal(info.height, 3024);
	n = make_jpeg(b, 640, 480, 0xC2); /* progressive */
	assert_int_equal(sniff(b, n, &info, &err), 0);
	assert_int_equal(info.width, 640);
}

static void test_photos_jpeg_damaged_is_refused(void **state)
{
	(void)state;
	unsigned char b[128];
	struct photo_info info;
	struct zerr err;
	size_t n = make_jpeg(b, 64, 48, 0xC0);
	assert_int_equal(sniff(b, n - 2, &info, &err), -1); /* no EOI: cut short */
	assert_int_equal(err.kind, ZE_INVALID_FIELD);
	assert_int_equal(sniff(b, 24, &info, &err), -1); /* cut inside a segment */
	b[2 + 18 + 3] = 0x01;                            /* SOF segment length 1 */
	assert_int_equal(sniff(b, n, &info, &err), -1);
	n = make_jpeg(b, 0, 48, 0xC0); /* zero width */
	assert_int_equal(sniff(b, n, &info, &err), -1);
	n = make_jpeg(b, 30000, 48, 0xC0); /* too wide */
	assert_int_equal(sniff(b, n, &info, &err), -1);
	assert_string_equal(err.field, "photo");
}

static void test_photos_png_dimensions_and_completeness(void **state)
{
	(void)state;
	unsigned char b[128];
	struct photo_info info;
	struct zerr err;
	size_t n = make_png(b, 1080, 1920);
	assert_int_equal(sniff(b, n, &info, &err), 0);
	assert_string_equal(info.mime, "image/png");
	assert_int_equal(info.width, 1080);
	assert_int_equal(info.height, 1920);
	assert_int_equal(sniff(b, n - 12, &info, &err), -1); /* no IEND */
	n = make_png(b, 0x80000000u, 10);                    /* absurd width */
	assert_int_equal(sniff(b, n, &info, &err), -1);
	n = make_png(b, 10, 10);
	memcpy(b + 12, "IDAT", 4); /* IHDR is not first */
	assert_int_equal(sniff(b, n, &info, &err), -1);
}

static void test_photos_webp_lossy_lossless_and_extended(void **state)
{
	(void)state;
	unsigned char b[128];
	struct photo_info info;
	struct zerr err;
	/* VP8: frame tag, start code 9D 01 2A, 14-bit width and height. */
	const unsigned char vp8[10] = {0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01};
	size_t n = make_webp(b, "VP8 ", vp8, sizeof vp8);
	assert_int_equal(sniff(b, n, &info, &err), 0);
	assert_string_equal(info.mime, "image/webp");
	assert_int_equal(info.width, 640);
	assert_int_equal(info.height, 480);
	/* VP8L: signature 0x2F, then width-1 and height-1 in 14 bits each. */
	uint32_t bits = (100 - 1) | (uint32_t)(50 - 1) << 14;
	unsigned char vp8l[6] = {0x2F, 0, 0, 0, 0, 0};
	put_le32(vp8l + 1, bits);
	n = make_webp(b, "VP8L", vp8l, sizeof vp8l);
	assert_int_equal(sniff(b, n, &info, &err), 0);
	assert_int_equal(info.width, 100);
	assert_int_equal(info.height, 50);
	/* VP8X: flags, reserved, 24-bit canvas width-1 and height-1. */
	unsigned char vp8x[10] = {0x10, 0, 0, 0, 0xFF, 0x0F, 0x00, 0x37, 0x0B, 0x00};
	n = make_webp(b, "VP8X", vp8x, sizeof vp8x);
	assert_int_equal(sniff(b, n, &info, &err), 0);
	assert_int_equal(info.width, 4096);
	assert_int_equal(info.height, 2872);
	/* A RIFF size that does not match the file; an unknown chunk; a bad start code. */
	n = make_webp(b, "VP8 ", vp8, sizeof vp8);
	assert_int_equal(sniff(b, n - 1, &info, &err), -1);
	n = make_webp(b, "ALPH", vp8, sizeof vp8);
	assert_int_equal(sniff(b, n, &info, &err), -1);
	unsigned char bad[10];
	memcpy(bad, vp8, sizeof bad);
	bad[3] = 0;
	n = make_webp(b, "VP8 ", bad, sizeof bad);
	assert_int_equal(sniff(b, n, &info, &err), -1);
}

static void test_photos_other_types_are_unsupported(void **state)
{
	(void)state;
	struct photo_info info;
	struct zerr err;
	static const char *const others[] = {"GIF89a\x01\x00\x01\x00",
	                                     "<svg xmlns='http://www.w3.org/2000/svg'/>",
	                                     "%PDF-1.7",
	                                     "BM\x36\x00",
	                                     "RIFF\x04\x00\x00\x00WAVE",
	                                     ""};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		assert_int_equal(sniff(others[i], strlen(others[i]), &info, &err), -1);
		assert_int_equal(err.kind, ZE_UNSUPPORTED_MEDIA_TYPE);
	}
}

static void test_photos_id_is_lower_hex_sha256(void **state)
{
	(void)state;
	char id[80];
	memset(id, 'a', 64);
	id[64] = '\0';
	assert_true(photo_id_valid(id));
	id[10] = 'A';
	assert_false(photo_id_valid(id));
	id[10] = 'g';
	assert_false(photo_id_valid(id));
	id[10] = '/';
	assert_false(photo_id_valid(id));
	id[10] = 'a';
	id[63] = '\0';
	assert_false(photo_id_valid(id));
	assert_false(photo_id_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_photos_jpeg_dimensions_from_the_frame_header),
	        cmocka_unit_test(test_photos_jpeg_damaged_is_refused),
	        cmocka_unit_test(test_photos_png_dimensions_and_completeness),
	        cmocka_unit_test(test_photos_webp_lossy_lossless_and_extended),
	        cmocka_unit_test(test_photos_other_types_are_unsupported),
	        cmocka_unit_test(test_photos_id_is_lower_hex_sha256),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
