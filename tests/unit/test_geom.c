/*
 * test_geom.c — shapes (geom.h): reading GeoJSON and refusing its defects
 * with a message naming polygon, ring and position; point-in-polygon with
 * holes, multipolygons and the documented boundary rule; tilings (every
 * point in exactly one cell); areas; writing GeoJSON back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "geom.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiling.h"

/* ---- helpers ------------------------------------------------------------ */

/* Parses the geometry text; returns shape_from_geojson's result. */
static int parse(const char *text, struct shape *s, struct zerr *err)
{
	json_error_t jerr;
	json_t *g = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (!g)
		fail_msg("test JSON does not parse: %s: %s", jerr.text, text);
	shape_init(s);
	zerr_clear(err);
	int rc = shape_from_geojson(g, s, err);
	json_decref(g);
	return rc;
}

static void parse_ok(const char *text, struct shape *s)
{
	struct zerr err;
	int rc = parse(text, s, &err);
	if (rc != 0)
		fail_msg("refused (%s): %s", err.en, text);
}

/* Asserts the geometry is refused with a message containing each needle. */
static void refused(const char *text, const char *needle1, const char *needle2)
{
	struct shape s;
	struct zerr err;
	int rc = parse(text, &s, &err);
	if (rc != -1)
		fail_msg("accepted: %s", text);
	assert_int_equal(err.kind, ZE_INVALID_FIELD);
	assert_string_equal(err.field, "geometry");
	if (needle1 && !strstr(err.en, needle1))
		fail_msg("message \"%s\" lacks \"%s\" for %s", err.en, needle1, text);
	if (needle2 && !strstr(err.en, needle2))
		fail_msg("message \"%s\" lacks \"%s\" for %s", err.en, needle2, text);
	assert_true(strlen(err.zh) > 0);
	/* The shape is left empty: nothing to release, nothing leaked. */
	assert_null(s.xy);
	assert_int_equal(s.nverts, 0);
}

/* An axis-aligned rectangle as a GeoJSON Polygon (counter-clockwise). */
static json_t *rect_json(double x0, double y0, double x1, double y1)
{
	return json_pack("{s:s,s:[[[f,f],[f,f],[f,f],[f,f],[f,f]]]}", "type", "Polygon", "coordinates", x0, y0, x1, y0,
	                 x1, y1, x0, y1, x0, y0);
}

static void rect_shape(double x0, double y0, double x1, double y1, struct shape *s)
{
	json_t *g = rect_json(x0, y0, x1, y1);
	struct zerr err;
	shape_init(s);
	assert_int_equal(shape_from_geojson(g, s, &err), 0);
	json_decref(g);
}

/* A shape from a flat list of closed rings (each ring: count, then x y ...),
 * all rings of one polygon. */
static void ring_shape(struct shape *s, const double *xy, size_t n)
{
	json_t *ring = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(ring, json_pack("[f,f]", xy[2 * i], xy[2 * i + 1]));
	json_t *g = json_pack("{s:s,s:[o]}", "type", "Polygon", "coordinates", ring);
	struct zerr err;
	shape_init(s);
	if (shape_from_geojson(g, s, &err))
		fail_msg("ring_shape: %s", err.en);
	json_decref(g);
}

/* xorshift64*: deterministic, uniform in [0, 1). */
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static double rnd01(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

/* ---- reading ------------------------------------------------------------ */

static void test_geom_from_geojson_reads_polygon(void **state)
{
	(void)state;
	struct shape s;
	parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[115.0,35.7],[115.01,35.7],[115.01,35.71],[115.0,35.71],"
	         "[115.0,35.7]]]}",
	         &s);
	assert_int_equal(s.nverts, 5);
	assert_int_equal(s.nrings, 1);
	assert_int_equal(s.npolys, 1);
	assert_int_equal(s.ring_end[0], 5);
	assert_int_equal(s.poly_ring[0], 0);
	assert_true(s.box.minx == 115.0 && s.box.maxx == 115.01);
	assert_true(s.box.miny == 35.7 && s.box.maxy == 35.71);
	assert_true(s.xy[2] == 115.01 && s.xy[3] == 35.7);
	shape_release(&s);
	/* shape_release leaves an empty shape that may be released again. */
	assert_null(s.xy);
	shape_release(&s);
	shape_release(NULL);
}

