/*
 * demo_zone.c — the deterministic demo zone on 濮阳经济技术开发区 (410972).
 *
 * Micro-grids are the cells of a 50 × 40 lattice (about 200 m × 200 m each)
 * whose corners and edge midpoints are jittered by a fixed pseudo-random
 * sequence, so every cell is an irregular octagon and neighbours share
 * their edges exactly. Five micro-grids in a row make a grid (400), blocks
 * of grids with staggered borders make 15 communities, and those make three
 * streets and towns (昆吾街道, 王助镇, 新习镇, with their real statistical
 * codes). Parents are the exact coverage union of their children, so every
 * level tiles its parent with no gap and no overlap. The result goes
 * through the same import as a user's GeoJSON (unit_import.c).
 *
 * Codes run west→east, north→south within each parent, as DB11 numbers
 * unit grids. Community and village names are invented for the demo.
 */
#include "demo.h"
#include "db.h"
#include "unit_import.h"
#include "units.h"

#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NC 50    /* micro-grid columns */
#define NR 40    /* micro-grid rows */
#define GRID_W 5 /* micro-grids per grid, in a row */
#define LON0 114.950
#define LAT0 35.660
#define DX 0.0022 /* ≈ 199 m at 35.7°N */
#define DY 0.0018 /* ≈ 200 m */

static const char *const street_codes[3] = {"410972060", "410972100", "410972101"};
static const char *const street_names[3] = {"昆吾街道", "王助镇", "新习镇"};
static const char *const community_names[15] = {
        "昆吾社区", "开元社区", "濮上社区", "绿城社区", "龙华社区", "世纪社区", "王助村", "后王助村",
        "东田村",   "西田村",   "刘庄村",   "马寨村",   "新习村",   "前新习村", "孟庄村",
};

struct lattice {
	double vx[NC + 1][NR + 1], vy[NC + 1][NR + 1]; /* corners */
	double hx[NC][NR + 1], hy[NC][NR + 1];         /* midpoints of east-west edges */
	double ex[NC + 1][NR], ey[NC + 1][NR];         /* midpoints of north-south edges */
};

static uint64_t rng_state;

static double rnd(void) /* xorshift64*, uniform in [-0.5, 0.5) */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ull) >> 11) / 9007199254740992.0 - 0.5;
}

static void lattice_build(struct lattice *l)
{
	rng_state = 0x5eed2026410972ull;
	for (int i = 0; i <= NC; i++)
		for (int j = 0; j <= NR; j++) {
			l->vx[i][j] = LON0 + i * DX + rnd() * 0.45 * DX;
			l->vy[i][j] = LAT0 + j * DY + rnd() * 0.45 * DY;
		}
	for (int i = 0; i < NC; i++)
		for (int j = 0; j <= NR; j++) {
			l->hx[i][j] = (l->vx[i][j] + l->vx[i + 1][j]) / 2;
			l->hy[i][j] = (l->vy[i][j] + l->vy[i + 1][j]) / 2 + rnd() * 0.22 * DY;
		}
	for (int i = 0; i <= NC; i++)
		for (int j = 0; j < NR; j++) {
			l->ex[i][j] = (l->vx[i][j] + l->vx[i][j + 1]) / 2 + rnd() * 0.22 * DX;
			l->ey[i][j] = (l->vy[i][j] + l->vy[i][j + 1]) / 2;
		}
}

/* The closed ring of micro-grid (i, j), counter-clockwise. */
static GEOSGeometry *cell_polygon(GEOSContextHandle_t h, const struct lattice *l, int i, int j)
{
	double xy[] = {
	        l->vx[i][j],     l->vy[i][j],     l->hx[i][j],     l->hy[i][j],         l->vx[i + 1][j],
	        l->vy[i + 1][j], l->ex[i + 1][j], l->ey[i + 1][j], l->vx[i + 1][j + 1], l->vy[i + 1][j + 1],
	        l->hx[i][j + 1], l->hy[i][j + 1], l->vx[i][j + 1], l->vy[i][j + 1],     l->ex[i][j],
	        l->ey[i][j],     l->vx[i][j],     l->vy[i][j],
	};
	GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, xy, 9, 0, 0);
	GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(h, seq) : NULL;
	return ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
}

