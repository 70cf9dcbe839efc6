/*
 * test_grid_geos.c — the locate index (grid.h) against GEOS, an independent
 * implementation with robust predicates: 100,000 points over the demo
 * zone's bounding box enlarged by 5 % (and the same over a random irregular
 * tiling with islands and MultiPolygon cells). For each point the cell that
 * grid_locate names must be the one cell GEOSPreparedContains holds it in,
 * and -1 exactly when no cell does.
 *
 * Points within 1e-9° (about 0.1 mm) of an edge are left out: there GEOS
 * says "boundary" (contains is false for every cell) while the index applies
 * its half-open boundary rule, by design; one point in 50 is put exactly
 * on a vertex to see that band at work. A fifth of the points are put
 * just beyond it, 2e-9° to 1e-6° off an edge on either side, where
 * rounding in the crossing test would show first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "demo.h"
#include "geom.h"
#include "grid.h"

#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiling.h"

#define NPOINTS 100000
#define EDGE_BAND 1e-9

struct world {
	GEOSContextHandle_t h;
	struct shape *s;
	const struct shape **ptr;
	int32_t *ids;
	size_t n;
	GEOSGeometry **g;
	const GEOSPreparedGeometry **prep;
	GEOSSTRtree *tree;
	struct bbox box;
};

static uint64_t rng = 0x13198a2e03707344ull;
static double rnd01(void)
{
	return tiling_rnd(&rng);
}
static size_t rndn(size_t n)
{
	return (size_t)(rnd01() * (double)n) % n;
}

static void geos_quiet(const char *fmt, ...)
{
	(void)fmt;
}

static GEOSGeometry *ring_geos(GEOSContextHandle_t h, const struct shape *s, uint32_t r)
{
	uint32_t start = r ? s->ring_end[r - 1] : 0;
	GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, s->xy + 2 * start, s->ring_end[r] - start, 0, 0);
	assert_non_null(seq);
	GEOSGeometry *ring = GEOSGeom_createLinearRing_r(h, seq);
	assert_non_null(ring);
	return ring;
}

/* The shape as a GEOS Polygon or MultiPolygon, from the same doubles. */
static GEOSGeometry *shape_to_geos(GEOSContextHandle_t h, const struct shape *s)
{
	GEOSGeometry **polys = calloc(s->npolys, sizeof *polys);
	assert_non_null(polys);
	for (uint32_t p = 0; p < s->npolys; p++) {
		uint32_t r0 = s->poly_ring[p], r1 = p + 1 < s->npolys ? s->poly_ring[p + 1] : s->nrings;
		GEOSGeometry *holes[16];
		assert_true(r1 - r0 - 1 <= 16);
		for (uint32_t r = r0 + 1; r < r1; r++)
			holes[r - r0 - 1] = ring_geos(h, s, r);
		polys[p] = GEOSGeom_createPolygon_r(h, ring_geos(h, s, r0), holes, r1 - r0 - 1);
		assert_non_null(polys[p]);
	}
	GEOSGeometry *g =
	        s->npolys == 1 ? polys[0] : GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, s->npolys);
	free(polys);
	assert_non_null(g);
	assert_int_equal(GEOSisValid_r(h, g), 1);
	return g;
}

static void world_finish(struct world *w)
{
	w->ptr = malloc(w->n * sizeof *w->ptr);
	w->g = calloc(w->n, sizeof *w->g);
	w->prep = calloc(w->n, sizeof *w->prep);
	w->tree = GEOSSTRtree_create_r(w->h, 10);
	assert_true(w->ptr && w->g && w->prep && w->tree);
	w->box = (struct bbox){INFINITY, INFINITY, -INFINITY, -INFINITY};
	for (size_t i = 0; i < w->n; i++) {
		w->ptr[i] = &w->s[i];
		w->g[i] = shape_to_geos(w->h, &w->s[i]);
		w->prep[i] = GEOSPrepare_r(w->h, w->g[i]);
		assert_non_null(w->prep[i]);
		GEOSSTRtree_insert_r(w->h, w->tree, w->g[i], (void *)(uintptr_t)i);
		w->box.minx = fmin(w->box.minx, w->s[i].box.minx);
		w->box.miny = fmin(w->box.miny, w->s[i].box.miny);
		w->box.maxx = fmax(w->box.maxx, w->s[i].box.maxx);
		w->box.maxy = fmax(w->box.maxy, w->s[i].box.maxy);
	}
}

