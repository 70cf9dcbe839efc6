/*
 * gridprobe.c — see gridprobe.h.
 *
 * src/grid.c is compiled a second time into this file, with its exported
 * functions renamed, so that struct grid_index and its helpers are visible
 * here; the benchmark still times the real object built from src/grid.c,
 * and an index built by it has the same layout (same source, same flags).
 */
#define grid_index_build probe_copy_grid_index_build
#define grid_index_free probe_copy_grid_index_free
#define grid_locate probe_copy_grid_locate
#define grid_index_stats probe_copy_grid_index_stats
#include "../../src/grid.c"
#undef grid_index_build
#undef grid_index_free
#undef grid_locate
#undef grid_index_stats

#include "gridprobe.h"

#include <stdio.h>

void probe_index(const struct grid_index *g, const double *px, const double *py, size_t m, struct probe_counts *pc)
{
	memset(pc, 0, sizeof *pc);
	size_t nb = (size_t)g->nx * g->ny;
	pc->buckets = nb;
	for (size_t b = 0; b < nb; b++) {
		uint32_t v = g->bucket[b];
		if (v == GRID_EMPTY) {
			pc->empty_buckets++;
		} else if (v & GRID_DIRECT) {
			pc->direct_buckets++;
		} else {
			uint32_t k = g->cand[v];
			pc->mixed_buckets++;
			pc->mixed_entries += k;
			pc->hist[k == 0 ? 0 : k > 9 ? 8 : k - 1]++;
		}
	}
	pc->bucket_bytes = nb * sizeof *g->bucket;
	pc->cand_bytes = g->ncand * sizeof *g->cand;
	pc->cell_bytes = g->ncells * sizeof *g->cells;
	uint32_t nrings = 0;
	for (uint32_t c = 0; c < g->ncells; c++)
		nrings += g->cells[c].nrings;
	uint32_t nverts = nrings ? g->ring_end[nrings - 1] : 0;
	pc->vertex_bytes = (size_t)nverts * 2 * sizeof *g->xy + nrings * sizeof *g->ring_end;

	for (size_t i = 0; i < m; i++) {
		double x = px[i], y = py[i];
		pc->lookups++;
		double fx = (x - g->x0) * g->inv_dx, fy = (y - g->y0) * g->inv_dy;
		if (!(fx >= 0 && fy >= 0 && fx < g->nx && fy < g->ny)) {
			pc->off_grid++;
			continue;
		}
		uint32_t b = g->bucket[(uint32_t)fy * g->nx + (uint32_t)fx];
		if (b == GRID_EMPTY) {
			pc->empty++;
			continue;
		}
		if (b & GRID_DIRECT) {
			pc->direct++;
			continue;
		}
		pc->mixed++;
		const uint32_t *c = g->cand + b;
		pc->listed += c[0];
		int found = 0;
		for (uint32_t k = 1; k <= c[0] && !found; k++) {
			const struct cell *cl = &g->cells[c[k]];
			pc->tested++;
			if (x < cl->box.minx || x > cl->box.maxx || y < cl->box.miny || y > cl->box.maxy)
				continue;
			pc->bbox_passed++;
			uint32_t start = cl->ring0 ? g->ring_end[cl->ring0 - 1] : 0;
			uint32_t end = g->ring_end[cl->ring0 + cl->nrings - 1];
			pc->edges += end - start - cl->nrings;
			found = cell_contains(g, cl, x, y);
		}
		pc->mixed_miss += !found;
	}
}