/* Community (0..14) of grid column gc (0..9) and micro-grid row j: five
 * columns of two grids each, three rows with staggered borders. */
static int community_of(int gc, int j)
{
	int col = gc / 2;
	int b1 = 13 + (col * 7) % 5 - 2, b2 = 27 + (col * 3) % 5 - 2;
	int row = j >= b2 ? 0 : j >= b1 ? 1 : 2; /* row 0 is the northernmost */
	return row * 5 + col;
}

/* Street (0..2) of a community: columns 0-1, 2-3, 4. */
static int street_of(int community)
{
	int col = community % 5;
	return col < 2 ? 0 : col < 4 ? 1 : 2;
}

struct demo_unit {
	char code[40];
	char name[96];
	int level;
	int parent; /* index into units, -1 for the zone */
	GEOSGeometry *g;
	GEOSGeometry **kids;
	int nkids, capkids;
};

static int add_kid(struct demo_unit *p, GEOSGeometry *g)
{
	if (p->nkids == p->capkids) {
		int cap = p->capkids ? p->capkids * 2 : 8;
		GEOSGeometry **k = realloc(p->kids, (size_t)cap * sizeof *k);
		if (!k)
			return -1;
		p->kids = k;
		p->capkids = cap;
	}
	p->kids[p->nkids++] = g;
	return 0;
}

/* Coverage union of the children's geometries (cloned). */
static GEOSGeometry *union_kids(GEOSContextHandle_t h, struct demo_unit *p)
{
	GEOSGeometry **copies = malloc((size_t)p->nkids * sizeof *copies);
	if (!copies)
		return NULL;
	for (int k = 0; k < p->nkids; k++)
		copies[k] = GEOSGeom_clone_r(h, p->kids[k]);
	GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, copies, (unsigned)p->nkids);
	free(copies);
	if (!coll)
		return NULL;
	GEOSGeometry *u = GEOSCoverageUnion_r(h, coll);
	GEOSGeom_destroy_r(h, coll);
	return u;
}

static json_t *feature(GEOSContextHandle_t h, GEOSGeoJSONWriter *w, const struct demo_unit *u,
                       const struct demo_unit *all)
{
	char *text = GEOSGeoJSONWriter_writeGeometry_r(h, w, u->g, -1);
	json_t *g = text ? json_loads(text, 0, NULL) : NULL;
	if (text)
		GEOSFree_r(h, text);
	if (!g)
		return NULL;
	return json_pack("{s:s,s:{s:s,s:s,s:s,s:s?},s:o}", "type", "Feature", "properties", "code", u->code, "name",
	                 u->name, "level", unit_level_name(u->level), "parent_code",
	                 u->parent >= 0 ? all[u->parent].code : NULL, "geometry", g);
}

