/*
 * test_unit_import.c — importing the unit hierarchy (unit_import.h) on a
 * real migrated SQLite store: a clean import, re-imports (unchanged,
 * updated with history), dry runs, and every kind of defect, each of which
 * must be reported with its feature, code and kind while nothing at all is
 * written.
 *
 * The test hierarchy, near 35.71°N 115.01°E (about 1.8 km × 2.2 km):
 *
 *   1 zone       410972              [115.00, 115.02] × [35.70, 35.72]
 *   2 street     410972001           the same
 *   3 community  410972001001        the same
 *   4 grid       410972001001001     west half   [115.00, 115.01]
 *   5 grid       410972001001002     east half   [115.01, 115.02]
 *   6 microgrid  410972001001001001  west half, south [35.70, 35.71]
 *   7 microgrid  410972001001001002  west half, north [35.71, 35.72]
 *   8 microgrid  410972001001002001  east half, south
 *   9 microgrid  410972001001002002  east half, north
 *
 * Defect tests run on a store that already holds this hierarchy, and every
 * defective file also renames grid 2: had anything been written, the name
 * would show.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "db.h"
#include "geom.h"
#include "testutil.h"
#include "unit_import.h"
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZONE "410972"
#define STREET "410972001"
#define COMM "410972001001"
#define G1 "410972001001001"
#define G2 "410972001001002"
#define M11 "410972001001001001"
#define M12 "410972001001001002"
#define M21 "410972001001002001"
#define M22 "410972001001002002"

/* ---- fixture ------------------------------------------------------------ */

