/*
 * test_grid.c — the locate index (grid.h) against a linear scan of
 * shape_contains over every cell, on the demo zone's 2,000 micro-grids and
 * on random irregular tilings (with islands and MultiPolygon cells): 100,000
 * points each, a good share of them exactly on vertices, on shared edges,
 * on the bounding box's sides and on bucket lines, where an index is most
 * likely to go wrong. Every point inside the union is in exactly one cell;
 * outside it, -1. The bucket density changes the layout, never the answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "demo.h"
#include "geom.h"
#include "grid.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiling.h"

#define NPOINTS 100000

/* A set of cells and the union they tile (one shape). */
struct cells {
	struct shape *s;
	const struct shape **ptr;
	int32_t *ids;
	size_t n;
	struct shape zone;
	struct bbox box;
	/* the test points and, for each, the linear scan's answer */
	double *px, *py;
	int32_t *expect;
	size_t npoints, inside;
};

static uint64_t rng = 0x243f6a8885a308d3ull;
static double rnd01(void)
{
	return tiling_rnd(&rng);
}
static size_t rndn(size_t n)
{
	return (size_t)(rnd01() * (double)n) % n;
}

static void cells_index_ptrs(struct cells *c)
{
	c->ptr = malloc(c->n * sizeof *c->ptr);
	assert_non_null(c->ptr);
	c->box = (struct bbox){INFINITY, INFINITY, -INFINITY, -INFINITY};
	for (size_t i = 0; i < c->n; i++) {
		c->ptr[i] = &c->s[i];
		c->box.minx = fmin(c->box.minx, c->s[i].box.minx);
		c->box.miny = fmin(c->box.miny, c->s[i].box.miny);
		c->box.maxx = fmax(c->box.maxx, c->s[i].box.maxx);
		c->box.maxy = fmax(c->box.maxy, c->s[i].box.maxy);
	}
}

/* The demo zone's micro-grids, and the zone itself as their union. */
static int demo_setup(void **state)
{
	struct cells *c = calloc(1, sizeof *c);
	json_t *fc = demo_zone_geojson();
	if (!c || !fc)
		return -1;
	json_t *features = json_object_get(fc, "features");
	c->s = calloc(json_array_size(features), sizeof *c->s);
	c->ids = calloc(json_array_size(features), sizeof *c->ids);
	size_t i;
	json_t *f;
	int zones = 0;
	json_array_foreach (features, i, f) {
		json_t *props = json_object_get(f, "properties");
		const char *level = json_string_value(json_object_get(props, "level"));
		struct zerr err;
		if (strcmp(level, "microgrid") == 0) {
			if (shape_from_geojson(json_object_get(f, "geometry"), &c->s[c->n], &err))
				return -1;
			c->ids[c->n] = (int32_t)i; /* the feature's position */
			c->n++;
		} else if (strcmp(level, "zone") == 0) {
			if (shape_from_geojson(json_object_get(f, "geometry"), &c->zone, &err))
				return -1;
			zones++;
		}
	}
	json_decref(fc);
	if (c->n != 2000 || zones != 1)
		return -1;
	cells_index_ptrs(c);
	*state = c;
	return 0;
}

/* A random irregular tiling of 48 × 36 lattice cells with islands and
 * merged pairs. */
static int tiling_setup(void **state)
{
	struct cells *c = calloc(1, sizeof *c);
	struct tiling t;
	if (!c)
		return -1;
	tiling_build(&t, 48, 36, 0x853c49e6748fea9bull, 1);
	/* Take the shapes over. */
	c->s = t.cell;
	c->ids = t.ids;
	c->n = t.n;
	c->zone = t.outer;
	cells_index_ptrs(c);
	*state = c;
	return 0;
}

static int cells_teardown(void **state)
{
	struct cells *c = *state;
	for (size_t i = 0; i < c->n; i++)
		shape_release(&c->s[i]);
	shape_release(&c->zone);
	free(c->s);
	free(c->ptr);
	free(c->ids);
	free(c->px);
	free(c->py);
	free(c->expect);
	free(c);
	return 0;
}

