/*
 * photos.c — case photos; see photos.h.
 *
 * The header checks follow the formats' specifications: JPEG (ITU T.81:
 * SOI, then marker segments up to a start-of-frame with the dimensions),
 * PNG (signature, IHDR first, IEND last) and WebP (RIFF container whose
 * size matches, then a VP8, VP8L or VP8X chunk with the dimensions).
 */
#include "photos.h"
#include "db.h"
#include "timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int broken(struct zerr *err, const char *what_zh, const char *what_en)
{
	char zh[128], en[128];
	snprintf(zh, sizeof zh, "图片已损坏:%s", what_zh);
	snprintf(en, sizeof en, "the image is damaged: %s", what_en);
	return zerr_set(err, ZE_INVALID_FIELD, "photo", zh, en);
}

/* 1 when an EOI marker (FF D9) lies in the last bytes: the file is complete. */
static int jpeg_complete(const unsigned char *d, size_t len)
{
	size_t from = len > 256 ? len - 256 : 0;
	for (size_t i = len - 1; i > from; i--)
		if (d[i - 1] == 0xFF && d[i] == 0xD9)
			return 1;
	return 0;
}

static int jpeg_size(const unsigned char *d, size_t len, int *w, int *h)
{
	if (!jpeg_complete(d, len))
		return -1;
	size_t i = 2;
	while (i + 4 <= len) {
		if (d[i] != 0xFF)
			return -1;
		unsigned char m = d[i + 1];
		if (m == 0xFF) { /* fill byte */
			i++;
			continue;
		}
		if (m == 0xD8 || m == 0xD9 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) { /* no length */
			if (m == 0xD9)
				return -1; /* EOI before a frame */
			i += 2;
			continue;
		}
		unsigned seg = be16(d + i + 2);
		if (seg < 2 || i + 2 + seg > len)
			return -1;
		/* SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			if (seg < 8)
				return -1;
			*h = (int)be16(d + i + 5);
			*w = (int)be16(d + i + 7);
			return 0;
		}
		if (m == 0xDA) /* scan data before any frame header */
			return -1;
		i += 2 + seg;
	}
	return -1;
}

static int png_size(const unsigned char *d, size_t len, int *w, int *h)
{
	if (len < 8 + 25 + 12 || be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
		return -1;
	if (memcmp(d + len - 12, "\0\0\0\0IEND", 8) != 0) /* truncated */
		return -1;
	uint32_t ww = be32(d + 16), hh = be32(d + 20);
	if (ww > PHOTO_MAX_SIDE || hh > PHOTO_MAX_SIDE)
		return -2;
	*w = (int)ww;
	*h = (int)hh;
	return 0;
}

static int webp_size(const unsigned char *d, size_t len, int *w, int *h)
{
	if (len < 20) /* RIFF header and one chunk header */
		return -1;
	uint32_t riff = le32(d + 4);
	if (riff < 4 || (size_t)riff + 8 != len) /* truncated, or something appended */
		return -1;
	const unsigned char *c = d + 12;
	uint32_t csize = le32(c + 4);
	if ((size_t)csize + 20 > len)
		return -1;
	const unsigned char *p = c + 8;
	if (memcmp(c, "VP8 ", 4) == 0) {
		if (csize < 10 || p[3] != 0x9D || p[4] != 0x01 || p[5] != 0x2A)
			return -1;
		*w = (int)((p[6] | p[7] << 8) & 0x3FFF);
		*h = (int)((p[8] | p[9] << 8) & 0x3FFF);
		return 0;
	}
	if (memcmp(c, "VP8L", 4) == 0) {
		if (csize < 5 || p[0] != 0x2F)
			return -1;
		uint32_t bits = le32(p + 1);
		*w = (int)(bits & 0x3FFF) + 1;
		*h = (int)((bits >> 14) & 0x3FFF) + 1;
		return 0;
	}
	if (memcmp(c, "VP8X", 4) == 0) {
		if (csize < 10)
			return -1;
		*w = (int)(p[4] | p[5] << 8 | (uint32_t)p[6] << 16) + 1;
		*h = (int)(p[7] | p[8] << 8 | (uint32_t)p[9] << 16) + 1;
		return 0;
	}
	return -1;
}

int photo_sniff(const unsigned char *d, size_t len, struct photo_info *out, struct zerr *err)
{
	int w = 0, h = 0, rc;
	if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
		out->mime = "image/jpeg";
		rc = jpeg_size(d, len, &w, &h);
	} else if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
		out->mime = "image/png";
		rc = png_size(d, len, &w, &h);
	} else if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0) {
		out->mime = "image/webp";
		rc = webp_size(d, len, &w, &h);
	} else {
		return zerr_set(err, ZE_UNSUPPORTED_MEDIA_TYPE, "photo", "照片须为 JPEG、PNG 或 WebP 图片",
		                "a photo must be a JPEG, PNG or WebP image");
	}
	if (rc == -1)
		return broken(err, "文件头不完整或不合规范", "its header is incomplete or malformed");
	if (w < 1 || h < 1 || w > PHOTO_MAX_SIDE || h > PHOTO_MAX_SIDE || rc == -2)
		return zerr_set(err, ZE_INVALID_FIELD, "photo", "图片尺寸须在 1 至 20000 像素之间",
		                "each side of the image must be 1 to 20000 pixels");
	out->width = w;
	out->height = h;
	return 0;
}