struct fixture {
	char dir[PATH_MAX];
	struct db *db;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	tu_mkdtemp(f->dir);
	f->db = tu_open_store(f->dir, "units.db");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

/* ---- building files ----------------------------------------------------- */

static json_t *rect(double x0, double y0, double x1, double y1)
{
	return json_pack("{s:s,s:[[[f,f],[f,f],[f,f],[f,f],[f,f]]]}", "type", "Polygon", "coordinates", x0, y0, x1, y0,
	                 x1, y1, x0, y1, x0, y0);
}

static json_t *geometry(const char *text)
{
	json_error_t e;
	json_t *g = json_loads(text, 0, &e);
	if (!g)
		fail_msg("test geometry does not parse: %s", e.text);
	return g;
}

/* A feature; geometry is taken over (NULL: none). */
static json_t *feat(const char *code, const char *name, const char *level, const char *parent, json_t *g)
{
	json_t *f = json_pack("{s:s,s:{s:s,s:s,s:s,s:s?},s:o?}", "type", "Feature", "properties", "code", code, "name",
	                      name, "level", level, "parent_code", parent, "geometry", g);
	assert_non_null(f);
	return f;
}

static json_t *fc_of(json_t *features)
{
	return json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", features);
}

static json_t *clean_features(void)
{
	json_t *a = json_array();
	json_array_append_new(a, feat(ZONE, "测试开发区", "zone", NULL, rect(115.00, 35.70, 115.02, 35.72)));
	json_array_append_new(a, feat(STREET, "测试街道", "street", ZONE, rect(115.00, 35.70, 115.02, 35.72)));
	json_array_append_new(a, feat(COMM, "测试社区", "community", STREET, rect(115.00, 35.70, 115.02, 35.72)));
	json_array_append_new(a, feat(G1, "测试社区第1网格", "grid", COMM, rect(115.00, 35.70, 115.01, 35.72)));
	json_array_append_new(a, feat(G2, "测试社区第2网格", "grid", COMM, rect(115.01, 35.70, 115.02, 35.72)));
	json_array_append_new(a, feat(M11, "第1网格第1微网格", "microgrid", G1, rect(115.00, 35.70, 115.01, 35.71)));
	json_array_append_new(a, feat(M12, "第1网格第2微网格", "microgrid", G1, rect(115.00, 35.71, 115.01, 35.72)));
	json_array_append_new(a, feat(M21, "第2网格第1微网格", "microgrid", G2, rect(115.01, 35.70, 115.02, 35.71)));
	json_array_append_new(a, feat(M22, "第2网格第2微网格", "microgrid", G2, rect(115.01, 35.71, 115.02, 35.72)));
	return a;
}

static json_t *clean_fc(void)
{
	return fc_of(clean_features());
}

/* Feature n (1-based) of a FeatureCollection. */
static json_t *nth(json_t *fc, size_t n)
{
	json_t *f = json_array_get(json_object_get(fc, "features"), n - 1);
	assert_non_null(f);
	return f;
}

static json_t *props(json_t *fc, size_t n)
{
	return json_object_get(nth(fc, n), "properties");
}

static void set_geometry(json_t *fc, size_t n, json_t *g)
{
	json_object_set_new(nth(fc, n), "geometry", g);
}

/* The clean file with grid 2 renamed, as the base of a defective file. */
static json_t *defect_base(void)
{
	json_t *fc = clean_fc();
	json_object_set_new(props(fc, 5), "name", json_string("改过名的网格"));
	return fc;
}

/* ---- running ------------------------------------------------------------ */

static int run(struct db *db, json_t *fc, int dry_run, struct import_result *res)
{
	struct import_options o;
	import_options_init(&o);
	o.dry_run = dry_run;
	o.actor = "test";
	o.source = "test.geojson";
	struct zerr err;
	zerr_clear(&err);
	int rc = unit_import(db, fc, &o, res, &err);
	if (rc < 0)
		fail_msg("unit_import failed: %s %s", zg_error_code(err.kind), err.en);
	assert_non_null(res->problems);
	return rc;
}

static void print_problems(const struct import_result *res)
{
	char *d = json_dumps(res->problems, JSON_INDENT(1));
	print_error("problems: %s\n", d);
	free(d);
}

/* Imports fc, which must be clean; returns nothing, checks the counts. */
static void import_ok(struct db *db, json_t *fc, int added, int updated, int unchanged)
{
	struct import_result res;
	int rc = run(db, fc, 0, &res);
	if (rc != 0)
		print_problems(&res);
	assert_int_equal(rc, 0);
	assert_int_equal(json_array_size(res.problems), 0);
	assert_int_equal(res.added, added);
	assert_int_equal(res.updated, updated);
	assert_int_equal(res.unchanged, unchanged);
	assert_int_equal(res.features, added + updated + unchanged);
	json_decref(res.problems);
}

static void import_clean(struct db *db)
{
	json_t *fc = clean_fc();
	import_ok(db, fc, 9, 0, 0);
	json_decref(fc);
}

/* The problem of a kind (for a code, or any code when NULL); fails, listing
 * every problem, when there is none. */
static json_t *problem_of(const struct import_result *res, const char *kind, const char *code)
{
	size_t i;
	json_t *p;
	json_array_foreach (res->problems, i, p) {
		const char *k = json_string_value(json_object_get(p, "kind"));
		const char *c = json_string_value(json_object_get(p, "code"));
		if (k && strcmp(k, kind) == 0 && (!code || (c && strcmp(c, code) == 0)))
			return p;
	}
	print_problems(res);
	fail_msg("no problem of kind %s for code %s", kind, code ? code : "(any)");
	return NULL;
}

/* Asserts the problems are exactly the kinds listed (in any order). */
static void only_kinds(const struct import_result *res, const char *const *kinds, size_t n)
{
	int ok = json_array_size(res->problems) == n;
	size_t i;
	json_t *p;
	json_array_foreach (res->problems, i, p) {
		const char *k = json_string_value(json_object_get(p, "kind"));
		int found = 0;
		for (size_t j = 0; j < n; j++)
			found |= k && strcmp(k, kinds[j]) == 0;
		ok &= found;
		/* Every problem has both messages. */
		assert_true(json_is_string(json_object_get(p, "message")));
		assert_true(json_is_string(json_object_get(p, "message_en")));
		assert_true(json_object_get(p, "feature") != NULL);
		assert_true(json_object_get(p, "code") != NULL);
	}
	if (!ok) {
		print_problems(res);
		fail_msg("expected exactly %zu problem(s) of the kinds listed", n);
	}
}
#define ONLY(res, ...)                                                                                                 \
	do {                                                                                                           \
		static const char *const k_[] = {__VA_ARGS__};                                                         \
		only_kinds(res, k_, sizeof k_ / sizeof k_[0]);                                                         \
	} while (0)

static void assert_feature(json_t *p, int feature)
{
	json_t *f = json_object_get(p, "feature");
	if (feature > 0) {
		assert_true(json_is_integer(f));
		assert_int_equal(json_integer_value(f), feature);
	} else {
		assert_true(json_is_null(f));
	}
}

static void assert_message_has(json_t *p, const char *needle)
{
	const char *en = json_string_value(json_object_get(p, "message_en"));
	if (!en || !strstr(en, needle))
		fail_msg("message_en \"%s\" lacks \"%s\"", en ? en : "(none)", needle);
}

/* ---- the store ---------------------------------------------------------- */

static const char SQL_SNAPSHOT[] =
        "SELECT (SELECT COUNT(*) FROM units) || '/' || (SELECT COUNT(*) FROM unit_history) || '/' ||"
        " (SELECT COUNT(*) FROM imports) || '/' || COALESCE((SELECT group_concat(x, ';') FROM (SELECT code || '|' ||"
        " name || '|' || level || '|' || COALESCE(parent_id, '-') || '|' || version || '|' || COALESCE(geometry, '-')"
        " || '|' || updated_at AS x FROM units ORDER BY code)), '')";

/* Everything an import writes, as one string. */
static char *snapshot(struct db *db)
{
	struct db_stmt *st = db_prepare(db, SQL_SNAPSHOT);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	char *s = strdup(db_col_text(st, 0));
	db_stmt_done(st);
	assert_non_null(s);
	return s;
}

static int64_t count_units(struct db *db)
{
	return tu_query_i64(db, "SELECT COUNT(*) FROM units");
}

static int64_t count_history(struct db *db)
{
	return tu_query_i64(db, "SELECT COUNT(*) FROM unit_history");
}

static const char SQL_UNIT_ROW[] = "SELECT name, version, level, geometry, label_lat, label_lon, area_m2,"
                                   " (SELECT code FROM units p WHERE p.id = u.parent_id) FROM units u WHERE code = ?";

struct row {
	char name[128], level[16], parent[40];
	int64_t version;
	double lat, lon, area;
	int has_label, has_geometry;
};

static int unit_row(struct db *db, const char *code, struct row *r)
{
	struct db_stmt *st = db_prepare(db, SQL_UNIT_ROW);
	assert_non_null(st);
	db_bind_text(st, 1, code);
	int rc = db_step(st);
	memset(r, 0, sizeof *r);
	if (rc == DB_ROW) {
		snprintf(r->name, sizeof r->name, "%s", db_col_text(st, 0));
		r->version = db_col_i64(st, 1);
		snprintf(r->level, sizeof r->level, "%s", db_col_text(st, 2));
		r->has_geometry = !db_col_is_null(st, 3);
		r->has_label = !db_col_is_null(st, 4);
		r->lat = db_col_double(st, 4);
		r->lon = db_col_double(st, 5);
		r->area = db_col_double(st, 6);
		if (!db_col_is_null(st, 7))
			snprintf(r->parent, sizeof r->parent, "%s", db_col_text(st, 7));
	}
	db_stmt_done(st);
	return rc == DB_ROW;
}

/* Runs a defective file: rc 1, nothing written (the store exactly as before). */
static void import_refused(struct db *db, json_t *fc, struct import_result *res)
{
	char *before = snapshot(db);
	int rc = run(db, fc, 0, res);
	if (rc != 1) {
		print_problems(res);
		fail_msg("expected the import to be refused, got rc %d", rc);
	}
	assert_true(json_array_size(res->problems) > 0);
	/* Refused: no counts. */
	assert_int_equal(res->added + res->updated + res->unchanged, 0);
	char *after = snapshot(db);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* A dry run finds the same problems and writes nothing either. */
	struct import_result dry;
	assert_int_equal(run(db, fc, 1, &dry), 1);
	assert_true(json_equal(dry.problems, res->problems));
	json_decref(dry.problems);
}

/* Area in m² of a lon/lat rectangle, as geom.c computes it (mid-latitude). */
static double rect_m2(double x0, double y0, double x1, double y1)
{
	return geom_deg2_to_m2((x1 - x0) * (y1 - y0), (y0 + y1) / 2);
}

/* ---- clean imports ------------------------------------------------------ */

static void test_unit_import_clean_hierarchy_adds_every_unit(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	assert_int_equal(count_units(f->db), 9);
	assert_int_equal(count_history(f->db), 0);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM imports"), 1);
	assert_int_equal(tu_query_i64(f->db, "SELECT added FROM imports"), 9);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM imports WHERE actor = 'test' AND kind = 'units'"
	                                     " AND source = 'test.geojson' AND updated = 0 AND unchanged = 0"),
	                 1);
	/* Parents, versions, label points inside, areas. */
	static const struct {
		const char *code, *level, *parent;
		double x0, y0, x1, y1;
	} want[] = {
	        {ZONE, "zone", "", 115.00, 35.70, 115.02, 35.72},
	        {STREET, "street", ZONE, 115.00, 35.70, 115.02, 35.72},
	        {COMM, "community", STREET, 115.00, 35.70, 115.02, 35.72},
	        {G1, "grid", COMM, 115.00, 35.70, 115.01, 35.72},
	        {G2, "grid", COMM, 115.01, 35.70, 115.02, 35.72},
	        {M11, "microgrid", G1, 115.00, 35.70, 115.01, 35.71},
	        {M12, "microgrid", G1, 115.00, 35.71, 115.01, 35.72},
	        {M21, "microgrid", G2, 115.01, 35.70, 115.02, 35.71},
	        {M22, "microgrid", G2, 115.01, 35.71, 115.02, 35.72},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct row r;
		assert_true(unit_row(f->db, want[i].code, &r));
		assert_string_equal(r.level, want[i].level);
		assert_string_equal(r.parent, want[i].parent);
		assert_int_equal(r.version, 1);
		assert_true(r.has_geometry && r.has_label);
		assert_true(r.lon > want[i].x0 && r.lon < want[i].x1 && r.lat > want[i].y0 && r.lat < want[i].y1);
		double m2 = rect_m2(want[i].x0, want[i].y0, want[i].x1, want[i].y1);
		assert_true(fabs(r.area - m2) / m2 < 0.001);
	}
	/* The directory locates points in the micro-grids. */
	struct unit_dir *d;
	struct buf err;
	buf_init(&err, 256);
	assert_int_equal(unit_dir_load(f->db, &d, &err), 0);
	buf_release(&err);
	assert_int_equal(d->n, 9);
	int32_t at = unit_dir_locate(d, 35.715, 115.015);
	assert_true(at >= 0);
	assert_string_equal(d->e[at].code, M22);
	assert_string_equal(d->e[d->e[at].parent].code, G2);
	at = unit_dir_locate(d, 35.705, 115.005);
	assert_string_equal(d->e[at].code, M11);
	assert_int_equal(unit_dir_locate(d, 35.725, 115.005), -1);
	unit_dir_free(d);
}

