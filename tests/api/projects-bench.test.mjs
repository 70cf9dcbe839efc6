// bench/projects in its check-only mode, over 100 generated projects (levels, batches, stages and
// ten years of plans and monthly progress varied by bench/projects/fill_projects.c): the summary's
// count, total investment, annual plan, completed and in-production figures for five queries (a
// year, a year to June, a level filter, a batch, both) must equal those of the anchor, one SQL
// GROUP BY written independently of src/projects.c (bench/projects/sql_anchor.c).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, BIN } from '../lib/server.mjs';

test('summary_figures_equal_an_independent_sql_group_by_over_generated_projects', () => {
  const r = spawnSync(join(ROOT, 'bench', 'projects', 'run.sh'), [], {
    env: { ...process.env, BENCH_PROJECTS: '100', BENCH_CHECK_ONLY: '1', ZONEGOV_BIN: BIN },
    encoding: 'utf8',
    timeout: 120000,
  });
  assert.equal(r.status, 0, `run.sh failed:\n${r.stdout}\n${r.stderr}`);
  assert.equal((r.stdout.match(/ sql: same$/gm) || []).length, 5, r.stdout);
  assert.match(r.stdout, /^CHECK: PASS /m);
  // the filters really filter: fewer projects with a level, fewer still with a batch
  const counts = [...r.stdout.matchAll(/^ {2}(\S.{23}) +(\d+) .* server$/gm)].map((m) => Number(m[2]));
  assert.equal(counts.length, 5, r.stdout);
  assert.equal(counts[0], 100);
  assert.ok(counts[2] > 0 && counts[2] < 100, `level filter: ${counts[2]}`);
  assert.ok(counts[3] > 0 && counts[3] < counts[0], `batch filter: ${counts[3]}`);
  assert.ok(counts[4] <= Math.min(counts[2], counts[3]), `level and batch: ${counts[4]}`);
});
