/*
 * locate.c — point-location benchmark: zonegov's grid index (src/grid.c)
 * beside a GEOS STRtree of prepared polygons, on the same cells and points.
 *
 * The cells tile a jittered lattice near 35.7°N 115.0°E as src/demo_zone.c
 * does: every corner and every edge midpoint is moved by a fixed
 * pseudo-random amount and shared exactly by the neighbouring cells, so each
 * cell is an irregular octagon of about 145 m × 145 m. The points are
 * uniform over the tiling's bounding box enlarged by 2 % (1 % each side), so
 * a few fall outside every cell (answer -1).
 *
 * Measured, on one thread:
 *   zonegov   grid_index_build time and memory_bytes, then grid_locate over
 *             all points, best of -r runs (results summed and stored so the
 *             loop cannot be dropped);
 *   sweep     the same for each buckets_per_cell in -B (optional);
 *   geos      STRtree (node capacity 10) of prepared polygons: per point a
 *             point geometry, a tree query, GEOSPreparedContains on the
 *             candidates until one holds; timed on the first -g points;
 *   check     every point's zonegov answer against GEOS's (points within
 *             1e-9° of an edge of either answer are excluded: there the
 *             boundary rules differ by design); the count must be 0;
 *   probe     how lookups end in the index (gridprobe.c): direct buckets,
 *             candidates, cells and edges tested per lookup.
 * With -o DIR it writes DIR/cells.tsv (id, EWKT polygon) and DIR/points.tsv
 * (id, EWKT point, zonegov's answer) for PostGIS (the first -q points).
 *
 * Every figure is also printed as one "RESULT key=value ..." line for
 * run.sh. Usage: locate -n CELLS [-p POINTS] [-g GEOS_POINTS] [-b BPC]
 *                [-B BPC,BPC,...] [-r RUNS] [-o DIR] [-q PG_POINTS] [-P]
 * (-P: no probe and no prototypes, e.g. under perf record).
 */
#include "gridprobe.h"

#include "../../src/geom.h"
#include "../../src/grid.h"
#include "../../src/timeutil.h"

#include <geos_c.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LON_C 115.000 /* centre of the tiling */
#define LAT_C 35.700
#define CELL_DX 0.0016 /* ≈ 145 m at 35.7°N */
#define CELL_DY 0.0013 /* ≈ 144 m */
#define NEAR_EDGE_DEG 1e-9

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("locate: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

static uint64_t rng_state;

static double rnd(void) /* xorshift64*, uniform in [-0.5, 0.5) */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ull) >> 11) / 9007199254740992.0 - 0.5;
}

/* Resident set size in bytes (from /proc/self/statm), 0 if unknown. */
static size_t rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size = 0, res = 0;
	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &res) != 2)
		res = 0;
	fclose(f);
	return (size_t)res * (size_t)sysconf(_SC_PAGESIZE);
}

static double now_s(void)
{
	return (double)time_mono_ns() / 1e9;
}

static double cpu_s(void) /* this thread's CPU time */
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the tiling ---------------------------------------------------------- */

#define CELL_VERTS 9 /* octagon + closing vertex */

struct tiling {
	uint32_t nc, nr, n;
	double *xy; /* 2 * CELL_VERTS doubles per cell */
	struct shape *shapes;
	const struct shape **ptrs;
	int32_t *ids; /* cell i has id i + 1 */
	struct bbox box;
	uint32_t ring_end[1]; /* shared by every shape: one ring of 9 vertices */
};

/* nc × nr = n with nc >= nr and the two as close as possible. */
static void factor(uint32_t n, uint32_t *nc, uint32_t *nr)
{
	uint32_t best = 1;
	for (uint32_t d = 1; (uint64_t)d * d <= n; d++)
		if (n % d == 0)
			best = d;
	*nr = best;
	*nc = n / best;
	if (*nc > 8 * *nr)
		die("%u cells cannot be laid out as a roughly square lattice; pick a number like 10000 or 100000", n);
}

