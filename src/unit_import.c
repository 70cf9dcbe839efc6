/*
 * unit_import.c — GeoJSON import of units with GEOS validation; see
 * unit_import.h for what is checked and what is written.
 *
 * The import works on a merged view: every unit of the store, overlaid by
 * the features of the file (matched by code). Structural checks run on each
 * feature; geometric checks (validity, containment in the parent, overlaps
 * between siblings, gaps in a parent) run with GEOS's reentrant API on the
 * features of the file and the stored units they touch. Geometries that are
 * invalid take no part in the relation checks (GEOS results on them would be
 * noise); their own problem is reported instead.
 */
#include "unit_import.h"
#include "db.h"
#include "geom.h"
#include "text.h"
#include "timeutil.h"
#include "units.h"

#include <geos_c.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROBLEMS 1000
#define MAX_FEATURES 500000

struct item {
	int feature; /* 1-based position in the file; 0 when only stored */
	char *code, *name, *parent_code;
	int level;
	struct shape shape;
	int has_shape;   /* shape parsed (file) or loaded (store) */
	GEOSGeometry *g; /* built on demand */
	const GEOSPreparedGeometry *prep;
	int valid;  /* 1 valid, 0 invalid, -1 not checked */
	int parent; /* index into items, -1 none */
	/* stored state */
	int64_t store_id;
	int store_level, store_version;
	char *store_name, *store_parent_code, *store_geometry;
	int64_t store_updated_at;
	char *new_geometry; /* normalised GeoJSON text to store */
	int overlap_reported;
	/* A feature with a problem of its own takes no part in the relation
	 * checks, and the coverage of its parents is not judged (its absence
	 * would show as a gap): its own problem is what gets reported. */
	int broken;
	int dropped;   /* broken while reading: a placeholder for its code */
	int skip_gap;  /* a child is broken */
	int duplicate; /* a later feature with the code of an earlier one */
};

struct ctx {
	struct db *db;
	const struct import_options *o;
	struct import_result *res;
	GEOSContextHandle_t h;
	struct item *items;
	size_t n, cap;
	size_t *by_code; /* item indices sorted by code */
	int problems;
	char **dropped_parents; /* parent codes named by features left out while reading */
	size_t ndropped;
	int skip_all_gaps; /* too many of those to keep */
	/* A feature whose parent is unknown might belong to any unit of the level
	 * above: none of them has its coverage judged. */
	int skip_gap_level[UL__COUNT];
};

#define MAX_DROPPED_PARENTS 1000

void import_options_init(struct import_options *o)
{
	memset(o, 0, sizeof *o);
	o->outside_tolerance = 0.001;
	o->overlap_tolerance_m2 = 1.0;
	o->gap_tolerance = 0.001;
	o->actor = "unknown";
	o->source = "";
}

/* ---- problems ----------------------------------------------------------- */

static json_t *problem(struct ctx *c, const struct item *it, int feature, const char *code, const char *kind,
                       const char *zh, const char *en)
{
	if (c->problems >= MAX_PROBLEMS) {
		if (c->problems++ == MAX_PROBLEMS)
			json_array_append_new(c->res->problems,
			                      json_pack("{s:n,s:n,s:s,s:s,s:s}", "feature", "code", "kind",
			                                "too_many_problems", "message", "问题过多,其余未列出",
			                                "message_en", "too many problems; the rest are not listed"));
		return NULL;
	}
	c->problems++;
	if (it) {
		feature = it->feature;
		code = it->code;
	}
	json_t *p =
	        json_pack("{s:o,s:o,s:s,s:s,s:s}", "feature", feature > 0 ? json_integer(feature) : json_null(), "code",
	                  code ? json_string(code) : json_null(), "kind", kind, "message", zh, "message_en", en);
	json_array_append_new(c->res->problems, p);
	return p;
}

/* ---- items -------------------------------------------------------------- */

static void item_release(struct ctx *c, struct item *it)
{
	free(it->code);
	free(it->name);
	free(it->parent_code);
	free(it->store_name);
	free(it->store_parent_code);
	free(it->store_geometry);
	free(it->new_geometry);
	shape_release(&it->shape);
	if (it->prep)
		GEOSPreparedGeom_destroy_r(c->h, it->prep);
	if (it->g)
		GEOSGeom_destroy_r(c->h, it->g);
}

static struct item *item_new(struct ctx *c)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct item *p = realloc(c->items, cap * sizeof *p);
		if (!p)
			return NULL;
		c->items = p;
		c->cap = cap;
	}
	struct item *it = &c->items[c->n++];
	memset(it, 0, sizeof *it);
	shape_init(&it->shape);
	it->valid = -1;
	it->parent = -1;
	it->store_level = -1;
	return it;
}

static struct ctx *sort_ctx; /* qsort has no context argument; import is not reentrant on one thread */

static int cmp_code(const void *a, const void *b)
{
	return strcmp(sort_ctx->items[*(const size_t *)a].code, sort_ctx->items[*(const size_t *)b].code);
}

