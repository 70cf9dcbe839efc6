/*
 * grid.c — bucket-grid point location; see grid.h for the layout.
 *
 * Memory: a lookup loads its bucket and then, unless the bucket answers
 * directly, the records of its candidate cells (through a list only when
 * there are three or more):
 *
 *   bucket[]  one uint64 per bucket:
 *               GRID_DIRECT | (uint32_t)id   wholly inside the cell `id`;
 *                                            id -1: outside every cell;
 *               GRID_PAIR | a << 31 | b      one or two candidates: the
 *                                            records at offsets a and b
 *                                            (b = 0, the empty record, if
 *                                            a is the only one);
 *               off                          three or more: cand[off] is
 *                                            their count, their record
 *                                            offsets follow.
 *   rec[]     one record per cell, in input order, contiguous and 8-byte
 *             aligned: bounding box, id, ring count, the vertex count of
 *             each ring, then the vertices (x, y; the closing vertex of
 *             each ring stored), so a candidate costs one miss on adjacent
 *             cache lines. Offsets count 8-byte words. Word 0 holds an
 *             empty record (empty bounding box) that contains no point.
 *   cand[]    the lists of the buckets with three or more candidates.
 *
 * Candidates are kept in input order and the first that contains the point
 * answers, as a scan of the cells in input order would.
 *
 * Limits: every int32 id is kept as given (an id of -1 cannot be told from
 * "outside"). Record offsets are 31 bits: an index whose records
 * would take 2^31 words (16 GiB) or more is refused (NULL). Buckets are
 * capped at 2^26 (512 MiB); past that a cell gets fewer.
 *
 * Build: records first. Then, for each cell, over the buckets of its
 * bounding box: a bucket is marked when one of the cell's edges passes
 * through it (the segment against the bucket widened by a millionth of a
 * bucket on every side, so an edge on or a rounding error off a bucket line
 * marks the buckets on both sides, whichever way rounding goes). The
 * cell's boundary does not enter an unmarked bucket, so the bucket is
 * wholly inside or wholly outside the cell, decided by its centre: a cell
 * that holds the centre claims the bucket. A bucket's candidates are the
 * cells that mark or claim it; a bucket claimed by one cell and marked by
 * none is direct (in a tiling every claimed bucket is; overlapping shapes
 * keep all their candidates, and the first in input order wins). Two
 * passes over the cells (count, fill) lay the buckets and lists out.
 */
#include "grid.h"
#include "timeutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRID_DIRECT (1ull << 63)
#define GRID_PAIR (1ull << 62)
#define GRID_OUTSIDE (GRID_DIRECT | 0xffffffffu)
#define GRID_OFF_MASK 0x7fffffffu
#define GRID_MAX_BUCKETS (1u << 26)
#define GRID_MAX_WORDS (1ull << 31) /* record offsets are 31 bits */
#define GRID_DEFAULT_BPC 32
#define GRID_WIDEN 1e-6        /* of a bucket */
#define COUNT_EDGE 0x80000000u /* in count[] while building: an edge marks the bucket */

struct rec {
	struct bbox box;
	int32_t id;
	uint32_t nrings;
	uint32_t ring_len[]; /* vertices per ring; the vertices follow, 8-aligned */
};

#define REC_HEAD_WORDS(nrings) ((sizeof(struct rec) + (size_t)(nrings) * sizeof(uint32_t) + 7) / 8)
#define REC_EMPTY_WORDS REC_HEAD_WORDS(0)

struct grid_index {
	double x0, y0, inv_dx, inv_dy, dx, dy;
	uint32_t nx, ny;
	uint64_t *bucket;
	uint32_t *cand;
	uint64_t *rec; /* records; only ever read through struct rec and double */
	uint32_t ncells;
	struct grid_stats stats;
};

void grid_index_free(struct grid_index *g)
{
	if (!g)
		return;
	free(g->bucket);
	free(g->cand);
	free(g->rec);
	free(g);
}

static inline const struct rec *rec_at(const struct grid_index *g, size_t off)
{
	return (const struct rec *)(g->rec + off);
}

static inline const double *rec_xy(const struct rec *r)
{
	return (const double *)((const uint64_t *)r + REC_HEAD_WORDS(r->nrings));
}

/* The size of a record in words, to step to the next one. */
static size_t rec_words(const struct rec *r)
{
	size_t nverts = 0;
	for (uint32_t k = 0; k < r->nrings; k++)
		nverts += r->ring_len[k];
	return REC_HEAD_WORDS(r->nrings) + 2 * nverts;
}

