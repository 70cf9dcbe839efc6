// Fault test of case intake: 20 clients file cases as fast as they can, the
// server is killed with SIGKILL while requests are in flight, and a new server
// on the same store file must hold every case that was acknowledged (201) —
// complete, with its number, status and first event — and no case half
// written; the numbers stay unique and without gaps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.mjs';
import { assertStatus, sleep } from './helpers.mjs';

const CLIENTS = 20;
const RUN_MS = 2000;
const NUMBER_RE = /^(\d{8})-(\d{4})$/;

test('durability_every_acknowledged_case_survives_kill_9', async (t) => {
  const srv = await startServer();
  let again = null;
  try {
    const [dispatcher, gridworker] = await Promise.all([srv.login('dispatcher'), srv.login('gridworker')]);
    const unit = await srv.api('GET', '/api/v1/units/410972060001001', undefined, { token: dispatcher });
    assertStatus(unit, 200);
    const { lat, lon } = unit.json.point;

    // Even clients: hotline reports (one event, reported); odd ones: grid patrol
    // of an auto_accept category (three events, dispatched) — both one transaction.
    const acked = [];
    const refused = [];
    let failures = 0;
    let stop = false;
    async function client(k) {
      const patrol = k % 2 === 1;
      for (let i = 0; !stop; i++) {
        const body = patrol
          ? { category: 'SJ0103', source: 'grid_patrol', description: `巡查 ${k}/${i}`, lat, lon }
          : { category: 'SJ0101', source: 'hotline', description: `来电 ${k}/${i}`, lat, lon, phone: '13800001234' };
        let r;
        try {
          r = await srv.api('POST', '/api/v1/cases', body, { token: patrol ? gridworker : dispatcher });
        } catch {
          failures++; // the connection died with the server
          return;
        }
        if (r.status === 201) {
          acked.push({ id: r.json.id, number: r.json.number, status: r.json.status, version: r.json.version, description: body.description });
        } else {
          refused.push(`${r.status} ${r.text.slice(0, 200)}`);
        }
      }
    }
    // One more request surely in flight at the kill: headers and half its body sent.
    const half = new Promise((resolve) => {
      const body = Buffer.from(JSON.stringify({ category: 'SJ0101', source: 'hotline', description: '半截请求', lat, lon }));
      const s = net.connect(srv.port, '127.0.0.1', () => {
        s.write(`POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${dispatcher}\r\n`
          + `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
        s.write(body.subarray(0, body.length >> 1));
      });
      let answer = '';
      s.on('data', (d) => { answer += d; });
      s.on('error', () => {});
      s.on('close', () => resolve(answer));
    });
    const running = Array.from({ length: CLIENTS }, (_, k) => client(k));
    await sleep(RUN_MS);
    srv.child.kill('SIGKILL');
    stop = true;
    await Promise.all(running);
    assert.equal(await half, '', 'the half-sent request got no answer');
    const { signal } = await srv.exited;
    assert.equal(signal, 'SIGKILL');
    assert.ok(acked.length >= 50, `only ${acked.length} cases acknowledged in ${RUN_MS} ms`);
    assert.deepEqual(refused, [], 'every answer before the kill was 201');

    // A new server on the same store file.
    again = await startServer({ db: srv.db });
    const token = await again.login('dispatcher');

    // Every acknowledged case, complete.
    const byId = new Map();
    for (const a of acked) {
      assert.ok(!byId.has(a.id), `id ${a.id} acknowledged twice`);
      byId.set(a.id, a);
    }
    const ids = [...byId.keys()];
    for (let i = 0; i < ids.length; i += 20) {
      await Promise.all(ids.slice(i, i + 20).map(async (id) => {
        const a = byId.get(id);
        const r = await again.api('GET', `/api/v1/cases/${id}`, undefined, { token });
        assert.equal(r.status, 200, `acknowledged case ${id} (${a.number}) lost: ${r.text.slice(0, 200)}`);
        const c = r.json;
        assert.equal(c.number, a.number);
        assert.equal(c.status, a.status);
        assert.equal(c.version, a.version);
        assert.equal(c.description, a.description);
        assert.equal(c.events.length, c.version, `case ${id}: events and version agree`);
        assert.equal(c.events[0].action, 'report');
        assert.equal(c.events[0].to, 'reported');
      }));
    }

    // Every stored case (also those committed but not acknowledged before the
    // kill): complete, unique numbers, no gaps in a day's sequence.
    const items = [];
    let total = null;
    for (let page = 1; page < 1000; page++) {
      const r = await again.api('GET', `/api/v1/cases?per_page=100&page=${page}`, undefined, { token });
      assertStatus(r, 200);
      total = r.json.total;
      items.push(...r.json.items);
      if (r.json.items.length < 100) break;
    }
    assert.equal(items.length, total);
    assert.ok(total >= acked.length && total <= acked.length + CLIENTS,
      `${total} stored, ${acked.length} acknowledged, at most ${CLIENTS} in flight`);
    const numbers = items.map((c) => c.number);
    assert.equal(new Set(numbers).size, numbers.length, 'numbers are unique');
    assert.equal(new Set(items.map((c) => c.id)).size, items.length, 'ids are unique');
    for (const id of ids) assert.ok(items.some((c) => c.id === id), `case ${id} missing from the list`);
    const byDay = new Map();
    for (const c of items) {
      const m = NUMBER_RE.exec(c.number);
      assert.ok(m, c.number);
      if (!byDay.has(m[1])) byDay.set(m[1], []);
      byDay.get(m[1]).push({ id: c.id, seq: Number(m[2]) });
    }
    for (const [day, list] of byDay) {
      list.sort((a, b) => a.id - b.id);
      list.forEach((c, i) => {
        if (i > 0) assert.ok(c.seq > list[i - 1].seq, `${day}: numbers follow the ids`);
      });
      const seqs = list.map((c) => c.seq).sort((a, b) => a - b);
      assert.equal(seqs.at(-1) - seqs[0] + 1, seqs.length, `${day}: no gaps in the sequence`);
    }
    const unacked = items.filter((c) => !byId.has(c.id));
    t.diagnostic(`${acked.length} acknowledged, ${failures} in flight at the kill, ${total} stored (${unacked.length} committed unacknowledged)`);
    for (const c of unacked) {
      const r = await again.api('GET', `/api/v1/cases/${c.id}`, undefined, { token });
      assertStatus(r, 200);
      assert.equal(r.json.events.length, r.json.version, `unacknowledged case ${c.id} is complete`);
      assert.ok(['reported', 'dispatched'].includes(r.json.status));
    }
    // The store takes new cases after the crash, numbered on.
    const next = await again.api('POST', '/api/v1/cases',
      { category: 'SJ0101', source: 'hotline', description: '重启后', lat, lon }, { token });
    assertStatus(next, 201);
    assert.ok(!numbers.includes(next.json.number));
    assert.ok(next.json.id > Math.max(...items.map((c) => c.id)));
  } finally {
    await again?.stop();
    await srv.stop();
  }
});