static int build_code_index(struct ctx *c)
{
	free(c->by_code);
	c->by_code = malloc((c->n ? c->n : 1) * sizeof *c->by_code);
	if (!c->by_code)
		return -1;
	for (size_t i = 0; i < c->n; i++)
		c->by_code[i] = i;
	sort_ctx = c;
	qsort(c->by_code, c->n, sizeof *c->by_code, cmp_code);
	sort_ctx = NULL;
	return 0;
}

static long find_code(const struct ctx *c, size_t n_sorted, const char *code)
{
	size_t lo = 0, hi = n_sorted;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->items[c->by_code[mid]].code, code);
		if (d == 0)
			return (long)c->by_code[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static const char SQL_IMPORT_LOAD[] =
        "SELECT u.id, u.code, u.name, u.level, p.code, u.geometry, u.version, u.updated_at FROM units u"
        " LEFT JOIN units p ON p.id = u.parent_id";

static int load_store(struct ctx *c)
{
	struct db_stmt *st = db_prepare(c->db, SQL_IMPORT_LOAD);
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct item *it = item_new(c);
		if (!it) {
			db_stmt_done(st);
			return -1;
		}
		it->store_id = db_col_i64(st, 0);
		it->code = strdup(db_col_text(st, 1));
		it->store_name = strdup(db_col_text(st, 2));
		it->store_level = unit_level_parse(db_col_text(st, 3));
		it->level = it->store_level;
		it->store_parent_code = db_col_is_null(st, 4) ? NULL : strdup(db_col_text(st, 4));
		it->store_geometry = db_col_is_null(st, 5) ? NULL : strdup(db_col_text(st, 5));
		it->store_version = (int)db_col_i64(st, 6);
		it->store_updated_at = db_col_i64(st, 7);
		it->name = it->store_name ? strdup(it->store_name) : NULL;
		it->parent_code = it->store_parent_code ? strdup(it->store_parent_code) : NULL;
		if (!it->code || !it->name) {
			db_stmt_done(st);
			return -1;
		}
	}
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Parses a stored geometry on first use. */
static void ensure_store_shape(struct ctx *c, struct item *it)
{
	(void)c;
	if (it->has_shape || it->feature || !it->store_geometry)
		return;
	json_t *g = json_loads(it->store_geometry, 0, NULL);
	struct zerr e;
	if (g && shape_from_geojson(g, &it->shape, &e) == 0)
		it->has_shape = 1;
	json_decref(g);
}

/* ---- reading the file --------------------------------------------------- */

static int code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* A feature with a structural problem is left out of the merged view. Its
 * code stays known, as a placeholder (or the stored unit of that code, which
 * then stands for neither version), so that features naming it as their
 * parent are not reported as orphans; it takes no part in the relation
 * checks, and the coverage of its parents is not judged. */
static int drop_feature(struct ctx *c, int feature, const char *code, int level, json_t *props, size_t n_sorted)
{
	const char *parent = json_string_value(json_object_get(props, "parent_code"));
	if (parent && c->ndropped < MAX_DROPPED_PARENTS) {
		if (!c->dropped_parents &&
		    !(c->dropped_parents = calloc(MAX_DROPPED_PARENTS, sizeof *c->dropped_parents)))
			return -1;
		if (!(c->dropped_parents[c->ndropped++] = strdup(parent)))
			return -1;
	} else if (parent) {
		c->skip_all_gaps = 1;
	} else if (level > UL_ZONE) {
		c->skip_gap_level[level - 1] = 1;
	}
	if (!code || !code_ok(code))
		return 0;
	long at = find_code(c, n_sorted, code);
	struct item *it;
	if (at >= 0) {
		it = &c->items[at];
		if (it->feature)
			return 0; /* an earlier feature has the code */
	} else {
		if (!(it = item_new(c)) || !(it->code = strdup(code)))
			return -1;
		it->level = level;
	}
	it->feature = feature;
	it->broken = it->dropped = 1;
	return 0;
}

/* Reads one feature into the merged view; structural problems reported. */
static int read_feature(struct ctx *c, json_t *f, int feature, size_t n_sorted)
{
	char zh[300], en[300];
	if (!json_is_object(f) || !json_is_string(json_object_get(f, "type")) ||
	    strcmp(json_string_value(json_object_get(f, "type")), "Feature") != 0) {
		problem(c, NULL, feature, NULL, "bad_feature", "不是 GeoJSON Feature 对象",
		        "not a GeoJSON Feature object");
		return 0;
	}
	json_t *props = json_object_get(f, "properties");
	json_t *jcode = json_object_get(props, "code");
	if (!json_is_object(props) || !jcode || json_is_null(jcode)) {
		problem(c, NULL, feature, NULL, "missing_code", "缺少 properties.code", "properties.code is missing");
		return drop_feature(c, feature, NULL, -1, props, n_sorted);
	}
	const char *code = json_string_value(jcode);
	if (!code || !code_ok(code)) {
		problem(c, NULL, feature, code, "bad_code", "编码须为1至32位数字", "code must be 1-32 digits");
		return drop_feature(c, feature, NULL, -1, props, n_sorted);
	}
	const char *name = json_string_value(json_object_get(props, "name"));
	const char *level_s = json_string_value(json_object_get(props, "level"));
	json_t *jparent = json_object_get(props, "parent_code");
	const char *parent = json_string_value(jparent);
	int level = unit_level_parse(level_s);
	int bad = 0;
	if (!name || utf8_chars(name) < 1 || utf8_chars(name) > 64 || text_has_control(name)) {
		problem(c, NULL, feature, code, "bad_name", "名称须为1至64个字符", "name must be 1-64 characters");
		bad = 1;
	}
	if (level < 0) {
		problem(c, NULL, feature, code, "bad_level", "层级须为 zone、street、community、grid 或 microgrid",
		        "level must be zone, street, community, grid or microgrid");
		bad = 1;
	}
	if (jparent && !json_is_null(jparent) && (!parent || !code_ok(parent))) {
		problem(c, NULL, feature, code, "unknown_parent", "上级编码须为1至32位数字",
		        "parent_code must be 1-32 digits");
		bad = 1;
	}
	json_t *geometry = json_object_get(f, "geometry");
	struct shape shape;
	shape_init(&shape);
	int has_shape = 0;
	if (geometry && !json_is_null(geometry)) {
		struct zerr e;
		zerr_clear(&e);
		if (shape_from_geojson(geometry, &shape, &e)) {
			problem(c, NULL, feature, code, "bad_geometry", e.zh, e.en);
			bad = 1;
		} else {
			has_shape = 1;
		}
	} else if (level >= UL_COMMUNITY) {
		snprintf(zh, sizeof zh, "%s须有多边形", unit_level_zh(level));
		snprintf(en, sizeof en, "a %s needs a polygon geometry", unit_level_name(level));
		problem(c, NULL, feature, code, "missing_geometry", zh, en);
		bad = 1;
	}
	if (bad) {
		shape_release(&shape);
		return drop_feature(c, feature, code, level, props, n_sorted);
	}
	/* Overlay on the stored unit of the same code, or add. */
	long at = find_code(c, n_sorted, code);
	struct item *it;
	if (at >= 0 && c->items[at].feature) {
		snprintf(zh, sizeof zh, "编码与第 %d 个要素重复", c->items[at].feature);
		snprintf(en, sizeof en, "duplicate code: also feature %d", c->items[at].feature);
		problem(c, NULL, feature, code, "duplicate_code", zh, en);
		shape_release(&shape);
		return drop_feature(c, feature, NULL, -1, props, n_sorted);
	}
	if (at >= 0) {
		it = &c->items[at];
	} else {
		it = item_new(c);
		if (!it) {
			shape_release(&shape);
			return -1;
		}
		it->code = strdup(code);
	}
	free(it->name);
	free(it->parent_code);
	shape_release(&it->shape);
	it->feature = feature;
	it->name = strdup(name);
	it->parent_code = parent ? strdup(parent) : NULL;
	it->level = level;
	it->shape = shape;
	it->has_shape = has_shape;
	if (!it->code || !it->name || (parent && !it->parent_code))
		return -1;
	return 0;
}

/* ---- GEOS --------------------------------------------------------------- */

static GEOSGeometry *ring_geos(struct ctx *c, const struct shape *s, uint32_t r)
{
	uint32_t start = r ? s->ring_end[r - 1] : 0, n = s->ring_end[r] - start;
	GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(c->h, s->xy + 2 * start, n, 0, 0);
	return seq ? GEOSGeom_createLinearRing_r(c->h, seq) : NULL;
}

static GEOSGeometry *shape_geos(struct ctx *c, const struct shape *s)
{
	GEOSGeometry **polys = calloc(s->npolys, sizeof *polys);
	if (!polys)
		return NULL;
	uint32_t ok = 0;
	for (uint32_t p = 0; p < s->npolys; p++) {
		uint32_t r0 = s->poly_ring[p], r1 = p + 1 < s->npolys ? s->poly_ring[p + 1] : s->nrings;
		GEOSGeometry *shell = ring_geos(c, s, r0);
		GEOSGeometry **holes = r1 - r0 > 1 ? calloc(r1 - r0 - 1, sizeof *holes) : NULL;
		int fine = shell != NULL && (r1 - r0 == 1 || holes);
		for (uint32_t r = r0 + 1; fine && r < r1; r++)
			fine = (holes[r - r0 - 1] = ring_geos(c, s, r)) != NULL;
		if (fine) {
			polys[p] = GEOSGeom_createPolygon_r(c->h, shell, holes, r1 - r0 - 1);
			fine = polys[p] != NULL;
		} else {
			if (shell)
				GEOSGeom_destroy_r(c->h, shell);
			for (uint32_t k = 0; holes && k < r1 - r0 - 1; k++)
				if (holes[k])
					GEOSGeom_destroy_r(c->h, holes[k]);
		}
		free(holes);
		if (!fine)
			break;
		ok++;
	}
	GEOSGeometry *g = NULL;
	if (ok == s->npolys)
		g = s->npolys == 1 ? polys[0] : GEOSGeom_createCollection_r(c->h, GEOS_MULTIPOLYGON, polys, s->npolys);
	else
		for (uint32_t k = 0; k < ok; k++)
			GEOSGeom_destroy_r(c->h, polys[k]);
	free(polys);
	return g;
}

static const struct {
	const char *geos, *zh;
} reasons[] = {
        {"Self-intersection", "多边形自相交"},
        {"Ring Self-intersection", "环自相交"},
        {"Hole lies outside shell", "内环位于外环之外"},
        {"Holes are nested", "内环相互嵌套"},
        {"Interior is disconnected", "多边形内部不连通"},
        {"Nested shells", "外环相互嵌套"},
        {"Duplicate Rings", "存在重复的环"},
        {"Too few points in geometry component", "几何分量点数过少"},
        {"Invalid Coordinate", "坐标无效"},
        {"Ring is not closed", "环未闭合"},
};

/* Builds the GEOS geometry of an item and checks validity once. */
static int item_geos(struct ctx *c, struct item *it)
{
	if (it->valid >= 0)
		return it->valid;
	ensure_store_shape(c, it);
	it->valid = 0;
	if (!it->has_shape)
		return 0;
	it->g = shape_geos(c, &it->shape);
	if (!it->g) {
		if (it->feature)
			problem(c, it, 0, NULL, "invalid_geometry", "无法构造几何图形", "the geometry cannot be built");
		return 0;
	}
	char *reason = NULL;
	GEOSGeometry *loc = NULL;
	char v = GEOSisValidDetail_r(c->h, it->g, 0, &reason, &loc);
	if (v == 1) {
		it->valid = 1;
	} else if (it->feature) {
		double x = NAN, y = NAN;
		if (loc) {
			GEOSGeomGetX_r(c->h, loc, &x);
			GEOSGeomGetY_r(c->h, loc, &y);
		}
		const char *zh = "几何图形无效";
		for (size_t i = 0; reason && i < sizeof reasons / sizeof reasons[0]; i++)
			if (strcmp(reason, reasons[i].geos) == 0)
				zh = reasons[i].zh;
		char mzh[300], men[300];
		snprintf(mzh, sizeof mzh, "%s,位置 (%.7f, %.7f)", zh, y, x);
		snprintf(men, sizeof men, "%s at (%.7f, %.7f)", reason ? reason : "invalid geometry", y, x);
		json_t *p = problem(c, it, 0, NULL, "invalid_geometry", mzh, men);
		if (p && loc)
			json_object_set_new(p, "position", json_pack("{s:f,s:f}", "lat", y, "lon", x));
	}
	if (reason)
		GEOSFree_r(c->h, reason);
	if (loc)
		GEOSGeom_destroy_r(c->h, loc);
	return it->valid;
}

static double area_m2(struct ctx *c, const GEOSGeometry *g, double lat)
{
	double a = 0;
	if (!g || !GEOSArea_r(c->h, g, &a))
		return 0;
	return geom_deg2_to_m2(a, lat);
}

static double mid_lat(const struct item *it)
{
	return (it->shape.box.miny + it->shape.box.maxy) / 2;
}

/* ---- relation checks ---------------------------------------------------- */

/* A code new to the store may appear more than once in the file (read_feature
 * catches repeats of stored codes only): the first feature keeps it, the
 * others are reported and left out. Runs on the full code index; rebuilds it. */
static int drop_duplicates(struct ctx *c)
{
	size_t removed = 0;
	for (size_t a = 0; a < c->n;) {
		size_t b = a + 1;
		while (b < c->n && strcmp(c->items[c->by_code[b]].code, c->items[c->by_code[a]].code) == 0)
			b++;
		if (b - a > 1) {
			struct item *first = &c->items[c->by_code[a]];
			for (size_t k = a + 1; k < b; k++)
				if (c->items[c->by_code[k]].feature < first->feature)
					first = &c->items[c->by_code[k]];
			for (size_t k = a; k < b; k++) {
				struct item *it = &c->items[c->by_code[k]];
				if (it == first)
					continue;
				char zh[300], en[300];
				snprintf(zh, sizeof zh, "编码与第 %d 个要素重复", first->feature);
				snprintf(en, sizeof en, "duplicate code: also feature %d", first->feature);
				problem(c, it, 0, NULL, "duplicate_code", zh, en);
				it->duplicate = 1;
				first->broken = 1; /* which of them is meant is not known */
				removed++;
			}
		}
		a = b;
	}
	if (!removed)
		return 0;
	size_t m = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (c->items[i].duplicate)
			item_release(c, &c->items[i]);
		else
			c->items[m++] = c->items[i];
	}
	c->n = m;
	return build_code_index(c);
}