/* A random proper edge (not across rings) of a random cell. */
static void random_edge(const struct cells *c, double *x1, double *y1, double *x2, double *y2)
{
	const struct shape *s = &c->s[rndn(c->n)];
	uint32_t r = (uint32_t)rndn(s->nrings);
	uint32_t start = r ? s->ring_end[r - 1] : 0, nedges = s->ring_end[r] - start - 1;
	uint32_t v = start + (uint32_t)rndn(nedges);
	*x1 = s->xy[2 * v];
	*y1 = s->xy[2 * v + 1];
	*x2 = s->xy[2 * v + 2];
	*y2 = s->xy[2 * v + 3];
}

/*
 * NPOINTS points: 40 % uniform over the bounding box enlarged by 3 % on each
 * side, 15 % exact vertices, 15 % on edges (midpoints and interpolations),
 * 5 % a hair beside a vertex, 10 % on the bounding box's sides and corners,
 * 10 % on the lines between buckets of the default index, 5 % far outside or
 * not finite. Then the linear scan: each point must be in at most one cell,
 * and in one exactly when the union holds it.
 */
static void make_points(struct cells *c, const struct grid_stats *def)
{
	const struct bbox b = c->box;
	const double w = b.maxx - b.minx, h = b.maxy - b.miny;
	c->npoints = NPOINTS;
	c->px = malloc(NPOINTS * sizeof *c->px);
	c->py = malloc(NPOINTS * sizeof *c->py);
	c->expect = malloc(NPOINTS * sizeof *c->expect);
	assert_true(c->px && c->py && c->expect);
	for (size_t i = 0; i < NPOINTS; i++) {
		double u = rnd01(), x, y, x1, y1, x2, y2;
		if (u < 0.40) {
			x = b.minx - 0.03 * w + rnd01() * 1.06 * w;
			y = b.miny - 0.03 * h + rnd01() * 1.06 * h;
		} else if (u < 0.55) {
			random_edge(c, &x, &y, &x2, &y2);
		} else if (u < 0.70) {
			random_edge(c, &x1, &y1, &x2, &y2);
			double f = rnd01() < 0.3 ? 0.5 : rnd01();
			x = x1 + f * (x2 - x1);
			y = y1 + f * (y2 - y1);
		} else if (u < 0.75) {
			random_edge(c, &x, &y, &x2, &y2);
			int d = (int)rndn(4);
			if (d & 1)
				x = nextafter(x, d & 2 ? INFINITY : -INFINITY);
			else
				y = nextafter(y, d & 2 ? INFINITY : -INFINITY);
		} else if (u < 0.85) {
			int side = (int)rndn(5);
			x = b.minx + rnd01() * w;
			y = b.miny + rnd01() * h;
			if (side == 0)
				x = b.minx;
			else if (side == 1)
				x = b.maxx;
			else if (side == 2)
				y = b.miny;
			else if (side == 3)
				y = b.maxy;
			else
				x = rndn(2) ? b.minx : b.maxx, y = rndn(2) ? b.miny : b.maxy;
		} else if (u < 0.95) {
			/* The default index's bucket lines (grid.c: w / nx widened by 1e-12). */
			double bdx = w / def->nx * (1 + 1e-12), bdy = h / def->ny * (1 + 1e-12);
			x = b.minx + rnd01() * w;
			y = b.miny + rnd01() * h;
			if (rndn(2))
				x = b.minx + (double)rndn(def->nx + 1) * bdx;
			else
				y = b.miny + (double)rndn(def->ny + 1) * bdy;
		} else {
			static const double odd[] = {-180, 180, -90, 90, 0, 1e300, -1e300};
			int k = (int)rndn(10);
			if (k < 7) {
				x = odd[k];
				y = odd[(k + 3) % 7] / 2;
			} else if (k == 7) {
				x = NAN;
				y = b.miny + h / 2;
			} else if (k == 8) {
				x = b.minx + w / 2;
				y = NAN;
			} else {
				x = rndn(2) ? INFINITY : -INFINITY;
				y = rndn(2) ? INFINITY : b.miny + h / 2;
			}
		}
		c->px[i] = x;
		c->py[i] = y;
	}
	/* The linear scan. */
	c->inside = 0;
	for (size_t i = 0; i < NPOINTS; i++) {
		int32_t found = -1;
		int count = 0;
		for (size_t k = 0; k < c->n; k++) {
			if (shape_contains(&c->s[k], c->px[i], c->py[i])) {
				found = c->ids[k];
				count++;
			}
		}
		int in_union = shape_contains(&c->zone, c->px[i], c->py[i]);
		if (count != in_union)
			fail_msg("point %zu (%.17g, %.17g) is in %d cells; in the union: %d", i, c->px[i], c->py[i],
			         count, in_union);
		c->expect[i] = found;
		c->inside += count;
	}
}