static void test_geom_from_geojson_reads_multipolygon_with_holes(void **state)
{
	(void)state;
	struct shape s;
	parse_ok(
	        "{\"type\":\"MultiPolygon\",\"coordinates\":["
	        "[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[2,4],[4,4],[4,2],[2,2]],[[6,6],[6,8],[8,8],[8,6],[6,6]]],"
	        "[[[20,0],[30,0],[25,5],[20,0]]]]}",
	        &s);
	assert_int_equal(s.npolys, 2);
	assert_int_equal(s.nrings, 4);
	assert_int_equal(s.nverts, 19);
	assert_int_equal(s.poly_ring[0], 0);
	assert_int_equal(s.poly_ring[1], 3);
	assert_int_equal(s.ring_end[0], 5);
	assert_int_equal(s.ring_end[1], 10);
	assert_int_equal(s.ring_end[2], 15);
	assert_int_equal(s.ring_end[3], 19);
	assert_true(s.box.minx == 0 && s.box.maxx == 30 && s.box.miny == 0 && s.box.maxy == 10);
	shape_release(&s);
}

static void test_geom_from_geojson_accepts_altitude_and_integers(void **state)
{
	(void)state;
	struct shape s;
	/* A third number (altitude) is allowed and dropped; integers are numbers. */
	parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[115,35,10],[116,35,10],[116,36,12],[115,35,10]]]}", &s);
	assert_int_equal(s.nverts, 4);
	assert_true(s.xy[4] == 116 && s.xy[5] == 36);
	shape_release(&s);
	/* Extreme but legal coordinates. */
	parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[-180,-90],[180,-90],[180,90],[-180,-90]]]}", &s);
	shape_release(&s);
}

static void test_geom_from_geojson_refuses_wrong_type(void **state)
{
	(void)state;
	refused("{\"type\":\"Point\",\"coordinates\":[115.0,35.7]}", "Polygon or MultiPolygon", "not Point");
	refused("{\"type\":\"LineString\",\"coordinates\":[[115.0,35.7],[115.1,35.7]]}", "Polygon or MultiPolygon",
	        "not LineString");
	refused("{\"type\":\"GeometryCollection\",\"geometries\":[]}", "not GeometryCollection", NULL);
	refused("{\"type\":\"polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}", "not polygon", NULL);
	refused("{\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}", "type is missing", NULL);
	refused("{\"type\":7,\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}", "type is missing", NULL);
	refused("[[[0,0],[1,0],[1,1],[0,0]]]", "type is missing", NULL);
	refused("null", "type is missing", NULL);
	/* A Feature is not a geometry. */
	refused("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}"
	        "}",
	        "not Feature", NULL);
}

static void test_geom_from_geojson_refuses_too_few_points(void **state)
{
	(void)state;
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}", "polygon 1, ring 1:", "too few points");
	refused("{\"type\":\"Polygon\",\"coordinates\":[[]]}", "polygon 1, ring 1:", "too few points");
	/* In a hole of the second member of a MultiPolygon. */
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],"
	        "[[[5,5],[9,5],[9,9],[5,5]],[[6,6],[7,6],[6,6]]]]}",
	        "polygon 2, ring 2:", "too few points");
}

static void test_geom_from_geojson_refuses_unclosed_ring(void **state)
{
	(void)state;
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}",
	        "polygon 1, ring 1:", "unclosed ring");
	/* Closed in x but not in y. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0.5]]]}",
	        "polygon 1, ring 1:", "unclosed ring");
	/* The hole is the unclosed one. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[9,0],[9,9],[0,9],[0,0]],[[1,1],[1,2],[2,2],[2,1]]]}",
	        "polygon 1, ring 2:", "unclosed ring");
}

static void test_geom_from_geojson_refuses_out_of_range(void **state)
{
	(void)state;
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[180.5,1],[0,0]]]}",
	        "polygon 1, ring 1, position 3:", "longitude out of range");
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[-181,0],[1,0],[1,1],[-181,0]]]}",
	        "polygon 1, ring 1, position 1:", "longitude out of range");
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,90.0001],[1,1],[0,0]]]}",
	        "polygon 1, ring 1, position 2:", "latitude out of range");
	/* Latitude and longitude swapped: 115 is no latitude. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[35.7,115.0],[35.8,115.0],[35.8,115.1],[35.7,115.0]]]}",
	        "polygon 1, ring 1, position 1:", "latitude out of range");
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[1,0],[1,-91],[0,0]]]]"
	        "}",
	        "polygon 2, ring 1, position 3:", "latitude out of range");
	/* JSON has no NaN or infinity: jansson refuses 1e999 while parsing and
	 * will not hold a NaN, so the isfinite check cannot be reached from here. */
}