/* The parent (by code) of a broken feature: its coverage is not judged. */
static void skip_gap_of(struct ctx *c, const char *code)
{
	long p = code ? find_code(c, c->n, code) : -1;
	if (p >= 0)
		c->items[p].skip_gap = 1;
}

static void mark_broken(struct ctx *c, struct item *it)
{
	it->broken = 1;
	skip_gap_of(c, it->parent_code);
	skip_gap_of(c, it->store_parent_code);
}

static int resolve_parents(struct ctx *c)
{
	char zh[300], en[300];
	size_t n = c->n;
	for (size_t i = 0; i < n; i++) {
		struct item *it = &c->items[i];
		if (!it->feature || it->dropped)
			continue;
		if (it->store_level >= 0 && it->store_level != it->level) {
			snprintf(zh, sizeof zh, "不能把已有单元的层级从 %s 改为 %s", unit_level_name(it->store_level),
			         unit_level_name(it->level));
			snprintf(en, sizeof en, "cannot change the level of a stored unit from %s to %s",
			         unit_level_name(it->store_level), unit_level_name(it->level));
			problem(c, it, 0, NULL, "level_changed", zh, en);
			mark_broken(c, it);
		}
		if (it->level == UL_ZONE) {
			if (it->parent_code) {
				problem(c, it, 0, NULL, "wrong_parent_level", "开发区不能有上级单元",
				        "a zone has no parent");
				mark_broken(c, it);
			}
			continue;
		}
		if (!it->parent_code) {
			problem(c, it, 0, NULL, "unknown_parent", "缺少上级编码 parent_code", "parent_code is missing");
			mark_broken(c, it);
			c->skip_gap_level[it->level - 1] = 1;
			continue;
		}
		long p = find_code(c, c->n, it->parent_code);
		if (p < 0) {
			snprintf(zh, sizeof zh, "上级单元 %s 既不在文件中也不在库中", it->parent_code);
			snprintf(en, sizeof en, "parent %s is neither in the file nor in the store", it->parent_code);
			problem(c, it, 0, NULL, "unknown_parent", zh, en);
			mark_broken(c, it);
			c->skip_gap_level[it->level - 1] = 1;
			continue;
		}
		if (c->items[p].dropped) {
			mark_broken(c, it); /* the parent's own problem is reported */
			continue;
		}
		if (c->items[p].level != it->level - 1) {
			snprintf(zh, sizeof zh, "%s的上级须为%s,而 %s 是%s", unit_level_zh(it->level),
			         unit_level_zh(it->level - 1), it->parent_code, unit_level_zh(c->items[p].level));
			snprintf(en, sizeof en, "the parent of a %s must be a %s, but %s is a %s",
			         unit_level_name(it->level), unit_level_name(it->level - 1), it->parent_code,
			         unit_level_name(c->items[p].level));
			problem(c, it, 0, NULL, "wrong_parent_level", zh, en);
			mark_broken(c, it);
			c->skip_gap_level[it->level - 1] = 1;
			continue;
		}
		it->parent = (int)p;
	}
	/* Features left out while reading, and features sharing a code. */
	for (size_t i = 0; i < c->ndropped; i++)
		skip_gap_of(c, c->dropped_parents[i]);
	for (size_t i = 0; i < n; i++)
		if (c->items[i].broken)
			mark_broken(c, &c->items[i]);
	/* Stored units keep their stored parent. */
	for (size_t i = 0; i < n; i++) {
		struct item *it = &c->items[i];
		if (!it->feature && it->parent_code)
			it->parent = (int)find_code(c, c->n, it->parent_code);
	}
	return 0;
}