/* Builds with buckets_per_cell and compares every point with the scan. */
static void check_index(struct cells *c, int bpc)
{
	struct grid_index *g = grid_index_build(c->ptr, c->ids, c->n, bpc);
	assert_non_null(g);
	struct grid_stats st;
	grid_index_stats(g, &st);
	assert_int_equal(st.cells, c->n);
	assert_true(st.memory_bytes > 0);
	print_message(
	        "  buckets_per_cell %2d: %u x %u buckets, %llu direct, %llu candidate entries, %zu bytes, %.1f ms\n",
	        bpc, st.nx, st.ny, (unsigned long long)st.direct_buckets, (unsigned long long)st.candidate_entries,
	        st.memory_bytes, st.build_ms);
	assert_true(st.candidate_entries > 0);
	assert_true(st.build_ms >= 0);
	/* With one bucket per cell every bucket meets an edge; from four on,
	 * some lie wholly inside a cell and answer directly. */
	if (bpc == 0 || bpc >= 4)
		assert_true(st.direct_buckets > 0);
	/* About bpc buckets per cell (at least that many). */
	double per = (double)st.nx * st.ny / (double)c->n;
	double want = bpc > 0 ? bpc : 32;
	assert_true(per >= want * 0.999 && per < want * 1.2 + 2);
	assert_true(st.direct_buckets <= (uint64_t)st.nx * st.ny);
	size_t wrong = 0, first = 0;
	for (size_t i = 0; i < c->npoints; i++) {
		if (grid_locate(g, c->px[i], c->py[i]) != c->expect[i]) {
			if (!wrong++)
				first = i;
		}
	}
	if (wrong)
		fail_msg("buckets_per_cell %d: %zu of %zu points differ from the scan; first (%.17g, %.17g): index %d, "
		         "scan %d",
		         bpc, wrong, c->npoints, c->px[first], c->py[first], grid_locate(g, c->px[first], c->py[first]),
		         c->expect[first]);
	grid_index_free(g);
}

static void run_agreement(struct cells *c)
{
	struct grid_index *g = grid_index_build(c->ptr, c->ids, c->n, 0);
	assert_non_null(g);
	struct grid_stats def;
	grid_index_stats(g, &def);
	grid_index_free(g);
	make_points(c, &def);
	/* A fair share of the points is inside, and a fair share is not. */
	assert_true(c->inside > NPOINTS / 3);
	assert_true(c->inside < NPOINTS - NPOINTS / 20);
	static const int variants[] = {0, 1, 4, 64};
	for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++)
		check_index(c, variants[v]);
}

static void test_grid_demo_zone_agrees_with_linear_scan(void **state)
{
	run_agreement(*state);
}

static void test_grid_random_tiling_agrees_with_linear_scan(void **state)
{
	struct cells *c = *state;
	/* The islands and merged pairs are there. */
	assert_true(c->n > 48 * 36);
	size_t multi = 0, holes = 0;
	for (size_t i = 0; i < c->n; i++) {
		multi += c->s[i].npolys > 1;
		holes += c->s[i].nrings > c->s[i].npolys;
	}
	assert_true(multi > 10 && holes > 10);
	run_agreement(c);
}

/* Each micro-grid is found at the centre of its bounding box (which the
 * demo's octagons hold). */