void probe_print(const struct probe_counts *pc, uint32_t ncells, size_t m)
{
	double L = (double)pc->lookups, M = pc->mixed ? (double)pc->mixed : 1;
	printf("  probe: buckets %llu (%.1f per cell): %.1f%% direct, %.1f%% mixed, %.1f%% empty; "
	       "mixed lists %.2f cells on average (",
	       (unsigned long long)pc->buckets, (double)pc->buckets / ncells,
	       100.0 * (double)pc->direct_buckets / (double)pc->buckets,
	       100.0 * (double)pc->mixed_buckets / (double)pc->buckets,
	       100.0 * (double)pc->empty_buckets / (double)pc->buckets,
	       (double)pc->mixed_entries / (double)(pc->mixed_buckets ? pc->mixed_buckets : 1));
	for (int k = 0; k < 9; k++)
		printf("%s%s%d: %.1f%%", k ? ", " : "", k == 8 ? ">=" : "", k + 1,
		       100.0 * (double)pc->hist[k] / (double)(pc->mixed_buckets ? pc->mixed_buckets : 1));
	printf(")\n");
	printf("  probe: lookups %.1f%% direct, %.1f%% mixed, %.1f%% empty, %.1f%% off the grid; per mixed lookup "
	       "%.2f listed, %.2f bbox-tested, %.2f crossing-tested, %.1f edges; per lookup %.2f edges\n",
	       100.0 * (double)pc->direct / L, 100.0 * (double)pc->mixed / L, 100.0 * (double)pc->empty / L,
	       100.0 * (double)pc->off_grid / L, (double)pc->listed / M, (double)pc->tested / M,
	       (double)pc->bbox_passed / M, (double)pc->edges / M, (double)pc->edges / L);
	printf("  probe: memory: buckets %.2f MiB, candidate lists %.2f MiB, cells %.2f MiB, vertices %.2f MiB\n",
	       (double)pc->bucket_bytes / 1048576.0, (double)pc->cand_bytes / 1048576.0,
	       (double)pc->cell_bytes / 1048576.0, (double)pc->vertex_bytes / 1048576.0);
	printf("RESULT method=probe cells=%u points=%zu bucket_direct_pct=%.2f bucket_mixed_pct=%.2f "
	       "bucket_empty_pct=%.2f mixed_list_mean=%.3f lookup_direct_pct=%.2f lookup_mixed_pct=%.2f "
	       "lookup_empty_pct=%.2f listed_per_mixed=%.3f tested_per_mixed=%.3f crossing_per_mixed=%.3f "
	       "edges_per_mixed=%.2f edges_per_lookup=%.3f\n",
	       ncells, m, 100.0 * (double)pc->direct_buckets / (double)pc->buckets,
	       100.0 * (double)pc->mixed_buckets / (double)pc->buckets,
	       100.0 * (double)pc->empty_buckets / (double)pc->buckets,
	       (double)pc->mixed_entries / (double)(pc->mixed_buckets ? pc->mixed_buckets : 1),
	       100.0 * (double)pc->direct / L, 100.0 * (double)pc->mixed / L, 100.0 * (double)pc->empty / L,
	       (double)pc->listed / M, (double)pc->tested / M, (double)pc->bbox_passed / M, (double)pc->edges / M,
	       (double)pc->edges / L);
}

/*
 * Prototypes of changes to grid.c, each derived from g's own data (same
 * bucket grid, same lists), so that only the changed part differs:
 *   id-direct  direct buckets hold GRID_DIRECT | id instead of the cell
 *              number: a direct lookup is one load, not two (all
 *              prototypes do this);
 *   +rec       each cell is one contiguous record (box, id, ring lengths,
 *              vertices) that the candidate lists point at, in place of
 *              cells[] + ring_end[] + xy[] in three arrays;
 *   +exact     a cell is listed in a bucket only when one of its edges
 *              really passes through the bucket (segment against the
 *              bucket widened by a millionth of a bucket, as mark_edges
 *              widens), not when an edge's bounding box touches it; a cell
 *              whose edges miss the bucket but that holds its centre stays
 *              listed (overlapping shapes still work), and a list left
 *              with only such a cell becomes a direct bucket.
 * Every prototype's answers are compared with grid_locate's.
 */
#define B64_DIRECT (1ull << 63)
#define B64_PAIR (1ull << 62)
#define B64_EMPTY (~0ull)
#define PAIR_MARK (GRID_EMPTY - 1) /* in bucket[] while building: b64[] holds a pair */

struct rec {
	double minx, miny, maxx, maxy;
	int32_t id;
	uint32_t nrings;
	uint32_t ring_len[]; /* vertices per ring; the vertices follow, 8-aligned */
};

struct proto {
	double x0, y0, inv_dx, inv_dy;
	uint32_t nx, ny;
	uint32_t *bucket;
	uint64_t *b64;  /* P_PAIR: 8-byte buckets, see locate_pair */
	uint32_t *cand; /* [count, entries...]: cell numbers (id-direct) or record offsets */
	size_t ncand;
	uint64_t *arena; /* records, offsets in 8-byte words */
	size_t arena_words;
	size_t direct, mixed, pairs;
};