int photo_id_valid(const char *s)
{
	if (!s || strlen(s) != PHOTO_ID_LEN)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

static int mkdir_p1(const char *path)
{
	return mkdir(path, 0750) == 0 || errno == EEXIST ? 0 : -1;
}

static int fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Writes data to dir/ab/<id> through a synced temporary file, unless it is there already. */
static int store_file(const char *dir, const char *id, const unsigned char *data, size_t len)
{
	char sub[4200], final[4300], tmp[4400];
	snprintf(sub, sizeof sub, "%.4096s/%.2s", dir, id);
	snprintf(final, sizeof final, "%s/%s", sub, id);
	struct stat st;
	if (stat(final, &st) == 0 && (size_t)st.st_size == len)
		return 0;
	if (mkdir_p1(dir) || mkdir_p1(sub))
		return -1;
	snprintf(tmp, sizeof tmp, "%s/.%s.%08x", sub, id, randombytes_random());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	int ok = off == len && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = 0;
	if (!ok || rename(tmp, final) != 0) {
		unlink(tmp);
		return -1;
	}
	return fsync_dir(sub);
}

static const char SQL_PHOTO_INSERT[] =
        "INSERT INTO photos (sha256, mime, size, width, height, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (sha256) DO NOTHING";

int photo_save(struct db *db, const char *dir, const unsigned char *data, size_t len, int64_t uploader, char *id,
               struct photo_info *info, struct zerr *err)
{
	if (len > (size_t)PHOTO_MAX_BYTES)
		return zerr_set(err, ZE_PAYLOAD_TOO_LARGE, "photo", "照片不能超过 10 MiB",
		                "a photo may be at most 10 MiB");
	if (photo_sniff(data, len, info, err))
		return -1;
	unsigned char hash[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(hash, data, len);
	sodium_bin2hex(id, PHOTO_ID_LEN + 1, hash, sizeof hash);
	if (store_file(dir, id, data, len))
		return zerr_set(err, ZE_STORE, NULL, "照片无法保存", "the photo cannot be stored");
	struct db_stmt *st = db_prepare(db, SQL_PHOTO_INSERT);
	if (!st)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, info->mime);
	db_bind_i64(st, 3, (int64_t)len);
	db_bind_i64(st, 4, info->width);
	db_bind_i64(st, 5, info->height);
	if (uploader > 0)
		db_bind_i64(st, 6, uploader);
	else
		db_bind_null(st, 6);
	db_bind_i64(st, 7, time_now_ms());
	int rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

int photo_ids_from_json(json_t *body, const char **ids, int *n, struct zerr *err)
{
	*n = 0;
	json_t *a = json_object_get(body, "photos");
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a) || json_array_size(a) > PHOTO_MAX_PER_CASE)
		return zerr_set(err, ZE_INVALID_FIELD, "photos", "照片须为最多 9 个照片编号的数组",
		                "photos must be an array of at most 9 photo ids");
	size_t i;
	json_t *v;
	json_array_foreach (a, i, v) {
		const char *s = json_string_value(v);
		if (!photo_id_valid(s))
			return zerr_set(err, ZE_INVALID_FIELD, "photos", "照片编号无效", "not a photo id");
		for (int k = 0; k < *n; k++)
			if (strcmp(ids[k], s) == 0)
				return zerr_set(err, ZE_INVALID_FIELD, "photos", "同一张照片出现两次",
				                "the same photo twice");
		ids[(*n)++] = s;
	}
	return 0;
}

