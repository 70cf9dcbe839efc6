// The working-time calendar against an independent oracle: `zonegov calendar --year Y` (our copy of
// holiday-cn, data/holidays, read by src/workcal.c) must agree with the npm package chinese-days
// (its own compilation of the State Council notices) on every date of 2024, 2025 and 2026; and
// `zonegov calendar deadline` must give the worked examples of cn-standards.md §4 and agree with
// chinese-days' findWorkday for working-day deadlines.
//
// The binary reads its default holidays_dir, build/data/holidays (copy data/holidays there first).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chineseDays from 'chinese-days';
import { BIN } from '../lib/server.mjs';

const YEARS = [2024, 2025, 2026];

function zg(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function deadline(from, amount, unit, extra = []) {
  return zg(['calendar', 'deadline', '--from', from, '--amount', String(amount), '--unit', unit, ...extra]);
}

describe('working-time calendar', () => {
  for (const year of YEARS) {
    test(`workcal_calendar_${year}_agrees_with_chinese_days_on_every_date`, () => {
      const r = zg(['calendar', '--year', String(year)]);
      assert.equal(r.code, 0, `zonegov calendar --year ${year}: ${r.err} (is build/data/holidays there?)`);
      const lines = r.out.trimEnd().split('\n');
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      assert.equal(lines.length, leap ? 366 : 365);
      const disagree = [];
      let day = new Date(Date.UTC(year, 0, 1));
      for (const line of lines) {
        const date = day.toISOString().slice(0, 10);
        const m = /^(\d{4}-\d{2}-\d{2}) (work|off)$/.exec(line);
        assert.ok(m, `line '${line}'`);
        assert.equal(m[1], date, 'one line per day, in order');
        const ours = m[2] === 'work';
        if (ours !== chineseDays.isWorkday(date)) disagree.push(`${date}: zonegov ${m[2]}, chinese-days ${ours ? 'off' : 'work'}`);
        day = new Date(day.getTime() + 86400000);
      }
      assert.deepEqual(disagree, []);
    });
  }

  test('workcal_deadline_cli_gives_cn_standards_worked_examples', () => {
    const cases = [
      ['2025-09-26', 5, 'work_days', '2025-10-10T17:30:00.000+08:00'],
      ['2025-01-24', 3, 'work_days', '2025-02-05T17:30:00.000+08:00'],
      ['2026-02-13', 1, 'work_days', '2026-02-14T17:30:00.000+08:00'],
      ['2025-09-19T17:00', 2, 'work_hours', '2025-09-22T10:00:00.000+08:00'],
      ['2025-09-26T17:00:00+08:00', 2, 'work_hours', '2025-09-28T10:00:00.000+08:00'],
      ['2025-09-30T08:30:00Z', 3, 'work_hours', '2025-10-09T10:30:00.000+08:00'],
      ['2025-09-30T16:30', 24, 'hours', '2025-10-01T16:30:00.000+08:00'],
      ['2030-01-01T00:00', 1, 'hours', '2030-01-01T01:00:00.000+08:00'],
      ['2025-09-21T10:00', 0, 'work_days', '2025-09-21T10:00:00.000+08:00'],
    ];
    for (const [from, amount, unit, want] of cases) {
      const r = deadline(from, amount, unit);
      assert.equal(r.code, 0, `${from} + ${amount} ${unit}: ${r.err}`);
      assert.equal(r.out.trim(), want, `${from} + ${amount} ${unit}`);
    }
  });

  test('workcal_work_days_deadline_agrees_with_chinese_days_find_workday', () => {
    // Every tenth day of the three years, 1..10 working days on (start day not counted).
    const bad = [];
    let n = 0;
    // Days of 2027 (no notice yet: the provisional year) by the documented rule instead:
    // Monday to Friday work, Saturday, Sunday and 1 January off.
    const provisionalWorkday = (amount, from) => {
      let t = Date.parse(`${from}T00:00:00Z`);
      for (let left = amount; left > 0;) {
        t += 86400000;
        const d = new Date(t), iso = d.toISOString().slice(0, 10);
        const work = iso >= '2027' ? d.getUTCDay() % 6 !== 0 && !iso.endsWith('-01-01') : chineseDays.isWorkday(iso);
        if (work) left--;
      }
      return new Date(t).toISOString().slice(0, 10);
    };
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2027, 0, 1); t += 10 * 86400000, n++) {
      const from = new Date(t).toISOString().slice(0, 10);
      const amount = 1 + (n % 10);
      let want = chineseDays.findWorkday(amount, from);
      if (want >= '2027') want = provisionalWorkday(amount, from);
      const r = deadline(from, amount, 'work_days');
      if (r.code !== 0 || r.out.trim() !== `${want}T17:30:00.000+08:00`) {
        bad.push(`${from} + ${amount}: zonegov ${r.out.trim() || r.err.trim()}, chinese-days ${want}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  test('workcal_deadline_into_the_year_after_the_provisional_one_exits_2_naming_it', () => {
    // 2027 has no file yet: it is the provisional year (weekdays, 1 January off), 2028 is refused.
    const p = deadline('2026-12-28', 5, 'work_days');
    assert.equal(p.code, 0, p.err);
    assert.equal(p.out.trim(), '2027-01-05T17:30:00.000+08:00');
    const r = deadline('2027-12-28', 5, 'work_days');
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /holiday calendar for 2028 not loaded/);
    const y = zg(['calendar', '--year', '2027']);
    assert.equal(y.code, 2);
    assert.match(y.err, /holiday calendar for 2027 not loaded/);
  });

  test('workcal_calendar_cli_bad_input_exits_2', () => {
    for (const args of [
      ['calendar'],
      ['calendar', '--year', '20x5'],
      ['calendar', 'deadline', '--from', '2025-02-30', '--amount', '1', '--unit', 'work_days'],
      ['calendar', 'deadline', '--from', '2025-09-26', '--amount', '-1', '--unit', 'work_days'],
      ['calendar', 'deadline', '--from', '2025-09-26', '--amount', '1', '--unit', 'days'],
      ['calendar', 'deadline', '--year', '2025'],
      ['calendar', 'frobnicate'],
    ]) {
      const r = zg(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.out, '', args.join(' '));
    }
    assert.equal(zg(['calendar', '--help']).code, 0);
  });

  test('workcal_malformed_holiday_file_exits_2_naming_the_file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zonegov-holidays-'));
    try {
      writeFileSync(join(dir, '2025.json'), '{"year": 2025,\n "days": [}\n');
      const r = zg(['calendar', '--year', '2025', '--holidays-dir', dir]);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.ok(r.err.includes(`${join(dir, '2025.json')}:2:`), r.err);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