static void check_outside_parent(struct ctx *c, struct item *it)
{
	struct item *p = &c->items[it->parent];
	if (!item_geos(c, p) || !item_geos(c, it))
		return;
	if (!p->prep)
		p->prep = GEOSPrepare_r(c->h, p->g);
	if (p->prep && GEOSPreparedContains_r(c->h, p->prep, it->g) == 1)
		return;
	GEOSGeometry *diff = GEOSDifference_r(c->h, it->g, p->g);
	double out = area_m2(c, diff, mid_lat(it)), all = area_m2(c, it->g, mid_lat(it));
	if (diff)
		GEOSGeom_destroy_r(c->h, diff);
	double share = all > 0 ? out / all : 0;
	if (share <= c->o->outside_tolerance)
		return;
	char zh[300], en[300];
	snprintf(zh, sizeof zh, "有 %.1f 平方米(%.2f%%)在上级单元 %s 之外", out, share * 100, p->code);
	snprintf(en, sizeof en, "%.1f m² (%.2f%%) lie outside the parent %s", out, share * 100, p->code);
	json_t *pr = problem(c, it, 0, NULL, "outside_parent", zh, en);
	if (pr)
		json_object_set_new(pr, "area_m2", json_real(round(out * 10) / 10));
}

/* What an STRtree query found: indices into items. */
struct family {
	size_t *kids;
	size_t n;
};