static void test_geom_from_geojson_refuses_non_numbers(void **state)
{
	(void)state;
	const char *bad[] = {
	        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[\"1\",0],[1,1],[0,0]]]}",
	        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,null],[1,1],[0,0]]]}",
	        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,true],[1,1],[0,0]]]}",
	        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1],[1,1],[0,0]]]}",
	        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0,0,0],[1,1],[0,0]]]}",
	        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],{\"x\":1,\"y\":0},[1,1],[0,0]]]}",
	        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],7,[1,1],[0,0]]]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		refused(bad[i], "polygon 1, ring 1, position 2:", "[longitude, latitude] numbers");
}

static void test_geom_from_geojson_refuses_wrong_nesting(void **state)
{
	(void)state;
	/* Polygon coordinates one level too shallow (a bare ring). */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[0,0],[1,0],[1,1],[0,1],[0,0]]}", "polygon 1, ring 1",
	        "nesting");
	/* One level too deep (MultiPolygon coordinates under Polygon). */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]]]}", "polygon 1, ring 1",
	        "nesting");
	/* MultiPolygon given Polygon coordinates. */
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}", "polygon 1, ring 1",
	        "nesting");
	/* Not arrays at all. */
	refused("{\"type\":\"Polygon\",\"coordinates\":\"0,0 1,0 1,1 0,0\"}", "polygon 1", "array of rings");
	refused("{\"type\":\"Polygon\",\"coordinates\":[]}", "polygon 1", "array of rings");
	refused("{\"type\":\"Polygon\"}", "polygon 1", "array of rings");
	refused("{\"type\":\"Polygon\",\"coordinates\":[\"ring\"]}", "polygon 1, ring 1", "nesting");
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]],{}]}", "polygon 1, ring 2",
	        "nesting");
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":[]}", "MultiPolygon", "non-empty array of polygons");
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":{}}", "MultiPolygon", "non-empty array of polygons");
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],5]}", "polygon 2",
	        "array of rings");
}

static void test_geom_from_geojson_refuses_too_many_vertices(void **state)
{
	(void)state;
	json_t *ring = json_array();
	for (int i = 0; i < GEOM_MAX_VERTICES; i++)
		json_array_append_new(ring, json_pack("[f,f]", 115.0 + 1e-7 * i, 35.7 + (i & 1) * 1e-7));
	json_array_append_new(ring, json_pack("[f,f]", 115.0, 35.7));
	json_t *g = json_pack("{s:s,s:[o]}", "type", "Polygon", "coordinates", ring);
	struct shape s;
	struct zerr err;
	shape_init(&s);
	assert_int_equal(shape_from_geojson(g, &s, &err), -1);
	assert_non_null(strstr(err.en, "too many vertices"));
	assert_non_null(strstr(err.en, "polygon 1, ring 1"));
	json_decref(g);
}

/* ---- point in polygon --------------------------------------------------- */

static void test_geom_contains_inside_and_outside(void **state)
{
	(void)state;
	struct shape s;
	/* A non-convex L shape. */
	const double l[] = {0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2, 0, 0};
	ring_shape(&s, l, 7);
	assert_true(shape_contains(&s, 0.5, 0.5));
	assert_true(shape_contains(&s, 1.5, 0.5));
	assert_true(shape_contains(&s, 0.5, 1.5));
	assert_false(shape_contains(&s, 1.5, 1.5)); /* the notch, inside the bbox */
	assert_false(shape_contains(&s, -0.5, 0.5));
	assert_false(shape_contains(&s, 0.5, 2.5));
	assert_false(shape_contains(&s, 3, 3));
	assert_false(shape_contains(&s, NAN, 0.5));
	assert_false(shape_contains(&s, 0.5, NAN));
	assert_false(shape_contains(&s, INFINITY, 0.5));
	shape_release(&s);
	/* Orientation does not matter: the same L clockwise. */
	const double lcw[] = {0, 0, 0, 2, 1, 2, 1, 1, 2, 1, 2, 0, 0, 0};
	ring_shape(&s, lcw, 7);
	assert_true(shape_contains(&s, 1.5, 0.5));
	assert_false(shape_contains(&s, 1.5, 1.5));
	shape_release(&s);
}

