/*
 * metrics.h — request counters and the latency histogram, exported in the
 * Prometheus text format by GET /metrics.
 *
 * Counters are plain uint64 cells updated with relaxed atomic adds by the
 * worker threads; a scrape reads them without locking (each value is
 * exact; a scrape is not a snapshot across cells, as in every Prometheus
 * client). Rows are the routes of the table plus two: static files and
 * unmatched paths.
 */
#ifndef ZG_METRICS_H
#define ZG_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct route;

#define METRICS_MAX_ROUTES 128
#define METRICS_NSTATUS 20
#define METRICS_NBUCKETS 14

struct metrics {
	uint64_t requests[METRICS_MAX_ROUTES + 2][METRICS_NSTATUS];
	uint64_t buckets[METRICS_NBUCKETS + 1]; /* last = +Inf */
	uint64_t duration_us_sum;
	uint64_t count;
	uint64_t store_errors;
	int64_t started_ms;
};

#define METRICS_ROW_STATIC METRICS_MAX_ROUTES
#define METRICS_ROW_UNMATCHED (METRICS_MAX_ROUTES + 1)

void metrics_init(struct metrics *m);
/* Counts one finished request: row = route index or one of the rows above. */
void metrics_observe(struct metrics *m, int row, int status, int64_t duration_ns);
void metrics_store_error(struct metrics *m, uint64_t n);
/* Appends the exposition text. */
void metrics_render(const struct metrics *m, const struct route *routes, size_t nroutes, struct buf *out);

#endif