static void test_grid_demo_zone_each_cell_found_at_its_centre(void **state)
{
	struct cells *c = *state;
	struct grid_index *g = grid_index_build(c->ptr, c->ids, c->n, 0);
	assert_non_null(g);
	for (size_t k = 0; k < c->n; k++) {
		const struct shape *s = &c->s[k];
		double cx = (s->box.minx + s->box.maxx) / 2, cy = (s->box.miny + s->box.maxy) / 2;
		assert_true(shape_contains(s, cx, cy)); /* the demo's octagons hold their bbox centre */
		assert_int_equal(grid_locate(g, cx, cy), c->ids[k]);
	}
	grid_index_free(g);
}

static void test_grid_build_refuses_no_cells(void **state)
{
	(void)state;
	assert_null(grid_index_build(NULL, NULL, 0, 0));
	struct shape s;
	json_t *j = json_loads("{\"type\":\"Polygon\",\"coordinates\":[[[115,35.7],[115.01,35.7],[115.01,35.71],"
	                       "[115,35.7]]]}",
	                       0, NULL);
	struct zerr err;
	assert_int_equal(shape_from_geojson(j, &s, &err), 0);
	json_decref(j);
	const struct shape *p = &s;
	int32_t id = 7;
	assert_null(grid_index_build(&p, &id, 0, 16));
	grid_index_free(NULL);
	shape_release(&s);
}

static void test_grid_single_cell(void **state)
{
	(void)state;
	struct shape s;
	json_t *j = json_loads("{\"type\":\"Polygon\",\"coordinates\":[[[115,35.7],[115.01,35.7],[115.01,35.71],"
	                       "[115,35.7]]]}",
	                       0, NULL);
	struct zerr err;
	assert_int_equal(shape_from_geojson(j, &s, &err), 0);
	json_decref(j);
	const struct shape *p = &s;
	int32_t id = 42;
	static const int variants[] = {0, 1, 4, 64, 1000};
	for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
		struct grid_index *g = grid_index_build(&p, &id, 1, variants[v]);
		assert_non_null(g);
		struct grid_stats st;
		grid_index_stats(g, &st);
		assert_int_equal(st.cells, 1);
		assert_true(st.memory_bytes > 0);
		assert_int_equal(grid_locate(g, 115.009, 35.7005), 42); /* inside, near the right angle */
		assert_int_equal(grid_locate(g, 115.001, 35.709), -1);  /* above the hypotenuse */
		assert_int_equal(grid_locate(g, 115.0, 35.7), 42);      /* south-west corner */
		assert_int_equal(grid_locate(g, 115.01, 35.705), -1);   /* east side */
		assert_int_equal(grid_locate(g, 115.005, 35.7), 42);    /* south side */
		assert_int_equal(grid_locate(g, 114.99, 35.705), -1);
		assert_int_equal(grid_locate(g, 115.005, 35.72), -1);
		assert_int_equal(grid_locate(g, NAN, 35.705), -1);
		assert_int_equal(grid_locate(g, 115.005, NAN), -1);
		assert_int_equal(grid_locate(g, INFINITY, 35.705), -1);
		assert_int_equal(grid_locate(g, -INFINITY, -INFINITY), -1);
		for (int i = 0; i <= 200; i++)
			for (int k = 0; k <= 200; k++) {
				double x = 114.9999 + i * 0.0000505, y = 35.6999 + k * 0.0000505;
				assert_int_equal(grid_locate(g, x, y), shape_contains(&s, x, y) ? 42 : -1);
			}
		grid_index_free(g);
	}
	shape_release(&s);
}

/* Blocks of axis-aligned rectangles, whose sides fall on (or a rounding
 * error off) the lines between buckets: every bucket layout agrees with the
 * scan, and building stays inside its buffers (ASan watches). */
