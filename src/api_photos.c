/*
 * api_photos.c — photo upload (staff and public) and a case's photos.
 *
 * POST /api/v1/photos and POST /api/v1/public/photos take the image itself
 * as the body (any Content-Type: the bytes decide, photos.h) and answer 201
 * {"id","mime","size","width","height"}; the id goes into a report's or an
 * action's "photos" array. GET /api/v1/cases/{id}/photos/{photo} serves a
 * photo only through a case the caller may see and that the photo is
 * attached to.
 */
#include "api.h"
#include "cases.h"
#include "http.h"
#include "photos.h"
#include "server.h"

static void upload(struct req *r, int64_t uploader)
{
	if (r->body.len == 0) {
		reply_error(r, ZE_MISSING_FIELD, "photo", "请求体须为照片本身(JPEG、PNG 或 WebP)",
		            "the request body must be the image (JPEG, PNG or WebP)");
		return;
	}
	struct photo_info info;
	char id[PHOTO_ID_LEN + 1];
	struct zerr err;
	zerr_clear(&err);
	if (photo_save(r->db, r->srv->media_dir, (const unsigned char *)r->body.data, r->body.len, uploader, id, &info,
	               &err)) {
		reply_zerr(r, &err);
		return;
	}
	reply_json(r, 201,
	           json_pack("{s:s,s:s,s:I,s:i,s:i}", "id", id, "mime", info.mime, "size", (json_int_t)r->body.len,
	                     "width", info.width, "height", info.height));
}

void api_photos_upload(struct req *r)
{
	upload(r, r->user.id);
}

void api_public_photos_upload(struct req *r)
{
	upload(r, 0);
}

void api_cases_photo_get(struct req *r)
{
	int64_t id;
	if (req_param_id_or_reply(r, "id", &id))
		return;
	struct case_viewer v = {&r->user, NULL};
	int vis = case_visible(r->db, id, &v);
	if (vis < 0) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	char path[4200], mime[16];
	int64_t size;
	int rc =
	        vis ? photo_of_case(r->db, r->srv->media_dir, id, req_param(r, "photo"), path, sizeof path, mime, &size)
	            : 1;
	/* Not visible and not attached answer alike: nothing is told about other cases. */
	reply_photo(r, rc, path, mime, "no such photo on this case");
}

void reply_photo(struct req *r, int rc, const char *path, const char *mime, const char *missing_en)
{
	if (rc < 0) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	if (rc == 1 || reply_file(r, path, mime)) {
		reply_error(r, ZE_NOT_FOUND, NULL, "照片不存在", missing_en);
		return;
	}
	reply_header(r, "Content-Disposition", "inline");
}