static const char SQL_PHOTO_EXISTS[] = "SELECT 1 FROM photos WHERE sha256 = ?";
static const char SQL_LINK[] =
        "INSERT INTO case_photos (case_id, sha256, seq) VALUES (?, ?, ?) ON CONFLICT (case_id, sha256) DO NOTHING";

int photo_link(struct db *db, int64_t case_id, int seq, const char *const *ids, int n, struct zerr *err)
{
	for (int i = 0; i < n; i++) {
		struct db_stmt *st = db_prepare(db, SQL_PHOTO_EXISTS);
		if (!st)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		db_bind_text(st, 1, ids[i]);
		int rc = db_step(st);
		db_stmt_done(st);
		if (rc == DB_DONE)
			return zerr_set(err, ZE_INVALID_FIELD, "photos", "照片不存在,请先上传",
			                "no such photo; upload it first");
		if (rc != DB_ROW)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		st = db_prepare(db, SQL_LINK);
		if (!st)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		db_bind_i64(st, 1, case_id);
		db_bind_text(st, 2, ids[i]);
		db_bind_i64(st, 3, seq);
		rc = db_step(st);
		db_stmt_done(st);
		if (rc != DB_DONE)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	}
	return 0;
}

static const char SQL_LIST[] = "SELECT p.sha256, p.mime, p.width, p.height, cp.seq FROM case_photos cp"
                               " JOIN photos p ON p.sha256 = cp.sha256 WHERE cp.case_id = ? ORDER BY cp.seq, cp.rowid";

json_t *photo_list_json(struct db *db, int64_t case_id)
{
	struct db_stmt *st = db_prepare(db, SQL_LIST);
	if (!st)
		return NULL;
	db_bind_i64(st, 1, case_id);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(a,
		                      json_pack("{s:s,s:s,s:I,s:I,s:I}", "id", db_col_text(st, 0), "mime",
		                                db_col_text(st, 1), "width", (json_int_t)db_col_i64(st, 2), "height",
		                                (json_int_t)db_col_i64(st, 3), "seq", (json_int_t)db_col_i64(st, 4)));
	db_stmt_done(st);
	if (rc != DB_DONE) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static const char SQL_OF_CASE[] = "SELECT p.mime, p.size FROM case_photos cp JOIN photos p ON p.sha256 = cp.sha256"
                                  " WHERE cp.case_id = ? AND cp.sha256 = ?";

int photo_file_linked(struct db *db, const char *sql, int64_t owner, const char *dir, const char *id, char *path,
                      size_t pathlen, char *mime, int64_t *size)
{
	if (!photo_id_valid(id))
		return 1;
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	db_bind_i64(st, 1, owner);
	db_bind_text(st, 2, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(mime, 16, "%s", db_col_text(st, 0));
		*size = db_col_i64(st, 1);
		snprintf(path, pathlen, "%s/%.2s/%s", dir, id, id);
	}
	db_stmt_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int photo_of_case(struct db *db, const char *dir, int64_t case_id, const char *id, char *path, size_t pathlen,
                  char *mime, int64_t *size)
{
	return photo_file_linked(db, SQL_OF_CASE, case_id, dir, id, path, pathlen, mime, size);
}
