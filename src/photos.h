/*
 * photos.h — case photos: checked by content, stored content-addressed.
 *
 * An upload is accepted only when its bytes are a JPEG, PNG or WebP image
 * whose header names sane dimensions (the declared Content-Type is not
 * trusted), at most PHOTO_MAX_BYTES. It is stored once per content as
 * MEDIA_DIR/ab/abcdef… (the SHA-256 in hex), written to a temporary file,
 * synced and renamed, so a file under its name is always complete; the id
 * of a photo is that hash. The photos table records type, size and
 * dimensions; case_photos links a photo to a case and the event that
 * attached it, and a photo is served only through a case its viewer may see.
 */
#ifndef ZG_PHOTOS_H
#define ZG_PHOTOS_H

#include "errors.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

#define PHOTO_MAX_BYTES (10L * 1024 * 1024)
#define PHOTO_MAX_SIDE 20000 /* pixels, each side */
#define PHOTO_MAX_PER_CASE 9 /* photos one report or action may attach */
#define PHOTO_ID_LEN 64      /* hex SHA-256 */

struct photo_info {
	const char *mime; /* "image/jpeg", "image/png" or "image/webp" */
	int width, height;
};

/* Identifies the image by its bytes. Returns 0, or -1 with err
 * (unsupported_media_type, or invalid_field when the header is broken). */
int photo_sniff(const unsigned char *data, size_t len, struct photo_info *out, struct zerr *err);

/* 1 when s is a photo id (64 lower-case hex digits). */
int photo_id_valid(const char *s);

/* Checks data, writes it under dir (created when missing) and records it;
 * id receives the hash (PHOTO_ID_LEN + 1 bytes). uploader 0 for the public.
 * Returns 0, or -1 with err (nothing recorded; a file may remain on disk,
 * where it does no harm and a later upload of the same bytes reuses it). */
int photo_save(struct db *db, const char *dir, const unsigned char *data, size_t len, int64_t uploader, char *id,
               struct photo_info *info, struct zerr *err);

/* Reads the "photos" array of ids from body (at most PHOTO_MAX_PER_CASE,
 * distinct; borrowed from body). *n is 0 when absent. Returns 0, or -1 with
 * err on field "photos". */
int photo_ids_from_json(json_t *body, const char **ids, int *n, struct zerr *err);

/* Links uploaded photos to a case, attached by event seq; call inside the
 * caller's transaction. Returns 0, or -1 with err: invalid_field "photos"
 * when one was never uploaded, store_unavailable. */
int photo_link(struct db *db, int64_t case_id, int seq, const char *const *ids, int n, struct zerr *err);

/* The photos of a case, oldest first: [{"id","mime","width","height","seq"}]. NULL on a store error. */
json_t *photo_list_json(struct db *db, int64_t case_id);

/* The file of a photo linked to case_id: path (size pathlen) and mime
 * (16 bytes). Returns 0, 1 when the photo is not linked to the case, -1 on a
 * store error. */
int photo_of_case(struct db *db, const char *dir, int64_t case_id, const char *id, char *path, size_t pathlen,
                  char *mime, int64_t *size);
/* The same for any link table: sql selects (mime, size) of the photo with
 * owner bound to ?1 and the photo id to ?2. */
int photo_file_linked(struct db *db, const char *sql, int64_t owner, const char *dir, const char *id, char *path,
                      size_t pathlen, char *mime, int64_t *size);

#endif