static void test_grid_rectangles_on_bucket_lines(void **state)
{
	(void)state;
	static const int variants[] = {0, 1, 2, 4, 9, 16, 64};
	for (int nx = 1; nx <= 6; nx++) {
		for (int ny = 1; ny <= 5; ny++) {
			const double dx = 0.002, dy = 0.001;
			double xs[7], ys[6];
			for (int i = 0; i <= nx; i++)
				xs[i] = 115.0 + dx * i;
			for (int j = 0; j <= ny; j++)
				ys[j] = 35.7 + dy * j;
			size_t n = (size_t)nx * ny;
			struct shape s[30];
			const struct shape *p[30];
			int32_t ids[30];
			for (int j = 0; j < ny; j++) {
				for (int i = 0; i < nx; i++) {
					size_t k = (size_t)j * nx + i;
					json_t *g = json_pack("{s:s,s:[[[f,f],[f,f],[f,f],[f,f],[f,f]]]}", "type",
					                      "Polygon", "coordinates", xs[i], ys[j], xs[i + 1], ys[j],
					                      xs[i + 1], ys[j + 1], xs[i], ys[j + 1], xs[i], ys[j]);
					struct zerr err;
					assert_int_equal(shape_from_geojson(g, &s[k], &err), 0);
					json_decref(g);
					p[k] = &s[k];
					ids[k] = (int32_t)(100 + k);
				}
			}
			for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
				struct grid_index *g = grid_index_build(p, ids, n, variants[v]);
				assert_non_null(g);
				/* Vertices, edge midpoints, quarter points, just inside and outside. */
				for (int a = -1; a <= 4 * nx + 1; a++) {
					for (int b = -1; b <= 4 * ny + 1; b++) {
						double x = 115.0 + dx * a / 4, y = 35.7 + dy * b / 4;
						if (a % 4 == 0 && a >= 0 && a <= 4 * nx)
							x = xs[a / 4];
						if (b % 4 == 0 && b >= 0 && b <= 4 * ny)
							y = ys[b / 4];
						int32_t want = -1;
						for (size_t k = 0; k < n; k++)
							if (shape_contains(&s[k], x, y))
								want = ids[k];
						int32_t got = grid_locate(g, x, y);
						if (got != want)
							fail_msg("%d x %d rectangles, %d buckets per cell: (%.17g, "
							         "%.17g) index %d, scan %d",
							         nx, ny, variants[v], x, y, got, want);
					}
				}
				grid_index_free(g);
			}
			for (size_t k = 0; k < n; k++)
				shape_release(&s[k]);
		}
	}
}

/* The index copies what it needs: the shapes may go once it is built. */
static void test_grid_index_outlives_its_shapes(void **state)
{
	(void)state;
	struct tiling t;
	tiling_build(&t, 6, 5, 99, 1);
	const struct shape **p = malloc(t.n * sizeof *p);
	assert_non_null(p);
	for (size_t i = 0; i < t.n; i++)
		p[i] = &t.cell[i];
	struct grid_index *g = grid_index_build(p, t.ids, t.n, 0);
	assert_non_null(g);
	/* Answers before, then after the shapes are freed. */
	double xs[500], ys[500];
	int32_t before[500];
	for (int i = 0; i < 500; i++) {
		xs[i] = t.outer.box.minx + rnd01() * (t.outer.box.maxx - t.outer.box.minx);
		ys[i] = t.outer.box.miny + rnd01() * (t.outer.box.maxy - t.outer.box.miny);
		before[i] = grid_locate(g, xs[i], ys[i]);
		assert_true(before[i] >= 1000);
	}
	free(p);
	tiling_release(&t);
	for (int i = 0; i < 500; i++)
		assert_int_equal(grid_locate(g, xs[i], ys[i]), before[i]);
	grid_index_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_grid_demo_zone_agrees_with_linear_scan, demo_setup,
	                                        cells_teardown),
	        cmocka_unit_test_setup_teardown(test_grid_demo_zone_each_cell_found_at_its_centre, demo_setup,
	                                        cells_teardown),
	        cmocka_unit_test_setup_teardown(test_grid_random_tiling_agrees_with_linear_scan, tiling_setup,
	                                        cells_teardown),
	        cmocka_unit_test(test_grid_build_refuses_no_cells),
	        cmocka_unit_test(test_grid_single_cell),
	        cmocka_unit_test(test_grid_rectangles_on_bucket_lines),
	        cmocka_unit_test(test_grid_index_outlives_its_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