static void test_geom_contains_excludes_holes(void **state)
{
	(void)state;
	struct shape s;
	parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
	         "[[2,2],[2,4],[4,4],[4,2],[2,2]],[[6,6],[8,6],[8,8],[6,8],[6,6]]]}",
	         &s);
	assert_true(shape_contains(&s, 1, 1));
	assert_true(shape_contains(&s, 5, 5));
	assert_false(shape_contains(&s, 3, 3)); /* in a hole */
	assert_false(shape_contains(&s, 7, 7)); /* in the other hole */
	assert_true(shape_contains(&s, 3, 5));
	/* The hole's boundary follows the same rule, seen from the hole:
	 * its south-west sides are the hole's (outside), north-east sides the ring's. */
	assert_false(shape_contains(&s, 2, 3)); /* west side of the hole */
	assert_true(shape_contains(&s, 4, 3));  /* east side of the hole */
	assert_false(shape_contains(&s, 3, 2)); /* south side */
	assert_true(shape_contains(&s, 3, 4));  /* north side */
	shape_release(&s);
}

static void test_geom_contains_multipolygon_parts(void **state)
{
	(void)state;
	struct shape s;
	parse_ok("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"
	         "[[[5,0],[6,0],[6,1],[5,1],[5,0]]],"
	         "[[[0,5],[9,5],[9,9],[0,9],[0,5]],[[3,6],[6,6],[6,8],[3,8],[3,6]]],"
	         "[[[4,6.5],[5,6.5],[5,7.5],[4,7.5],[4,6.5]]]]}",
	         &s);
	assert_true(shape_contains(&s, 0.5, 0.5));
	assert_true(shape_contains(&s, 5.5, 0.5));
	assert_false(shape_contains(&s, 3, 0.5)); /* between the parts */
	assert_true(shape_contains(&s, 1, 7));
	assert_false(shape_contains(&s, 3.5, 7)); /* in the hole */
	assert_true(shape_contains(&s, 4.5, 7));  /* on an island in the hole */
	assert_false(shape_contains(&s, 5.5, 7)); /* in the hole again */
	shape_release(&s);
}

/* Points on the boundary between two unit squares (west | east). */
static void test_geom_contains_shared_north_south_edge_goes_east(void **state)
{
	(void)state;
	struct shape w, e;
	rect_shape(115.00, 35.70, 115.01, 35.71, &w);
	rect_shape(115.01, 35.70, 115.02, 35.71, &e);
	const double ys[] = {35.70, 35.7025, 35.705, 35.709999};
	for (size_t i = 0; i < 4; i++) {
		assert_false(shape_contains(&w, 115.01, ys[i]));
		assert_true(shape_contains(&e, 115.01, ys[i]));
	}
	/* The west square's own west edge is its (zone boundary: west inside). */
	assert_true(shape_contains(&w, 115.00, 35.705));
	/* The east square's east edge is not (zone boundary: east outside). */
	assert_false(shape_contains(&e, 115.02, 35.705));
	shape_release(&w);
	shape_release(&e);
}

static void test_geom_contains_shared_east_west_edge_goes_north(void **state)
{
	(void)state;
	struct shape s, n;
	rect_shape(115.00, 35.70, 115.01, 35.71, &s);
	rect_shape(115.00, 35.71, 115.01, 35.72, &n);
	const double xs[] = {115.00, 115.0025, 115.005, 115.009999};
	for (size_t i = 0; i < 4; i++) {
		assert_false(shape_contains(&s, xs[i], 35.71));
		assert_true(shape_contains(&n, xs[i], 35.71));
	}
	assert_true(shape_contains(&s, 115.005, 35.70));  /* south side: inside */
	assert_false(shape_contains(&n, 115.005, 35.72)); /* north side: outside */
	shape_release(&s);
	shape_release(&n);
}