static void tiling_build(struct tiling *t, uint32_t n)
{
	uint32_t nc, nr;
	factor(n, &nc, &nr);
	t->nc = nc;
	t->nr = nr;
	t->n = n;
	size_t nv = (size_t)(nc + 1) * (nr + 1);
	double *vx = xmalloc(nv * sizeof *vx), *vy = xmalloc(nv * sizeof *vy);
	double *hx = xmalloc((size_t)nc * (nr + 1) * sizeof *hx), *hy = xmalloc((size_t)nc * (nr + 1) * sizeof *hy);
	double *ex = xmalloc((size_t)(nc + 1) * nr * sizeof *ex), *ey = xmalloc((size_t)(nc + 1) * nr * sizeof *ey);
#define V(i, j) ((size_t)(i) * (nr + 1) + (j))
#define H(i, j) ((size_t)(i) * (nr + 1) + (j))
#define E(i, j) ((size_t)(i)*nr + (j))
	double lon0 = LON_C - nc * CELL_DX / 2, lat0 = LAT_C - nr * CELL_DY / 2;
	rng_state = 0x5eed2026410972ull ^ n;
	for (uint32_t i = 0; i <= nc; i++)
		for (uint32_t j = 0; j <= nr; j++) {
			vx[V(i, j)] = lon0 + i * CELL_DX + rnd() * 0.45 * CELL_DX;
			vy[V(i, j)] = lat0 + j * CELL_DY + rnd() * 0.45 * CELL_DY;
		}
	for (uint32_t i = 0; i < nc; i++)
		for (uint32_t j = 0; j <= nr; j++) {
			hx[H(i, j)] = (vx[V(i, j)] + vx[V(i + 1, j)]) / 2;
			hy[H(i, j)] = (vy[V(i, j)] + vy[V(i + 1, j)]) / 2 + rnd() * 0.22 * CELL_DY;
		}
	for (uint32_t i = 0; i <= nc; i++)
		for (uint32_t j = 0; j < nr; j++) {
			ex[E(i, j)] = (vx[V(i, j)] + vx[V(i, j + 1)]) / 2 + rnd() * 0.22 * CELL_DX;
			ey[E(i, j)] = (vy[V(i, j)] + vy[V(i, j + 1)]) / 2;
		}
	t->xy = xmalloc((size_t)n * 2 * CELL_VERTS * sizeof *t->xy);
	t->shapes = xmalloc((size_t)n * sizeof *t->shapes);
	t->ptrs = xmalloc((size_t)n * sizeof *t->ptrs);
	t->ids = xmalloc((size_t)n * sizeof *t->ids);
	t->ring_end[0] = CELL_VERTS;
	t->box = (struct bbox){INFINITY, INFINITY, -INFINITY, -INFINITY};
	/* Cells row by row, south to north, west to east; rings counter-clockwise. */
	for (uint32_t j = 0; j < nr; j++)
		for (uint32_t i = 0; i < nc; i++) {
			uint32_t c = j * nc + i;
			double *p = t->xy + (size_t)c * 2 * CELL_VERTS;
			double ring[2 * CELL_VERTS] = {
			        vx[V(i, j)],         vy[V(i, j)],         hx[H(i, j)],     hy[H(i, j)],
			        vx[V(i + 1, j)],     vy[V(i + 1, j)],     ex[E(i + 1, j)], ey[E(i + 1, j)],
			        vx[V(i + 1, j + 1)], vy[V(i + 1, j + 1)], hx[H(i, j + 1)], hy[H(i, j + 1)],
			        vx[V(i, j + 1)],     vy[V(i, j + 1)],     ex[E(i, j)],     ey[E(i, j)],
			        vx[V(i, j)],         vy[V(i, j)],
			};
			memcpy(p, ring, sizeof ring);
			struct shape *s = &t->shapes[c];
			shape_init(s);
			s->xy = p;
			s->nverts = CELL_VERTS;
			s->ring_end = t->ring_end;
			s->nrings = 1;
			s->npolys = 1;
			s->poly_ring = NULL; /* not read by the index */
			s->box = (struct bbox){INFINITY, INFINITY, -INFINITY, -INFINITY};
			for (int k = 0; k < CELL_VERTS; k++) {
				s->box.minx = fmin(s->box.minx, p[2 * k]);
				s->box.maxx = fmax(s->box.maxx, p[2 * k]);
				s->box.miny = fmin(s->box.miny, p[2 * k + 1]);
				s->box.maxy = fmax(s->box.maxy, p[2 * k + 1]);
			}
			t->box.minx = fmin(t->box.minx, s->box.minx);
			t->box.maxx = fmax(t->box.maxx, s->box.maxx);
			t->box.miny = fmin(t->box.miny, s->box.miny);
			t->box.maxy = fmax(t->box.maxy, s->box.maxy);
			t->ptrs[c] = s;
			t->ids[c] = (int32_t)c + 1;
		}
#undef V
#undef H
#undef E
	free(vx);
	free(vy);
	free(hx);
	free(hy);
	free(ex);
	free(ey);
}

