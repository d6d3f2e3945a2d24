import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
rmSync('/tmp/ins.db', { force: true });
const c = new Database('/tmp/ins.db');
c.pragma('journal_mode = OFF'); c.pragma('synchronous = OFF'); c.pragma('cache_size = -1000000');
c.exec(`create table e (seq integer primary key autoincrement, at integer not null, actor_id text, actor_label text not null, tenant_id text, action text not null, target_type text not null default '', target_id text not null default '', summary text not null default '', ip_address text not null default '', prev_hash text not null, hash text not null)`);
const N = 250000;
const u = crypto.randomUUID(), h = 'f'.repeat(64);
for (const per of [1, 10, 50, 100]) {
  c.exec('delete from e');
  const ie = c.prepare('insert into e values ' + Array(per).fill('(?,?,?,?,?,?,?,?,?,?,?,?)').join(','));
  let t0 = performance.now();
  c.transaction(() => { for (let i = 0; i < N; i += per) { const args = []; for (let j = 0; j < per; j++) args.push(i + j + 1, Date.now(), u, 'matti.virtanen.1@t1.bench.test', u, 'instruction.acknowledge', 'instruction', u, 'v1 (fi)', '10.20.0.1', h, h); ie.run(args); } })();
  console.log(per, 'audit µs', (performance.now() - t0) * 1000 / N);
}
c.exec('delete from e');
const k = c.prepare(`insert into e values (?, 1, 'x', 'matti.virtanen.1@t1.bench.test', 'x', 'instruction.acknowledge', 'instruction', 'x', 'v1 (fi)', '10.20.0.1', '${h}', '${h}')`);
let t0 = performance.now();
c.transaction(() => { for (let i = 0; i < N; i++) k.run(i + 1); })();
console.log('const audit µs', (performance.now() - t0) * 1000 / N);