static inline const double *rec_xy(const struct rec *r)
{
	size_t hdr = sizeof *r + r->nrings * sizeof r->ring_len[0];
	return (const double *)((const char *)r + ((hdr + 7) & ~(size_t)7));
}

static inline int rec_contains(const struct rec *r, double x, double y)
{
	if (x < r->minx || x > r->maxx || y < r->miny || y > r->maxy)
		return 0;
	const double *p = rec_xy(r);
	int inside = 0;
	for (uint32_t k = 0; k < r->nrings; k++) {
		uint32_t n = r->ring_len[k];
		for (uint32_t v = 0; v + 1 < n; v++, p += 2) {
			double y1 = p[1], y2 = p[3];
			if ((y1 > y) != (y2 > y)) {
				/* From the lower end, as cell_contains does. */
				const double *lo = y1 < y2 ? p : p + 2, *hi = y1 < y2 ? p + 2 : p;
				double xi = lo[0] + (y - lo[1]) * (hi[0] - lo[0]) / (hi[1] - lo[1]);
				if (x < xi)
					inside = !inside;
			}
		}
		p += 2;
	}
	return inside;
}

__attribute__((noinline)) static int32_t locate_id_direct(const struct grid_index *g, const struct proto *P, double x,
                                                          double y)
{
	double fx = (x - P->x0) * P->inv_dx, fy = (y - P->y0) * P->inv_dy;
	if (!(fx >= 0 && fy >= 0 && fx < P->nx && fy < P->ny))
		return -1;
	uint32_t b = P->bucket[(uint32_t)fy * P->nx + (uint32_t)fx];
	if (b & GRID_DIRECT)
		return b == GRID_EMPTY ? -1 : (int32_t)(b & ~GRID_DIRECT);
	const uint32_t *c = P->cand + b;
	for (uint32_t i = 1; i <= c[0]; i++)
		if (cell_contains(g, &g->cells[c[i]], x, y))
			return g->cells[c[i]].id;
	return -1;
}

__attribute__((noinline)) static int32_t locate_records(const struct proto *P, double x, double y)
{
	double fx = (x - P->x0) * P->inv_dx, fy = (y - P->y0) * P->inv_dy;
	if (!(fx >= 0 && fy >= 0 && fx < P->nx && fy < P->ny))
		return -1;
	uint32_t b = P->bucket[(uint32_t)fy * P->nx + (uint32_t)fx];
	if (b & GRID_DIRECT)
		return b == GRID_EMPTY ? -1 : (int32_t)(b & ~GRID_DIRECT);
	const uint32_t *c = P->cand + b;
	for (uint32_t i = 1; i <= c[0]; i++) {
		const struct rec *r = (const struct rec *)(P->arena + c[i]);
		if (rec_contains(r, x, y))
			return r->id;
	}
	return -1;
}

/* 8-byte buckets: B64_DIRECT | id, B64_EMPTY, B64_PAIR | off_a << 31 | off_b
 * (the two records of a two-cell bucket, no list to load), or a list offset. */
__attribute__((noinline)) static int32_t locate_pair(const struct proto *P, double x, double y)
{
	double fx = (x - P->x0) * P->inv_dx, fy = (y - P->y0) * P->inv_dy;
	if (!(fx >= 0 && fy >= 0 && fx < P->nx && fy < P->ny))
		return -1;
	uint64_t b = P->b64[(uint32_t)fy * P->nx + (uint32_t)fx];
	if (b & B64_DIRECT)
		return b == B64_EMPTY ? -1 : (int32_t)(uint32_t)b;
	if (b & B64_PAIR) {
		const struct rec *r = (const struct rec *)(P->arena + ((b >> 31) & 0x7fffffff));
		if (rec_contains(r, x, y))
			return r->id;
		r = (const struct rec *)(P->arena + (b & 0x7fffffff));
		return rec_contains(r, x, y) ? r->id : -1;
	}
	const uint32_t *c = P->cand + b;
	for (uint32_t i = 1; i <= c[0]; i++) {
		const struct rec *r = (const struct rec *)(P->arena + c[i]);
		if (rec_contains(r, x, y))
			return r->id;
	}
	return -1;
}

