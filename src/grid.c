/*
 * grid.c — bucket-grid point location; see grid.h for the layout.
 *
 * Memory: buckets are one uint32 each: GRID_EMPTY, GRID_DIRECT|cell, or an
 * offset into `cand`, where cand[off] is a count followed by cell numbers.
 * Cells keep their bounding box and their rings as a run in the shared
 * vertex array.
 *
 * Build: for each cell, every bucket its edges' bounding boxes touch is
 * marked as a candidate (conservative: a candidate is tested exactly, so
 * extra candidates cost time, never correctness); every other bucket in the
 * cell's bounding box is wholly inside or wholly outside, decided by its
 * centre. Two passes (count, fill) lay the candidate lists out contiguously.
 */
#include "grid.h"
#include "timeutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRID_EMPTY 0xffffffffu
#define GRID_DIRECT 0x80000000u
#define GRID_MAX_BUCKETS (1u << 26)

struct cell {
	struct bbox box;
	uint32_t ring0, nrings; /* rings [ring0, ring0 + nrings) of ring_end */
	int32_t id;
};

struct grid_index {
	double x0, y0, inv_dx, inv_dy, dx, dy;
	uint32_t nx, ny;
	uint32_t *bucket;
	uint32_t *cand;
	size_t ncand;
	struct cell *cells;
	uint32_t ncells;
	double *xy;
	uint32_t *ring_end; /* absolute vertex offsets */
	struct grid_stats stats;
};

void grid_index_free(struct grid_index *g)
{
	if (!g)
		return;
	free(g->bucket);
	free(g->cand);
	free(g->cells);
	free(g->xy);
	free(g->ring_end);
	free(g);
}

static inline uint32_t clampi(double v, uint32_t n)
{
	if (!(v > 0))
		return 0;
	return v >= n ? n - 1 : (uint32_t)v;
}

static inline int cell_contains(const struct grid_index *g, const struct cell *c, double x, double y)
{
	if (x < c->box.minx || x > c->box.maxx || y < c->box.miny || y > c->box.maxy)
		return 0;
	const uint32_t *ends = g->ring_end + c->ring0;
	/* The same crossing test as rings_contain (geom.c), on the shared arrays. */
	int inside = 0;
	uint32_t start = c->ring0 ? g->ring_end[c->ring0 - 1] : 0;
	for (uint32_t r = 0; r < c->nrings; r++) {
		uint32_t end = ends[r];
		const double *p = g->xy + 2 * start;
		for (uint32_t v = start; v + 1 < end; v++, p += 2) {
			double y1 = p[1], y2 = p[3];
			if ((y1 > y) != (y2 > y)) {
				/* From the lower end, as rings_contain does. */
				const double *lo = y1 < y2 ? p : p + 2, *hi = y1 < y2 ? p + 2 : p;
				double xi = lo[0] + (y - lo[1]) * (hi[0] - lo[0]) / (hi[1] - lo[1]);
				if (x < xi)
					inside = !inside;
			}
		}
		start = end;
	}
	return inside;
}

int32_t grid_locate(const struct grid_index *g, double x, double y)
{
	double fx = (x - g->x0) * g->inv_dx, fy = (y - g->y0) * g->inv_dy;
	if (!(fx >= 0 && fy >= 0 && fx < g->nx && fy < g->ny))
		return -1;
	uint32_t b = g->bucket[(uint32_t)fy * g->nx + (uint32_t)fx];
	if (b & GRID_DIRECT)
		return b == GRID_EMPTY ? -1 : g->cells[b & ~GRID_DIRECT].id;
	const uint32_t *c = g->cand + b;
	for (uint32_t i = 1; i <= c[0]; i++)
		if (cell_contains(g, &g->cells[c[i]], x, y))
			return g->cells[c[i]].id;
	return -1;
}

/* Flags every bucket (within the cell's bucket window starting at bx0, by0,
 * bw × bh) that the bounding box of one of the cell's edges touches. */
