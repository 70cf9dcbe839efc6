/*
 * test_metrics.c — request counters, the latency histogram and their
 * Prometheus text (metrics.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "buf.h"
#include "metrics.h"
#include "roles.h"
#include "router.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct route routes[] = {
        {HM_GET, "/healthz", NULL, 0, RF_PUBLIC, "health"},
        {HM_GET, "/api/v1/users/{id}", NULL, ROLE_ADMIN, 0, "one user"},
        {HM_POST, "/api/v1/users", NULL, ROLE_ADMIN, RF_JSON_BODY, "create"},
};
#define NROUTES (sizeof routes / sizeof routes[0])

struct fixture {
	struct metrics m;
	struct buf out;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	metrics_init(&f->m);
	buf_init(&f->out, 1 << 20);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	buf_release(&f->out);
	free(f);
	return 0;
}

static const char *render(struct fixture *f)
{
	buf_reset(&f->out);
	metrics_render(&f->m, routes, NROUTES, &f->out);
	assert_int_equal(f->out.err, BUF_OK);
	return buf_cstr(&f->out);
}

/* Value of the sample line that starts with prefix (name and labels, then
 * a space), or -1 when there is no such line. */
static double sample(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, prefix, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	}
	return -1;
}

#define MS(x) ((int64_t)(x)*1000000)
#define US(x) ((int64_t)(x)*1000)

static void observe_some(struct metrics *m)
{
	metrics_observe(m, 0, 200, US(50)); /* <= 100 us */
	metrics_observe(m, 0, 200, US(80));
	metrics_observe(m, 1, 404, MS(3));  /* <= 5 ms */
	metrics_observe(m, 2, 201, MS(30)); /* <= 50 ms */
	metrics_observe(m, 2, 422, MS(2));  /* <= 2.5 ms */
	metrics_observe(m, METRICS_ROW_STATIC, 304, US(200));
	metrics_observe(m, METRICS_ROW_UNMATCHED, 404, MS(7000)); /* past 5 s: +Inf only */
	metrics_observe(m, 1, 418, MS(1));                        /* status not in the list: "other" */
}

static void test_metrics_requests_total_has_route_and_status_labels(void **state)
{
	struct fixture *f = *state;
	observe_some(&f->m);
	const char *t = render(f);
	assert_non_null(strstr(t, "# TYPE zonegov_http_requests_total counter\n"));
	assert_true(sample(t, "zonegov_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}") == 2);
	assert_true(
	        sample(t, "zonegov_http_requests_total{method=\"GET\",route=\"/api/v1/users/{id}\",status=\"404\"}") ==
	        1);
	assert_true(sample(t, "zonegov_http_requests_total{method=\"POST\",route=\"/api/v1/users\",status=\"201\"}") ==
	            1);
	assert_true(sample(t, "zonegov_http_requests_total{method=\"POST\",route=\"/api/v1/users\",status=\"422\"}") ==
	            1);
	assert_true(sample(t, "zonegov_http_requests_total{method=\"\",route=\"static\",status=\"304\"}") == 1);
	assert_true(sample(t, "zonegov_http_requests_total{method=\"\",route=\"unmatched\",status=\"404\"}") == 1);
	assert_true(
	        sample(t,
	               "zonegov_http_requests_total{method=\"GET\",route=\"/api/v1/users/{id}\",status=\"other\"}") ==
	        1);
	/* Cells never counted are not written. */
	assert_null(strstr(t, "route=\"/healthz\",status=\"500\""));
	assert_null(strstr(t, "status=\"418\""));
}

static void test_metrics_nothing_observed_has_no_request_lines(void **state)
{
	struct fixture *f = *state;
	const char *t = render(f);
	assert_null(strstr(t, "zonegov_http_requests_total{"));
	assert_true(sample(t, "zonegov_http_request_duration_seconds_count") == 0);
	assert_true(sample(t, "zonegov_http_request_duration_seconds_bucket{le=\"+Inf\"}") == 0);
	assert_true(sample(t, "zonegov_store_errors_total") == 0);
}