static void test_geom_contains_vertex_of_four_squares_in_exactly_one(void **state)
{
	(void)state;
	struct shape q[4]; /* sw, se, nw, ne */
	rect_shape(115.00, 35.70, 115.01, 35.71, &q[0]);
	rect_shape(115.01, 35.70, 115.02, 35.71, &q[1]);
	rect_shape(115.00, 35.71, 115.01, 35.72, &q[2]);
	rect_shape(115.01, 35.71, 115.02, 35.72, &q[3]);
	int in[4];
	for (int i = 0; i < 4; i++)
		in[i] = shape_contains(&q[i], 115.01, 35.71);
	assert_int_equal(in[0] + in[1] + in[2] + in[3], 1);
	assert_true(in[3]); /* the one containing the points just north-east of it */
	/* Outer corners: only the south-west corner of the block is inside. */
	assert_true(shape_contains(&q[0], 115.00, 35.70));
	assert_false(shape_contains(&q[1], 115.02, 35.70));
	assert_false(shape_contains(&q[2], 115.00, 35.72));
	assert_false(shape_contains(&q[3], 115.02, 35.72));
	for (int i = 0; i < 4; i++)
		shape_release(&q[i]);
}

/* Slanted shared edges: both cells compute the crossing of the same edge,
 * each walking it in its own direction; the answers must agree. */
static void test_geom_contains_slanted_shared_edge_in_exactly_one(void **state)
{
	(void)state;
	/* A quadrilateral cut in two by the segment (a, b). */
	const double ax = 114.9523456789012, ay = 35.66123456789, bx = 114.9561234567891, by = 35.6637654321987;
	const double w[] = {114.95, 35.66, ax, ay, bx, by, 114.95, 35.665, 114.95, 35.66};
	const double e[] = {ax, ay, 114.96, 35.66, 114.96, 35.665, bx, by, ax, ay};
	struct shape sw, se;
	ring_shape(&sw, w, 5);
	ring_shape(&se, e, 5);
	int both = 0, none = 0;
	for (int i = 0; i <= 100000; i++) {
		double t = i / 100000.0;
		double x = ax + t * (bx - ax), y = ay + t * (by - ay);
		int n = shape_contains(&sw, x, y) + shape_contains(&se, x, y);
		both += n == 2;
		none += n == 0;
	}
	if (both || none)
		fail_msg("of 100001 points on a slanted shared edge, %d are in both cells and %d in neither", both,
		         none);
	shape_release(&sw);
	shape_release(&se);
}

/* ---- tilings ------------------------------------------------------------ */

/* Index of the cell [v[k], v[k+1]) holding t, or -1. */
static int slot(const double *v, int n, double t)
{
	for (int k = 0; k < n; k++)
		if (v[k] <= t && t < v[k + 1])
			return k;
	return -1;
}

static void test_geom_tiling_of_squares_every_point_in_exactly_one(void **state)
{
	(void)state;
	double xs[4], ys[4];
	for (int i = 0; i < 4; i++) {
		xs[i] = 114.95 + 0.0022 * i;
		ys[i] = 35.66 + 0.0018 * i;
	}
	struct shape c[9];
	for (int j = 0; j < 3; j++)
		for (int i = 0; i < 3; i++)
			rect_shape(xs[i], ys[j], xs[i + 1], ys[j + 1], &c[j * 3 + i]);
	/* Probe coordinates: every vertex line, midpoints, quarter points and
	 * points just outside, on both axes. */
	double px[64], py[64];
	int npx = 0, npy = 0;
	px[npx++] = xs[0] - 0.001;
	py[npy++] = ys[0] - 0.001;
	for (int i = 0; i < 4; i++) {
		px[npx++] = xs[i];
		py[npy++] = ys[i];
		px[npx++] = nextafter(xs[i], -INFINITY);
		py[npy++] = nextafter(ys[i], -INFINITY);
		px[npx++] = nextafter(xs[i], INFINITY);
		py[npy++] = nextafter(ys[i], INFINITY);
		if (i < 3) {
			for (int q = 1; q < 4; q++) {
				px[npx++] = xs[i] + (xs[i + 1] - xs[i]) * q / 4;
				py[npy++] = ys[i] + (ys[i + 1] - ys[i]) * q / 4;
			}
		}
	}
	px[npx++] = xs[3] + 0.001;
	py[npy++] = ys[3] + 0.001;
	int points = 0;
	for (int a = 0; a < npx; a++) {
		for (int b = 0; b < npy; b++) {
			int expect_i = slot(xs, 3, px[a]), expect_j = slot(ys, 3, py[b]);
			int expect = expect_i >= 0 && expect_j >= 0 ? expect_j * 3 + expect_i : -1;
			int found = -1, count = 0;
			for (int k = 0; k < 9; k++) {
				if (shape_contains(&c[k], px[a], py[b])) {
					found = k;
					count++;
				}
			}
			if (count > 1 || found != expect)
				fail_msg("point (%.17g, %.17g): in %d cells, found %d, expected %d", px[a], py[b],
				         count, found, expect);
			points++;
		}
	}
	assert_int_equal(points, 23 * 23);
	for (int k = 0; k < 9; k++)
		shape_release(&c[k]);
}