/* Shortest distance in degrees from (x, y) to an edge of cell c. */
static double edge_distance(const struct tiling *t, uint32_t c, double x, double y)
{
	const double *p = t->xy + (size_t)c * 2 * CELL_VERTS;
	double best = INFINITY;
	for (int k = 0; k + 1 < CELL_VERTS; k++, p += 2) {
		double ax = p[0], ay = p[1], bx = p[2], by = p[3];
		double vx = bx - ax, vy = by - ay, wx = x - ax, wy = y - ay;
		double len2 = vx * vx + vy * vy, s = len2 > 0 ? (wx * vx + wy * vy) / len2 : 0;
		s = s < 0 ? 0 : s > 1 ? 1 : s;
		double dx = wx - s * vx, dy = wy - s * vy;
		best = fmin(best, sqrt(dx * dx + dy * dy));
	}
	return best;
}

/* ---- zonegov --------------------------------------------------------------- */

struct zg_run {
	int bpc;
	double build_ms, best_build_ms, lps, mem_mib, rss_mib;
	double cpu_pct; /* CPU time / wall time of the best pass: < ~95 means other work took the core */
	double cpu_lps; /* lookups per second of this thread's CPU time, best pass (robust to time-slicing) */
	struct grid_stats st;
	int64_t checksum;
	uint64_t outside;
};

/* Builds the index `builds` times (keeps the last), times `runs` passes over
 * the points; out[i] gets each point's answer. */
static struct grid_index *zg_measure(const struct tiling *t, const double *px, const double *py, size_t m, int bpc,
                                     int runs, int32_t *out, struct zg_run *r)
{
	struct grid_index *g = NULL;
	memset(r, 0, sizeof *r);
	r->bpc = bpc;
	r->best_build_ms = INFINITY;
	for (int b = 0; b < 3; b++) {
		grid_index_free(g);
		size_t rss0 = rss_bytes();
		double t0 = now_s();
		g = grid_index_build(t->ptrs, t->ids, t->n, bpc);
		double ms = (now_s() - t0) * 1e3;
		if (!g)
			die("grid_index_build failed (%u cells, buckets_per_cell %d)", t->n, bpc);
		if (b == 0) {
			r->build_ms = ms;
			r->rss_mib = (double)(rss_bytes() - rss0) / 1048576.0;
		}
		r->best_build_ms = fmin(r->best_build_ms, ms);
	}
	grid_index_stats(g, &r->st);
	r->mem_mib = (double)r->st.memory_bytes / 1048576.0;
	double best = INFINITY, best_cpu = INFINITY;
	for (int k = 0; k < runs; k++) {
		int64_t sum = 0;
		uint64_t outside = 0;
		double t0 = now_s(), c0 = cpu_s();
		for (size_t i = 0; i < m; i++) {
			int32_t id = grid_locate(g, px[i], py[i]);
			out[i] = id;
			sum += id;
			outside += id < 0;
		}
		double dt = now_s() - t0, dc = cpu_s() - c0;
		if (k > 0 && (sum != r->checksum || outside != r->outside))
			die("grid_locate is not deterministic");
		r->checksum = sum;
		r->outside = outside;
		if (dt < best) {
			best = dt;
			r->cpu_pct = 100 * dc / dt;
		}
		best_cpu = fmin(best_cpu, dc);
	}
	r->lps = (double)m / best;
	r->cpu_lps = (double)m / best_cpu;
	return g;
}

