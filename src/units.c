/*
 * units.c — the unit hierarchy in the store and the in-memory directory;
 * see units.h.
 */
#include "units.h"
#include "buf.h"
#include "db.h"
#include "geom.h"
#include "grid.h"
#include "log.h"
#include "text.h"
#include "timeutil.h"
#include "users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[UL__COUNT] = {"zone", "street", "community", "grid", "microgrid"};
static const char *const level_zh[UL__COUNT] = {"开发区", "街道/乡镇", "社区/村", "网格", "微网格"};

const char *unit_level_name(int level)
{
	return level >= 0 && level < UL__COUNT ? level_names[level] : "";
}

const char *unit_level_zh(int level)
{
	return level >= 0 && level < UL__COUNT ? level_zh[level] : "";
}

int unit_level_parse(const char *name)
{
	for (int i = 0; name && i < UL__COUNT; i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	return -1;
}

/* ---- directory ---------------------------------------------------------- */

void unit_dir_free(struct unit_dir *d)
{
	if (!d)
		return;
	for (uint32_t i = 0; i < d->n; i++) {
		free(d->e[i].code);
		free(d->e[i].name);
	}
	free(d->e);
	free(d->by_code);
	grid_index_free(d->index);
	free(d);
}

/* qsort has no context argument: the directory this thread is sorting. */
static _Thread_local const struct unit_dir *sort_dir;

static int by_code_cmp(const void *a, const void *b)
{
	return strcmp(sort_dir->e[*(const int32_t *)a].code, sort_dir->e[*(const int32_t *)b].code);
}

static const char SQL_DIR_UNITS[] =
        "SELECT u.id, u.code, u.name, u.level, u.parent_id, u.label_lat, u.label_lon,"
        " CASE WHEN u.geometry IS NOT NULL AND NOT EXISTS"
        "  (SELECT 1 FROM units c WHERE c.parent_id = u.id AND c.geometry IS NOT NULL) THEN u.geometry END"
        " FROM units u ORDER BY u.id";

/* Finds the entry index of a unit id (ids ascend with the entries). */
static int32_t find_entry(const struct unit_dir *d, int64_t id)
{
	uint32_t lo = 0, hi = d->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (d->e[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->n && d->e[lo].id == id ? (int32_t)lo : -1;
}

int unit_dir_load(struct db *db, struct unit_dir **out, struct buf *err)
{
	int64_t t0 = time_mono_ns();
	struct unit_dir *d = calloc(1, sizeof *d);
	int64_t *parent_ids = NULL;
	struct shape *shapes = NULL;
	const struct shape **leaf_ptrs = NULL;
	int32_t *leaf_ids = NULL;
	uint32_t cap = 0, nleaves = 0, nshapes = 0;
	int rc = -1;
	*out = NULL;
	if (!d)
		goto oom;
	struct db_stmt *st = db_prepare(db, SQL_DIR_UNITS);
	if (!st) {
		buf_printf(err, "cannot read units: %s", db_errmsg(db));
		goto fail;
	}
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		if (d->n == cap) {
			cap = cap ? cap * 2 : 256;
			struct unit_entry *e = realloc(d->e, cap * sizeof *e);
			int64_t *p = realloc(parent_ids, cap * sizeof *p);
			struct shape *s = realloc(shapes, cap * sizeof *s);
			if (e)
				d->e = e;
			if (p)
				parent_ids = p;
			if (s)
				shapes = s;
			if (!e || !p || !s) {
				db_stmt_done(st);
				goto oom;
			}
		}
		struct unit_entry *e = &d->e[d->n];
		memset(e, 0, sizeof *e);
		shape_init(&shapes[d->n]);
		nshapes = d->n + 1;
		e->id = db_col_i64(st, 0);
		e->code = strdup(db_col_text(st, 1));
		e->name = strdup(db_col_text(st, 2));
		e->level = unit_level_parse(db_col_text(st, 3));
		parent_ids[d->n] = db_col_is_null(st, 4) ? 0 : db_col_i64(st, 4);
		e->has_label = !db_col_is_null(st, 5);
		e->label_lat = db_col_double(st, 5);
		e->label_lon = db_col_double(st, 6);
		d->n++;
		if (!e->code || !e->name) {
			db_stmt_done(st);
			goto oom;
		}
		if (!db_col_is_null(st, 7)) {
			json_error_t jerr;
			json_t *g = json_loads(db_col_text(st, 7), 0, &jerr);
			struct zerr zerr;
			if (!g || shape_from_geojson(g, &shapes[d->n - 1], &zerr)) {
				log_error("unit %s: stored geometry unreadable; left out of the index", e->code);
			} else {
				nleaves++;
			}
			json_decref(g);
		}
	}
	db_stmt_done(st);
	if (step != DB_DONE) {
		buf_printf(err, "cannot read units: %s", db_errmsg(db));
		goto fail;
	}
	for (uint32_t i = 0; i < d->n; i++)
		d->e[i].parent = parent_ids[i] ? find_entry(d, parent_ids[i]) : -1;
	if (nleaves) {
		leaf_ptrs = malloc(nleaves * sizeof *leaf_ptrs);
		leaf_ids = malloc(nleaves * sizeof *leaf_ids);
		if (!leaf_ptrs || !leaf_ids)
			goto oom;
		uint32_t k = 0;
		for (uint32_t i = 0; i < d->n; i++) {
			if (shapes[i].nverts) {
				leaf_ptrs[k] = &shapes[i];
				leaf_ids[k++] = (int32_t)i;
			}
		}
		d->index = grid_index_build(leaf_ptrs, leaf_ids, nleaves, 0);
		if (!d->index)
			goto oom;
	}
	d->by_code = malloc((d->n ? d->n : 1) * sizeof *d->by_code);
	if (!d->by_code)
		goto oom;
	for (uint32_t i = 0; i < d->n; i++)
		d->by_code[i] = (int32_t)i;
	sort_dir = d;
	qsort(d->by_code, d->n, sizeof *d->by_code, by_code_cmp);
	d->build_ms = (double)(time_mono_ns() - t0) / 1e6;
	*out = d;
	d = NULL;
	rc = 0;
	goto fail;
oom:
	buf_puts(err, "out of memory loading units");
fail:
	for (uint32_t i = 0; i < nshapes; i++)
		shape_release(&shapes[i]);
	free(shapes);
	free(parent_ids);
	free(leaf_ptrs);
	free(leaf_ids);
	unit_dir_free(d);
	return rc;
}

int32_t unit_dir_find(const struct unit_dir *d, const char *code)
{
	if (!d || !code)
		return -1;
	uint32_t lo = 0, hi = d->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(d->e[d->by_code[mid]].code, code);
		if (c == 0)
			return d->by_code[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int32_t unit_dir_locate(const struct unit_dir *d, double lat, double lon)
{
	return d && d->index ? grid_locate(d->index, lon, lat) : -1;
}

void unit_dir_holder_init(struct unit_dir_holder *h)
{
	pthread_mutex_init(&h->mu, NULL);
	h->cur = NULL;
}

void unit_dir_holder_release(struct unit_dir_holder *h)
{
	unit_dir_free(h->cur);
	h->cur = NULL;
	pthread_mutex_destroy(&h->mu);
}

struct unit_dir *unit_dir_acquire(struct unit_dir_holder *h)
{
	pthread_mutex_lock(&h->mu);
	struct unit_dir *d = h->cur;
	if (d)
		d->refs++;
	pthread_mutex_unlock(&h->mu);
	return d;
}

void unit_dir_release(struct unit_dir_holder *h, struct unit_dir *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&h->mu);
	int last = --d->refs == 0 && d != h->cur;
	pthread_mutex_unlock(&h->mu);
	if (last)
		unit_dir_free(d);
}

void unit_dir_swap(struct unit_dir_holder *h, struct unit_dir *d)
{
	pthread_mutex_lock(&h->mu);
	struct unit_dir *old = h->cur;
	h->cur = d;
	int unused = old && old->refs == 0;
	pthread_mutex_unlock(&h->mu);
	if (unused)
		unit_dir_free(old);
}

int unit_dir_reload(struct unit_dir_holder *h, struct db *db, struct buf *err)
{
	struct unit_dir *d;
	if (unit_dir_load(db, &d, err))
		return -1;
	unit_dir_swap(h, d);
	return 0;
}

/* ---- people ------------------------------------------------------------- */

static const char SQL_PEOPLE[] =
        "SELECT u.id, u.username, u.name, p.duty, u.phone FROM unit_people p JOIN users u ON u.id = p.user_id"
        " WHERE p.unit_id = ? AND u.disabled = 0 ORDER BY p.duty, u.id";

json_t *unit_people_json(struct db *db, int64_t unit_id, int show_phone)
{
	struct db_stmt *st = db_prepare(db, SQL_PEOPLE);
	if (!st)
		return NULL;
	db_bind_i64(st, 1, unit_id);
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		char phone[32];
		if (show_phone)
			snprintf(phone, sizeof phone, "%s", db_col_text(st, 4));
		else
			phone_mask(db_col_text(st, 4), phone, sizeof phone);
		json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)db_col_i64(st, 0),
		                                     "username", db_col_text(st, 1), "name", db_col_text(st, 2), "duty",
		                                     db_col_text(st, 3), "phone",
		                                     phone[0] ? json_string(phone) : json_null()));
	}
	db_stmt_done(st);
	if (rc != DB_DONE) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static const char SQL_UNIT_ID[] = "SELECT id FROM units WHERE code = ?";