/* A cell with a hole and an island filling it: the island's boundary is
 * shared with the hole's. */
static void test_geom_tiling_with_island_every_point_in_exactly_one(void **state)
{
	(void)state;
	struct shape ring, island;
	parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
	         "[[3,3],[3,7],[5,8],[7,7],[7,3],[3,3]]]}",
	         &ring);
	parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[3,3],[7,3],[7,7],[5,8],[3,7],[3,3]]]}", &island);
	for (int i = 0; i <= 40; i++) {
		for (int j = 0; j <= 40; j++) {
			double x = i * 0.25, y = j * 0.25;
			int n = shape_contains(&ring, x, y) + shape_contains(&island, x, y);
			int in_union = x < 10 && y < 10;
			if (n != in_union)
				fail_msg("point (%g, %g) is in %d cells", x, y, n);
		}
	}
	/* On the island's slanted north edges too. */
	for (int i = 0; i <= 1000; i++) {
		double t = i / 1000.0;
		double x = 3 + 2 * t, y = 7 + t;
		assert_int_equal(shape_contains(&ring, x, y) + shape_contains(&island, x, y), 1);
		x = 5 + 2 * t, y = 8 - t;
		assert_int_equal(shape_contains(&ring, x, y) + shape_contains(&island, x, y), 1);
	}
	shape_release(&ring);
	shape_release(&island);
}

/* Checks one point: in exactly as many cells as the union holds it (0 or 1). */
static void tiling_check(const struct tiling *t, double x, double y, const char *what)
{
	int n = 0;
	for (size_t k = 0; k < t->n; k++)
		n += shape_contains(&t->cell[k], x, y);
	int u = shape_contains(&t->outer, x, y);
	if (n != u)
		fail_msg("%s (%.17g, %.17g): in %d cells, in the union: %d", what, x, y, n, u);
}

static void test_geom_tiling_of_irregular_polygons_every_point_in_exactly_one(void **state)
{
	(void)state;
	struct tiling t;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		/* Plain cells, then with islands and merged pairs. */
		tiling_build(&t, 12, 9, seed * 0x2545f4914f6cdd1dull, seed > 2);
		int checked = 0;
		for (size_t k = 0; k < t.n; k++) {
			const struct shape *s = &t.cell[k];
			for (uint32_t v = 0; v + 1 < s->nverts; v++) {
				int last_of_ring = 0;
				for (uint32_t r = 0; r < s->nrings; r++)
					last_of_ring |= v + 1 == s->ring_end[r];
				if (last_of_ring)
					continue; /* no edge from a ring's closing vertex to the next ring */
				double x1 = s->xy[2 * v], y1 = s->xy[2 * v + 1], x2 = s->xy[2 * v + 2],
				       y2 = s->xy[2 * v + 3];
				tiling_check(&t, x1, y1, "vertex");
				tiling_check(&t, (x1 + x2) / 2, (y1 + y2) / 2, "edge midpoint");
				for (int q = 0; q < 8; q++) {
					double f = rnd01();
					tiling_check(&t, x1 + f * (x2 - x1), y1 + f * (y2 - y1), "point on an edge");
				}
				/* Just beside the vertex. */
				tiling_check(&t, nextafter(x1, INFINITY), y1, "beside a vertex");
				tiling_check(&t, x1, nextafter(y1, -INFINITY), "beside a vertex");
				checked += 12;
			}
		}
		for (int q = 0; q < 20000; q++) {
			double x = t.outer.box.minx - 0.001 + rnd01() * (t.outer.box.maxx - t.outer.box.minx + 0.002);
			double y = t.outer.box.miny - 0.001 + rnd01() * (t.outer.box.maxy - t.outer.box.miny + 0.002);
			tiling_check(&t, x, y, "random point");
			checked++;
		}
		assert_true(checked > 30000);
		if (seed > 2)
			assert_true(t.n > 108); /* islands add shapes */
		else
			assert_int_equal(t.n, 108);
		tiling_release(&t);
	}
}