static void test_unit_import_reimport_unchanged_counts_unchanged(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	char *before = snapshot(f->db);
	json_t *fc = clean_fc();
	import_ok(f->db, fc, 0, 0, 9);
	json_decref(fc);
	char *after = snapshot(f->db);
	/* Only the imports row is new: units and history are as they were. */
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM imports"), 2);
	assert_int_equal(count_history(f->db), 0);
	assert_int_equal(tu_query_i64(f->db, "SELECT MAX(version) FROM units"), 1);
	assert_string_equal(strchr(strchr(strchr(before, '/') + 1, '/') + 1, '/'),
	                    strchr(strchr(strchr(after, '/') + 1, '/') + 1, '/'));
	free(before);
	free(after);
	/* The same geometry written with integers, altitudes and a MultiPolygon
	 * of one member is still the same geometry. */
	fc = clean_fc();
	set_geometry(fc, 6,
	             geometry("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[115,35.7,0],[115.01,35.7,0],"
	                      "[115.01,35.71,0],[115,35.71,0],[115,35.7,0]]]]}"));
	import_ok(f->db, fc, 0, 0, 9);
	json_decref(fc);
}

static void test_unit_import_changed_name_updates_with_history(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	json_t *fc = clean_fc();
	json_object_set_new(props(fc, 4), "name", json_string("昆吾社区新1网格"));
	import_ok(f->db, fc, 0, 1, 8);
	json_decref(fc);
	struct row r;
	assert_true(unit_row(f->db, G1, &r));
	assert_string_equal(r.name, "昆吾社区新1网格");
	assert_int_equal(r.version, 2);
	assert_int_equal(count_history(f->db), 1);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM unit_history h JOIN units u ON u.id = h.unit_id"
	                                     " WHERE u.code = '410972001001001' AND h.version = 1 AND h.code = u.code"
	                                     " AND h.name = '测试社区第1网格' AND h.level = 'grid'"
	                                     " AND h.parent_code = '410972001001' AND h.geometry = u.geometry"
	                                     " AND h.valid_to >= h.valid_from AND h.valid_to = u.updated_at"
	                                     " AND h.import_id = (SELECT MAX(id) FROM imports)"),
	                 1);
	/* The others stayed at version 1. */
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM units WHERE version = 1"), 8);
	/* Once more with another name: version 3, two history rows. */
	fc = clean_fc();
	json_object_set_new(props(fc, 4), "name", json_string("第三个名字"));
	import_ok(f->db, fc, 0, 1, 8);
	json_decref(fc);
	assert_true(unit_row(f->db, G1, &r));
	assert_int_equal(r.version, 3);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM unit_history WHERE code = '410972001001001'"
	                                     " AND version = 2 AND name = '昆吾社区新1网格'"),
	                 1);
}

static void test_unit_import_changed_geometry_updates_with_history(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* Move the border between the two micro-grids of grid 1 north by 0.002°. */
	json_t *fc = clean_fc();
	set_geometry(fc, 6, rect(115.00, 35.70, 115.01, 35.712));
	set_geometry(fc, 7, rect(115.00, 35.712, 115.01, 35.72));
	import_ok(f->db, fc, 0, 2, 7);
	json_decref(fc);
	struct row r;
	assert_true(unit_row(f->db, M11, &r));
	assert_int_equal(r.version, 2);
	double m2 = rect_m2(115.00, 35.70, 115.01, 35.712);
	assert_true(fabs(r.area - m2) / m2 < 0.001);
	assert_true(r.lat > 35.70 && r.lat < 35.712);
	assert_int_equal(count_history(f->db), 2);
	assert_int_equal(tu_query_i64(f->db,
	                              "SELECT COUNT(*) FROM unit_history WHERE version = 1 AND code IN"
	                              " ('410972001001001001', '410972001001001002') AND geometry LIKE '%35.71]%'"),
	                 2);
	/* The directory follows: a point at 35.711 is now in the southern one. */
	struct unit_dir *d;
	struct buf err;
	buf_init(&err, 256);
	assert_int_equal(unit_dir_load(f->db, &d, &err), 0);
	buf_release(&err);
	int32_t at = unit_dir_locate(d, 35.711, 115.005);
	assert_true(at >= 0);
	assert_string_equal(d->e[at].code, M11);
	unit_dir_free(d);
}

static void test_unit_import_dry_run_writes_nothing(void **state)
{
	struct fixture *f = *state;
	char *empty = snapshot(f->db);
	struct import_result res;
	json_t *fc = clean_fc();
	assert_int_equal(run(f->db, fc, 1, &res), 0);
	assert_int_equal(res.added, 9);
	assert_int_equal(res.features, 9);
	json_decref(res.problems);
	char *after = snapshot(f->db);
	assert_string_equal(empty, after);
	free(after);
	assert_int_equal(count_units(f->db), 0);
	/* And on a filled store, a dry run of a change counts it and keeps it out. */
	import_clean(f->db);
	char *before = snapshot(f->db);
	json_object_set_new(props(fc, 9), "name", json_string("新名字"));
	assert_int_equal(run(f->db, fc, 1, &res), 0);
	assert_int_equal(res.updated, 1);
	assert_int_equal(res.unchanged, 8);
	json_decref(res.problems);
	after = snapshot(f->db);
	assert_string_equal(before, after);
	json_decref(fc);
	free(empty);
	free(before);
	free(after);
}

static void test_unit_import_units_absent_from_the_file_stay(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* Only grid 2, renamed. */
	json_t *a = json_array();
	json_array_append_new(a, feat(G2, "只改第2网格", "grid", COMM, rect(115.01, 35.70, 115.02, 35.72)));
	json_t *fc = fc_of(a);
	import_ok(f->db, fc, 0, 1, 0);
	json_decref(fc);
	assert_int_equal(count_units(f->db), 9);
	struct row r;
	assert_true(unit_row(f->db, G2, &r));
	assert_string_equal(r.name, "只改第2网格");
	assert_string_equal(r.parent, COMM);
}

static void test_unit_import_zone_and_street_need_no_geometry(void **state)
{
	struct fixture *f = *state;
	json_t *fc = clean_fc();
	json_object_set_new(nth(fc, 1), "geometry", json_null());
	json_object_del(nth(fc, 2), "geometry");
	import_ok(f->db, fc, 9, 0, 0);
	json_decref(fc);
	struct row r;
	assert_true(unit_row(f->db, ZONE, &r));
	assert_false(r.has_geometry);
	assert_false(r.has_label);
	assert_true(unit_row(f->db, STREET, &r));
	assert_false(r.has_geometry);
}

/* ---- defects: structure ------------------------------------------------- */