static struct world *world_new(void)
{
	struct world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	w->h = GEOS_init_r();
	assert_non_null(w->h);
	GEOSContext_setNoticeHandler_r(w->h, geos_quiet);
	GEOSContext_setErrorHandler_r(w->h, geos_quiet);
	return w;
}

static int demo_setup(void **state)
{
	struct world *w = world_new();
	json_t *fc = demo_zone_geojson();
	if (!fc)
		return -1;
	json_t *features = json_object_get(fc, "features");
	w->s = calloc(json_array_size(features), sizeof *w->s);
	w->ids = calloc(json_array_size(features), sizeof *w->ids);
	size_t i;
	json_t *f;
	json_array_foreach (features, i, f) {
		json_t *props = json_object_get(f, "properties");
		if (strcmp(json_string_value(json_object_get(props, "level")), "microgrid") != 0)
			continue;
		struct zerr err;
		if (shape_from_geojson(json_object_get(f, "geometry"), &w->s[w->n], &err))
			return -1;
		w->ids[w->n] = (int32_t)(10 * w->n + 7);
		w->n++;
	}
	json_decref(fc);
	if (w->n != 2000)
		return -1;
	world_finish(w);
	*state = w;
	return 0;
}

static int tiling_setup(void **state)
{
	struct world *w = world_new();
	struct tiling t;
	tiling_build(&t, 40, 30, 0xa4093822299f31d0ull, 1);
	w->s = t.cell;
	w->ids = t.ids;
	w->n = t.n;
	shape_release(&t.outer);
	world_finish(w);
	*state = w;
	return 0;
}

static int world_teardown(void **state)
{
	struct world *w = *state;
	GEOSSTRtree_destroy_r(w->h, w->tree);
	for (size_t i = 0; i < w->n; i++) {
		GEOSPreparedGeom_destroy_r(w->h, w->prep[i]);
		GEOSGeom_destroy_r(w->h, w->g[i]);
		shape_release(&w->s[i]);
	}
	GEOS_finish_r(w->h);
	free(w->prep);
	free(w->g);
	free(w->s);
	free(w->ptr);
	free(w->ids);
	free(w);
	return 0;
}

/* Distance in degrees from (x, y) to the segment (x1, y1)-(x2, y2). */
static double seg_dist(double x, double y, double x1, double y1, double x2, double y2)
{
	double dx = x2 - x1, dy = y2 - y1, len2 = dx * dx + dy * dy;
	double t = len2 > 0 ? ((x - x1) * dx + (y - y1) * dy) / len2 : 0;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	double px = x1 + t * dx - x, py = y1 + t * dy - y;
	return sqrt(px * px + py * py);
}

static double shape_edge_dist(const struct shape *s, double x, double y)
{
	double best = INFINITY;
	uint32_t start = 0;
	for (uint32_t r = 0; r < s->nrings; r++) {
		for (uint32_t v = start; v + 1 < s->ring_end[r]; v++)
			best = fmin(best,
			            seg_dist(x, y, s->xy[2 * v], s->xy[2 * v + 1], s->xy[2 * v + 2], s->xy[2 * v + 3]));
		start = s->ring_end[r];
	}
	return best;
}

struct hits {
	size_t idx[64];
	size_t n;
};

static void collect(void *item, void *userdata)
{
	struct hits *h = userdata;
	if (h->n < 64)
		h->idx[h->n++] = (size_t)(uintptr_t)item;
}

/* A point 2e-9° to 1e-6° off a random edge, on a random side. */
static void near_edge_point(const struct world *w, double *x, double *y)
{
	const struct shape *s = &w->s[rndn(w->n)];
	uint32_t r = (uint32_t)rndn(s->nrings);
	uint32_t start = r ? s->ring_end[r - 1] : 0;
	uint32_t v = start + (uint32_t)rndn(s->ring_end[r] - start - 1);
	double x1 = s->xy[2 * v], y1 = s->xy[2 * v + 1], x2 = s->xy[2 * v + 2], y2 = s->xy[2 * v + 3];
	double f = 0.05 + 0.9 * rnd01(), len = hypot(x2 - x1, y2 - y1);
	double off = exp(log(2e-9) + rnd01() * (log(1e-6) - log(2e-9))) * (rndn(2) ? 1 : -1);
	*x = x1 + f * (x2 - x1) - off * (y2 - y1) / len;
	*y = y1 + f * (y2 - y1) + off * (x2 - x1) / len;
}