static void mark_edges(const struct grid_index *g, const struct cell *c, uint8_t *flags, uint32_t bx0, uint32_t by0,
                       uint32_t bw, uint32_t bh)
{
	uint32_t start = c->ring0 ? g->ring_end[c->ring0 - 1] : 0;
	for (uint32_t r = 0; r < c->nrings; r++) {
		uint32_t end = g->ring_end[c->ring0 + r];
		for (uint32_t v = start; v + 1 < end; v++) {
			const double *p = g->xy + 2 * v;
			/* Widened by a millionth of a bucket: an edge on a bucket line
			 * makes both buckets candidates, whichever way rounding goes. */
			uint32_t ax = clampi((fmin(p[0], p[2]) - g->x0) * g->inv_dx - 1e-6, g->nx);
			uint32_t bx = clampi((fmax(p[0], p[2]) - g->x0) * g->inv_dx + 1e-6, g->nx);
			uint32_t ay = clampi((fmin(p[1], p[3]) - g->y0) * g->inv_dy - 1e-6, g->ny);
			uint32_t by = clampi((fmax(p[1], p[3]) - g->y0) * g->inv_dy + 1e-6, g->ny);
			/* The widening may reach one bucket past the window (a side of
			 * the cell just short of a bucket line). Points there lie
			 * outside the cell's bounding box: keep to the window. */
			ax = ax < bx0 ? bx0 : ax;
			ay = ay < by0 ? by0 : ay;
			bx = bx > bx0 + bw - 1 ? bx0 + bw - 1 : bx;
			by = by > by0 + bh - 1 ? by0 + bh - 1 : by;
			for (uint32_t yy = ay; yy <= by; yy++)
				for (uint32_t xx = ax; xx <= bx; xx++)
					flags[(yy - by0) * bw + (xx - bx0)] = 1;
		}
		start = end;
	}
}

/*
 * One pass over all cells. Count mode (fillpos NULL): counts candidate
 * entries per bucket and records in owner[] the cell a bucket lies wholly
 * inside. Fill mode: appends each candidate to its bucket's list, skipping
 * buckets that were resolved directly.
 */
static int scan_cells(struct grid_index *g, uint32_t *count, uint32_t *fillpos, uint32_t *owner)
{
	uint8_t *flags = NULL;
	size_t flags_cap = 0;
	for (uint32_t ci = 0; ci < g->ncells; ci++) {
		const struct cell *c = &g->cells[ci];
		uint32_t bx0 = clampi((c->box.minx - g->x0) * g->inv_dx, g->nx);
		uint32_t bx1 = clampi((c->box.maxx - g->x0) * g->inv_dx, g->nx);
		uint32_t by0 = clampi((c->box.miny - g->y0) * g->inv_dy, g->ny);
		uint32_t by1 = clampi((c->box.maxy - g->y0) * g->inv_dy, g->ny);
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
		mark_edges(g, c, flags, bx0, by0, bw, bh);
		for (uint32_t yy = 0; yy < bh; yy++) {
			for (uint32_t xx = 0; xx < bw; xx++) {
				uint32_t b = (by0 + yy) * g->nx + bx0 + xx;
				if (fillpos) {
					if (flags[yy * bw + xx] && !(g->bucket[b] & GRID_DIRECT))
						g->cand[fillpos[b]++] = ci;
				} else if (flags[yy * bw + xx]) {
					count[b]++;
				} else {
					double cx = g->x0 + (bx0 + xx + 0.5) * g->dx,
					       cy = g->y0 + (by0 + yy + 0.5) * g->dy;
					if (cell_contains(g, c, cx, cy))
						owner[b] = ci;
				}
			}
		}
	}
	free(flags);
	return 0;
}

