// API tests: /healthz and the Prometheus /metrics endpoint.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertStatus, parseMetrics, sumMetric } from './helpers.mjs';

describe('health and metrics', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv?.stop(); });

  async function metrics() {
    const r = await srv.api('GET', '/metrics');
    assertStatus(r, 200);
    return { r, samples: parseMetrics(r.text) };
  }

  test('health_healthz_is_200_status_ok_json', async () => {
    const r = await srv.api('GET', '/healthz');
    assertStatus(r, 200);
    assert.match(r.headers.get('content-type') || '', /^application\/json\b/i);
    assert.equal(r.json?.status, 'ok', `body: ${r.text}`);
    assert.ok(r.headers.get('x-request-id'), 'X-Request-Id missing');
  });

  test('health_healthz_needs_no_token', async () => {
    const r = await srv.api('GET', '/healthz', undefined, { headers: { authorization: 'Bearer not-a-token' } });
    assertStatus(r, 200);
  });

  test('health_metrics_is_prometheus_text', async () => {
    const { r, samples } = await metrics();
    assert.match(r.headers.get('content-type') || '', /^text\/plain\b/i);
    assert.ok(r.headers.get('x-request-id'), 'X-Request-Id missing');
    assert.ok(samples.length > 0, 'no samples parsed');
    for (const s of samples) assert.ok(!Number.isNaN(s.value), `unparsable sample ${s.name}`);
    assert.match(r.text, /^# TYPE zonegov_http_requests_total counter$/m);
    assert.match(r.text, /^# TYPE zonegov_http_request_duration_seconds histogram$/m);
  });

  test('health_metrics_has_requests_total_with_route_and_status_labels', async () => {
    await srv.api('GET', '/healthz');
    const { samples } = await metrics();
    const req = samples.filter((s) => s.name === 'zonegov_http_requests_total');
    assert.ok(req.length > 0, 'zonegov_http_requests_total missing');
    for (const s of req) {
      assert.ok('route' in s.labels, `no route label: ${JSON.stringify(s.labels)}`);
      assert.ok('status' in s.labels, `no status label: ${JSON.stringify(s.labels)}`);
      assert.match(s.labels.status, /^[1-5]\d\d$/, `status label: ${s.labels.status}`);
    }
    assert.ok(req.some((s) => s.labels.route.includes('healthz') && s.labels.status === '200'),
      'no sample for the /healthz route with status 200');
  });

  test('health_metrics_has_latency_histogram_buckets', async () => {
    await srv.api('GET', '/healthz');
    const { samples } = await metrics();
    const buckets = samples.filter((s) => s.name === 'zonegov_http_request_duration_seconds_bucket');
    assert.ok(buckets.length > 0, 'zonegov_http_request_duration_seconds_bucket missing');
    assert.ok(buckets.every((b) => 'le' in b.labels), 'bucket without le');
    assert.ok(buckets.some((b) => b.labels.le === '+Inf'), 'no +Inf bucket');
    // per label set, buckets are cumulative, and +Inf equals _count
    const groups = new Map();
    for (const b of buckets) {
      const { le, ...rest } = b.labels;
      const key = JSON.stringify(Object.entries(rest).sort());
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push({ le: le === '+Inf' ? Infinity : Number(le), v: b.value });
    }
    const counts = samples.filter((s) => s.name === 'zonegov_http_request_duration_seconds_count');
    assert.ok(counts.length > 0, 'zonegov_http_request_duration_seconds_count missing');
    for (const [key, list] of groups) {
      list.sort((a, b) => a.le - b.le);
      for (let i = 1; i < list.length; i++) {
        assert.ok(list[i].v >= list[i - 1].v, `buckets not cumulative for ${key}`);
      }
      const c = counts.find((s) => JSON.stringify(Object.entries(s.labels).sort()) === key);
      if (c) assert.equal(list[list.length - 1].v, c.value, `+Inf bucket != _count for ${key}`);
    }
  });

  test('health_metrics_has_store_errors_total', async () => {
    const { samples } = await metrics();
    const s = samples.filter((x) => x.name === 'zonegov_store_errors_total');
    assert.ok(s.length > 0, 'zonegov_store_errors_total missing');
    for (const x of s) assert.ok(x.value >= 0);
  });

  test('health_metrics_request_counters_grow_after_requests', async () => {
    const isHealth = (l) => (l.route || '').includes('healthz') && l.status === '200';
    const m1 = (await metrics()).samples;
    const h1 = sumMetric(m1, 'zonegov_http_requests_total', isHealth);
    const n404a = sumMetric(m1, 'zonegov_http_requests_total', (l) => l.status === '404');
    const n401a = sumMetric(m1, 'zonegov_http_requests_total', (l) => l.status === '401');
    const c1 = sumMetric(m1, 'zonegov_http_request_duration_seconds_count');
    const inf1 = sumMetric(m1, 'zonegov_http_request_duration_seconds_bucket', (l) => l.le === '+Inf');

    for (let i = 0; i < 3; i++) assertStatus(await srv.api('GET', '/healthz'), 200);
    for (let i = 0; i < 2; i++) assertStatus(await srv.api('GET', '/api/v1/nope'), 404);
    for (let i = 0; i < 4; i++) assertStatus(await srv.api('GET', '/api/v1/me'), 401);

    const m2 = (await metrics()).samples;
    assert.ok(sumMetric(m2, 'zonegov_http_requests_total', isHealth) >= h1 + 3, 'healthz 200 counter did not grow by 3');
    assert.ok(sumMetric(m2, 'zonegov_http_requests_total', (l) => l.status === '404') >= n404a + 2, '404 counter did not grow by 2');
    assert.ok(sumMetric(m2, 'zonegov_http_requests_total', (l) => l.status === '401') >= n401a + 4, '401 counter did not grow by 4');
    assert.ok(sumMetric(m2, 'zonegov_http_request_duration_seconds_count') >= c1 + 9, 'histogram _count did not grow by 9');
    assert.ok(sumMetric(m2, 'zonegov_http_request_duration_seconds_bucket', (l) => l.le === '+Inf') >= inf1 + 9,
      '+Inf bucket did not grow by 9');
  });

  test('health_metrics_route_label_is_a_template_not_the_raw_path', async () => {
    const admin = await srv.login('admin');
    for (const id of ['1', '2', '999998', '999999']) await srv.api('GET', `/api/v1/users/${id}`, undefined, { token: admin });
    for (let i = 0; i < 3; i++) await srv.api('GET', `/api/v1/nope-${i}-${Date.now()}`);
    const { samples } = await metrics();
    const routes = new Set(samples.filter((s) => s.name === 'zonegov_http_requests_total').map((s) => s.labels.route));
    for (const r of routes) {
      assert.ok(!/\/99999[89]\b/.test(r), `route label holds a raw id: ${r}`);
      assert.ok(!/nope-\d/.test(r), `route label holds an unknown raw path: ${r}`);
    }
  });
});