static void strtree_collect(void *item, void *userdata)
{
	struct family *f = userdata;
	f->kids[f->n++] = (size_t)(uintptr_t)item;
}

/* Overlaps among the children of one parent (or among zones). */
static int check_family(struct ctx *c, const size_t *kids, size_t nkids, int *overlaps_found)
{
	GEOSSTRtree *tree = GEOSSTRtree_create_r(c->h, 10);
	struct family hits = {malloc((nkids ? nkids : 1) * sizeof(size_t)), 0};
	if (!tree || !hits.kids) {
		if (tree)
			GEOSSTRtree_destroy_r(c->h, tree);
		free(hits.kids);
		return -1;
	}
	for (size_t k = 0; k < nkids; k++)
		GEOSSTRtree_insert_r(c->h, tree, c->items[kids[k]].g, (void *)(uintptr_t)kids[k]);
	for (size_t k = 0; k < nkids; k++) {
		struct item *a = &c->items[kids[k]];
		if (!a->feature)
			continue;
		hits.n = 0;
		GEOSSTRtree_query_r(c->h, tree, a->g, strtree_collect, &hits);
		for (size_t j = 0; j < hits.n; j++) {
			struct item *b = &c->items[hits.kids[j]];
			if (b == a || (b->feature && hits.kids[j] < kids[k]))
				continue; /* each pair once */
			if (GEOSIntersects_r(c->h, a->g, b->g) != 1)
				continue;
			GEOSGeometry *x = GEOSIntersection_r(c->h, a->g, b->g);
			double m2 = area_m2(c, x, mid_lat(a));
			if (x)
				GEOSGeom_destroy_r(c->h, x);
			if (m2 <= c->o->overlap_tolerance_m2)
				continue;
			*overlaps_found = 1;
			char zh[300], en[300];
			snprintf(zh, sizeof zh, "与同级单元 %s 重叠 %.1f 平方米", b->code, m2);
			snprintf(en, sizeof en, "overlaps its sibling %s by %.1f m²", b->code, m2);
			json_t *pr = problem(c, a, 0, NULL, "overlap", zh, en);
			if (pr) {
				json_object_set_new(pr, "other_code", json_string(b->code));
				json_object_set_new(pr, "area_m2", json_real(round(m2 * 10) / 10));
			}
		}
	}
	GEOSSTRtree_destroy_r(c->h, tree);
	free(hits.kids);
	return 0;
}