struct grid_index *grid_index_build(const struct shape *const *shapes, const int32_t *ids, size_t n,
                                    int buckets_per_cell)
{
	if (n == 0 || n >= GRID_DIRECT)
		return NULL;
	int64_t t0 = time_mono_ns();
	struct grid_index *g = calloc(1, sizeof *g);
	uint32_t *count = NULL, *owner = NULL, *fillpos = NULL;
	if (!g)
		return NULL;
	size_t nverts = 0, nrings = 0;
	for (size_t i = 0; i < n; i++) {
		nverts += shapes[i]->nverts;
		nrings += shapes[i]->nrings;
	}
	g->cells = calloc(n, sizeof *g->cells);
	g->xy = malloc(2 * nverts * sizeof *g->xy);
	g->ring_end = malloc(nrings * sizeof *g->ring_end);
	if (!g->cells || !g->xy || !g->ring_end)
		goto fail;
	struct bbox all = {INFINITY, INFINITY, -INFINITY, -INFINITY};
	size_t v = 0, r = 0;
	for (size_t i = 0; i < n; i++) {
		const struct shape *s = shapes[i];
		struct cell *c = &g->cells[i];
		c->box = s->box;
		c->id = ids[i];
		c->ring0 = (uint32_t)r;
		c->nrings = s->nrings;
		memcpy(g->xy + 2 * v, s->xy, 2 * s->nverts * sizeof *s->xy);
		for (uint32_t k = 0; k < s->nrings; k++)
			g->ring_end[r + k] = (uint32_t)v + s->ring_end[k];
		v += s->nverts;
		r += s->nrings;
		all.minx = fmin(all.minx, s->box.minx);
		all.miny = fmin(all.miny, s->box.miny);
		all.maxx = fmax(all.maxx, s->box.maxx);
		all.maxy = fmax(all.maxy, s->box.maxy);
	}
	g->ncells = (uint32_t)n;

	double w = all.maxx - all.minx, h = all.maxy - all.miny;
	if (!(w > 0) || !(h > 0))
		goto fail;
	double target = (double)n * (buckets_per_cell > 0 ? buckets_per_cell : 16);
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
	owner = malloc(nb * sizeof *owner);
	g->bucket = malloc(nb * sizeof *g->bucket);
	if (!count || !owner || !g->bucket)
		goto fail;
	memset(owner, 0xff, nb * sizeof *owner);
	if (scan_cells(g, count, NULL, owner))
		goto fail;

	/* Lay out: direct buckets need no list; others get [count, ids...]. */
	size_t total = 0;
	for (size_t b = 0; b < nb; b++) {
		if (owner[b] != GRID_EMPTY) {
			g->bucket[b] = GRID_DIRECT | owner[b];
			g->stats.direct_buckets++;
			count[b] = 0;
		} else if (count[b]) {
			g->bucket[b] = (uint32_t)total;
			total += 1 + count[b];
		} else {
			g->bucket[b] = GRID_EMPTY;
		}
	}
	if (total >= GRID_DIRECT)
		goto fail;
	g->ncand = total;
	g->cand = malloc((total ? total : 1) * sizeof *g->cand);
	fillpos = malloc(nb * sizeof *fillpos);
	if (!g->cand || !fillpos)
		goto fail;
	for (size_t b = 0; b < nb; b++) {
		fillpos[b] = 0;
		if (!(g->bucket[b] & GRID_DIRECT)) {
			g->cand[g->bucket[b]] = count[b];
			fillpos[b] = g->bucket[b] + 1;
		}
	}
	if (scan_cells(g, NULL, fillpos, NULL))
		goto fail;

	g->stats.cells = g->ncells;
	g->stats.nx = g->nx;
	g->stats.ny = g->ny;
	g->stats.candidate_entries = total;
	g->stats.memory_bytes = sizeof *g + nb * sizeof *g->bucket + total * sizeof *g->cand + n * sizeof *g->cells +
	                        2 * nverts * sizeof *g->xy + nrings * sizeof *g->ring_end;
	g->stats.build_ms = (double)(time_mono_ns() - t0) / 1e6;
	free(count);
	free(owner);
	free(fillpos);
	return g;
fail:
	free(count);
	free(owner);
	free(fillpos);
	grid_index_free(g);
	return NULL;
}

void grid_index_stats(const struct grid_index *g, struct grid_stats *out)
{
	*out = g->stats;
}
