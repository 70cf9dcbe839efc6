/*
 * tiling.h — random irregular tilings for the geometry tests (test_geom.c,
 * test_grid.c).
 *
 * A jittered lattice of nc × nr cells near 35.66°N 114.95°E (about 200 m ×
 * 200 m each). Interior lattice corners move by up to a quarter cell; each
 * shared edge is broken by 0 to 3 extra points that move by up to a tenth of
 * a cell across it, so cells are irregular, often non-convex polygons with
 * slanted edges. Neighbours share their vertices exactly (the same doubles)
 * and walk their shared edges in opposite directions, as imported cells do.
 *
 * With `extras`, some cells get a hole filled by an island cell of their
 * own, and some pairs of cells two apart in a row are merged into one
 * MultiPolygon shape. The outer boundary is a rectangle, kept as one ring
 * (clockwise) in `outer`.
 *
 * Include after <cmocka.h>, "geom.h" and <math.h>.
 */
#ifndef ZG_TILING_H
#define ZG_TILING_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TILING_MAXK 3

struct tiling {
	int nc, nr;
	struct shape *cell; /* the shapes (a merged pair or an island is one shape) */
	int32_t *ids;       /* an arbitrary id per shape */
	size_t n;
	struct shape outer; /* the union's boundary */
	double x0, y0, dx, dy;
	uint64_t rng;
};