/* Records for every cell; offs[c] gets cell c's offset (8-byte words). */
static uint64_t *build_records(const struct grid_index *g, uint32_t *offs, size_t *words)
{
	size_t total = 0;
	for (uint32_t c = 0; c < g->ncells; c++) {
		const struct cell *cl = &g->cells[c];
		uint32_t start = cl->ring0 ? g->ring_end[cl->ring0 - 1] : 0;
		uint32_t end = g->ring_end[cl->ring0 + cl->nrings - 1];
		size_t hdr = (sizeof(struct rec) + cl->nrings * sizeof(uint32_t) + 7) & ~(size_t)7;
		offs[c] = (uint32_t)total;
		total += hdr / 8 + 2 * (size_t)(end - start);
	}
	uint64_t *a = calloc(total, 8);
	if (!a)
		return NULL;
	for (uint32_t c = 0; c < g->ncells; c++) {
		const struct cell *cl = &g->cells[c];
		struct rec *r = (struct rec *)(a + offs[c]);
		r->minx = cl->box.minx;
		r->miny = cl->box.miny;
		r->maxx = cl->box.maxx;
		r->maxy = cl->box.maxy;
		r->id = cl->id;
		r->nrings = cl->nrings;
		uint32_t start = cl->ring0 ? g->ring_end[cl->ring0 - 1] : 0, s0 = start;
		for (uint32_t k = 0; k < cl->nrings; k++) {
			r->ring_len[k] = g->ring_end[cl->ring0 + k] - start;
			start = g->ring_end[cl->ring0 + k];
		}
		memcpy((double *)rec_xy(r), g->xy + 2 * (size_t)s0, 2 * (size_t)(start - s0) * sizeof(double));
	}
	*words = total;
	return a;
}

/* 1 when segment (ax,ay)-(bx,by) meets the rectangle (Liang-Barsky). */
static int seg_meets_rect(double ax, double ay, double bx, double by, double x0, double y0, double x1, double y1)
{
	double t0 = 0, t1 = 1, dx = bx - ax, dy = by - ay;
	double p[4] = {-dx, dx, -dy, dy}, q[4] = {ax - x0, x1 - ax, ay - y0, y1 - ay};
	for (int k = 0; k < 4; k++) {
		if (p[k] == 0) {
			if (q[k] < 0)
				return 0;
		} else {
			double r = q[k] / p[k];
			if (p[k] < 0) {
				if (r > t1)
					return 0;
				if (r > t0)
					t0 = r;
			} else {
				if (r < t0)
					return 0;
				if (r < t1)
					t1 = r;
			}
		}
	}
	return 1;
}

static int cell_edge_meets(const struct grid_index *g, const struct cell *cl, double x0, double y0, double x1,
                           double y1)
{
	uint32_t start = cl->ring0 ? g->ring_end[cl->ring0 - 1] : 0;
	for (uint32_t r = 0; r < cl->nrings; r++) {
		uint32_t end = g->ring_end[cl->ring0 + r];
		for (uint32_t v = start; v + 1 < end; v++) {
			const double *p = g->xy + 2 * (size_t)v;
			if (seg_meets_rect(p[0], p[1], p[2], p[3], x0, y0, x1, y1))
				return 1;
		}
		start = end;
	}
	return 0;
}

static int ids_fit(const struct grid_index *g)
{
	for (uint32_t c = 0; c < g->ncells; c++)
		if (g->cells[c].id < 0 || (uint32_t)g->cells[c].id >= (PAIR_MARK & ~GRID_DIRECT))
			return 0;
	return 1;
}

enum { P_REC = 1, P_EXACT = 2, P_PAIR = 4 }; /* id-direct always; P_PAIR needs P_REC */