static inline uint32_t clampi(double v, uint32_t n)
{
	if (!(v > 0))
		return 0;
	return v >= n ? n - 1 : (uint32_t)v;
}

static inline int rec_contains(const struct rec *r, double x, double y)
{
	if (x < r->box.minx || x > r->box.maxx || y < r->box.miny || y > r->box.maxy)
		return 0;
	/* The same crossing test as rings_contain (geom.c), on the record. */
	const double *p = rec_xy(r);
	int inside = 0;
	for (uint32_t k = 0; k < r->nrings; k++) {
		const double *q = p;
		p += 2 * (size_t)r->ring_len[k];
		for (; q + 2 < p; q += 2) {
			double y1 = q[1], y2 = q[3];
			if ((y1 > y) != (y2 > y)) {
				/* From the lower end, as rings_contain does. */
				const double *lo = y1 < y2 ? q : q + 2, *hi = y1 < y2 ? q + 2 : q;
				double xi = lo[0] + (y - lo[1]) * (hi[0] - lo[0]) / (hi[1] - lo[1]);
				if (x < xi)
					inside = !inside;
			}
		}
	}
	return inside;
}

int32_t grid_locate(const struct grid_index *g, double x, double y)
{
	double fx = (x - g->x0) * g->inv_dx, fy = (y - g->y0) * g->inv_dy;
	if (!(fx >= 0 && fy >= 0 && fx < g->nx && fy < g->ny))
		return -1;
	uint64_t b = g->bucket[(uint32_t)fy * g->nx + (uint32_t)fx];
	if (b & GRID_DIRECT)
		return (int32_t)(uint32_t)b;
	if (b & GRID_PAIR) {
		const struct rec *r = rec_at(g, (uint32_t)(b >> 31) & GRID_OFF_MASK);
		if (rec_contains(r, x, y))
			return r->id;
		r = rec_at(g, (uint32_t)b & GRID_OFF_MASK);
		return rec_contains(r, x, y) ? r->id : -1;
	}
	const uint32_t *c = g->cand + b;
	for (uint32_t i = 1; i <= c[0]; i++) {
		const struct rec *r = rec_at(g, c[i]);
		if (rec_contains(r, x, y))
			return r->id;
	}
	return -1;
}

/*
 * Flags every bucket (within the cell's bucket window starting at bx0, by0,
 * bw × bh) that one of the cell's edges passes through, the bucket widened
 * by GRID_WIDEN on every side: row by row, the part of the edge inside the
 * widened row gives a range of columns. In bucket coordinates, computed as
 * grid_locate computes a point's bucket.
 */
static void mark_edges(const struct grid_index *g, const struct rec *r, uint8_t *flags, uint32_t bx0, uint32_t by0,
                       uint32_t bw, uint32_t bh)
{
	const double e = GRID_WIDEN;
	const double *p = rec_xy(r);
	for (uint32_t k = 0; k < r->nrings; k++) {
		const double *q = p;
		p += 2 * (size_t)r->ring_len[k];
		for (; q + 2 < p; q += 2) {
			double ax = (q[0] - g->x0) * g->inv_dx, ay = (q[1] - g->y0) * g->inv_dy;
			double bx = (q[2] - g->x0) * g->inv_dx, by = (q[3] - g->y0) * g->inv_dy;
			if (ay > by) {
				double t = ax;
				ax = bx;
				bx = t;
				t = ay;
				ay = by;
				by = t;
			}
			double xmin = ax < bx ? ax : bx, xmax = ax < bx ? bx : ax;
			uint32_t r0 = clampi(ay - e, g->ny), r1 = clampi(by + e, g->ny);
			/* The widening may reach one bucket past the window (a side of
			 * the cell just short of a bucket line). Points there lie
			 * outside the cell's bounding box: keep to the window. */
			r0 = r0 < by0 ? by0 : r0;
			r1 = r1 > by0 + bh - 1 ? by0 + bh - 1 : r1;
			for (uint32_t row = r0; row <= r1; row++) {
				double lo = xmin, hi = xmax;
				if (by > ay) {
					/* The edge's x at the widened row's bottom and top,
					 * kept within the edge's own x range. */
					double ya = row - e, yb = row + 1 + e;
					ya = ya > ay ? ya : ay;
					yb = yb < by ? yb : by;
					double xa = ax + (bx - ax) * ((ya - ay) / (by - ay));
					double xb = ax + (bx - ax) * ((yb - ay) / (by - ay));
					lo = xa < xb ? xa : xb;
					hi = xa < xb ? xb : xa;
					lo = lo > xmin ? lo : xmin;
					hi = hi < xmax ? hi : xmax;
				}
				uint32_t c0 = clampi(lo - e, g->nx), c1 = clampi(hi + e, g->nx);
				c0 = c0 < bx0 ? bx0 : c0;
				c1 = c1 > bx0 + bw - 1 ? bx0 + bw - 1 : c1;
				for (uint32_t col = c0; col <= c1; col++)
					flags[(size_t)(row - by0) * bw + (col - bx0)] = 1;
			}
		}
	}
}