static void zg_print(const char *method, const struct tiling *t, size_t m, const struct zg_run *r)
{
	uint64_t nb = (uint64_t)r->st.nx * r->st.ny;
	printf("  %-8s bpc %3d: %5u x %-5u buckets, %5.1f%% direct, %8.2f M lookups/s, %7.2f MiB (rss +%.1f), "
	       "build %.0f ms (best %.0f), cpu %.0f%%\n",
	       method, r->bpc, r->st.nx, r->st.ny, 100.0 * (double)r->st.direct_buckets / (double)nb, r->lps / 1e6,
	       r->mem_mib, r->rss_mib, r->build_ms, r->best_build_ms, r->cpu_pct);
	printf("RESULT method=%s cells=%u points=%zu bpc=%d lps=%.0f mem_mib=%.2f rss_mib=%.2f build_ms=%.1f "
	       "best_build_ms=%.1f cpu_pct=%.1f cpu_lps=%.0f nx=%u ny=%u direct_buckets=%llu candidate_entries=%llu "
	       "checksum=%lld outside=%llu\n",
	       method, t->n, m, r->bpc, r->lps, r->mem_mib, r->rss_mib, r->build_ms, r->best_build_ms, r->cpu_pct,
	       r->cpu_lps, r->st.nx, r->st.ny, (unsigned long long)r->st.direct_buckets,
	       (unsigned long long)r->st.candidate_entries, (long long)r->checksum, (unsigned long long)r->outside);
}

/* ---- GEOS ------------------------------------------------------------------ */

struct geos_index {
	GEOSContextHandle_t h;
	GEOSGeometry **geoms;
	const GEOSPreparedGeometry **prep;
	GEOSSTRtree *tree;
	uint32_t *items; /* cell numbers, the tree's item pointers point here */
	uint32_t n;
};

struct cand {
	uint32_t c[64];
	uint32_t n;
};

static void geos_collect(void *item, void *userdata)
{
	struct cand *cd = userdata;
	if (cd->n < sizeof cd->c / sizeof cd->c[0])
		cd->c[cd->n++] = *(const uint32_t *)item;
}

static void geos_notice(const char *fmt, ...)
{
	(void)fmt;
}

static void geos_build(struct geos_index *x, const struct tiling *t)
{
	x->h = GEOS_init_r();
	if (!x->h)
		die("GEOS_init_r failed");
	GEOSContext_setNoticeHandler_r(x->h, geos_notice);
	x->n = t->n;
	x->geoms = xmalloc(t->n * sizeof *x->geoms);
	x->prep = xmalloc(t->n * sizeof *x->prep);
	x->items = xmalloc(t->n * sizeof *x->items);
	x->tree = GEOSSTRtree_create_r(x->h, 10);
	if (!x->tree)
		die("GEOSSTRtree_create_r failed");
	for (uint32_t c = 0; c < t->n; c++) {
		GEOSCoordSequence *seq =
		        GEOSCoordSeq_copyFromBuffer_r(x->h, t->xy + (size_t)c * 2 * CELL_VERTS, CELL_VERTS, 0, 0);
		GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(x->h, seq) : NULL;
		x->geoms[c] = ring ? GEOSGeom_createPolygon_r(x->h, ring, NULL, 0) : NULL;
		x->prep[c] = x->geoms[c] ? GEOSPrepare_r(x->h, x->geoms[c]) : NULL;
		if (!x->prep[c])
			die("GEOS cannot build cell %u", c);
		x->items[c] = c;
		GEOSSTRtree_insert_r(x->h, x->tree, x->geoms[c], &x->items[c]);
	}
}