static const char SQL_PEOPLE_ADD[] = "INSERT INTO unit_people (unit_id, user_id, duty) VALUES (?, ?, ?)"
                                     " ON CONFLICT (unit_id, user_id, duty) DO NOTHING";

int unit_people_add(struct db *db, const char *unit_code, const char *username, const char *duty, struct zerr *err)
{
	static const char *const duties[] = {"leader", "grid_leader", "grid_worker", "microgrid_worker"};
	int ok = 0;
	for (size_t i = 0; i < sizeof duties / sizeof duties[0]; i++)
		ok |= strcmp(duty, duties[i]) == 0;
	if (!ok)
		return zerr_set(err, ZE_INVALID_FIELD, "duty",
		                "职责须为 leader、grid_leader、grid_worker 或 microgrid_worker",
		                "duty must be leader, grid_leader, grid_worker or microgrid_worker");
	struct user u;
	int found = user_get_by_name(db, username, &u);
	if (found)
		return found < 0 ? zerr_set(err, ZE_STORE, NULL, NULL, NULL)
		                 : zerr_set(err, ZE_INVALID_FIELD, "username", "用户不存在", "no such user");
	struct db_stmt *st = db_prepare(db, SQL_UNIT_ID);
	if (!st)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	db_bind_text(st, 1, unit_code);
	int rc = db_step(st);
	int64_t unit_id = rc == DB_ROW ? db_col_i64(st, 0) : 0;
	db_stmt_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? zerr_set(err, ZE_NOT_FOUND, "unit", "单元不存在", "no such unit")
		                     : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	st = db_prepare(db, SQL_PEOPLE_ADD);
	if (!st)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	db_bind_i64(st, 1, unit_id);
	db_bind_i64(st, 2, u.id);
	db_bind_text(st, 3, duty);
	rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

/* ---- reading units ------------------------------------------------------ */

static const char SQL_UNIT_GET[] =
        "SELECT u.id, u.code, u.name, u.level, p.code, u.label_lat, u.label_lon, u.geometry, u.area_m2, u.version,"
        " (SELECT COUNT(*) FROM units c WHERE c.parent_id = u.id)"
        " FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.code = ?";

static json_t *point_json(struct db_stmt *st, int lat_col)
{
	if (db_col_is_null(st, lat_col))
		return json_null();
	return json_pack("{s:f,s:f}", "lat", db_col_double(st, lat_col), "lon", db_col_double(st, lat_col + 1));
}

json_t *unit_get_json(struct db *db, const char *code, int show_phone, struct zerr *err)
{
	struct db_stmt *st = db_prepare(db, SQL_UNIT_GET);
	if (!st) {
		zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		return NULL;
	}
	db_bind_text(st, 1, code);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_stmt_done(st);
		if (rc == DB_DONE)
			zerr_set(err, ZE_NOT_FOUND, NULL, "单元不存在", "no such unit");
		else
			zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		return NULL;
	}
	int64_t id = db_col_i64(st, 0);
	json_t *geometry = db_col_is_null(st, 7) ? json_null() : json_loads(db_col_text(st, 7), 0, NULL);
	json_t *u = json_pack("{s:s,s:s,s:s,s:s?,s:o,s:o,s:o,s:I,s:I}", "code", db_col_text(st, 1), "name",
	                      db_col_text(st, 2), "level", db_col_text(st, 3), "parent",
	                      db_col_is_null(st, 4) ? NULL : db_col_text(st, 4), "point", point_json(st, 5), "geometry",
	                      geometry ? geometry : json_null(), "area_m2",
	                      db_col_is_null(st, 8) ? json_null() : json_real(db_col_double(st, 8)), "version",
	                      (json_int_t)db_col_i64(st, 9), "children", (json_int_t)db_col_i64(st, 10));
	db_stmt_done(st);
	json_t *people = unit_people_json(db, id, show_phone);
	if (!u || !people) {
		json_decref(u);
		json_decref(people);
		zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		return NULL;
	}
	json_object_set_new(u, "people", people);
	return u;
}