/*
 * One pass over all cells, visiting every bucket a cell marks or claims.
 * Count mode (fill 0): counts the candidates of each bucket in count[], with
 * COUNT_EDGE set when an edge marks it, and writes a claimant's id into the
 * bucket (kept if it is the only candidate). Fill mode (bucket[] laid out
 * from the counts, count[] zeroed): writes each candidate into its pair or
 * list, count[] counting what has been written.
 */
static int scan_cells(struct grid_index *g, uint32_t *count, int fill)
{
	uint8_t *flags = NULL;
	size_t flags_cap = 0, off = REC_EMPTY_WORDS;
	for (uint32_t ci = 0; ci < g->ncells; ci++) {
		const struct rec *r = rec_at(g, off);
		uint32_t bx0 = clampi((r->box.minx - g->x0) * g->inv_dx, g->nx);
		uint32_t bx1 = clampi((r->box.maxx - g->x0) * g->inv_dx, g->nx);
		uint32_t by0 = clampi((r->box.miny - g->y0) * g->inv_dy, g->ny);
		uint32_t by1 = clampi((r->box.maxy - g->y0) * g->inv_dy, g->ny);
		uint32_t bw = bx1 - bx0 + 1, bh = by1 - by0 + 1;
		size_t need = (size_t)bw * bh;
		if (need > flags_cap) {
			uint8_t *f = realloc(flags, need);
			if (!f) {
				free(flags);
				return -1;
			}
			flags = f;
			flags_cap = need;
		}
		memset(flags, 0, need);
		mark_edges(g, r, flags, bx0, by0, bw, bh);
		for (uint32_t yy = 0; yy < bh; yy++) {
			for (uint32_t xx = 0; xx < bw; xx++) {
				size_t b = (size_t)(by0 + yy) * g->nx + bx0 + xx;
				int edge = flags[(size_t)yy * bw + xx];
				if (!edge) {
					/* When filling, a direct bucket is done (its one
					 * claimant wrote its id while counting), and an
					 * empty one has no candidate: no test needed. */
					if (fill && (g->bucket[b] & GRID_DIRECT))
						continue;
					double cx = g->x0 + (bx0 + xx + 0.5) * g->dx,
					       cy = g->y0 + (by0 + yy + 0.5) * g->dy;
					if (!rec_contains(r, cx, cy))
						continue;
				}
				if (!fill) {
					count[b] = (count[b] + 1) | (edge ? COUNT_EDGE : 0);
					/* Kept if it stays the bucket's only candidate. */
					if (!edge)
						g->bucket[b] = GRID_DIRECT | (uint32_t)r->id;
					continue;
				}
				/* A bucket with a candidate here is a pair or a list. */
				uint64_t v = g->bucket[b];
				if (v & GRID_PAIR) {
					/* The first candidate goes high, the second low. */
					if (count[b] == 0)
						g->bucket[b] = v | (uint64_t)off << 31;
					else if (count[b] == 1)
						g->bucket[b] = v | off;
					count[b]++;
				} else if (!(v & GRID_DIRECT) && count[b] < g->cand[v]) {
					g->cand[v + 1 + count[b]++] = (uint32_t)off;
				}
			}
		}
		off += rec_words(r);
	}
	free(flags);
	return 0;
}

/* The vertices the rings use (the crossing test reads no others). */
static uint32_t shape_nverts(const struct shape *s)
{
	return s->nrings ? s->ring_end[s->nrings - 1] : 0;
}