static void check_gap(struct ctx *c, struct item *p, const size_t *kids, size_t nkids)
{
	GEOSGeometry **gs = malloc(nkids * sizeof *gs);
	if (!gs)
		return;
	for (size_t k = 0; k < nkids; k++)
		gs[k] = GEOSGeom_clone_r(c->h, c->items[kids[k]].g);
	GEOSGeometry *coll = GEOSGeom_createCollection_r(c->h, GEOS_GEOMETRYCOLLECTION, gs, (unsigned)nkids);
	free(gs);
	if (!coll)
		return;
	GEOSGeometry *u = GEOSUnaryUnion_r(c->h, coll);
	GEOSGeom_destroy_r(c->h, coll);
	if (!u)
		return;
	GEOSGeometry *left = GEOSDifference_r(c->h, p->g, u);
	GEOSGeom_destroy_r(c->h, u);
	double gap = area_m2(c, left, mid_lat(p)), all = area_m2(c, p->g, mid_lat(p));
	if (left)
		GEOSGeom_destroy_r(c->h, left);
	double share = all > 0 ? gap / all : 0;
	if (share <= c->o->gap_tolerance)
		return;
	char zh[300], en[300];
	snprintf(zh, sizeof zh, "下级单元未覆盖本单元的 %.2f%%(%.1f 平方米)", share * 100, gap);
	snprintf(en, sizeof en, "its children leave %.2f%% (%.1f m²) of it uncovered", share * 100, gap);
	json_t *pr = problem(c, p, p->feature ? 0 : -1, p->code, "gap", zh, en);
	if (pr) {
		json_object_set_new(pr, "share", json_real(round(share * 10000) / 10000));
		json_object_set_new(pr, "area_m2", json_real(round(gap * 10) / 10));
	}
}

static int cmp_parent(const void *a, const void *b)
{
	const struct item *x = &sort_ctx->items[*(const size_t *)a], *y = &sort_ctx->items[*(const size_t *)b];
	return (x->parent > y->parent) - (x->parent < y->parent);
}

static int check_geometry(struct ctx *c)
{
	/* Validity of every geometry in the file. */
	for (size_t i = 0; i < c->n; i++) {
		struct item *it = &c->items[i];
		if (it->feature && it->has_shape && !item_geos(c, it))
			mark_broken(c, it);
	}
	/* Containment in the parent. */
	for (size_t i = 0; i < c->n; i++) {
		struct item *it = &c->items[i];
		if (it->feature && it->valid == 1 && it->parent >= 0 && !it->broken)
			check_outside_parent(c, it);
	}
	/* Families: children grouped by parent, with geometry. */
	size_t *order = malloc((c->n ? c->n : 1) * sizeof *order);
	if (!order)
		return -1;
	size_t m = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct item *it = &c->items[i];
		if ((it->parent >= 0 || it->level == UL_ZONE) && !it->broken)
			order[m++] = i;
	}
	sort_ctx = c;
	qsort(order, m, sizeof *order, cmp_parent);
	sort_ctx = NULL;
	size_t *kids = malloc((m ? m : 1) * sizeof *kids);
	if (!kids) {
		free(order);
		return -1;
	}
	for (size_t a = 0; a < m;) {
		size_t b = a;
		int parent = c->items[order[a]].parent, any_file = 0;
		while (b < m && c->items[order[b]].parent == parent)
			any_file |= c->items[order[b++]].feature > 0;
		struct item *p = parent >= 0 ? &c->items[parent] : NULL;
		if (any_file || (p && p->feature)) {
			size_t nk = 0;
			for (size_t k = a; k < b; k++)
				if (item_geos(c, &c->items[order[k]]))
					kids[nk++] = order[k];
			int overlaps = 0;
			if (nk > 1 && check_family(c, kids, nk, &overlaps))
				goto oom;
			if (p && nk > 0 && !overlaps && !p->skip_gap && !c->skip_all_gaps &&
			    !c->skip_gap_level[p->level] && item_geos(c, p))
				check_gap(c, p, kids, nk);
		}
		a = b;
	}
	free(order);
	free(kids);
	return 0;