/* xorshift64*: deterministic, uniform in [0, 1). */
static inline double tiling_rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (double)((*s * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

/* A JSON ring from n points of xy (the caller closes it). */
static inline json_t *tiling_ring(const double *xy, int n, int reverse)
{
	json_t *ring = json_array();
	for (int i = 0; i < n; i++) {
		int k = reverse ? n - 1 - i : i;
		json_array_append_new(ring, json_pack("[f,f]", xy[2 * k], xy[2 * k + 1]));
	}
	return ring;
}

static inline void tiling_shape(struct shape *s, json_t *g)
{
	struct zerr err;
	shape_init(s);
	if (shape_from_geojson(g, s, &err))
		fail_msg("tiling: %s", err.en);
	json_decref(g);
}

static inline void tiling_build(struct tiling *t, int nc, int nr, uint64_t seed, int extras)
{
	memset(t, 0, sizeof *t);
	t->nc = nc;
	t->nr = nr;
	t->x0 = 114.95;
	t->y0 = 35.66;
	t->dx = 0.0022;
	t->dy = 0.0018;
	t->rng = seed ? seed : 1;
	const double dx = t->dx, dy = t->dy;
	const int K = TILING_MAXK;
	/* Corners (nc+1) × (nr+1); extra points on horizontal edges nc × (nr+1)
	 * and on vertical edges (nc+1) × nr, K slots each. */
	double *vx = malloc(sizeof(double) * (size_t)(nc + 1) * (nr + 1));
	double *vy = malloc(sizeof(double) * (size_t)(nc + 1) * (nr + 1));
	int *hk = calloc((size_t)nc * (nr + 1), sizeof(int)), *vk = calloc((size_t)(nc + 1) * nr, sizeof(int));
	double *hp = malloc(sizeof(double) * 2 * K * (size_t)nc * (nr + 1));
	double *vp = malloc(sizeof(double) * 2 * K * (size_t)(nc + 1) * nr);
	assert_true(vx && vy && hk && vk && hp && vp);
#define V(i, j) ((i) * (nr + 1) + (j))
#define H(i, j) ((i) * (nr + 1) + (j))
#define E(i, j) ((i)*nr + (j))
	for (int i = 0; i <= nc; i++)
		for (int j = 0; j <= nr; j++) {
			vx[V(i, j)] = t->x0 + i * dx + (i > 0 && i < nc ? (tiling_rnd(&t->rng) - 0.5) * 0.5 * dx : 0);
			vy[V(i, j)] = t->y0 + j * dy + (j > 0 && j < nr ? (tiling_rnd(&t->rng) - 0.5) * 0.5 * dy : 0);
		}
	for (int i = 0; i < nc; i++)
		for (int j = 0; j <= nr; j++) {
			int k = (j == 0 || j == nr) ? 0 : (int)(tiling_rnd(&t->rng) * (K + 1));
			hk[H(i, j)] = k;
			for (int m = 0; m < k; m++) {
				double f = (m + 1.0) / (k + 1);
				double *p = &hp[2 * (K * H(i, j) + m)];
				p[0] = vx[V(i, j)] + f * (vx[V(i + 1, j)] - vx[V(i, j)]);
				p[1] = vy[V(i, j)] + f * (vy[V(i + 1, j)] - vy[V(i, j)]) +
				       (tiling_rnd(&t->rng) - 0.5) * 0.2 * dy;
			}
		}
	for (int i = 0; i <= nc; i++)
		for (int j = 0; j < nr; j++) {
			int k = (i == 0 || i == nc) ? 0 : (int)(tiling_rnd(&t->rng) * (K + 1));
			vk[E(i, j)] = k;
			for (int m = 0; m < k; m++) {
				double f = (m + 1.0) / (k + 1);
				double *p = &vp[2 * (K * E(i, j) + m)];
				p[0] = vx[V(i, j)] + f * (vx[V(i, j + 1)] - vx[V(i, j)]) +
				       (tiling_rnd(&t->rng) - 0.5) * 0.2 * dx;
				p[1] = vy[V(i, j)] + f * (vy[V(i, j + 1)] - vy[V(i, j)]);
			}
		}
	/* Lattice cell rings, counter-clockwise, closed. */
	const int maxv = 4 * (K + 1) + 1;
	double *rings = malloc(sizeof(double) * 2 * maxv * (size_t)nc * nr);
	int *rn = malloc(sizeof(int) * (size_t)nc * nr);
	assert_true(rings && rn);
	for (int j = 0; j < nr; j++) {
		for (int i = 0; i < nc; i++) {
			double *xy = &rings[2 * maxv * (j * nc + i)];
			int n = 0;
#define PUT(X, Y) (xy[2 * n] = (X), xy[2 * n + 1] = (Y), n++)
			PUT(vx[V(i, j)], vy[V(i, j)]);
			for (int m = 0; m < hk[H(i, j)]; m++)
				PUT(hp[2 * (K * H(i, j) + m)], hp[2 * (K * H(i, j) + m) + 1]);
			PUT(vx[V(i + 1, j)], vy[V(i + 1, j)]);
			for (int m = 0; m < vk[E(i + 1, j)]; m++)
				PUT(vp[2 * (K * E(i + 1, j) + m)], vp[2 * (K * E(i + 1, j) + m) + 1]);
			PUT(vx[V(i + 1, j + 1)], vy[V(i + 1, j + 1)]);
			for (int m = hk[H(i, j + 1)] - 1; m >= 0; m--)
				PUT(hp[2 * (K * H(i, j + 1) + m)], hp[2 * (K * H(i, j + 1) + m) + 1]);
			PUT(vx[V(i, j + 1)], vy[V(i, j + 1)]);
			for (int m = vk[E(i, j)] - 1; m >= 0; m--)
				PUT(vp[2 * (K * E(i, j) + m)], vp[2 * (K * E(i, j) + m) + 1]);
			PUT(vx[V(i, j)], vy[V(i, j)]);
#undef PUT
			rn[j * nc + i] = n;
		}
	}
	/* Shapes: plain cells, cells with an island, merged pairs. */
	size_t cap = 2 * (size_t)nc * nr;
	t->cell = calloc(cap, sizeof *t->cell);
	t->ids = calloc(cap, sizeof *t->ids);
	char *used = calloc((size_t)nc * nr, 1);
	assert_true(t->cell && t->ids && used);
	for (int j = 0; j < nr; j++) {
		for (int i = 0; i < nc; i++) {
			int k = j * nc + i;
			if (used[k])
				continue;
			used[k] = 1;
			const double *xy = &rings[2 * maxv * k];
			json_t *poly = json_pack("[o]", tiling_ring(xy, rn[k], 0));
			if (extras && k % 7 == 3) {
				/* An island within a tenth of a cell of the lattice centre. */
				double cx = t->x0 + (i + 0.5) * dx, cy = t->y0 + (j + 0.5) * dy;
				double isl[10] = {cx - 0.09 * dx,
				                  cy - 0.07 * dy,
				                  cx + 0.08 * dx,
				                  cy - 0.09 * dy,
				                  cx + 0.09 * dx,
				                  cy + 0.06 * dy,
				                  cx - 0.05 * dx,
				                  cy + 0.09 * dy,
				                  0,
				                  0};
				isl[8] = isl[0];
				isl[9] = isl[1];
				json_array_append_new(poly, tiling_ring(isl, 5, 1));
				tiling_shape(&t->cell[t->n],
				             json_pack("{s:s,s:o}", "type", "Polygon", "coordinates", poly));
				t->ids[t->n] = 1000 + 3 * (int32_t)t->n;
				t->n++;
				tiling_shape(&t->cell[t->n], json_pack("{s:s,s:[o]}", "type", "Polygon", "coordinates",
				                                       tiling_ring(isl, 5, 0)));
			} else if (extras && k % 11 == 5 && i + 2 < nc && !used[k + 2]) {
				used[k + 2] = 1;
				json_t *other = json_pack("[o]", tiling_ring(&rings[2 * maxv * (k + 2)], rn[k + 2], 0));
				tiling_shape(&t->cell[t->n], json_pack("{s:s,s:[o,o]}", "type", "MultiPolygon",
				                                       "coordinates", poly, other));
			} else {
				tiling_shape(&t->cell[t->n],
				             json_pack("{s:s,s:o}", "type", "Polygon", "coordinates", poly));
			}
			t->ids[t->n] = 1000 + 3 * (int32_t)t->n;
			t->n++;
		}
	}
	/* The outer boundary, clockwise. */
	double *o = malloc(sizeof(double) * 2 * (2 * (size_t)(nc + nr) + 1));
	assert_non_null(o);
	int n = 0;
	for (int j = 0; j <= nr; j++, n++)
		o[2 * n] = vx[V(0, j)], o[2 * n + 1] = vy[V(0, j)];
	for (int i = 1; i <= nc; i++, n++)
		o[2 * n] = vx[V(i, nr)], o[2 * n + 1] = vy[V(i, nr)];
	for (int j = nr - 1; j >= 0; j--, n++)
		o[2 * n] = vx[V(nc, j)], o[2 * n + 1] = vy[V(nc, j)];
	for (int i = nc - 1; i >= 0; i--, n++)
		o[2 * n] = vx[V(i, 0)], o[2 * n + 1] = vy[V(i, 0)];
	tiling_shape(&t->outer, json_pack("{s:s,s:[o]}", "type", "Polygon", "coordinates", tiling_ring(o, n, 0)));
#undef V
#undef H
#undef E
	free(o);
	free(used);
	free(rings);
	free(rn);
	free(vx);
	free(vy);
	free(hk);
	free(vk);
	free(hp);
	free(vp);
}

static inline void tiling_release(struct tiling *t)
{
	for (size_t k = 0; k < t->n; k++)
		shape_release(&t->cell[k]);
	free(t->cell);
	free(t->ids);
	shape_release(&t->outer);
	memset(t, 0, sizeof *t);
}

#endif