json_t *demo_zone_geojson(void)
{
	enum { NSTREET = 3, NCOMM = 15, NGRID = (NC / GRID_W) * NR, NMICRO = NC * NR };
	enum { ZONE = 0, STREET0 = 1, COMM0 = STREET0 + NSTREET, GRID0 = COMM0 + NCOMM, MICRO0 = GRID0 + NGRID };
	const int total = MICRO0 + NMICRO;
	struct lattice *l = malloc(sizeof *l);
	struct demo_unit *u = calloc((size_t)total, sizeof *u);
	GEOSContextHandle_t h = GEOS_init_r();
	GEOSGeoJSONWriter *w = h ? GEOSGeoJSONWriter_create_r(h) : NULL;
	json_t *features = json_array(), *out = NULL;
	if (!l || !u || !w)
		goto done;
	lattice_build(l);

	/* Zone and streets. */
	snprintf(u[ZONE].code, sizeof u[ZONE].code, "410972");
	snprintf(u[ZONE].name, sizeof u[ZONE].name, "濮阳经济技术开发区");
	u[ZONE].level = UL_ZONE;
	u[ZONE].parent = -1;
	for (int s = 0; s < NSTREET; s++) {
		struct demo_unit *x = &u[STREET0 + s];
		snprintf(x->code, sizeof x->code, "%s", street_codes[s]);
		snprintf(x->name, sizeof x->name, "%s", street_names[s]);
		x->level = UL_STREET;
		x->parent = ZONE;
	}
	/* Communities, numbered west→east, north→south within their street. */
	int seq_in_street[NSTREET] = {0};
	for (int c = 0; c < NCOMM; c++) {
		int s = street_of(c);
		struct demo_unit *x = &u[COMM0 + c];
		int seq = ++seq_in_street[s];
		/* Streets number 社区 from 001, towns number 村 from 200 (NBS ranges). */
		snprintf(x->code, sizeof x->code, "%.9s%03d", street_codes[s], (s == 0 ? seq : 199 + seq) % 1000);
		snprintf(x->name, sizeof x->name, "%s", community_names[c]);
		x->level = UL_COMMUNITY;
		x->parent = STREET0 + s;
	}
	/* Grids and micro-grids: north→south, then west→east. */
	int seq_in_comm[NCOMM] = {0};
	int g = 0;
	for (int j = NR - 1; j >= 0; j--) {
		for (int gc = 0; gc < NC / GRID_W; gc++, g++) {
			int c = community_of(gc, j);
			struct demo_unit *x = &u[GRID0 + g];
			int seq = ++seq_in_comm[c];
			char parent_code[sizeof x->code];
			memcpy(parent_code, u[COMM0 + c].code, sizeof parent_code);
			snprintf(x->code, sizeof x->code, "%.12s%03d", parent_code, seq % 1000);
			snprintf(x->name, sizeof x->name, "%s第%d网格", community_names[c], seq);
			x->level = UL_GRID;
			x->parent = COMM0 + c;
			for (int k = 0; k < GRID_W; k++) {
				struct demo_unit *m = &u[MICRO0 + g * GRID_W + k];
				memcpy(parent_code, x->code, sizeof parent_code);
				snprintf(m->code, sizeof m->code, "%.15s%03d", parent_code, k + 1);
				snprintf(m->name, sizeof m->name, "%s第%d网格第%d微网格", community_names[c], seq,
				         k + 1);
				m->level = UL_MICROGRID;
				m->parent = GRID0 + g;
				m->g = cell_polygon(h, l, gc * GRID_W + k, j);
				if (!m->g || add_kid(x, m->g))
					goto done;
			}
		}
	}
	/* Parents are unions of their children, from the grids upwards. */
	for (int i = GRID0 + NGRID - 1; i >= 0; i--) {
		if (!(u[i].g = union_kids(h, &u[i])))
			goto done;
		if (u[i].parent >= 0 && add_kid(&u[u[i].parent], u[i].g))
			goto done;
	}
	for (int i = 0; i < total; i++) {
		json_t *f = feature(h, w, &u[i], u);
		if (!f)
			goto done;
		json_array_append_new(features, f);
	}
	out = json_pack("{s:s,s:O}", "type", "FeatureCollection", "features", features);
done:
	json_decref(features);
	for (int i = 0; u && i < total; i++) {
		if (u[i].g)
			GEOSGeom_destroy_r(h, u[i].g);
		free(u[i].kids);
	}
	free(u);
	free(l);
	if (w)
		GEOSGeoJSONWriter_destroy_r(h, w);
	if (h)
		GEOS_finish_r(h);
	return out;
}

int demo_zone_fill(struct db *db, struct zerr *err)
{
	json_t *fc = demo_zone_geojson();
	if (!fc)
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, "cannot build the demo zone");
	struct import_options o;
	import_options_init(&o);
	o.actor = "demo";
	o.source = "demo";
	struct import_result res;
	int rc = unit_import(db, fc, &o, &res, err);
	if (rc == 1) {
		char *first = json_dumps(json_array_get(res.problems, 0), JSON_COMPACT);
		zerr_set(err, ZE_INTERNAL, NULL, NULL, first ? first : "the demo zone does not validate");
		free(first);
		rc = -1;
	}
	json_decref(res.problems);
	json_decref(fc);
	return rc;
}