/* ---- areas -------------------------------------------------------------- */

/* Area of a lon/lat rectangle on the sphere of radius 6371008.8 m. */
static double sphere_rect_m2(double x0, double y0, double x1, double y1)
{
	const double r = 6371008.8, d = M_PI / 180;
	return r * r * (x1 - x0) * d * fabs(sin(y1 * d) - sin(y0 * d));
}

static void test_geom_area_of_known_rectangle(void **state)
{
	(void)state;
	struct shape s;
	/* About 1.8 km × 2.2 km at 35.7°N. */
	rect_shape(115.00, 35.70, 115.02, 35.72, &s);
	double expect = sphere_rect_m2(115.00, 35.70, 115.02, 35.72);
	double got = shape_area_m2(&s);
	assert_true(fabs(got - expect) / expect < 0.005);
	/* In fact much closer than the contract asks. */
	assert_true(fabs(got - expect) / expect < 0.001);
	assert_true(fabs(shape_area_deg2(&s) - 0.0004) < 1e-12);
	shape_release(&s);
	/* A 200 m micro-grid. */
	rect_shape(114.95, 35.66, 114.9522, 35.6618, &s);
	expect = sphere_rect_m2(114.95, 35.66, 114.9522, 35.6618);
	assert_true(fabs(shape_area_m2(&s) - expect) / expect < 0.005);
	assert_true(shape_area_m2(&s) > 39000 && shape_area_m2(&s) < 41000);
	shape_release(&s);
	/* Orientation does not change the area. */
	const double cw[] = {115.00, 35.70, 115.00, 35.72, 115.02, 35.72, 115.02, 35.70, 115.00, 35.70};
	ring_shape(&s, cw, 5);
	assert_true(fabs(shape_area_deg2(&s) - 0.0004) < 1e-12);
	shape_release(&s);
}

static void test_geom_area_subtracts_holes_and_adds_parts(void **state)
{
	(void)state;
	struct shape s;
	parse_ok("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
	         "[[2,2],[2,4],[4,4],[4,2],[2,2]]],[[[20,0],[23,0],[23,1],[20,1],[20,0]]],"
	         "[[[30,0],[31,0],[30,1],[30,0]]]]}",
	         &s);
	assert_true(fabs(shape_area_deg2(&s) - (100 - 4 + 3 + 0.5)) < 1e-9);
	shape_release(&s);
	/* A hole given counter-clockwise still subtracts. */
	parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
	         "[[2,2],[4,2],[4,4],[2,4],[2,2]]]}",
	         &s);
	assert_true(fabs(shape_area_deg2(&s) - 96) < 1e-9);
	shape_release(&s);
}

static void test_geom_distance_m(void **state)
{
	(void)state;
	/* One degree of latitude on the mean sphere: 111,195 m. */
	double d = geom_distance_m(35.0, 115.0, 36.0, 115.0);
	assert_true(fabs(d - 111195.08) < 1);
	assert_true(geom_distance_m(35.7, 115.0, 35.7, 115.0) == 0);
	/* Symmetric; one degree of longitude at 35.7°N is shorter by cos(lat). */
	double e = geom_distance_m(35.7, 115.0, 35.7, 116.0), w = geom_distance_m(35.7, 116.0, 35.7, 115.0);
	assert_true(fabs(e - w) < 1e-6);
	assert_true(fabs(e - 111195.08 * cos(35.7 * M_PI / 180)) < 20);
	/* Antipodes: half the circumference. */
	assert_true(fabs(geom_distance_m(0, 0, 0, 180) - M_PI * 6371008.8) < 1);
}

/* ---- writing ------------------------------------------------------------ */

