/**
 * `npm run bench`: measures, on this machine, the real stack under 1,000
 * matters due at the same instant (one worker process, the Temporal dev
 * server, PostgreSQL), then the battle map over 20,000 projects. Prints the
 * figures the README quotes. Uses TEST_DATABASE_URL / DATABASE_URL when set,
 * else an embedded PostgreSQL. BENCH_MATTERS=0 skips the same-instant part;
 * BENCH_PROJECTS sets the battle map's project count (0 skips it);
 * BENCH_LEDGER_ROWS the ledger import's rows for audited writes during an
 * import (default 20,000; 0 skips it).
 */
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../apps/stack/src/ports';
import { spawnEmbeddedPostgres } from '../../apps/stack/src/postgres';
import { PROJECT_ROOT, TEMPORAL_CLI, resolveTemporalBinary } from '../../libs/temporal/src/binaries';
import { createTestDatabase } from '../support/db';
import { TEST_PASSWORD, createAccounts, seedSmallCounty } from '../support/fixtures';
import { http, loginAs, startRealStack } from '../support/stack';
import { sameInstant } from './same-instant';
import { battleMapBench } from './battle-map';
import { auditUnderImport } from './audit-under-import';

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_MATTERS ?? 1000);
  const dir = mkdtempSync(join(tmpdir(), 'duban-bench-'));
  chmodSync(dir, 0o755);
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const cli = resolveTemporalBinary(TEMPORAL_CLI, console.log);
    if (cli) process.env[TEMPORAL_CLI.envVar] = cli;
    if (!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL) {
      const pg = await spawnEmbeddedPostgres({
        dataDir: join(dir, 'postgres'),
        port: await freePort(),
        database: 'duban_bench',
        logFile: join(dir, 'pg.log'),
        script: join(PROJECT_ROOT, 'dist/apps/stack/src/postgres-main.js'),
      });
      cleanup.push(pg.stop);
      process.env.DUBAN_TEST_SERVER_URL = pg.url;
    } else process.env.DUBAN_TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
    const db = await createTestDatabase('bench');
    cleanup.unshift(db.drop);
    const county = await seedSmallCounty(db.ds);
    await createAccounts(db.ds, { office: county.officer });
    const ledgerRows = Number(process.env.BENCH_LEDGER_ROWS ?? 20000);
    if (ledgerRows > 0) {
      const a = await auditUnderImport({ ds: db.ds, rows: ledgerRows, officer: county.officer, unit: '县自然资源局', township: '城关镇', leader: '副县长丙' });
      console.log(
        `\naudited writes (${4} writers, one audit row per transaction) while a ${a.rows}-row ledger import runs (${a.importSeconds.toFixed(1)} s), ${cpus().length} cores:`,
      );
      console.log(`  alone:         ${a.alone.perSecond} per second, longest ${a.alone.maxMs} ms`);
      console.log(`  during import: ${a.duringImport.perSecond} per second, longest ${a.duringImport.maxMs} ms (${a.duringImport.writes} writes)`);
      console.log(`  audit chain verifies afterwards: ${a.chainOk}`);
    }
    const projects = Number(process.env.BENCH_PROJECTS ?? 20000);
    if (n <= 0 && projects <= 0) return;
    const stack = await startRealStack(db.url, { env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    cleanup.unshift(stack.stop);
    const api = stack.api;
    const token = await loginAs(api, 'office', TEST_PASSWORD);
    if (n > 0) {
      const policy = await http(
        'POST',
        `${api}/escalation-policies`,
        { name: 'bench', severity: 'urgent', automatic: false, rungs: ['unit', 'liaison', 'county'].map((rung) => ({ rung, responseTime: 'P30D' })) },
        token,
      );
      const r = await sameInstant({ api, token, ds: db.ds, projectId: county.projectId, policyId: policy.body.id, n, leadMs: Number(process.env.BENCH_LEAD_MS ?? 90_000) });
      console.log(`\nsame-instant escalation, ${r.n} matters, ${cpus().length} cores, one worker process:`);
      console.log(`  reporting ${r.n} matters over HTTP (16 at a time): ${r.reportSeconds.toFixed(1)} s (${(r.n / r.reportSeconds).toFixed(0)} per second)`);
      console.log(`  every escalation recorded at the due instant itself: ${r.allAtDueInstant}`);
      console.log(`  due instant → escalation in the read model: p50 ${r.lagMs.p50} ms, p95 ${r.lagMs.p95} ms, last ${r.lagMs.max} ms (the spread)`);
    }

    if (projects <= 0) return;
    const m = await battleMapBench({ api, token, ds: db.ds, unitId: county.unitId, townshipId: county.townshipId, leaderId: county.leader, n: projects });
    console.log(
      `\nbattle map (GET /api/battle-map as the project office), ${projects} projects, ${cpus().length} cores; seeded in ${(m.seedMs / 1000).toFixed(1)} s; 20 runs each after 2 warm-up:\n`,
    );
    console.log('| query | p50 (ms) | p95 (ms) | total |');
    console.log('|---|---:|---:|---:|');
    for (const row of m.rows) console.log(`| ${row.query} | ${row.p50} | ${row.p95} | ${row.total} |`);
  } finally {
    for (const c of cleanup) await c().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
