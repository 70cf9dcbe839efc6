// The zonegov command line: exit codes (0 ok, 1 runtime, 2 usage/bad input),
// config precedence seen from outside, user management, backup while serving.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer } from '../lib/server.mjs';

function zg(args, { input, env = {} } = {}) {
  const r = spawnSync(BIN, args, { input, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('zonegov CLI', () => {
  let dir, db;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'zonegov-cli-'));
    db = join(dir, 'z.db');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('cli_help_for_every_command_exits_0', () => {
    for (const cmd of ['serve', 'migrate', 'user', 'backup', 'demo', 'version']) {
      const r = zg([cmd, '--help']);
      assert.equal(r.code, 0, `${cmd} --help`);
      assert.match(r.out, /usage: zonegov|zonegov \d/, `${cmd} --help prints usage`);
    }
    assert.equal(zg(['--help']).code, 0);
  });

  test('cli_unknown_command_or_option_exits_2', () => {
    assert.equal(zg(['frobnicate']).code, 2);
    const r = zg(['migrate', '--db', db, '--no-such-option', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown configuration key 'no_such_option'/);
    assert.equal(zg([]).code, 2);
  });

  test('cli_migrate_creates_store_and_reports_version', () => {
    const r = zg(['migrate', '--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /schema version (\d+) \(this zonegov knows \1\)/);
    assert.ok(existsSync(db));
  });

  test('cli_bad_config_file_names_file_and_line_and_exits_2', () => {
    const cfg = join(dir, 'bad.conf');
    writeFileSync(cfg, '# comment\ndb = x.db\nsession_ttl = soon\n');
    const r = zg(['migrate', '--config', cfg]);
    assert.equal(r.code, 2);
    assert.ok(r.err.includes(`${cfg}:3:`), r.err);
    assert.match(r.err, /session_ttl/);
  });

  test('cli_flag_overrides_env_which_overrides_file', () => {
    const cfg = join(dir, 'good.conf');
    const fileDb = join(dir, 'from-file.db');
    const envDb = join(dir, 'from-env.db');
    const flagDb = join(dir, 'from-flag.db');
    writeFileSync(cfg, `db = ${fileDb}\n`);
    assert.equal(zg(['migrate', '--config', cfg]).code, 0);
    assert.ok(existsSync(fileDb), 'file sets db');
    assert.equal(zg(['migrate', '--config', cfg], { env: { ZONEGOV_DB: envDb } }).code, 0);
    assert.ok(existsSync(envDb), 'env beats file');
    assert.equal(zg(['migrate', '--config', cfg, '--db', flagDb], { env: { ZONEGOV_DB: envDb } }).code, 0);
    assert.ok(existsSync(flagDb), 'flag beats env');
  });

  test('cli_bad_env_value_exits_2', () => {
    const r = zg(['migrate', '--db', db], { env: { ZONEGOV_BODY_LIMIT: 'huge' } });
    assert.equal(r.code, 2);
    assert.match(r.err, /ZONEGOV_BODY_LIMIT/);
  });

  test('cli_user_add_list_passwd_disable', () => {
    let r = zg(['user', 'add', 'wang', '--db', db, '--name', '王伟', '--roles', 'dispatcher,leader',
      '--phone', '13800001111', '--password-stdin'], { input: 'a-long-password\n' });
    assert.equal(r.code, 0, r.err);
    r = zg(['user', 'list', '--db', db]);
    assert.equal(r.code, 0);
    assert.match(r.out, /wang\s+王伟\s+active\s+\["leader","dispatcher"\]/);
    r = zg(['user', 'passwd', 'wang', '--db', db, '--password', 'another-password']);
    assert.equal(r.code, 0, r.err);
    r = zg(['user', 'disable', 'wang', '--db', db]);
    assert.equal(r.code, 0);
    assert.match(zg(['user', 'list', '--db', db]).out, /wang\s+王伟\s+disabled/);
    r = zg(['user', 'disable', 'wang', '--db', db, '--enable']);
    assert.equal(r.code, 0);
    assert.match(zg(['user', 'list', '--db', db]).out, /wang\s+王伟\s+active/);
  });

  test('cli_user_add_bad_input_exits_2_and_writes_nothing', () => {
    const before = zg(['user', 'list', '--db', db]).out;
    const cases = [
      [['user', 'add', 'Bad Name', '--name', 'x', '--roles', 'admin', '--password', 'long-enough-pw'], /username/],
      [['user', 'add', 'okname', '--name', 'x', '--roles', 'wizard', '--password', 'long-enough-pw'], /role/],
      [['user', 'add', 'okname', '--name', 'x', '--roles', 'admin', '--password', 'short'], /password/],
      [['user', 'add', 'okname', '--name', 'x', '--roles', 'admin', '--password', 'long-enough-pw', '--phone', '12345'], /phone/],
      [['user', 'add', 'okname', '--roles', 'admin', '--password', 'long-enough-pw'], /name/],
      [['user', 'add', 'wang', '--name', 'x', '--roles', 'admin', '--password', 'long-enough-pw'], /taken/],
      [['user', 'passwd', 'nobody', '--password', 'long-enough-pw'], /no such user/],
    ];
    for (const [args, why] of cases) {
      const r = zg([...args, '--db', db]);
      assert.equal(r.code, 2, `${args.join(' ')} → ${r.err}`);
      assert.match(r.err, why);
    }
    assert.equal(zg(['user', 'list', '--db', db]).out, before, 'store unchanged');
  });

  test('cli_demo_refuses_a_store_with_accounts', () => {
    const r = zg(['demo', '--db', db, '--password', 'long-enough-pw']);
    assert.equal(r.code, 2);
    assert.match(r.err, /already has accounts/);
  });

  test('cli_store_unreachable_exits_1', () => {
    const r = zg(['migrate', '--db', join(dir, 'no', 'such', 'dir', 'z.db')]);
    assert.equal(r.code, 1);
  });

  test('cli_backup_refuses_existing_target_and_missing_store', () => {
    assert.equal(zg(['backup', db, '--db', db]).code, 2);
    assert.equal(zg(['backup', join(dir, 'b.db'), '--db', join(dir, 'absent.db')]).code, 2);
    assert.equal(zg(['backup', '--db', db]).code, 2);
  });
});

describe('zonegov backup while serving', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.stop(); });

  test('cli_backup_is_consistent_while_the_server_writes', async () => {
    const token = await srv.login('admin');
    // Keep writing accounts while the backup runs.
    let n = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop && n < 200) {
        const r = await srv.api('POST', '/api/v1/users', {
          username: `bulk${n}`, name: `批量${n}`, password: 'bulk-password-1', roles: ['grid_worker'],
        }, { token });
        assert.equal(r.status, 201);
        n++;
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const target = join(srv.dir, 'backup.db');
    const r = zg(['backup', target, '--db', srv.db]);
    stop = true;
    await writer;
    assert.equal(r.code, 0, r.err);
    // The copy opens, is migrated and holds the demo users plus some prefix of the bulk ones.
    const list = zg(['user', 'list', '--db', target]);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /admin/);
    const bulk = (list.out.match(/bulk\d+/g) || []).map((s) => Number(s.slice(4))).sort((a, b) => a - b);
    bulk.forEach((v, i) => assert.equal(v, i, 'backup holds a prefix of committed writes'));
    assert.match(list.out, /gridworker/);
  });
});