static int proto_build(const struct grid_index *g, int mode, struct proto *P)
{
	memset(P, 0, sizeof *P);
	P->x0 = g->x0;
	P->y0 = g->y0;
	P->inv_dx = g->inv_dx;
	P->inv_dy = g->inv_dy;
	P->nx = g->nx;
	P->ny = g->ny;
	size_t nb = (size_t)g->nx * g->ny;
	uint32_t *offs = malloc(g->ncells * sizeof *offs);
	P->bucket = malloc(nb * sizeof *P->bucket);
	P->cand = malloc((g->ncand ? g->ncand : 1) * sizeof *P->cand);
	if (!offs || !P->bucket || !P->cand)
		return -1;
	if ((mode & P_PAIR) && !(P->b64 = malloc(nb * sizeof *P->b64)))
		return -1;
	if ((mode & P_REC) && !(P->arena = build_records(g, offs, &P->arena_words)))
		return -1;
	size_t out = 0;
	for (uint32_t by = 0; by < g->ny; by++) {
		for (uint32_t bx = 0; bx < g->nx; bx++) {
			size_t b = (size_t)by * g->nx + bx;
			uint32_t v = g->bucket[b];
			if (v == GRID_EMPTY) {
				P->bucket[b] = GRID_EMPTY;
				continue;
			}
			if (v & GRID_DIRECT) {
				P->bucket[b] = GRID_DIRECT | (uint32_t)g->cells[v & ~GRID_DIRECT].id;
				P->direct++;
				continue;
			}
			const uint32_t *c = g->cand + v;
			uint32_t keep[64], nk = 0, only_inside = 1;
			double ex = 1e-6 * g->dx, ey = 1e-6 * g->dy;
			double rx0 = g->x0 + bx * g->dx - ex, rx1 = g->x0 + (bx + 1) * g->dx + ex;
			double ry0 = g->y0 + by * g->dy - ey, ry1 = g->y0 + (by + 1) * g->dy + ey;
			for (uint32_t k = 1; k <= c[0]; k++) {
				const struct cell *cl = &g->cells[c[k]];
				if (!(mode & P_EXACT) || cell_edge_meets(g, cl, rx0, ry0, rx1, ry1)) {
					only_inside = 0;
				} else if (!cell_contains(g, cl, g->x0 + (bx + 0.5) * g->dx,
				                          g->y0 + (by + 0.5) * g->dy)) {
					continue; /* its edges miss the bucket and it does not hold the centre */
				}
				if (nk == 64)
					return -1;
				keep[nk++] = c[k];
			}
			if (nk == 0 || (only_inside && nk == 1)) {
				P->bucket[b] = nk ? GRID_DIRECT | (uint32_t)g->cells[keep[0]].id : GRID_EMPTY;
				P->direct += nk;
				continue;
			}
			P->mixed++;
			if ((mode & P_PAIR) && nk == 2 && offs[keep[0]] < (1u << 31) && offs[keep[1]] < (1u << 31)) {
				P->b64[b] = B64_PAIR | (uint64_t)offs[keep[0]] << 31 | offs[keep[1]];
				P->bucket[b] = PAIR_MARK;
				P->pairs++;
				continue;
			}
			P->bucket[b] = (uint32_t)out;
			P->cand[out++] = nk;
			for (uint32_t k = 0; k < nk; k++)
				P->cand[out++] = (mode & P_REC) ? offs[keep[k]] : keep[k];
		}
	}
	P->ncand = out;
	for (size_t b = 0; (mode & P_PAIR) && b < nb; b++) {
		uint32_t v = P->bucket[b];
		if (v != PAIR_MARK)
			P->b64[b] = v == GRID_EMPTY     ? B64_EMPTY
			            : (v & GRID_DIRECT) ? B64_DIRECT | (v & ~GRID_DIRECT)
			                                : v;
	}
	free(offs);
	return 0;
}

/* The ceiling: the bucket load alone (the answer is wrong in mixed buckets). */
__attribute__((noinline)) static int32_t locate_bucket_only(const struct proto *P, double x, double y)
{
	double fx = (x - P->x0) * P->inv_dx, fy = (y - P->y0) * P->inv_dy;
	if (!(fx >= 0 && fy >= 0 && fx < P->nx && fy < P->ny))
		return -1;
	return (int32_t)P->bucket[(uint32_t)fy * P->nx + (uint32_t)fx];
}

static void proto_free(struct proto *P)
{
	free(P->b64);
	free(P->bucket);
	free(P->cand);
	free(P->arena);
}

