/*
 * metrics.c — see metrics.h.
 */
#include "metrics.h"
#include "buf.h"
#include "router.h"
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

static const int statuses[METRICS_NSTATUS] = {200, 201, 204, 206, 301, 304, 400, 401, 403, 404,
                                              405, 409, 413, 415, 422, 429, 500, 503, 0,   0};
/* Upper bounds in microseconds. */
static const uint64_t bounds_us[METRICS_NBUCKETS] = {100,   250,   500,    1000,   2500,   5000,    10000,
                                                     25000, 50000, 100000, 250000, 500000, 1000000, 5000000};

void metrics_init(struct metrics *m)
{
	memset(m, 0, sizeof *m);
	m->started_ms = time_now_ms();
}

static int status_slot(int status)
{
	for (int i = 0; i < METRICS_NSTATUS - 2; i++)
		if (statuses[i] == status)
			return i;
	return METRICS_NSTATUS - 1; /* other */
}

void metrics_observe(struct metrics *m, int row, int status, int64_t duration_ns)
{
	if (row < 0 || row > METRICS_ROW_UNMATCHED)
		row = METRICS_ROW_UNMATCHED;
	__atomic_fetch_add(&m->requests[row][status_slot(status)], 1, __ATOMIC_RELAXED);
	uint64_t us = duration_ns > 0 ? (uint64_t)duration_ns / 1000 : 0;
	int b = 0;
	while (b < METRICS_NBUCKETS && us > bounds_us[b])
		b++;
	__atomic_fetch_add(&m->buckets[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->duration_us_sum, us, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->count, 1, __ATOMIC_RELAXED);
}

void metrics_store_error(struct metrics *m, uint64_t n)
{
	__atomic_fetch_add(&m->store_errors, n, __ATOMIC_RELAXED);
}

static uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void metrics_render(const struct metrics *m, const struct route *routes, size_t nroutes, struct buf *out)
{
	char methods[64];
	buf_puts(out, "# HELP zonegov_http_requests_total HTTP requests answered, by route and status.\n"
	              "# TYPE zonegov_http_requests_total counter\n");
	for (size_t row = 0; row < METRICS_MAX_ROUTES + 2; row++) {
		const char *label = row == METRICS_ROW_STATIC      ? "static"
		                    : row == METRICS_ROW_UNMATCHED ? "unmatched"
		                                                   : NULL;
		if (!label && row >= nroutes)
			continue;
		methods[0] = '\0';
		if (!label)
			http_methods_format(routes[row].method, methods, sizeof methods);
		for (int s = 0; s < METRICS_NSTATUS; s++) {
			uint64_t v = load(&m->requests[row][s]);
			if (!v)
				continue;
			char status[8];
			if (s == METRICS_NSTATUS - 1)
				memcpy(status, "other", 6);
			else
				snprintf(status, sizeof status, "%d", statuses[s]);
			buf_printf(out, "zonegov_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n",
			           label ? "" : methods, label ? label : routes[row].pattern, status,
			           (unsigned long long)v);
		}
	}
	buf_puts(out, "# HELP zonegov_http_request_duration_seconds Time from the first byte of a request to its "
	              "completion.\n"
	              "# TYPE zonegov_http_request_duration_seconds histogram\n");
	uint64_t cum = 0;
	for (int b = 0; b <= METRICS_NBUCKETS; b++) {
		cum += load(&m->buckets[b]);
		if (b < METRICS_NBUCKETS)
			buf_printf(out, "zonegov_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			           (double)bounds_us[b] / 1e6, (unsigned long long)cum);
		else
			buf_printf(out, "zonegov_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
			           (unsigned long long)cum);
	}
	buf_printf(out, "zonegov_http_request_duration_seconds_sum %.6f\n", (double)load(&m->duration_us_sum) / 1e6);
	buf_printf(out, "zonegov_http_request_duration_seconds_count %llu\n", (unsigned long long)load(&m->count));
	buf_printf(out,
	           "# HELP zonegov_store_errors_total Store operations that failed.\n"
	           "# TYPE zonegov_store_errors_total counter\n"
	           "zonegov_store_errors_total %llu\n",
	           (unsigned long long)load(&m->store_errors));
	buf_printf(out,
	           "# HELP zonegov_start_time_seconds When this server started.\n"
	           "# TYPE zonegov_start_time_seconds gauge\n"
	           "zonegov_start_time_seconds %lld\n",
	           (long long)(m->started_ms / 1000));
}
