/*
 * test_gcj.c — GCJ-02 ↔ WGS-84 (gcj.h): the published test vectors, round
 * trips, the China rectangle, convergence at its edges, NaN and infinity.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gcj.h"

#include <math.h>
#include <stdio.h>

#define TOL_DEG 1e-9

/* cmocka 1.1 compares only floats; this keeps the doubles. */
#define assert_near(got, want, tol)                                                                                    \
	do {                                                                                                           \
		double got_ = (got), want_ = (want);                                                                   \
		if (!(fabs(got_ - want_) < (tol)))                                                                     \
			fail_msg("%s = %.15g, want %.15g (off by %.3g)", #got, got_, want_, fabs(got_ - want_));       \
	} while (0)

/* googollee/eviltransform c/test.c, via shared/domain/cn-standards.md §3: WGS lat, lon → GCJ lat, lon. */
static const double vectors[][4] = {
        {31.1774276, 121.5272106, 31.17530398364597, 121.531541859215}, /* Shanghai, ≈475 m */
        {22.543847, 113.912316, 22.540796131694766, 113.9171764808363}, /* Shenzhen, ≈604 m */
        {39.911954, 116.377817, 39.91334545536069, 116.38404722455657}, /* Beijing, ≈553 m */
};

/* Deterministic xorshift64*; returns a double in [lo, hi). */
static double rnd(uint64_t *s, double lo, double hi)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	uint64_t r = *s * 2685821657736338717ULL;
	return lo + (hi - lo) * (double)(r >> 11) / 9007199254740992.0;
}

/*
 * An independent copy of the forward formula from cn-standards.md §3,
 * without the rectangle test, so the inverse's residual can be checked
 * where gcj_from_wgs would clip (a WGS answer just outside the rectangle).
 */
static void ref_forward(double lat, double lon, double *glat, double *glon)
{
	const double a = 6378245.0, ee = 0.00669342162296594323, pi = 3.14159265358979323846;
	double x = lon - 105.0, y = lat - 35.0;
	double common = (20.0 * sin(6.0 * pi * x) + 20.0 * sin(2.0 * pi * x)) * 2.0 / 3.0;
	double tlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x)) + common +
	              (20.0 * sin(pi * y) + 40.0 * sin(pi * y / 3.0)) * 2.0 / 3.0 +
	              (160.0 * sin(pi * y / 12.0) + 320.0 * sin(pi * y / 30.0)) * 2.0 / 3.0;
	double tlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x)) + common +
	              (20.0 * sin(pi * x) + 40.0 * sin(pi * x / 3.0)) * 2.0 / 3.0 +
	              (150.0 * sin(pi * x / 12.0) + 300.0 * sin(pi * x / 30.0)) * 2.0 / 3.0;
	double rad = lat * pi / 180.0, magic = 1.0 - ee * sin(rad) * sin(rad), sm = sqrt(magic);
	*glat = lat + tlat * 180.0 / ((a * (1.0 - ee)) / (magic * sm) * pi);
	*glon = lon + tlon * 180.0 / (a / sm * cos(rad) * pi);
}

static void test_gcj_forward_matches_published_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		double glat, glon;
		gcj_from_wgs(vectors[i][0], vectors[i][1], &glat, &glon);
		assert_near(glat, vectors[i][2], TOL_DEG);
		assert_near(glon, vectors[i][3], TOL_DEG);
		ref_forward(vectors[i][0], vectors[i][1], &glat, &glon);
		assert_near(glat, vectors[i][2], TOL_DEG);
		assert_near(glon, vectors[i][3], TOL_DEG);
	}
}

static void test_gcj_inverse_recovers_published_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		double lat, lon;
		gcj_to_wgs(vectors[i][2], vectors[i][3], &lat, &lon);
		assert_near(lat, vectors[i][0], TOL_DEG);
		assert_near(lon, vectors[i][1], TOL_DEG);
	}
}

static void test_gcj_round_trip_random_points_in_china(void **state)
{
	(void)state;
	uint64_t seed = 0x5a4f4e45474f5621ULL;
	double worst = 0.0, shift_min = 1.0, shift_max = 0.0;
	/* Bounds kept ~0.04° inside the rectangle so that the GCJ point is inside it too. */
	for (int i = 0; i < 5000; i++) {
		double lat = rnd(&seed, 3.9, 53.5), lon = rnd(&seed, 73.7, 135.0);
		if (i % 5 == 0) { /* a fifth around 濮阳 */
			lat = rnd(&seed, 35.4, 36.1);
			lon = rnd(&seed, 114.6, 115.6);
		}
		double glat, glon, wlat, wlon;
		gcj_from_wgs(lat, lon, &glat, &glon);
		assert_false(gcj_out_of_china(glat, glon));
		double shift = fmax(fabs(glat - lat), fabs(glon - lon));
		shift_min = fmin(shift_min, shift);
		shift_max = fmax(shift_max, shift);
		gcj_to_wgs(glat, glon, &wlat, &wlon);
		double err = fmax(fabs(wlat - lat), fabs(wlon - lon));
		if (err > worst)
			worst = err;
		if (err >= TOL_DEG)
			fail_msg("round trip of (%.9f, %.9f) is off by %g°", lat, lon, err);
	}
	/* The shift is real: some metres to some hundreds of metres, never zero inside China. */
	assert_true(shift_min > 1e-6);
	assert_true(shift_max < 0.02);
	printf("  worst round-trip error %.3g° over 5000 points\n", worst);
}

