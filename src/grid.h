/*
 * grid.h — the in-memory point-location index over grid cells.
 *
 * Built from the finest cells (shapes that tile the zone) and immutable
 * afterwards, so any number of threads may query it without locks; a new
 * index is built beside the old one and swapped in whole (gridref.h).
 *
 * Layout: a uniform bucket grid over the cells' bounding box, with about
 * `buckets_per_cell` buckets per cell. A bucket that lies wholly inside one
 * cell (no edge of that cell passes through it, its centre inside) holds
 * that cell's id: most lookups end there after one multiply and one load.
 * A bucket that edges pass through holds its candidate cells (those edges'
 * cells): one or two inline, more in a list. Each cell is one contiguous
 * record (bounding box, id, rings), and a lookup runs the exact
 * point-in-polygon test of geom.h on each candidate in turn, so results are
 * exact and follow geom.h's boundary rule: every point of a tiling falls in
 * exactly one cell. Where shapes overlap, the first in input order wins.
 */
#ifndef ZG_GRID_H
#define ZG_GRID_H

#include "geom.h"

#include <stddef.h>
#include <stdint.h>

struct grid_index;

struct grid_stats {
	uint32_t cells;
	uint32_t nx, ny;            /* buckets */
	uint64_t direct_buckets;    /* answered without a polygon test */
	uint64_t candidate_entries; /* candidate cells, summed over the other buckets */
	size_t memory_bytes;
	double build_ms;
};

/*
 * Builds an index over n shapes; ids[i] is returned for points in shapes[i]
 * (borrowed; the index copies the vertices). Any int32 id is kept, but -1
 * reads as "outside". buckets_per_cell <= 0 takes the default (32). Returns
 * NULL when out of memory, when n == 0, when the shapes' bounding box has no
 * area, or past the size limit (16 GiB of vertices; see grid.c).
 */
struct grid_index *grid_index_build(const struct shape *const *shapes, const int32_t *ids, size_t n,
                                    int buckets_per_cell);
void grid_index_free(struct grid_index *g); /* accepts NULL */

/* The id of the cell containing (x = lon, y = lat), or -1 outside all cells. */
int32_t grid_locate(const struct grid_index *g, double x, double y);

void grid_index_stats(const struct grid_index *g, struct grid_stats *out);

#endif