static void run_against_geos(struct world *w)
{
	struct grid_index *g = grid_index_build(w->ptr, w->ids, w->n, 0);
	assert_non_null(g);
	const double bw = w->box.maxx - w->box.minx, bh = w->box.maxy - w->box.miny;
	const double x0 = w->box.minx - 0.05 * bw, y0 = w->box.miny - 0.05 * bh;
	size_t compared = 0, excluded = 0, inside = 0, near = 0, mismatches = 0;
	for (size_t i = 0; i < NPOINTS; i++) {
		double x, y;
		if (i % 5 == 4) {
			near_edge_point(w, &x, &y);
			near++;
		} else if (i % 50 == 0) {
			/* Exactly a vertex: must fall in the excluded band. */
			const struct shape *s = &w->s[rndn(w->n)];
			uint32_t v = (uint32_t)rndn(s->nverts);
			x = s->xy[2 * v];
			y = s->xy[2 * v + 1];
		} else {
			x = x0 + rnd01() * 1.1 * bw;
			y = y0 + rnd01() * 1.1 * bh;
		}
		/* Candidates: cells whose envelope comes within the band. */
		GEOSGeometry *env = GEOSGeom_createRectangle_r(w->h, x - 2 * EDGE_BAND, y - 2 * EDGE_BAND,
		                                               x + 2 * EDGE_BAND, y + 2 * EDGE_BAND);
		assert_non_null(env);
		struct hits hits = {.n = 0};
		GEOSSTRtree_query_r(w->h, w->tree, env, collect, &hits);
		GEOSGeom_destroy_r(w->h, env);
		assert_true(hits.n < 64);
		int on_edge = 0;
		for (size_t k = 0; k < hits.n && !on_edge; k++)
			on_edge = shape_edge_dist(&w->s[hits.idx[k]], x, y) < EDGE_BAND;
		if (on_edge) {
			excluded++;
			continue;
		}
		GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(w->h, x, y);
		assert_non_null(pt);
		int32_t want = -1;
		int count = 0;
		for (size_t k = 0; k < hits.n; k++) {
			char c = GEOSPreparedContains_r(w->h, w->prep[hits.idx[k]], pt);
			assert_true(c == 0 || c == 1);
			if (c == 1) {
				want = w->ids[hits.idx[k]];
				count++;
			}
		}
		GEOSGeom_destroy_r(w->h, pt);
		if (count > 1)
			fail_msg("GEOS puts (%.17g, %.17g) in %d cells: the test tiling overlaps", x, y, count);
		int32_t got = grid_locate(g, x, y);
		if (got != want && mismatches++ < 5)
			print_error("(%.17g, %.17g): index %d, GEOS %d\n", x, y, got, want);
		inside += want >= 0;
		compared++;
	}
	grid_index_free(g);
	print_message("  %zu points compared (%zu inside a cell), %zu within %g° of an edge left out; %zu placed near "
	              "an edge\n",
	              compared, inside, excluded, EDGE_BAND, near);
	assert_int_equal(mismatches, 0);
	/* The exclusion is a thin band: the vertices put there and hardly
	 * anything else. */
	assert_true(excluded >= NPOINTS / 50 && excluded < NPOINTS / 50 + NPOINTS / 1000);
	assert_true(inside > NPOINTS / 2 && compared - inside > NPOINTS / 20);
}

static void test_grid_geos_demo_zone_agrees_with_geos(void **state)
{
	run_against_geos(*state);
}

static void test_grid_geos_random_tiling_agrees_with_geos(void **state)
{
	run_against_geos(*state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_grid_geos_demo_zone_agrees_with_geos, demo_setup, world_teardown),
	        cmocka_unit_test_setup_teardown(test_grid_geos_random_tiling_agrees_with_geos, tiling_setup,
	                                        world_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