static void test_unit_import_refuses_not_a_feature_collection(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	const char *bad[] = {
	        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}",
	        "{\"type\":\"FeatureCollection\"}",
	        "{\"type\":\"FeatureCollection\",\"features\":{}}",
	        "{\"type\":\"FeatureCollection\",\"features\":[]}",
	        "{\"features\":[]}",
	        "[]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *fc = json_loads(bad[i], 0, NULL);
		assert_non_null(fc);
		struct import_result res;
		import_refused(f->db, fc, &res);
		ONLY(&res, "bad_feature");
		assert_feature(json_array_get(res.problems, 0), 0);
		json_decref(res.problems);
		json_decref(fc);
	}
	/* A member that is no Feature. */
	json_t *fc = defect_base();
	json_array_append_new(json_object_get(fc, "features"), json_string("feature"));
	json_t *geom = json_pack("{s:s,s:o}", "type", "Polygon", "coordinates", json_array());
	json_array_append_new(json_object_get(fc, "features"), geom);
	struct import_result res;
	import_refused(f->db, fc, &res);
	ONLY(&res, "bad_feature", "bad_feature");
	assert_feature(json_array_get(res.problems, 0), 10);
	assert_feature(json_array_get(res.problems, 1), 11);
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_refuses_missing_code(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	json_t *fc = defect_base();
	json_object_del(props(fc, 7), "code");
	json_object_set_new(props(fc, 8), "code", json_null());
	json_object_del(nth(fc, 9), "properties");
	struct import_result res;
	import_refused(f->db, fc, &res);
	ONLY(&res, "missing_code", "missing_code", "missing_code");
	for (int i = 0; i < 3; i++) {
		json_t *p = json_array_get(res.problems, (size_t)i);
		assert_feature(p, 7 + i);
		assert_true(json_is_null(json_object_get(p, "code")));
	}
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_refuses_non_digit_code(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	json_t *fc = defect_base();
	json_object_set_new(props(fc, 6), "code", json_string("41097200100100100A"));
	json_object_set_new(props(fc, 7), "code", json_integer(410972001001001002));
	json_object_set_new(props(fc, 8), "code", json_string(""));
	json_object_set_new(props(fc, 9), "code", json_string("123456789012345678901234567890123"));
	struct import_result res;
	import_refused(f->db, fc, &res);
	json_t *p = problem_of(&res, "bad_code", "41097200100100100A");
	assert_feature(p, 6);
	assert_message_has(p, "digits");
	/* The others are bad codes too; the number has no string to show. */
	int bad = 0;
	size_t i;
	json_array_foreach (res.problems, i, p)
		bad += strcmp(json_string_value(json_object_get(p, "kind")), "bad_code") == 0;
	assert_int_equal(bad, 4);
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_refuses_duplicate_code(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* A stored code twice in the file. */
	json_t *fc = defect_base();
	json_array_append_new(json_object_get(fc, "features"),
	                      feat(M22, "重复的微网格", "microgrid", G2, rect(115.01, 35.71, 115.02, 35.72)));
	struct import_result res;
	import_refused(f->db, fc, &res);
	json_t *p = problem_of(&res, "duplicate_code", M22);
	assert_feature(p, 10);
	assert_message_has(p, "feature 9");
	ONLY(&res, "duplicate_code");
	json_decref(res.problems);
	json_decref(fc);
	/* The first of the two is left out for a problem of its own: the second
	 * is still a duplicate. */
	fc = defect_base();
	set_geometry(fc, 8,
	             geometry("{\"type\":\"Polygon\",\"coordinates\":[[[115.01,35.70],[115.02,35.70],[115.02,35.71],"
	                      "[115.01,35.71]]]}"));
	json_array_append_new(json_object_get(fc, "features"),
	                      feat(M21, "第2网格第1微网格", "microgrid", G2, rect(115.01, 35.70, 115.02, 35.71)));
	import_refused(f->db, fc, &res);
	ONLY(&res, "bad_geometry", "duplicate_code");
	assert_feature(problem_of(&res, "bad_geometry", M21), 8);
	p = problem_of(&res, "duplicate_code", M21);
	assert_feature(p, 10);
	assert_message_has(p, "feature 8");
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_refuses_duplicate_new_code(void **state)
{
	struct fixture *f = *state;
	/* On an empty store: the code is new, and twice in the file. */
	json_t *fc = clean_fc();
	json_array_append_new(json_object_get(fc, "features"),
	                      feat(M22, "重复的微网格", "microgrid", G2, rect(115.01, 35.71, 115.02, 35.72)));
	struct import_result res;
	import_refused(f->db, fc, &res);
	json_t *p = problem_of(&res, "duplicate_code", M22);
	assert_feature(p, 10);
	assert_message_has(p, "feature 9");
	/* Not an overlap of the code with itself. */
	ONLY(&res, "duplicate_code");
	assert_int_equal(count_units(f->db), 0);
	json_decref(res.problems);
	/* Two zones of the same new code and no geometry: nothing to overlap,
	 * still a duplicate (not a store error when writing). */
	json_t *zones = json_array();
	json_array_append_new(zones, feat("411671", "周口经济开发区", "zone", NULL, NULL));
	json_array_append_new(zones, feat("411671", "周口经开区", "zone", NULL, NULL));
	json_t *zfc = fc_of(zones);
	import_refused(f->db, zfc, &res);
	ONLY(&res, "duplicate_code");
	assert_feature(json_array_get(res.problems, 0), 2);
	json_decref(res.problems);
	json_decref(zfc);
	/* Three times: two problems, each naming the first. */
	json_array_append_new(json_object_get(fc, "features"),
	                      feat(M22, "又一个", "microgrid", G2, rect(115.01, 35.71, 115.02, 35.72)));
	import_refused(f->db, fc, &res);
	ONLY(&res, "duplicate_code", "duplicate_code");
	assert_feature(json_array_get(res.problems, 1), 11);
	assert_message_has(json_array_get(res.problems, 1), "feature 9");
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_refuses_bad_level_and_name(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	json_t *fc = defect_base();
	json_object_set_new(props(fc, 6), "level", json_string("village"));
	json_object_del(props(fc, 7), "level");
	json_object_set_new(props(fc, 8), "name", json_string(""));
	struct import_result res;
	import_refused(f->db, fc, &res);
	ONLY(&res, "bad_level", "bad_level", "bad_name");
	assert_feature(problem_of(&res, "bad_level", M11), 6);
	assert_feature(problem_of(&res, "bad_level", M12), 7);
	assert_feature(problem_of(&res, "bad_name", M21), 8);
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_refuses_missing_geometry_from_community_down(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	json_t *fc = defect_base();
	json_object_set_new(nth(fc, 3), "geometry", json_null());
	json_object_del(nth(fc, 9), "geometry");
	struct import_result res;
	import_refused(f->db, fc, &res);
	ONLY(&res, "missing_geometry", "missing_geometry");
	json_t *p = problem_of(&res, "missing_geometry", COMM);
	assert_feature(p, 3);
	assert_message_has(p, "community needs a polygon");
	assert_feature(problem_of(&res, "missing_geometry", M22), 9);
	json_decref(res.problems);
	json_decref(fc);
}

/* ---- defects: geometry -------------------------------------------------- */

/* One micro-grid's geometry replaced; the problem must be bad_geometry for
 * it, with the message naming the defect. */
static void refused_geometry(struct fixture *f, const char *geom, const char *needle)
{
	json_t *fc = defect_base();
	set_geometry(fc, 8, geometry(geom));
	struct import_result res;
	import_refused(f->db, fc, &res);
	ONLY(&res, "bad_geometry");
	json_t *p = problem_of(&res, "bad_geometry", M21);
	assert_feature(p, 8);
	assert_message_has(p, needle);
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_refuses_non_polygon_geometry(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	refused_geometry(f, "{\"type\":\"Point\",\"coordinates\":[115.015,35.705]}", "not Point");
	refused_geometry(f, "{\"type\":\"LineString\",\"coordinates\":[[115.01,35.70],[115.02,35.71]]}",
	                 "not LineString");
}

static void test_unit_import_refuses_too_few_points(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	refused_geometry(f, "{\"type\":\"Polygon\",\"coordinates\":[[[115.01,35.70],[115.02,35.70],[115.01,35.70]]]}",
	                 "polygon 1, ring 1: too few points");
}

static void test_unit_import_refuses_unclosed_ring(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	refused_geometry(f,
	                 "{\"type\":\"Polygon\",\"coordinates\":[[[115.01,35.70],[115.02,35.70],[115.02,35.71],"
	                 "[115.01,35.71]]]}",
	                 "polygon 1, ring 1: unclosed ring");
}

static void test_unit_import_refuses_out_of_range_coordinate(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	refused_geometry(f,
	                 "{\"type\":\"Polygon\",\"coordinates\":[[[115.01,35.70],[115.02,35.70],[215.02,35.71],"
	                 "[115.01,35.71],[115.01,35.70]]]}",
	                 "polygon 1, ring 1, position 3: longitude out of range");
	/* Latitude and longitude swapped. */
	refused_geometry(f,
	                 "{\"type\":\"Polygon\",\"coordinates\":[[[35.70,115.01],[35.70,115.02],[35.71,115.02],"
	                 "[35.71,115.01],[35.70,115.01]]]}",
	                 "position 1: latitude out of range");
}

static void test_unit_import_refuses_self_intersection(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* A bow-tie over micro-grid 2-1's square, crossing at (115.015, 35.705). */
	json_t *fc = defect_base();
	set_geometry(fc, 8,
	             geometry("{\"type\":\"Polygon\",\"coordinates\":[[[115.01,35.70],[115.02,35.71],[115.02,35.70],"
	                      "[115.01,35.71],[115.01,35.70]]]}"));
	struct import_result res;
	import_refused(f->db, fc, &res);
	json_t *p = problem_of(&res, "invalid_geometry", M21);
	assert_feature(p, 8);
	assert_message_has(p, "Self-intersection");
	json_t *pos = json_object_get(p, "position");
	assert_true(json_is_object(pos));
	assert_true(fabs(json_real_value(json_object_get(pos, "lat")) - 35.705) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(pos, "lon")) - 115.015) < 1e-9);
	assert_non_null(strstr(json_string_value(json_object_get(p, "message")), "自相交"));
	/* The invalid micro-grid takes no part in the relation checks, and its
	 * absence is no gap in its grid: the one problem is the one defect. */
	ONLY(&res, "invalid_geometry");
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_refuses_ring_self_intersection_and_bad_holes(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* A hole outside its shell. */
	json_t *fc = defect_base();
	set_geometry(fc, 8,
	             geometry("{\"type\":\"Polygon\",\"coordinates\":[[[115.01,35.70],[115.02,35.70],[115.02,35.71],"
	                      "[115.01,35.71],[115.01,35.70]],[[115.03,35.70],[115.04,35.70],[115.04,35.71],"
	                      "[115.03,35.70]]]}"));
	struct import_result res;
	import_refused(f->db, fc, &res);
	json_t *p = problem_of(&res, "invalid_geometry", M21);
	assert_message_has(p, "Hole lies outside shell");
	assert_non_null(strstr(json_string_value(json_object_get(p, "message")), "内环位于外环之外"));
	json_decref(res.problems);
	json_decref(fc);
}

/* ---- defects: hierarchy ------------------------------------------------- */

static void test_unit_import_refuses_unknown_parent(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	json_t *fc = defect_base();
	json_array_append_new(json_object_get(fc, "features"), feat("410972999001", "无主社区", "community",
	                                                            "410972999", rect(115.05, 35.70, 115.06, 35.71)));
	struct import_result res;
	import_refused(f->db, fc, &res);
	ONLY(&res, "unknown_parent");
	json_t *p = problem_of(&res, "unknown_parent", "410972999001");
	assert_feature(p, 10);
	assert_message_has(p, "410972999");
	json_decref(res.problems);
	json_decref(fc);
	/* A misspelt parent on an empty store: the community it was meant for
	 * is not reported as half uncovered. */
	struct fixture fresh;
	tu_mkdtemp(fresh.dir);
	fresh.db = tu_open_store(fresh.dir, "fresh.db");
	fc = clean_fc();
	json_object_set_new(props(fc, 5), "parent_code", json_string("410972001009"));
	import_refused(fresh.db, fc, &res);
	ONLY(&res, "unknown_parent");
	assert_feature(problem_of(&res, "unknown_parent", G2), 5);
	json_decref(res.problems);
	json_decref(fc);
	db_close(fresh.db);
	tu_rmtree(fresh.dir);
	/* A missing parent_code below zone level is an unknown parent too. */
	fc = defect_base();
	json_object_del(props(fc, 6), "parent_code");
	import_refused(f->db, fc, &res);
	ONLY(&res, "unknown_parent");
	assert_feature(problem_of(&res, "unknown_parent", M11), 6);
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_refuses_wrong_parent_level(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* A new grid hung directly under the street. */
	json_t *fc = defect_base();
	json_array_append_new(json_object_get(fc, "features"), feat("410972001001003", "挂错层的网格", "grid", STREET,
	                                                            rect(115.00, 35.70, 115.01, 35.71)));
	struct import_result res;
	import_refused(f->db, fc, &res);
	json_t *p = problem_of(&res, "wrong_parent_level", "410972001001003");
	assert_feature(p, 10);
	assert_message_has(p, "the parent of a grid must be a community");
	ONLY(&res, "wrong_parent_level");
	json_decref(res.problems);
	json_decref(fc);
	/* A zone with a parent. */
	fc = defect_base();
	json_object_set_new(props(fc, 1), "parent_code", json_string("410900"));
	import_refused(f->db, fc, &res);
	assert_feature(problem_of(&res, "wrong_parent_level", ZONE), 1);
	ONLY(&res, "wrong_parent_level");
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_refuses_level_change_of_stored_unit(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* Grid 2 made a community under the street (its parent level would fit). */
	json_t *fc = defect_base();
	json_object_set_new(props(fc, 5), "level", json_string("community"));
	json_object_set_new(props(fc, 5), "parent_code", json_string(STREET));
	struct import_result res;
	import_refused(f->db, fc, &res);
	json_t *p = problem_of(&res, "level_changed", G2);
	assert_feature(p, 5);
	assert_message_has(p, "from grid to community");
	/* Its micro-grids in the file now hang under a "community"; but no
	 * overlap with 测试社区, its new sibling, and no gap where it left. */
	ONLY(&res, "level_changed", "wrong_parent_level", "wrong_parent_level");
	assert_feature(problem_of(&res, "wrong_parent_level", M21), 8);
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_problem_in_new_parent_is_reported_once(void **state)
{
	struct fixture *f = *state;
	/* On an empty store: grid 2 has an unclosed ring, grid 1 a bow-tie, the
	 * community a bad level. Their children are not orphans, nor their
	 * parents gappy: three problems, one per defect. */
	json_t *fc = clean_fc();
	set_geometry(fc, 5,
	             geometry("{\"type\":\"Polygon\",\"coordinates\":[[[115.01,35.70],[115.02,35.70],[115.02,35.72],"
	                      "[115.01,35.72]]]}"));
	set_geometry(fc, 4,
	             geometry("{\"type\":\"Polygon\",\"coordinates\":[[[115.00,35.70],[115.01,35.72],[115.01,35.70],"
	                      "[115.00,35.72],[115.00,35.70]]]}"));
	struct import_result res;
	import_refused(f->db, fc, &res);
	ONLY(&res, "bad_geometry", "invalid_geometry");
	assert_feature(problem_of(&res, "bad_geometry", G2), 5);
	assert_feature(problem_of(&res, "invalid_geometry", G1), 4);
	json_decref(res.problems);
	json_object_set_new(props(fc, 3), "level", json_string("社区"));
	import_refused(f->db, fc, &res);
	ONLY(&res, "bad_level", "bad_geometry", "invalid_geometry");
	json_decref(res.problems);
	json_decref(fc);
	/* A new micro-grid whose code is missing: its grid's coverage is not
	 * judged (the stored siblings do not cover it), nothing else is said. */
	fc = clean_fc();
	json_object_del(props(fc, 7), "code");
	import_refused(f->db, fc, &res);
	ONLY(&res, "missing_code");
	json_decref(res.problems);
	json_decref(fc);
	assert_int_equal(count_units(f->db), 0);
}

static void test_unit_import_left_out_feature_causes_no_other_problem(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* The border between 1-1 and 1-2 moves north; 1-2 has a bad name and is
	 * left out. Neither its stored version (which would overlap the new
	 * 1-1) nor a hole where it should be is reported: only the name. */
	json_t *fc = defect_base();
	set_geometry(fc, 6, rect(115.00, 35.70, 115.01, 35.715));
	set_geometry(fc, 7, rect(115.00, 35.715, 115.01, 35.72));
	json_object_set_new(props(fc, 7), "name", json_string("名\n称"));
	struct import_result res;
	import_refused(f->db, fc, &res);
	ONLY(&res, "bad_name");
	assert_feature(problem_of(&res, "bad_name", M12), 7);
	json_decref(res.problems);
	/* Repaired, it goes in. */
	json_object_set_new(props(fc, 7), "name", json_string("第1网格第2微网格"));
	json_object_set_new(props(fc, 5), "name", json_string("测试社区第2网格"));
	import_ok(f->db, fc, 0, 2, 7);
	json_decref(fc);
}

/* ---- defects: relations ------------------------------------------------- */

static void test_unit_import_refuses_child_outside_parent(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* Micro-grid 2-2 reaches 0.001° east of its grid (and of the zone): a
	 * tenth of its area outside. */
	json_t *fc = defect_base();
	set_geometry(fc, 9, rect(115.01, 35.71, 115.021, 35.72));
	struct import_result res;
	import_refused(f->db, fc, &res);
	json_t *p = problem_of(&res, "outside_parent", M22);
	assert_feature(p, 9);
	double want = rect_m2(115.02, 35.71, 115.021, 35.72);
	double got = json_real_value(json_object_get(p, "area_m2"));
	assert_true(fabs(got - want) / want < 0.01);
	assert_message_has(p, "outside the parent " G2);
	assert_message_has(p, "(9.09%)");
	ONLY(&res, "outside_parent");
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_accepts_child_outside_parent_within_tolerance(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* 0.000005° east: 0.05 % of the micro-grid, under the 0.1 % tolerance. */
	json_t *fc = clean_fc();
	set_geometry(fc, 9, rect(115.01, 35.71, 115.020005, 35.72));
	import_ok(f->db, fc, 0, 1, 8);
	json_decref(fc);
	/* With a stricter tolerance the same file is refused. */
	fc = clean_fc();
	set_geometry(fc, 9, rect(115.01, 35.71, 115.02001, 35.72));
	struct import_options o;
	import_options_init(&o);
	o.outside_tolerance = 0.0001;
	struct import_result res;
	struct zerr err;
	assert_int_equal(unit_import(f->db, fc, &o, &res, &err), 1);
	problem_of(&res, "outside_parent", M22);
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_refuses_overlapping_siblings(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* Micro-grid 1-1 reaches 0.001° north into 1-2. */
	json_t *fc = defect_base();
	set_geometry(fc, 6, rect(115.00, 35.70, 115.01, 35.711));
	struct import_result res;
	import_refused(f->db, fc, &res);
	ONLY(&res, "overlap");
	json_t *p = problem_of(&res, "overlap", M11);
	assert_feature(p, 6);
	assert_string_equal(json_string_value(json_object_get(p, "other_code")), M12);
	double want = rect_m2(115.00, 35.71, 115.01, 35.711);
	assert_true(fabs(json_real_value(json_object_get(p, "area_m2")) - want) / want < 0.01);
	assert_message_has(p, "overlaps its sibling " M12);
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_accepts_overlap_within_tolerance(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* A sliver 5e-9° (0.55 mm) tall along the 900 m border: 0.5 m², under 1 m². */
	json_t *fc = clean_fc();
	set_geometry(fc, 6, rect(115.00, 35.70, 115.01, 35.710000005));
	import_ok(f->db, fc, 0, 1, 8);
	json_decref(fc);
}

static void test_unit_import_refuses_gap(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* Micro-grid 1-1 shrinks by 0.001° from the north: a strip of grid 1
	 * (0.001 / 0.02 = 5 % of it) is left uncovered. */
	json_t *fc = defect_base();
	set_geometry(fc, 6, rect(115.00, 35.70, 115.01, 35.709));
	struct import_result res;
	import_refused(f->db, fc, &res);
	ONLY(&res, "gap");
	json_t *p = problem_of(&res, "gap", G1);
	assert_feature(p, 4); /* grid 1 is in the file */
	assert_true(fabs(json_real_value(json_object_get(p, "share")) - 0.05) < 0.0005);
	double want = rect_m2(115.00, 35.709, 115.01, 35.71);
	assert_true(fabs(json_real_value(json_object_get(p, "area_m2")) - want) / want < 0.01);
	assert_message_has(p, "leave 5.00%");
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_gap_in_stored_parent_has_no_feature(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* Only the micro-grid, shrunk: the gap is in grid 1, which is not in the file. */
	json_t *a = json_array();
	json_array_append_new(a, feat(M11, "缩小的微网格", "microgrid", G1, rect(115.00, 35.70, 115.01, 35.708)));
	json_t *fc = fc_of(a);
	struct import_result res;
	import_refused(f->db, fc, &res);
	ONLY(&res, "gap");
	json_t *p = problem_of(&res, "gap", G1);
	assert_feature(p, 0);
	assert_true(fabs(json_real_value(json_object_get(p, "share")) - 0.1) < 0.0005);
	json_decref(res.problems);
	json_decref(fc);
}

/* The zone, a street, a community, 4 grids of 5 × 10 micro-grids each: 207
 * features. When bad_at > 0, the micro-grid at that position reaches 0.0001°
 * into its northern neighbour; its code goes to bad_code. */
static json_t *many_features(int bad_at, char *bad_code, size_t bad_len)
{
	json_t *a = json_array();
	json_array_append_new(a, feat(ZONE, "测试开发区", "zone", NULL, rect(115.00, 35.70, 115.04, 35.72)));
	json_array_append_new(a, feat(STREET, "测试街道", "street", ZONE, rect(115.00, 35.70, 115.04, 35.72)));
	json_array_append_new(a, feat(COMM, "测试社区", "community", STREET, rect(115.00, 35.70, 115.04, 35.72)));
	/* Every shared coordinate is computed by one expression, so neighbours
	 * get the same doubles. */
	double xs[21], ys[11];
	for (int i = 0; i <= 20; i++)
		xs[i] = 115.00 + 0.002 * i;
	for (int j = 0; j <= 10; j++)
		ys[j] = 35.70 + 0.002 * j;
	for (int gi = 0; gi < 4; gi++) {
		char code[64], name[64];
		snprintf(code, sizeof code, "%s%03d", COMM, gi + 1);
		snprintf(name, sizeof name, "第%d网格", gi + 1);
		json_array_append_new(a,
		                      feat(code, name, "grid", COMM, rect(xs[5 * gi], ys[0], xs[5 * gi + 5], ys[10])));
	}
	for (int gi = 0; gi < 4; gi++) {
		for (int k = 0; k < 50; k++) {
			char code[64], parent[32], name[64];
			snprintf(parent, sizeof parent, "%s%03d", COMM, gi + 1);
			snprintf(code, sizeof code, "%s%03d", parent, (k + 1) % 1000);
			snprintf(name, sizeof name, "第%d网格第%d微网格", gi + 1, k + 1);
			int i = 5 * gi + k % 5, j = k / 5;
			double y1 = ys[j + 1];
			if ((int)json_array_size(a) + 1 == bad_at) {
				snprintf(bad_code, bad_len, "%s", code);
				y1 += 0.0001;
			}
			json_array_append_new(a,
			                      feat(code, name, "microgrid", parent, rect(xs[i], ys[j], xs[i + 1], y1)));
		}
	}
	assert_int_equal(json_array_size(a), 207);
	return a;
}

static void test_unit_import_one_bad_feature_among_many_imports_nothing(void **state)
{
	struct fixture *f = *state;
	/* On an empty store, the 150th of 207 features is wrong. */
	char bad_code[64] = "";
	json_t *fc = fc_of(many_features(150, bad_code, sizeof bad_code));
	struct import_result res;
	import_refused(f->db, fc, &res);
	assert_int_equal(res.features, 207);
	ONLY(&res, "overlap");
	assert_feature(problem_of(&res, "overlap", bad_code), 150);
	assert_int_equal(count_units(f->db), 0);
	json_decref(res.problems);
	json_decref(fc);
	/* Repaired, all 207 go in; then the same defect on the filled store. */
	fc = fc_of(many_features(0, bad_code, sizeof bad_code));
	import_ok(f->db, fc, 207, 0, 0);
	json_decref(fc);
	assert_int_equal(count_units(f->db), 207);
	fc = fc_of(many_features(150, bad_code, sizeof bad_code));
	json_object_set_new(props(fc, 4), "name", json_string("改名"));
	import_refused(f->db, fc, &res);
	ONLY(&res, "overlap");
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_reports_every_problem(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* Several defects in one file: each is listed. */
	json_t *fc = defect_base();
	json_object_set_new(props(fc, 2), "level", json_string("town"));
	set_geometry(fc, 6, rect(115.00, 35.70, 115.01, 35.711));
	json_array_append_new(json_object_get(fc, "features"),
	                      feat("4109720010010010", "坏编码", "microgrid", G1, NULL));
	json_array_append_new(json_object_get(fc, "features"),
	                      feat("410972001001002003", "缺几何", "microgrid", G2, NULL));
	struct import_result res;
	import_refused(f->db, fc, &res);
	assert_feature(problem_of(&res, "bad_level", STREET), 2);
	assert_feature(problem_of(&res, "overlap", M11), 6);
	assert_feature(problem_of(&res, "missing_geometry", "4109720010010010"), 10);
	assert_feature(problem_of(&res, "missing_geometry", "410972001001002003"), 11);
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_caps_the_report(void **state)
{
	struct fixture *f = *state;
	json_t *a = json_array();
	for (int i = 0; i < 1200; i++)
		json_array_append_new(a, json_pack("{s:s,s:{}}", "type", "Feature", "properties"));
	json_t *fc = fc_of(a);
	struct import_result res;
	import_refused(f->db, fc, &res);
	assert_int_equal(json_array_size(res.problems), 1001);
	assert_string_equal(json_string_value(json_object_get(json_array_get(res.problems, 999), "kind")),
	                    "missing_code");
	assert_string_equal(json_string_value(json_object_get(json_array_get(res.problems, 1000), "kind")),
	                    "too_many_problems");
	json_decref(res.problems);
	json_decref(fc);
}

/* ---- the store and the file together ------------------------------------ */

static void test_unit_import_checks_children_against_stored_parents(void **state)
{
	struct fixture *f = *state;
	/* Step 1: zone to grids, no micro-grids. */
	json_t *fc = clean_fc();
	json_t *features = json_object_get(fc, "features");
	while (json_array_size(features) > 5)
		json_array_remove(features, 5);
	import_ok(f->db, fc, 5, 0, 0);
	json_decref(fc);
	/* Step 2a: a micro-grid reaching out of its stored grid. */
	json_t *a = json_array();
	json_array_append_new(a, feat(M21, "第2网格第1微网格", "microgrid", G2, rect(115.01, 35.70, 115.025, 35.71)));
	json_array_append_new(a, feat(M22, "第2网格第2微网格", "microgrid", G2, rect(115.01, 35.71, 115.02, 35.72)));
	fc = fc_of(a);
	struct import_result res;
	import_refused(f->db, fc, &res);
	json_t *p = problem_of(&res, "outside_parent", M21);
	assert_feature(p, 1);
	assert_message_has(p, "outside the parent " G2);
	ONLY(&res, "outside_parent");
	json_decref(res.problems);
	json_decref(fc);
	/* Step 2b: a micro-grid under a stored grid of the wrong level's parent. */
	a = json_array();
	json_array_append_new(a, feat(M21, "第2网格第1微网格", "microgrid", COMM, rect(115.01, 35.70, 115.02, 35.71)));
	fc = fc_of(a);
	import_refused(f->db, fc, &res);
	p = problem_of(&res, "wrong_parent_level", M21);
	assert_message_has(p, COMM " is a community");
	json_decref(res.problems);
	json_decref(fc);
	/* Step 2c: the right ones. */
	a = json_array();
	json_array_append_new(a, feat(M21, "第2网格第1微网格", "microgrid", G2, rect(115.01, 35.70, 115.02, 35.71)));
	json_array_append_new(a, feat(M22, "第2网格第2微网格", "microgrid", G2, rect(115.01, 35.71, 115.02, 35.72)));
	fc = fc_of(a);
	import_ok(f->db, fc, 2, 0, 0);
	json_decref(fc);
	struct row r;
	assert_true(unit_row(f->db, M21, &r));
	assert_string_equal(r.parent, G2);
	/* Step 3: a third micro-grid in grid 2 overlapping the stored ones. */
	a = json_array();
	json_array_append_new(
	        a, feat("410972001001002003", "多出的微网格", "microgrid", G2, rect(115.015, 35.705, 115.02, 35.715)));
	fc = fc_of(a);
	import_refused(f->db, fc, &res);
	int overlaps = 0;
	size_t i;
	json_array_foreach (res.problems, i, p) {
		if (strcmp(json_string_value(json_object_get(p, "kind")), "overlap") == 0) {
			overlaps++;
			assert_string_equal(json_string_value(json_object_get(p, "code")), "410972001001002003");
			const char *other = json_string_value(json_object_get(p, "other_code"));
			assert_true(strcmp(other, M21) == 0 || strcmp(other, M22) == 0);
			double want = rect_m2(115.015, 35.705, 115.02, 35.71);
			assert_true(fabs(json_real_value(json_object_get(p, "area_m2")) - want) / want < 0.01);
		}
	}
	assert_int_equal(overlaps, 2);
	ONLY(&res, "overlap", "overlap");
	json_decref(res.problems);
	json_decref(fc);
	/* A grid under a stored community that lies outside it. */
	a = json_array();
	json_array_append_new(a, feat("410972001001003", "区外网格", "grid", COMM, rect(115.03, 35.70, 115.04, 35.71)));
	fc = fc_of(a);
	import_refused(f->db, fc, &res);
	assert_feature(problem_of(&res, "outside_parent", "410972001001003"), 1);
	json_decref(res.problems);
	json_decref(fc);
}

static void test_unit_import_second_zone_in_the_same_store(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	/* A second zone far away, with a street, community and one grid. */
	json_t *a = json_array();
	json_array_append_new(a, feat("411671", "周口经济开发区", "zone", NULL, rect(113.00, 34.00, 113.01, 34.01)));
	json_array_append_new(a, feat("411671400", "测试乡", "street", "411671", rect(113.00, 34.00, 113.01, 34.01)));
	json_array_append_new(
	        a, feat("411671400200", "测试村", "community", "411671400", rect(113.00, 34.00, 113.01, 34.01)));
	json_array_append_new(a, feat("411671400200001", "测试村第1网格", "grid", "411671400200",
	                              rect(113.00, 34.00, 113.01, 34.01)));
	json_t *fc = fc_of(a);
	import_ok(f->db, fc, 4, 0, 0);
	json_decref(fc);
	struct unit_dir *d;
	struct buf err;
	buf_init(&err, 256);
	assert_int_equal(unit_dir_load(f->db, &d, &err), 0);
	buf_release(&err);
	int32_t at = unit_dir_locate(d, 34.005, 113.005);
	assert_true(at >= 0);
	assert_string_equal(d->e[at].code, "411671400200001");
	at = unit_dir_locate(d, 35.705, 115.015);
	assert_string_equal(d->e[at].code, M21);
	unit_dir_free(d);
	/* Two zones overlapping each other are siblings at the top: refused. */
	a = json_array();
	json_array_append_new(a, feat("411672", "重叠的开发区", "zone", NULL, rect(113.005, 34.005, 113.02, 34.02)));
	fc = fc_of(a);
	struct import_result res;
	import_refused(f->db, fc, &res);
	json_t *p = problem_of(&res, "overlap", "411672");
	assert_string_equal(json_string_value(json_object_get(p, "other_code")), "411671");
	json_decref(res.problems);
	json_decref(fc);
}

/* ---- the report as text ------------------------------------------------- */

static void test_unit_import_print_lines(void **state)
{
	struct fixture *f = *state;
	import_clean(f->db);
	json_t *fc = defect_base();
	set_geometry(fc, 6, rect(115.00, 35.70, 115.01, 35.709));
	json_object_set_new(props(fc, 9), "level", json_string("grid "));
	json_object_del(props(fc, 8), "code");
	struct import_result res;
	import_refused(f->db, fc, &res);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	assert_non_null(mem);
	unit_import_print(&res, "zone.geojson", mem);
	fclose(mem);
	assert_non_null(strstr(text, "zone.geojson: feature 8 [missing_code] properties.code is missing\n"));
	assert_non_null(strstr(text, "zone.geojson: feature 9 (code " M22 ") [bad_level] level must be zone, street,"));
	/* The shrunk micro-grid leaves a gap in grid 1. */
	assert_non_null(strstr(text, "zone.geojson: feature 4 (code " G1 ") [gap] its children leave 5.00% ("));
	/* One line per problem. */
	size_t lines = 0;
	for (const char *q = text; *q; q++)
		lines += *q == '\n';
	assert_int_equal(lines, 3);
	assert_int_equal(json_array_size(res.problems), 3);
	free(text);
	json_decref(res.problems);
	json_decref(fc);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_unit_import_clean_hierarchy_adds_every_unit),
	        T(test_unit_import_reimport_unchanged_counts_unchanged),
	        T(test_unit_import_changed_name_updates_with_history),
	        T(test_unit_import_changed_geometry_updates_with_history),
	        T(test_unit_import_dry_run_writes_nothing),
	        T(test_unit_import_units_absent_from_the_file_stay),
	        T(test_unit_import_zone_and_street_need_no_geometry),
	        T(test_unit_import_refuses_not_a_feature_collection),
	        T(test_unit_import_refuses_missing_code),
	        T(test_unit_import_refuses_non_digit_code),
	        T(test_unit_import_refuses_duplicate_code),
	        T(test_unit_import_refuses_duplicate_new_code),
	        T(test_unit_import_refuses_bad_level_and_name),
	        T(test_unit_import_refuses_missing_geometry_from_community_down),
	        T(test_unit_import_refuses_non_polygon_geometry),
	        T(test_unit_import_refuses_too_few_points),
	        T(test_unit_import_refuses_unclosed_ring),
	        T(test_unit_import_refuses_out_of_range_coordinate),
	        T(test_unit_import_refuses_self_intersection),
	        T(test_unit_import_refuses_ring_self_intersection_and_bad_holes),
	        T(test_unit_import_refuses_unknown_parent),
	        T(test_unit_import_refuses_wrong_parent_level),
	        T(test_unit_import_refuses_level_change_of_stored_unit),
	        T(test_unit_import_problem_in_new_parent_is_reported_once),
	        T(test_unit_import_left_out_feature_causes_no_other_problem),
	        T(test_unit_import_refuses_child_outside_parent),
	        T(test_unit_import_accepts_child_outside_parent_within_tolerance),
	        T(test_unit_import_refuses_overlapping_siblings),
	        T(test_unit_import_accepts_overlap_within_tolerance),
	        T(test_unit_import_refuses_gap),
	        T(test_unit_import_gap_in_stored_parent_has_no_feature),
	        T(test_unit_import_one_bad_feature_among_many_imports_nothing),
	        T(test_unit_import_reports_every_problem),
	        T(test_unit_import_caps_the_report),
	        T(test_unit_import_checks_children_against_stored_parents),
	        T(test_unit_import_second_zone_in_the_same_store),
	        T(test_unit_import_print_lines),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