struct grid_index *grid_index_build(const struct shape *const *shapes, const int32_t *ids, size_t n,
                                    int buckets_per_cell)
{
	if (n == 0 || n > UINT32_MAX)
		return NULL;
	int64_t t0 = time_mono_ns();
	struct grid_index *g = calloc(1, sizeof *g);
	uint32_t *count = NULL;
	if (!g)
		return NULL;

	/* Records: the empty one, then one per cell. */
	size_t words = REC_EMPTY_WORDS;
	struct bbox all = {INFINITY, INFINITY, -INFINITY, -INFINITY};
	for (size_t i = 0; i < n; i++) {
		const struct shape *s = shapes[i];
		words += REC_HEAD_WORDS(s->nrings) + 2 * (size_t)shape_nverts(s);
		all.minx = fmin(all.minx, s->box.minx);
		all.miny = fmin(all.miny, s->box.miny);
		all.maxx = fmax(all.maxx, s->box.maxx);
		all.maxy = fmax(all.maxy, s->box.maxy);
	}
	if (words >= GRID_MAX_WORDS)
		goto fail;
	g->rec = calloc(words, sizeof *g->rec);
	if (!g->rec)
		goto fail;
	struct rec *r = (struct rec *)g->rec;
	r->box = (struct bbox){INFINITY, INFINITY, -INFINITY, -INFINITY};
	r->id = -1;
	r->nrings = 0;
	size_t off = REC_EMPTY_WORDS;
	for (size_t i = 0; i < n; i++) {
		const struct shape *s = shapes[i];
		r = (struct rec *)(g->rec + off);
		r->box = s->box;
		r->id = ids[i];
		r->nrings = s->nrings;
		for (uint32_t k = 0; k < s->nrings; k++)
			r->ring_len[k] = s->ring_end[k] - (k ? s->ring_end[k - 1] : 0);
		memcpy((double *)rec_xy(r), s->xy, 2 * (size_t)shape_nverts(s) * sizeof *s->xy);
		off += REC_HEAD_WORDS(s->nrings) + 2 * (size_t)shape_nverts(s);
	}
	g->ncells = (uint32_t)n;

	double w = all.maxx - all.minx, h = all.maxy - all.miny;
	if (!(w > 0) || !(h > 0))
		goto fail;
	double target = (double)n * (buckets_per_cell > 0 ? buckets_per_cell : GRID_DEFAULT_BPC);
	if (target > GRID_MAX_BUCKETS)
		target = GRID_MAX_BUCKETS;
	double nxf = ceil(sqrt(target * w / h)), nyf = ceil(target / nxf);
	g->nx = (uint32_t)fmax(1, nxf);
	g->ny = (uint32_t)fmax(1, nyf);
	g->dx = w / g->nx;
	g->dy = h / g->ny;
	/* Widen by a hair so the maximum edge falls inside the last bucket. */
	g->dx *= 1 + 1e-12;
	g->dy *= 1 + 1e-12;
	g->x0 = all.minx;
	g->y0 = all.miny;
	g->inv_dx = 1 / g->dx;
	g->inv_dy = 1 / g->dy;

	size_t nb = (size_t)g->nx * g->ny;
	count = calloc(nb, sizeof *count);
	g->bucket = malloc(nb * sizeof *g->bucket);
	if (!count || !g->bucket)
		goto fail;
	if (scan_cells(g, count, 0))
		goto fail;

	/* Lay out: one claimant and no edge: direct (its id is in place); one
	 * or two candidates: a pair; more: a list. */
	size_t total = 0;
	uint64_t entries = 0;
	for (size_t b = 0; b < nb; b++) {
		uint32_t k = count[b] & ~COUNT_EDGE;
		if (k == 0) {
			g->bucket[b] = GRID_OUTSIDE;
		} else if (k == 1 && !(count[b] & COUNT_EDGE)) {
			g->stats.direct_buckets++;
		} else if (k <= 2) {
			g->bucket[b] = GRID_PAIR;
			entries += k;
		} else {
			g->bucket[b] = total;
			total += 1 + (size_t)k;
			entries += k;
		}
	}
	g->cand = malloc((total ? total : 1) * sizeof *g->cand);
	if (!g->cand)
		goto fail;
	for (size_t b = 0; b < nb; b++) {
		if (!(g->bucket[b] & (GRID_DIRECT | GRID_PAIR)))
			g->cand[g->bucket[b]] = count[b] & ~COUNT_EDGE;
		count[b] = 0;
	}
	if (scan_cells(g, count, 1))
		goto fail;

	g->stats.cells = g->ncells;
	g->stats.nx = g->nx;
	g->stats.ny = g->ny;
	g->stats.candidate_entries = entries;
	g->stats.memory_bytes = sizeof *g + nb * sizeof *g->bucket + total * sizeof *g->cand + words * sizeof *g->rec;
	g->stats.build_ms = (double)(time_mono_ns() - t0) / 1e6;
	free(count);
	return g;
fail:
	free(count);
	grid_index_free(g);
	return NULL;
}

void grid_index_stats(const struct grid_index *g, struct grid_stats *out)
{
	*out = g->stats;
}
