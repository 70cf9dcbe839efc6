// `zonegov convert` (GCJ-02 ↔ WGS-84, src/gcj.c) against an independent
// implementation, the npm package gcoord: 11,000 deterministic points inside
// China, both directions, each within 0.5 m. Plus the command's error handling.
//
// gcoord's inverse stops at a residual of 1e-6° (about 0.1 m); ours at 1e-9°,
// so the inverse disagreement is gcoord's error, well under the bound.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import gcoord from 'gcoord';
import { BIN } from '../lib/server.mjs';

const TOLERANCE_M = 0.5;

function zg(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// mulberry32: small, seeded, the same on every run.
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 10,000 points over mainland China's bounding box, 1,000 around 濮阳 (35.7N 115.0E).
function points() {
  const rnd = prng(20260511);
  const pts = [];
  for (let i = 0; i < 10000; i++) pts.push([18 + 35 * rnd(), 74 + 60 * rnd()]);
  for (let i = 0; i < 1000; i++) pts.push([35.7 + 0.6 * (rnd() - 0.5), 115.0 + 0.6 * (rnd() - 0.5)]);
  return pts;
}

function haversineM([lat1, lon1], [lat2, lon2]) {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

// Runs one `zonegov convert` over all points; returns [[lat, lon], ...].
function convert(from, to, pts) {
  const r = zg(['convert', '--from', from, '--to', to], pts.map(([lat, lon]) => `${lat},${lon}\n`).join(''));
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const lines = r.out.split('\n');
  assert.equal(lines.pop(), '', 'output ends with a newline');
  assert.equal(lines.length, pts.length);
  return lines.map((l, i) => {
    assert.match(l, /^-?\d+\.\d{9},-?\d+\.\d{9}$/, `line ${i + 1}`);
    return l.split(',').map(Number);
  });
}

function compare(t, pts, ours, theirs) {
  let worst = 0;
  let at = null;
  let shift = 0;
  for (let i = 0; i < pts.length; i++) {
    const d = haversineM(ours[i], theirs[i]);
    if (d > worst) [worst, at] = [d, pts[i]];
    shift = Math.max(shift, haversineM(pts[i], ours[i]));
  }
  t.diagnostic(`max disagreement with gcoord ${worst.toFixed(6)} m at ${at}; max shift ${shift.toFixed(1)} m`);
  assert.ok(worst < TOLERANCE_M, `max disagreement ${worst} m at ${at}`);
  assert.ok(shift > 50, 'the conversion moved the points');
  return worst;
}

describe('zonegov convert vs gcoord', () => {
  const pts = points();

  test('gcj_convert_wgs84_to_gcj02_agrees_with_gcoord_within_0.5m', (t) => {
    const ours = convert('wgs84', 'gcj02', pts);
    const theirs = pts.map(([lat, lon]) => {
      const [glon, glat] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02);
      return [glat, glon];
    });
    compare(t, pts, ours, theirs);
  });

  test('gcj_convert_gcj02_to_wgs84_agrees_with_gcoord_within_0.5m', (t) => {
    const ours = convert('gcj02', 'wgs84', pts);
    const theirs = pts.map(([lat, lon]) => {
      const [wlon, wlat] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84);
      return [wlat, wlon];
    });
    compare(t, pts, ours, theirs);
    // Who is closer? Map both answers forward again (gcoord's forward agrees with ours to 0.1 mm).
    const residual = (w) =>
      Math.max(...w.map(([lat, lon], i) => {
        const [glon, glat] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02);
        return haversineM(pts[i], [glat, glon]);
      }));
    const [rOurs, rTheirs] = [residual(ours), residual(theirs)];
    t.diagnostic(`max |forward(inverse(g)) - g|: zonegov ${rOurs.toFixed(6)} m, gcoord ${rTheirs.toFixed(6)} m`);
    assert.ok(rOurs < 0.001, `our inverse is exact to the printed 9 decimals (${rOurs} m)`);
  });

  test('gcj_convert_round_trip_returns_the_input_within_1mm', () => {
    const sample = pts.slice(0, 2000);
    const back = convert('gcj02', 'wgs84', convert('wgs84', 'gcj02', sample));
    for (let i = 0; i < sample.length; i++) assert.ok(haversineM(sample[i], back[i]) < 0.001, `${sample[i]}`);
  });
});

describe('zonegov convert input handling', () => {
  test('gcj_convert_bad_line_exits_2_names_the_line_and_writes_nothing', () => {
    const r = zg(['convert', '--from', 'gcj02', '--to', 'wgs84'], '35.7,115.0\n35.8 115.1\n35.9;115.2\n36,115\n');
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /stdin:3: expected 'lat,lon' with numbers/);
    assert.doesNotMatch(r.err, /stdin:[124]:/);
  });

  test('gcj_convert_refuses_out_of_range_and_non_finite_values', () => {
    for (const line of ['91,115', '-90.5,115', '35,180.1', '35,-181', 'nan,115', '35,inf', '1e999,1', '35,', ',115', '35']) {
      const r = zg(['convert', '--from', 'wgs84', '--to', 'gcj02'], `35.7,115.0\n${line}\n`);
      assert.equal(r.code, 2, line);
      assert.equal(r.out, '', line);
      assert.match(r.err, /stdin:2: /, line);
    }
  });

  test('gcj_convert_accepts_both_separators_blank_lines_and_crlf', () => {
    const r = zg(['convert', '--from', 'wgs84', '--to', 'gcj02'], '31.1774276,121.5272106\r\n\n22.543847 113.912316\n 40.7128 , -74.006\n');
    assert.equal(r.code, 0, r.err);
    // eviltransform's vectors; New York is outside China and passes unchanged.
    assert.equal(r.out, '31.175303984,121.531541859\n\n22.540796132,113.917176481\n40.712800000,-74.006000000\n');
  });

  test('gcj_convert_usage_errors_exit_2_and_help_exits_0', () => {
    assert.equal(zg(['convert'], '').code, 2);
    assert.equal(zg(['convert', '--from', 'bd09', '--to', 'wgs84'], '').code, 2);
    assert.equal(zg(['convert', '--from', 'wgs84', '--to', 'wgs84'], '').code, 2);
    assert.equal(zg(['convert', '--from', 'wgs84', '--to', 'gcj02', 'extra'], '').code, 2);
    const h = zg(['convert', '--help'], '');
    assert.equal(h.code, 0);
    assert.match(h.out, /^usage: zonegov convert --from gcj02\|wgs84 --to wgs84\|gcj02/);
    const e = zg(['convert', '--from', 'gcj02', '--to', 'wgs84'], '');
    assert.equal(e.code, 0);
    assert.equal(e.out, '');
  });
});