static const char SQL_UNIT_COUNT[] = "SELECT COUNT(*) FROM units u LEFT JOIN units p ON p.id = u.parent_id"
                                     " WHERE (? IS NULL OR u.level = ?) AND (? IS NULL OR p.code = ?)"
                                     " AND (? IS NULL OR u.code LIKE ? ESCAPE '\\' OR u.name LIKE ? ESCAPE '\\')";
static const char SQL_UNIT_PAGE[] = "SELECT u.code, u.name, u.level, p.code, u.label_lat, u.label_lon,"
                                    " (SELECT COUNT(*) FROM unit_people x WHERE x.unit_id = u.id)"
                                    " FROM units u LEFT JOIN units p ON p.id = u.parent_id"
                                    " WHERE (? IS NULL OR u.level = ?) AND (? IS NULL OR p.code = ?)"
                                    " AND (? IS NULL OR u.code LIKE ? ESCAPE '\\' OR u.name LIKE ? ESCAPE '\\')"
                                    " ORDER BY u.code LIMIT ? OFFSET ?";

static void bind_filters(struct db_stmt *st, const char *level, const char *parent, const char *q, const char *pat)
{
	db_bind_text(st, 1, level);
	db_bind_text(st, 2, level);
	db_bind_text(st, 3, parent);
	db_bind_text(st, 4, parent);
	db_bind_text(st, 5, q);
	db_bind_text(st, 6, pat);
	db_bind_text(st, 7, pat);
}