static void test_metrics_histogram_buckets_cumulative_ending_with_inf(void **state)
{
	struct fixture *f = *state;
	observe_some(&f->m);
	const char *t = render(f);
	assert_non_null(strstr(t, "# TYPE zonegov_http_request_duration_seconds histogram\n"));

	/* Walk the bucket lines in order. */
	static const char bucket[] = "zonegov_http_request_duration_seconds_bucket{le=\"";
	double prev_le = 0, prev_v = 0, last_v = -1;
	int nbuckets = 0, saw_inf = 0;
	for (const char *p = strstr(t, bucket); p; p = strstr(p + 1, bucket)) {
		assert_false(saw_inf); /* +Inf is the last bucket */
		const char *le = p + sizeof bucket - 1;
		const char *close = strchr(le, '"');
		assert_non_null(close);
		double v = strtod(close + 3, NULL); /* after `"} ` */
		if (strncmp(le, "+Inf", 4) == 0) {
			saw_inf = 1;
		} else {
			double bound = strtod(le, NULL);
			assert_true(bound > prev_le);
			prev_le = bound;
		}
		assert_true(v >= prev_v); /* cumulative */
		prev_v = v;
		last_v = v;
		nbuckets++;
	}
	assert_true(saw_inf);
	assert_int_equal(nbuckets, METRICS_NBUCKETS + 1);
	assert_true(last_v == 8);
	assert_true(sample(t, "zonegov_http_request_duration_seconds_count") == last_v);

	/* Spot checks: 2 requests <= 100 us, 7 within 5 s (all but the slow one). */
	assert_true(sample(t, "zonegov_http_request_duration_seconds_bucket{le=\"0.0001\"}") == 2);
	assert_true(sample(t, "zonegov_http_request_duration_seconds_bucket{le=\"0.00025\"}") == 3);
	assert_true(sample(t, "zonegov_http_request_duration_seconds_bucket{le=\"0.0025\"}") == 5);
	assert_true(sample(t, "zonegov_http_request_duration_seconds_bucket{le=\"5\"}") == 7);
	assert_true(sample(t, "zonegov_http_request_duration_seconds_bucket{le=\"+Inf\"}") == 8);

	/* The sum is in seconds: 50+80+200 us + 3+30+2+1 ms + 7 s. */
	double sum = sample(t, "zonegov_http_request_duration_seconds_sum");
	assert_true(sum > 7.03632 && sum < 7.03634);
}

static void test_metrics_bucket_bounds_are_inclusive(void **state)
{
	struct fixture *f = *state;
	metrics_observe(&f->m, 0, 200, US(100)); /* exactly 100 us: in le=0.0001 */
	metrics_observe(&f->m, 0, 200, US(101));
	metrics_observe(&f->m, 0, 200, -5); /* a clock step back counts as 0 */
	const char *t = render(f);
	assert_true(sample(t, "zonegov_http_request_duration_seconds_bucket{le=\"0.0001\"}") == 2);
	assert_true(sample(t, "zonegov_http_request_duration_seconds_bucket{le=\"0.00025\"}") == 3);
}

static void test_metrics_store_errors_total(void **state)
{
	struct fixture *f = *state;
	const char *t = render(f);
	assert_non_null(strstr(t, "# TYPE zonegov_store_errors_total counter\n"));
	assert_true(sample(t, "zonegov_store_errors_total") == 0);
	metrics_store_error(&f->m, 2);
	metrics_store_error(&f->m, 3);
	t = render(f);
	assert_true(sample(t, "zonegov_store_errors_total") == 5);
}

static void test_metrics_bad_row_counts_as_unmatched(void **state)
{
	struct fixture *f = *state;
	metrics_observe(&f->m, -1, 404, 0);
	metrics_observe(&f->m, METRICS_ROW_UNMATCHED + 1, 404, 0);
	const char *t = render(f);
	assert_true(sample(t, "zonegov_http_requests_total{method=\"\",route=\"unmatched\",status=\"404\"}") == 2);
}

static void test_metrics_start_time_present(void **state)
{
	struct fixture *f = *state;
	const char *t = render(f);
	double start = sample(t, "zonegov_start_time_seconds");
	assert_true(start > 1.5e9);
	assert_true((int64_t)start == f->m.started_ms / 1000);
}

static void test_metrics_every_line_is_comment_or_sample(void **state)
{
	struct fixture *f = *state;
	observe_some(&f->m);
	const char *t = render(f);
	size_t n = strlen(t);
	assert_true(n > 0);
	assert_int_equal(t[n - 1], '\n');
	for (const char *p = t; *p;) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		if (*p == '#') {
			assert_true(strncmp(p, "# HELP ", 7) == 0 || strncmp(p, "# TYPE ", 7) == 0);
		} else {
			assert_int_equal(strncmp(p, "zonegov_", 8), 0);
			const char *sp = memchr(p, ' ', (size_t)(nl - p));
			assert_non_null(sp);
			char *end;
			strtod(sp + 1, &end);
			assert_ptr_equal(end, nl);
		}
		p = nl + 1;
	}
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_metrics_requests_total_has_route_and_status_labels),
	        T(test_metrics_nothing_observed_has_no_request_lines),
	        T(test_metrics_histogram_buckets_cumulative_ending_with_inf),
	        T(test_metrics_bucket_bounds_are_inclusive),
	        T(test_metrics_store_errors_total),
	        T(test_metrics_bad_row_counts_as_unmatched),
	        T(test_metrics_start_time_present),
	        T(test_metrics_every_line_is_comment_or_sample),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