static void test_gcj_out_of_china_uses_wandergis_rectangle(void **state)
{
	(void)state;
	assert_false(gcj_out_of_china(35.7, 115.0));   /* 濮阳 */
	assert_false(gcj_out_of_china(3.87, 73.67));   /* just inside the south-west corner */
	assert_false(gcj_out_of_china(53.54, 135.04)); /* just inside the north-east corner */
	/* Open bounds: the edges themselves are outside. */
	assert_true(gcj_out_of_china(35.0, 73.66));
	assert_true(gcj_out_of_china(35.0, 135.05));
	assert_true(gcj_out_of_china(3.86, 100.0));
	assert_true(gcj_out_of_china(53.55, 100.0));
	/* Elsewhere. */
	assert_true(gcj_out_of_china(0.0, 0.0));
	assert_true(gcj_out_of_china(40.7128, -74.006)); /* New York */
	assert_true(gcj_out_of_china(-35.0, 115.0));     /* 濮阳's longitude, southern hemisphere */
	assert_true(gcj_out_of_china(35.7, -115.0));
	assert_true(gcj_out_of_china(60.0, 100.0));
}

static void test_gcj_outside_china_passes_unchanged(void **state)
{
	(void)state;
	const double pts[][2] = {{0.0, 0.0},    {40.7128, -74.006}, {51.5074, -0.1278}, {-33.8688, 151.2093},
	                         {35.0, 73.66}, {35.0, 135.05},     {3.86, 100.0},      {53.55, 100.0},
	                         {90.0, 180.0}, {-90.0, -180.0},    {55.7558, 37.6173}, {1.3521, 103.8198}};
	for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
		double a, b;
		gcj_from_wgs(pts[i][0], pts[i][1], &a, &b);
		assert_true(a == pts[i][0] && b == pts[i][1]);
		gcj_to_wgs(pts[i][0], pts[i][1], &a, &b);
		assert_true(a == pts[i][0] && b == pts[i][1]);
	}
}

/* Residual of the inverse against the unclipped formula, in degrees. */
static double inverse_residual(double glat, double glon)
{
	double lat, lon, flat, flon;
	gcj_to_wgs(glat, glon, &lat, &lon);
	assert_true(isfinite(lat) && isfinite(lon));
	assert_true(fabs(lat - glat) < 0.02 && fabs(lon - glon) < 0.02);
	ref_forward(lat, lon, &flat, &flon);
	return fmax(fabs(flat - glat), fabs(flon - glon));
}

static void test_gcj_inverse_converges_at_rectangle_edges(void **state)
{
	(void)state;
	const double in = 1e-7; /* a hair inside */
	const double lat0 = 3.86 + in, lat1 = 53.55 - in, lon0 = 73.66 + in, lon1 = 135.05 - in;
	double worst = 0.0;
	for (int i = 0; i <= 200; i++) {
		double lat = lat0 + (lat1 - lat0) * i / 200.0, lon = lon0 + (lon1 - lon0) * i / 200.0;
		worst = fmax(worst, inverse_residual(lat, lon0));
		worst = fmax(worst, inverse_residual(lat, lon1));
		worst = fmax(worst, inverse_residual(lat0, lon));
		worst = fmax(worst, inverse_residual(lat1, lon));
	}
	assert_true(worst < TOL_DEG);

	/* Where the WGS answer lies inside too, the public forward agrees. */
	double lat, lon, glat, glon;
	gcj_to_wgs(53.549, 135.049, &lat, &lon);
	assert_false(gcj_out_of_china(lat, lon));
	gcj_from_wgs(lat, lon, &glat, &glon);
	assert_near(glat, 53.549, TOL_DEG);
	assert_near(glon, 135.049, TOL_DEG);
}

static void test_gcj_nan_and_infinity_return_promptly_unchanged(void **state)
{
	(void)state;
	const double bad[][2] = {{NAN, 115.0}, {35.7, NAN}, {NAN, NAN}, {INFINITY, 115.0}, {35.7, -INFINITY}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		double a, b;
		assert_true(gcj_out_of_china(bad[i][0], bad[i][1]));
		gcj_to_wgs(bad[i][0], bad[i][1], &a, &b);
		assert_true(isnan(bad[i][0]) ? isnan(a) : a == bad[i][0]);
		assert_true(isnan(bad[i][1]) ? isnan(b) : b == bad[i][1]);
		gcj_from_wgs(bad[i][0], bad[i][1], &a, &b);
		assert_true(isnan(bad[i][0]) ? isnan(a) : a == bad[i][0]);
		assert_true(isnan(bad[i][1]) ? isnan(b) : b == bad[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_gcj_forward_matches_published_vectors),
	        cmocka_unit_test(test_gcj_inverse_recovers_published_vectors),
	        cmocka_unit_test(test_gcj_round_trip_random_points_in_china),
	        cmocka_unit_test(test_gcj_out_of_china_uses_wandergis_rectangle),
	        cmocka_unit_test(test_gcj_outside_china_passes_unchanged),
	        cmocka_unit_test(test_gcj_inverse_converges_at_rectangle_edges),
	        cmocka_unit_test(test_gcj_nan_and_infinity_return_promptly_unchanged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
