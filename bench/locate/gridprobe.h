/*
 * gridprobe.h — looks inside an index built by src/grid.c: how lookups end
 * (direct bucket, candidate list, cells and edges tested), and prototypes of
 * changes to grid.c timed on the same index. Bench only; not part of zonegov.
 */
#ifndef ZG_GRIDPROBE_H
#define ZG_GRIDPROBE_H

#include "../../src/grid.h"

#include <stddef.h>
#include <stdint.h>

struct probe_counts {
	/* per lookup */
	uint64_t lookups, off_grid, empty, direct, mixed;
	uint64_t listed;      /* candidates in the lists of the mixed buckets hit */
	uint64_t tested;      /* candidates examined before the answer (bbox test) */
	uint64_t bbox_passed; /* candidates that reached the crossing test */
	uint64_t edges;       /* edges looked at by the crossing test */
	uint64_t mixed_miss;  /* mixed-bucket lookups that found no cell */
	/* per bucket */
	uint64_t buckets, direct_buckets, empty_buckets, mixed_buckets, mixed_entries;
	uint64_t hist[9]; /* mixed buckets by list length 1..8, 9+ */
	size_t bucket_bytes, cand_bytes, cell_bytes, vertex_bytes;
};

void probe_index(const struct grid_index *g, const double *px, const double *py, size_t m, struct probe_counts *pc);
void probe_print(const struct probe_counts *pc, uint32_t ncells, size_t m);
/* Times prototypes of grid.c changes on g's data; want[] are grid_locate's
 * answers (checked), base_lps its best rate. */
void probe_prototypes(const struct grid_index *g, int bpc, const double *px, const double *py, size_t m, int runs,
                      const int32_t *want, double base_lps);

#endif