void probe_prototypes(const struct grid_index *g, int bpc, const double *px, const double *py, size_t m, int runs,
                      const int32_t *want, double base_lps)
{
	static const int modes[] = {0, P_EXACT, P_REC, P_REC | P_EXACT, P_REC | P_EXACT | P_PAIR};
	static const char *const names[] = {"id-direct", "id+exact", "id+rec", "id+rec+exact", "id+rec+exact+pair"};
	if (!ids_fit(g)) {
		printf("  proto: skipped (ids do not fit in 31 bits)\n");
		return;
	}
	int32_t *got = malloc(m * sizeof *got);
	if (!got)
		return;
	for (size_t k = 0; k < sizeof modes / sizeof modes[0]; k++) {
		int mode = modes[k];
		struct proto P;
		int64_t b0 = time_mono_ns();
		if (proto_build(g, mode, &P)) {
			printf("  proto: %s: out of memory or a list over 64\n", names[k]);
			proto_free(&P);
			continue;
		}
		double extra_ms = (double)(time_mono_ns() - b0) / 1e6;
		double best = INFINITY;
		for (int r = 0; r < runs; r++) {
			int64_t t0 = time_mono_ns();
			if (mode & P_PAIR)
				for (size_t i = 0; i < m; i++)
					got[i] = locate_pair(&P, px[i], py[i]);
			else if (mode & P_REC)
				for (size_t i = 0; i < m; i++)
					got[i] = locate_records(&P, px[i], py[i]);
			else
				for (size_t i = 0; i < m; i++)
					got[i] = locate_id_direct(g, &P, px[i], py[i]);
			best = fmin(best, (double)(time_mono_ns() - t0) / 1e9);
		}
		size_t bad = 0;
		for (size_t i = 0; i < m; i++)
			bad += got[i] != want[i];
		size_t nb = (size_t)P.nx * P.ny;
		size_t mem = nb * ((mode & P_PAIR) ? sizeof *P.b64 : sizeof *P.bucket) + P.ncand * sizeof *P.cand;
		if (mode & P_REC) {
			mem += P.arena_words * 8;
		} else { /* cells, vertices and ring ends as in grid.c */
			uint32_t nrings = 0;
			for (uint32_t c = 0; c < g->ncells; c++)
				nrings += g->cells[c].nrings;
			mem += g->ncells * sizeof *g->cells + (size_t)g->ring_end[nrings - 1] * 2 * sizeof *g->xy +
			       nrings * sizeof *g->ring_end;
		}
		double lps = (double)m / best;
		printf("  proto %-18s %5.1f%% direct buckets, lists %.2f cells, %8.2f M lookups/s (x%.2f), %7.2f MiB, "
		       "derived in %.0f ms, %zu wrong answers\n",
		       names[k], 100.0 * (double)P.direct / (double)nb,
		       P.mixed ? (double)(P.ncand - (P.mixed - P.pairs) + 2 * P.pairs) / (double)P.mixed : 0.0,
		       lps / 1e6, lps / base_lps, (double)mem / 1048576.0, extra_ms, bad);
		printf("RESULT method=proto-%s cells=%u points=%zu bpc=%d nx=%u ny=%u lps=%.0f mem_mib=%.2f "
		       "derive_ms=%.1f "
		       "wrong=%zu\n",
		       names[k], g->ncells, m, bpc, P.nx, P.ny, lps, (double)mem / 1048576.0, extra_ms, bad);
		proto_free(&P);
	}
	/* The ceiling: one random load from the bucket array per point. */
	struct proto P;
	if (proto_build(g, 0, &P) == 0) {
		double best = INFINITY;
		for (int r = 0; r < runs; r++) {
			int64_t t0 = time_mono_ns();
			for (size_t i = 0; i < m; i++)
				got[i] = locate_bucket_only(&P, px[i], py[i]);
			best = fmin(best, (double)(time_mono_ns() - t0) / 1e9);
		}
		double lps = (double)m / best;
		printf("  ceiling: bucket load only (no polygon test, not an answer): %8.2f M lookups/s (x%.2f)\n",
		       lps / 1e6, lps / base_lps);
		printf("RESULT method=ceiling cells=%u points=%zu bpc=%d lps=%.0f\n", g->ncells, m, bpc, lps);
	}
	proto_free(&P);
	free(got);
}