oom:
	free(order);
	free(kids);
	return -1;
}

/* ---- writing ------------------------------------------------------------ */

static const char SQL_IMPORT_ROW[] = "INSERT INTO imports (at, actor, kind, source, added, updated, unchanged)"
                                     " VALUES (?, ?, 'units', ?, ?, ?, ?) RETURNING id";
static const char SQL_UNIT_INSERT[] =
        "INSERT INTO units (code, name, level, parent_id, geometry, label_lat, label_lon, area_m2, version, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id";
static const char SQL_UNIT_HISTORY[] =
        "INSERT INTO unit_history (unit_id, version, code, name, level, parent_code, geometry, valid_from, valid_to,"
        " import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_UNIT_UPDATE[] =
        "UPDATE units SET name = ?, parent_id = ?, geometry = ?, label_lat = ?, label_lon = ?, area_m2 = ?,"
        " version = version + 1, updated_at = ? WHERE id = ?";

/* The geometry as it will be stored (normalised GeoJSON text), computed once. */
static const char *new_geometry(struct item *it)
{
	if (!it->new_geometry && it->has_shape) {
		json_t *g = shape_to_geojson(&it->shape);
		it->new_geometry = json_dumps(g, JSON_COMPACT | JSON_REAL_PRECISION(15));
		json_decref(g);
	}
	return it->new_geometry;
}

static int changed(struct item *it)
{
	const char *g = new_geometry(it);
	int same_geom = (!g && !it->store_geometry) || (g && it->store_geometry && strcmp(g, it->store_geometry) == 0);
	int same_parent =
	        (!it->parent_code && !it->store_parent_code) ||
	        (it->parent_code && it->store_parent_code && strcmp(it->parent_code, it->store_parent_code) == 0);
	return !same_geom || !same_parent || strcmp(it->name, it->store_name) != 0;
}

static int count_changes(struct ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct item *it = &c->items[i];
		if (!it->feature)
			continue;
		if (!it->store_id)
			c->res->added++;
		else if (changed(it))
			c->res->updated++;
		else
			c->res->unchanged++;
	}
	return 0;
}

static int cmp_level(const void *a, const void *b)
{
	const struct item *x = &sort_ctx->items[*(const size_t *)a], *y = &sort_ctx->items[*(const size_t *)b];
	return (x->level > y->level) - (x->level < y->level);
}

static int write_unit(struct ctx *c, struct item *it, int64_t import_id, int64_t now)
{
	double lat = 0, lon = 0, m2 = 0;
	int has_label = 0;
	if (it->has_shape && item_geos(c, it)) {
		GEOSGeometry *pt = GEOSPointOnSurface_r(c->h, it->g);
		if (pt && GEOSGeomGetX_r(c->h, pt, &lon) && GEOSGeomGetY_r(c->h, pt, &lat))
			has_label = 1;
		if (pt)
			GEOSGeom_destroy_r(c->h, pt);
		m2 = area_m2(c, it->g, mid_lat(it));
	}
	int64_t parent_id = it->parent >= 0 ? c->items[it->parent].store_id : 0;
	struct db_stmt *st;
	int rc;
	if (!it->store_id) {
		st = db_prepare(c->db, SQL_UNIT_INSERT);
		if (!st)
			return -1;
		db_bind_text(st, 1, it->code);
		db_bind_text(st, 2, it->name);
		db_bind_text(st, 3, unit_level_name(it->level));
		if (parent_id)
			db_bind_i64(st, 4, parent_id);
		else
			db_bind_null(st, 4);
		db_bind_text(st, 5, new_geometry(it));
		if (has_label) {
			db_bind_double(st, 6, lat);
			db_bind_double(st, 7, lon);
			db_bind_double(st, 8, m2);
		} else {
			db_bind_null(st, 6);
			db_bind_null(st, 7);
			db_bind_null(st, 8);
		}
		db_bind_i64(st, 9, now);
		db_bind_i64(st, 10, now);
		rc = db_step(st);
		if (rc == DB_ROW)
			it->store_id = db_col_i64(st, 0);
		if (rc == DB_ROW)
			rc = db_step(st);
		db_stmt_done(st);
		return rc == DB_DONE && it->store_id ? 0 : -1;
	}
	if (!changed(it))
		return 0;
	st = db_prepare(c->db, SQL_UNIT_HISTORY);
	if (!st)
		return -1;
	db_bind_i64(st, 1, it->store_id);
	db_bind_i64(st, 2, it->store_version);
	db_bind_text(st, 3, it->code);
	db_bind_text(st, 4, it->store_name);
	db_bind_text(st, 5, unit_level_name(it->store_level));
	db_bind_text(st, 6, it->store_parent_code);
	db_bind_text(st, 7, it->store_geometry);
	db_bind_i64(st, 8, it->store_updated_at);
	db_bind_i64(st, 9, now);
	db_bind_i64(st, 10, import_id);
	rc = db_step(st);
	db_stmt_done(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(c->db, SQL_UNIT_UPDATE);
	if (!st)
		return -1;
	db_bind_text(st, 1, it->name);
	if (parent_id)
		db_bind_i64(st, 2, parent_id);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, new_geometry(it));
	if (has_label) {
		db_bind_double(st, 4, lat);
		db_bind_double(st, 5, lon);
		db_bind_double(st, 6, m2);
	} else {
		db_bind_null(st, 4);
		db_bind_null(st, 5);
		db_bind_null(st, 6);
	}
	db_bind_i64(st, 7, now);
	db_bind_i64(st, 8, it->store_id);
	rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int write_all(struct ctx *c)
{
	int64_t now = time_now_ms(), import_id = 0;
	size_t *order = malloc((c->n ? c->n : 1) * sizeof *order);
	if (!order)
		return -1;
	size_t m = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->items[i].feature)
			order[m++] = i;
	sort_ctx = c;
	qsort(order, m, sizeof *order, cmp_level);
	sort_ctx = NULL;
	if (db_begin(c->db) != DB_OK) {
		free(order);
		return -1;
	}
	struct db_stmt *st = db_prepare(c->db, SQL_IMPORT_ROW);
	if (!st)
		goto fail;
	db_bind_i64(st, 1, now);
	db_bind_text(st, 2, c->o->actor);
	db_bind_text(st, 3, c->o->source);
	db_bind_i64(st, 4, c->res->added);
	db_bind_i64(st, 5, c->res->updated);
	db_bind_i64(st, 6, c->res->unchanged);
	int rc = db_step(st);
	if (rc == DB_ROW)
		import_id = db_col_i64(st, 0);
	if (rc == DB_ROW)
		rc = db_step(st);
	db_stmt_done(st);
	if (rc != DB_DONE)
		goto fail;
	for (size_t k = 0; k < m; k++)
		if (write_unit(c, &c->items[order[k]], import_id, now))
			goto fail;
	free(order);
	return db_commit(c->db) == DB_OK ? 0 : -1;
fail:
	free(order);
	db_rollback(c->db);
	return -1;
}