static void round_trip(const char *text)
{
	struct shape a, b;
	parse_ok(text, &a);
	json_t *g = shape_to_geojson(&a);
	assert_non_null(g);
	json_t *orig = json_loads(text, 0, NULL);
	if (!json_equal(g, orig)) {
		char *dump = json_dumps(g, JSON_COMPACT);
		fail_msg("round trip differs:\n  in:  %s\n  out: %s", text, dump);
	}
	json_decref(orig);
	/* Through text at full precision and back: the same doubles. */
	char *dump = json_dumps(g, JSON_COMPACT | JSON_REAL_PRECISION(17));
	json_decref(g);
	parse_ok(dump, &b);
	free(dump);
	assert_int_equal(a.nverts, b.nverts);
	assert_int_equal(a.nrings, b.nrings);
	assert_int_equal(a.npolys, b.npolys);
	assert_memory_equal(a.xy, b.xy, 2 * a.nverts * sizeof *a.xy);
	assert_memory_equal(a.ring_end, b.ring_end, a.nrings * sizeof *a.ring_end);
	assert_memory_equal(a.poly_ring, b.poly_ring, a.npolys * sizeof *a.poly_ring);
	assert_memory_equal(&a.box, &b.box, sizeof a.box);
	shape_release(&a);
	shape_release(&b);
}

static void test_geom_to_geojson_round_trip(void **state)
{
	(void)state;
	round_trip("{\"type\":\"Polygon\",\"coordinates\":[[[114.95234567890123,35.661234567890123],[114.9545,35.66],"
	           "[114.9567,35.6624],[114.95234567890123,35.661234567890123]]]}");
	round_trip("{\"type\":\"Polygon\",\"coordinates\":[[[0.0,0.0],[10.0,0.0],[10.0,10.0],[0.0,10.0],[0.0,0.0]],"
	           "[[2.0,2.0],[2.0,4.0],[4.0,4.0],[4.0,2.0],[2.0,2.0]]]}");
	round_trip("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0.0,0.0],[1.0,0.0],[1.0,1.0],[0.0,0.0]]],"
	           "[[[5.0,5.0],[9.0,5.0],[9.0,9.0],[5.0,5.0]],[[6.0,6.0],[7.0,6.0],[7.0,6.5],[6.0,6.0]]]]}");
	/* A MultiPolygon of one member is written back as a Polygon. */
	struct shape s;
	parse_ok("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0.5,0.5],[1.5,0.5],[1.5,1.5],[0.5,0.5]]]]}", &s);
	json_t *g = shape_to_geojson(&s);
	assert_string_equal(json_string_value(json_object_get(g, "type")), "Polygon");
	json_t *want = json_loads("[[[0.5,0.5],[1.5,0.5],[1.5,1.5],[0.5,0.5]]]", 0, NULL);
	assert_true(json_equal(json_object_get(g, "coordinates"), want));
	json_decref(want);
	json_decref(g);
	shape_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_geom_from_geojson_reads_polygon),
	        cmocka_unit_test(test_geom_from_geojson_reads_multipolygon_with_holes),
	        cmocka_unit_test(test_geom_from_geojson_accepts_altitude_and_integers),
	        cmocka_unit_test(test_geom_from_geojson_refuses_wrong_type),
	        cmocka_unit_test(test_geom_from_geojson_refuses_too_few_points),
	        cmocka_unit_test(test_geom_from_geojson_refuses_unclosed_ring),
	        cmocka_unit_test(test_geom_from_geojson_refuses_out_of_range),
	        cmocka_unit_test(test_geom_from_geojson_refuses_non_numbers),
	        cmocka_unit_test(test_geom_from_geojson_refuses_wrong_nesting),
	        cmocka_unit_test(test_geom_from_geojson_refuses_too_many_vertices),
	        cmocka_unit_test(test_geom_contains_inside_and_outside),
	        cmocka_unit_test(test_geom_contains_excludes_holes),
	        cmocka_unit_test(test_geom_contains_multipolygon_parts),
	        cmocka_unit_test(test_geom_contains_shared_north_south_edge_goes_east),
	        cmocka_unit_test(test_geom_contains_shared_east_west_edge_goes_north),
	        cmocka_unit_test(test_geom_contains_vertex_of_four_squares_in_exactly_one),
	        cmocka_unit_test(test_geom_contains_slanted_shared_edge_in_exactly_one),
	        cmocka_unit_test(test_geom_tiling_of_squares_every_point_in_exactly_one),
	        cmocka_unit_test(test_geom_tiling_with_island_every_point_in_exactly_one),
	        cmocka_unit_test(test_geom_tiling_of_irregular_polygons_every_point_in_exactly_one),
	        cmocka_unit_test(test_geom_area_of_known_rectangle),
	        cmocka_unit_test(test_geom_area_subtracts_holes_and_adds_parts),
	        cmocka_unit_test(test_geom_distance_m),
	        cmocka_unit_test(test_geom_to_geojson_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