int unit_list_json(struct db *db, int level, const char *parent, const char *q, int page, int per_page, json_t **items,
                   int64_t *total)
{
	char pat[160];
	const char *lv = level >= 0 ? unit_level_name(level) : NULL;
	*items = NULL;
	if (!text_like_pattern(q, pat, sizeof pat))
		q = NULL; /* no search */
	struct db_stmt *st = db_prepare(db, SQL_UNIT_COUNT);
	if (!st)
		return -1;
	bind_filters(st, lv, parent, q, pat);
	int rc = db_step(st);
	*total = rc == DB_ROW ? db_col_i64(st, 0) : 0;
	db_stmt_done(st);
	if (rc != DB_ROW)
		return -1;
	st = db_prepare(db, SQL_UNIT_PAGE);
	if (!st)
		return -1;
	bind_filters(st, lv, parent, q, pat);
	db_bind_i64(st, 8, per_page);
	db_bind_i64(st, 9, (int64_t)(page - 1) * per_page);
	json_t *arr = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s?,s:o,s:I}", "code", db_col_text(st, 0), "name",
		                                     db_col_text(st, 1), "level", db_col_text(st, 2), "parent",
		                                     db_col_is_null(st, 3) ? NULL : db_col_text(st, 3), "point",
		                                     point_json(st, 4), "people", (json_int_t)db_col_i64(st, 6)));
	db_stmt_done(st);
	if (rc != DB_DONE) {
		json_decref(arr);
		return -1;
	}
	*items = arr;
	return 0;
}

static const char SQL_UNIT_FEATURES[] =
        "SELECT u.code, u.name, u.level, p.code, u.geometry, u.label_lat, u.label_lon FROM units u"
        " LEFT JOIN units p ON p.id = u.parent_id"
        " WHERE u.level = ? AND u.geometry IS NOT NULL AND (? IS NULL OR p.code = ?) ORDER BY u.code";

json_t *unit_features_json(struct db *db, int level, const char *parent)
{
	struct db_stmt *st = db_prepare(db, SQL_UNIT_FEATURES);
	if (!st)
		return NULL;
	db_bind_text(st, 1, unit_level_name(level));
	db_bind_text(st, 2, parent);
	db_bind_text(st, 3, parent);
	json_t *features = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *g = json_loads(db_col_text(st, 4), 0, NULL);
		json_array_append_new(features,
		                      json_pack("{s:s,s:o,s:{s:s,s:s,s:s,s:s?,s:o}}", "type", "Feature", "geometry",
		                                g ? g : json_null(), "properties", "code", db_col_text(st, 0), "name",
		                                db_col_text(st, 1), "level", db_col_text(st, 2), "parent_code",
		                                db_col_is_null(st, 3) ? NULL : db_col_text(st, 3), "point",
		                                point_json(st, 5)));
	}
	db_stmt_done(st);
	if (rc != DB_DONE) {
		json_decref(features);
		return NULL;
	}
	return json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", features);
}