static void geos_free(struct geos_index *x)
{
	GEOSSTRtree_destroy_r(x->h, x->tree);
	for (uint32_t c = 0; c < x->n; c++) {
		GEOSPreparedGeom_destroy_r(x->h, x->prep[c]);
		GEOSGeom_destroy_r(x->h, x->geoms[c]);
	}
	free(x->geoms);
	free(x->prep);
	free(x->items);
	GEOS_finish_r(x->h);
}

/* Cell id containing (x, y) by GEOS, -1 when none; *ncand gets the count of
 * tree candidates. */
static int32_t geos_locate(const struct geos_index *x, const struct tiling *t, double px, double py, uint32_t *ncand)
{
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(x->h, px, py);
	if (!pt)
		die("GEOSGeom_createPointFromXY_r failed");
	struct cand cd = {.n = 0};
	GEOSSTRtree_query_r(x->h, x->tree, pt, geos_collect, &cd);
	int32_t id = -1;
	for (uint32_t k = 0; k < cd.n; k++) {
		char r = GEOSPreparedContains_r(x->h, x->prep[cd.c[k]], pt);
		if (r == 2)
			die("GEOSPreparedContains_r failed");
		if (r) {
			id = t->ids[cd.c[k]];
			break;
		}
	}
	GEOSGeom_destroy_r(x->h, pt);
	*ncand = cd.n;
	return id;
}

/* ---- PostGIS files ----------------------------------------------------------- */

static void write_pg_files(const char *dir, const struct tiling *t, const double *px, const double *py,
                           const int32_t *expect, size_t q)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/cells.tsv", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		die("cannot write %s", path);
	for (uint32_t c = 0; c < t->n; c++) {
		const double *p = t->xy + (size_t)c * 2 * CELL_VERTS;
		fprintf(f, "%d\tSRID=4326;POLYGON((", t->ids[c]);
		for (int k = 0; k < CELL_VERTS; k++)
			fprintf(f, "%s%.17g %.17g", k ? "," : "", p[2 * k], p[2 * k + 1]);
		fputs("))\n", f);
	}
	if (fclose(f))
		die("cannot write %s", path);
	snprintf(path, sizeof path, "%s/points.tsv", dir);
	f = fopen(path, "w");
	if (!f)
		die("cannot write %s", path);
	for (size_t i = 0; i < q; i++)
		fprintf(f, "%zu\tSRID=4326;POINT(%.17g %.17g)\t%d\n", i + 1, px[i], py[i], expect[i]);
	if (fclose(f))
		die("cannot write %s", path);
	/* The box, for pgbench's random points. */
	snprintf(path, sizeof path, "%s/box.txt", dir);
	f = fopen(path, "w");
	if (!f)
		die("cannot write %s", path);
	double w = t->box.maxx - t->box.minx, h = t->box.maxy - t->box.miny;
	fprintf(f, "%.17g %.17g %.17g %.17g\n", t->box.minx - 0.01 * w, t->box.miny - 0.01 * h, 1.02 * w, 1.02 * h);
	if (fclose(f))
		die("cannot write %s", path);
}

/* ---- main ------------------------------------------------------------------- */

static long arg_long(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		die("%s must be a whole number from %ld to %ld (got '%s')", what, lo, hi, s);
	return v;
}