/* ---- entry -------------------------------------------------------------- */

static void geos_notice(const char *fmt, ...)
{
	(void)fmt; /* GEOS reports through return values too; keep its chatter out of the log */
}

int unit_import(struct db *db, json_t *fc, const struct import_options *o, struct import_result *res, struct zerr *err)
{
	struct ctx c = {.db = db, .o = o, .res = res};
	memset(res, 0, sizeof *res);
	res->problems = json_array();
	int rc = -1;
	json_t *features = json_object_get(fc, "features");
	const char *type = json_string_value(json_object_get(fc, "type"));
	if (!json_is_object(fc) || !type || strcmp(type, "FeatureCollection") != 0 || !json_is_array(features)) {
		problem(&c, NULL, 0, NULL, "bad_feature", "文件须为 GeoJSON FeatureCollection",
		        "the file must be a GeoJSON FeatureCollection");
		return 1;
	}
	res->features = (int)json_array_size(features);
	if (res->features == 0 || res->features > MAX_FEATURES) {
		problem(&c, NULL, 0, NULL, "bad_feature", "要素数须为1至500000个",
		        "there must be 1 to 500000 features");
		return 1;
	}
	c.h = GEOS_init_r();
	if (!c.h) {
		zerr_set(err, ZE_INTERNAL, NULL, NULL, "cannot start GEOS");
		return -1;
	}
	GEOSContext_setNoticeHandler_r(c.h, geos_notice);
	GEOSContext_setErrorHandler_r(c.h, geos_notice);
	if (load_store(&c) || build_code_index(&c)) {
		zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		goto out;
	}
	size_t n_sorted = c.n;
	size_t i;
	json_t *f;
	json_array_foreach (features, i, f) {
		if (read_feature(&c, f, (int)i + 1, n_sorted)) {
			zerr_set(err, ZE_INTERNAL, NULL, NULL, "out of memory");
			goto out;
		}
	}
	if (build_code_index(&c) || drop_duplicates(&c) || resolve_parents(&c) || check_geometry(&c)) {
		zerr_set(err, ZE_INTERNAL, NULL, NULL, "out of memory");
		goto out;
	}
	if (c.problems) {
		rc = 1;
		goto out;
	}
	count_changes(&c);
	if (!o->dry_run && write_all(&c)) {
		zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		goto out;
	}
	rc = 0;
out:
	for (size_t k = 0; k < c.n; k++)
		item_release(&c, &c.items[k]);
	free(c.items);
	free(c.by_code);
	for (size_t k = 0; k < c.ndropped; k++)
		free(c.dropped_parents[k]);
	free(c.dropped_parents);
	GEOS_finish_r(c.h);
	return rc;
}

void unit_import_print(const struct import_result *res, const char *file, void *fp)
{
	FILE *f = fp;
	size_t i;
	json_t *p;
	json_array_foreach (res->problems, i, p) {
		json_t *feature = json_object_get(p, "feature");
		const char *code = json_string_value(json_object_get(p, "code"));
		fprintf(f, "%s: ", file);
		if (json_is_integer(feature))
			fprintf(f, "feature %lld ", (long long)json_integer_value(feature));
		if (code)
			fprintf(f, "(code %s) ", code);
		fprintf(f, "[%s] %s\n", json_string_value(json_object_get(p, "kind")),
		        json_string_value(json_object_get(p, "message_en")));
	}
}