int main(int argc, char **argv)
{
	long ncells = 100000, npoints = 1000000, ngeos = 200000, bpc = 0, runs = 3, qpoints = 100000;
	const char *outdir = NULL, *sweep = NULL;
	int opt, probe = 1;
	while ((opt = getopt(argc, argv, "n:p:g:b:B:r:o:q:P")) != -1) {
		switch (opt) {
		case 'n':
			ncells = arg_long(optarg, 4, 4000000, "-n (cells)");
			break;
		case 'p':
			npoints = arg_long(optarg, 1, 100000000, "-p (points)");
			break;
		case 'g':
			ngeos = arg_long(optarg, 0, 100000000, "-g (GEOS points)");
			break;
		case 'b':
			bpc = arg_long(optarg, 0, 4096, "-b (buckets per cell)");
			break;
		case 'B':
			sweep = optarg;
			break;
		case 'r':
			runs = arg_long(optarg, 1, 100, "-r (runs)");
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'q':
			qpoints = arg_long(optarg, 1, 100000000, "-q (PostGIS points)");
			break;
		case 'P':
			probe = 0;
			break;
		default:
			fprintf(stderr,
			        "usage: locate -n CELLS [-p POINTS] [-g GEOS_POINTS] [-b BPC] [-B BPC,...] [-r RUNS] "
			        "[-o DIR] [-q PG_POINTS] [-P]\n");
			return 2;
		}
	}
	size_t m = (size_t)npoints;
	if ((size_t)ngeos > m)
		ngeos = (long)m;
	if ((size_t)qpoints > m)
		qpoints = (long)m;

	struct tiling t;
	double t0 = now_s();
	tiling_build(&t, (uint32_t)ncells);
	double w = t.box.maxx - t.box.minx, h = t.box.maxy - t.box.miny;
	double *px = xmalloc(m * sizeof *px), *py = xmalloc(m * sizeof *py);
	rng_state = 0x9e3779b97f4a7c15ull ^ (uint64_t)ncells;
	for (size_t i = 0; i < m; i++) {
		px[i] = t.box.minx + w * (0.5 + 1.02 * rnd());
		py[i] = t.box.miny + h * (0.5 + 1.02 * rnd());
	}
	printf("cells %u (%u x %u lattice, ~%.0f m x %.0f m), box %.4f,%.4f .. %.4f,%.4f; %zu points; generated in "
	       "%.0f ms\n",
	       t.n, t.nc, t.nr, CELL_DX * 111320 * cos(LAT_C * M_PI / 180), CELL_DY * 110950, t.box.minx, t.box.miny,
	       t.box.maxx, t.box.maxy, m, (now_s() - t0) * 1e3);

	/* zonegov, at the chosen buckets_per_cell. */
	int32_t *zg = xmalloc(m * sizeof *zg), *tmp = xmalloc(m * sizeof *tmp);
	struct zg_run main_run;
	struct grid_index *g = zg_measure(&t, px, py, m, (int)bpc, (int)runs, zg, &main_run);
	zg_print("zonegov", &t, m, &main_run);

	/* How lookups end, on this index, and prototypes of changes to grid.c
	 * (gridprobe.c) on the same points. */
	if (probe) {
		struct probe_counts pc;
		probe_index(g, px, py, m, &pc);
		probe_print(&pc, t.n, m);
		probe_prototypes(g, (int)bpc, px, py, m, (int)runs, zg, main_run.lps);
	}

	/* buckets_per_cell sweep. */
	if (sweep) {
		char *list = strdup(sweep), *save = NULL;
		if (!list)
			die("out of memory");
		for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			struct zg_run r;
			struct grid_index *gs =
			        zg_measure(&t, px, py, m, (int)arg_long(tok, 1, 4096, "-B item"), (int)runs, tmp, &r);
			if (r.checksum != main_run.checksum || memcmp(tmp, zg, m * sizeof *zg))
				die("buckets_per_cell %s gives other answers", tok);
			zg_print("sweep", &t, m, &r);
			if (probe)
				probe_prototypes(gs, r.bpc, px, py, m, (int)runs, zg, r.lps);
			grid_index_free(gs);
		}
		free(list);
	}

	/* GEOS. */
	if (ngeos > 0) {
		struct geos_index x;
		size_t rss0 = rss_bytes();
		double b0 = now_s();
		geos_build(&x, &t);
		double build_ms = (now_s() - b0) * 1e3;
		/* The first query builds the tree: part of the build. */
		uint32_t nc;
		b0 = now_s();
		(void)geos_locate(&x, &t, px[0], py[0], &nc);
		build_ms += (now_s() - b0) * 1e3;
		/* Pass 1, all points, for the agreement check; its first ngeos
		 * points are timed as "cold" (each prepared geometry builds its
		 * own index when first used). Pass 2 times the first ngeos points
		 * again, warm: the headline figure. */
		double q0 = now_s(), cold_s = 0;
		for (size_t i = 0; i < m; i++) {
			tmp[i] = geos_locate(&x, &t, px[i], py[i], &nc);
			if (i + 1 == (size_t)ngeos)
				cold_s = now_s() - q0;
		}
		uint64_t cands = 0;
		int64_t sum = 0;
		q0 = now_s();
		for (size_t i = 0; i < (size_t)ngeos; i++) {
			int32_t id = geos_locate(&x, &t, px[i], py[i], &nc);
			cands += nc;
			sum += id;
		}
		double dt = now_s() - q0;
		double lps = (double)ngeos / dt, cold_lps = (double)ngeos / cold_s;
		double rss_mib = (double)(rss_bytes() - rss0) / 1048576.0;
		uint64_t disagree = 0, near_edge = 0, outside = 0;
		for (size_t i = 0; i < m; i++) {
			outside += tmp[i] < 0;
			if (tmp[i] == zg[i])
				continue;
			double d = INFINITY;
			if (zg[i] > 0)
				d = fmin(d, edge_distance(&t, (uint32_t)zg[i] - 1, px[i], py[i]));
			if (tmp[i] > 0)
				d = fmin(d, edge_distance(&t, (uint32_t)tmp[i] - 1, px[i], py[i]));
			if (d < NEAR_EDGE_DEG) {
				near_edge++;
			} else {
				if (disagree < 5)
					printf("  DISAGREE point %zu (%.17g %.17g): zonegov %d, GEOS %d, %.3g deg from "
					       "an edge\n",
					       i, px[i], py[i], zg[i], tmp[i], d);
				disagree++;
			}
		}
		printf("  geos     STRtree+prepared: %8.2f M lookups/s on %ld points (cold %.2f M/s; %.2f tree "
		       "candidates per "
		       "lookup), rss +%.1f MiB, build %.0f ms; agreement on %zu points: %llu disagreements, %llu "
		       "near-edge "
		       "excluded\n",
		       lps / 1e6, ngeos, cold_lps / 1e6, (double)cands / (double)ngeos, rss_mib, build_ms, m,
		       (unsigned long long)disagree, (unsigned long long)near_edge);
		printf("RESULT method=geos cells=%u points=%ld lps=%.0f cold_lps=%.0f rss_mib=%.2f build_ms=%.1f "
		       "cand_per_lookup=%.3f checksum_subset=%lld\n",
		       t.n, ngeos, lps, cold_lps, rss_mib, build_ms, (double)cands / (double)ngeos, (long long)sum);
		printf("RESULT method=check cells=%u points=%zu disagreements=%llu near_edge=%llu outside=%llu\n", t.n,
		       m, (unsigned long long)disagree, (unsigned long long)near_edge, (unsigned long long)outside);
		geos_free(&x);
	}

	if (outdir)
		write_pg_files(outdir, &t, px, py, zg, (size_t)qpoints);

	grid_index_free(g);
	free(zg);
	free(tmp);
	free(px);
	free(py);
	free(t.xy);
	free(t.shapes);
	free(t.ptrs);
	free(t.ids);
	return 0;
}
