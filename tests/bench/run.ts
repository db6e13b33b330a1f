/**
 * `npm run bench`: measures, on this machine, the real stack under 1,000
 * matters due at the same instant (one worker process, the Temporal dev
 * server, PostgreSQL) and lone deadlines, beside the peer (pg-boss 12 delayed
 * jobs on the same PostgreSQL, its defaults and a tuned setting), then the
 * battle map over 20,000 projects. Prints the figures the README quotes and
 * writes them all to docs/bench/<date>.json with a chart, docs/bench/<date>.svg
 * (BENCH_OUT=<dir> writes elsewhere). Uses TEST_DATABASE_URL / DATABASE_URL
 * when set, else an embedded PostgreSQL. BENCH_MATTERS=0 skips the
 * same-instant part; BENCH_PROBES sets the lone deadlines per system (default
 * 100; 0 skips them); BENCH_PEER=0 skips the peer (BENCH_PEER_BURST its burst,
 * default BENCH_MATTERS; BENCH_PEER_LIMIT_S how long a burst is waited on,
 * default 120: pg-boss's defaults drain one job per 2 s poll, so their burst
 * is cut there and the rest extrapolated); BENCH_PROJECTS sets the battle
 * map's project count (0 skips it); BENCH_LEDGER_ROWS the ledger import's rows
 * for audited writes during an import (default 20,000; 0 skips it).
 * BENCH_MAP_RUNS timed runs per battle map query (default 100); BENCH_MIXED_SECONDS
 * the mixed read load's length (default 300; 0 skips it) at BENCH_MIXED_RATE
 * requests per second (default 200); BENCH_WORKERS worker processes (default 1);
 * DUBAN_CPU_PROFILE_DIR=<dir> makes the worker and the API write V8 CPU profiles.
 * BENCH_BIG_BURST (default 10,000; 0 skips) matters due at one instant after
 * the first burst; they then wait on their next rung's far timers. BENCH_IDLE
 * (default 100,000; 0 skips) fills the county up to that many open matters,
 * reported over HTTP and due months ahead, after the battle map; the lone
 * deadlines then run among them (about 40 minutes of reporting on 2 cores).
 * The dev server keeps its state in a SQLite file as `npm start` runs it (BENCH_TEMPORAL_MEMORY=1:
 * in memory), and is started again if it ends unasked (recorded as temporalDevServer.crashes).
 * BENCH_FAULTS (default worker,temporal,postgres; empty skips) runs a burst of
 * BENCH_FAULT_MATTERS (default 200) with that part restarted in its middle.
 * A whole run written to docs/bench (no BENCH_OUT) regenerates the README's speed summary from
 * its JSON (tests/bench/readme.ts; BENCH_README=0 leaves the README alone).
 * BENCH_BROWSER=0 skips the battle map in headless Chromium
 * (BENCH_BROWSER_COLD / _WARM loads per route, default 3 / 10; BENCH_JSON=<file>
 * also writes its figures there; BENCH_TRACE=1 prints each load's requests and
 * marks, [start, end, path, bytes]). The browser part alone, a few minutes:
 * BENCH_MATTERS=0 BENCH_BIG_BURST=0 BENCH_IDLE=0 BENCH_LEDGER_ROWS=0 BENCH_PROBES=0 BENCH_PEER=0
 * BENCH_MIXED_SECONDS=0 BENCH_FAULTS= npm run bench.
 */
import { mkdtempSync, chmodSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../apps/stack/src/ports';
import { spawnNode } from '../../apps/stack/src/processes';
import { spawnEmbeddedPostgres } from '../../apps/stack/src/postgres';
import { PROJECT_ROOT, TEMPORAL_CLI, resolveTemporalBinary } from '../../libs/temporal/src/binaries';
import { createTestDatabase } from '../support/db';
import { TEST_PASSWORD, createAccounts, seedSmallCounty } from '../support/fixtures';
import { http, loginAs, startRealStack } from '../support/stack';
import { sameInstant } from './same-instant';
import { battleMapBench } from './battle-map';
import { auditUnderImport } from './audit-under-import';
import { battleMapBrowserBench } from './battle-map-browser';
import { formatProfile, rssByPart } from './cpu-profile';
import { machine, type Distribution } from './distribution';
import { idleCost, openMatters } from './idle-cost';
import { loneDeadlines } from './lone-deadlines';
import { mixedReads } from './mixed-reads';
import { faultBurst, type FaultKind, type FaultResult } from './faults';
import { peerPgBoss, type PeerResult } from './peer-pg-boss';
import { comparisonTable, writeReport, type SystemDelays } from './report';
import { writeReadmeSummary } from './readme';

const f3 = (d: Distribution) => `p50 ${d.p50} ms, p95 ${d.p95} ms, p99 ${d.p99} ms, last ${d.max} ms`;

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_MATTERS ?? 1000);
  const probes = Number(process.env.BENCH_PROBES ?? 100);
  const peerBurst = Number(process.env.BENCH_PEER_BURST ?? n);
  const idleTarget = Number(process.env.BENCH_IDLE ?? 100_000);
  const started = new Date();
  // Everything the run measured, with the machine beside each part; written after each part so a failed run keeps what it had.
  const record: Record<string, unknown> = { at: started.toISOString(), ...machine() };
  const systems: SystemDelays[] = [{ system: 'Duban', systemZh: '督办（Duban）' }];
  const save = () =>
    writeReport(process.env.BENCH_OUT ?? join(PROJECT_ROOT, 'docs/bench'), started.toISOString().slice(0, 10), { ...record, comparison: systems }, systems, {
      ...sizes(n, peerBurst, probes, systems.length > 1),
      caption: `${started.toISOString().slice(0, 10)} · ${cpus().length} cores · load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at the end · one PostgreSQL for both · 同一台机器、同一 PostgreSQL`,
    });
  const dir = mkdtempSync(join(tmpdir(), 'duban-bench-'));
  chmodSync(dir, 0o755);
  const cleanup: (() => Promise<void>)[] = [];
  let restartPostgres: ((downMs: number) => Promise<void>) | undefined;
  try {
    const cli = resolveTemporalBinary(TEMPORAL_CLI, console.log);
    if (cli) process.env[TEMPORAL_CLI.envVar] = cli;
    if (!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL) {
      const pgOptions = {
        dataDir: join(dir, 'postgres'),
        port: await freePort(),
        database: 'duban_bench',
        logFile: join(dir, 'pg.log'),
        script: join(PROJECT_ROOT, 'dist/apps/stack/src/postgres-main.js'),
      };
      let pg = await spawnEmbeddedPostgres(pgOptions);
      cleanup.push(() => pg.stop());
      // The faults part stops the server and starts it again on the same data and port.
      restartPostgres = async (downMs) => {
        await pg.stop();
        await new Promise((r) => setTimeout(r, downMs));
        pg = await spawnEmbeddedPostgres(pgOptions);
      };
      process.env.DUBAN_TEST_SERVER_URL = pg.url;
    } else process.env.DUBAN_TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
    const db = await createTestDatabase('bench');
    cleanup.unshift(db.drop);
    record.postgres = { embedded: !process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL, version: (await db.ds.query('SHOW server_version'))[0].server_version };
    const county = await seedSmallCounty(db.ds);
    await createAccounts(db.ds, { office: county.officer });
    const ledgerRows = Number(process.env.BENCH_LEDGER_ROWS ?? 20000);
    if (ledgerRows > 0) {
      // A database of its own, dropped afterwards: its 20,000 imported projects would otherwise double the battle map's.
      const ledgerDb = await createTestDatabase('bench_ledger');
      const a = await seedSmallCounty(ledgerDb.ds)
        .then((c) => auditUnderImport({ ds: ledgerDb.ds, rows: ledgerRows, officer: c.officer, unit: '县自然资源局', township: '城关镇', leader: '副县长丙' }))
        .finally(() => ledgerDb.drop());
      console.log(
        `\naudited writes (${4} writers, one audit row per transaction) while a ${a.rows}-row ledger import runs (${a.importSeconds.toFixed(1)} s), ${cpus().length} cores:`,
      );
      console.log(`  alone:         ${a.alone.perSecond} per second, longest ${a.alone.maxMs} ms`);
      console.log(`  during import: ${a.duringImport.perSecond} per second, longest ${a.duringImport.maxMs} ms (${a.duringImport.writes} writes)`);
      console.log(`  audit chain verifies afterwards: ${a.chainOk}`);
      record.auditUnderImport = { ...a, machine: machine() };
      save();
    }
    // The peer runs before Duban's stack starts: each system has the machine to itself.
    if (process.env.BENCH_PEER !== '0' && (peerBurst > 0 || probes > 0)) {
      const peers: PeerResult[] = [];
      for (const setting of ['defaults', 'tuned'] as const) {
        const p = await peerPgBoss({ dbUrl: db.url, setting, burst: peerBurst, probes, limitSeconds: Number(process.env.BENCH_PEER_LIMIT_S ?? 120) });
        peers.push(p);
        printPeer(p);
        systems.push({
          system: `pg-boss ${setting}`,
          systemZh: `pg-boss ${setting === 'defaults' ? '默认设置' : '调优设置'}`,
          burst: p.burst?.extrapolatedMs ?? p.burst?.delayMs,
          extrapolated: !!p.burst?.extrapolatedMs,
          lone: p.lone?.delayMs,
          note: p.burst?.extrapolatedMs
            ? `${p.burst.done} of ${p.burst.n} stored within ${p.burst.limitSeconds} s (${p.burst.perSecond} per second); the rest extrapolated at that rate`
            : undefined,
        });
        record.peer = peers;
        save();
      }
    }
    const projects = Number(process.env.BENCH_PROJECTS ?? 20000);
    const faultsWanted = (process.env.BENCH_FAULTS ?? 'worker,temporal,postgres') !== '' && Number(process.env.BENCH_FAULT_MATTERS ?? 200) > 0;
    if (n <= 0 && projects <= 0 && probes <= 0 && idleTarget <= 0 && !faultsWanted) return report(systems, n, peerBurst, probes);
    // The dev server keeps its state in a SQLite file, as `npm start` runs it (BENCH_TEMPORAL_MEMORY=1: in memory, as the tests do).
    // In memory it crashed in its SQLite at 65,000–77,000 open matters on every fill; if it ends unasked it is started again, and the run says so.
    const temporalFile = process.env.BENCH_TEMPORAL_MEMORY !== '1';
    const stack = await startRealStack(db.url, { env: { RATE_LIMIT_PER_MINUTE: '100000' }, persistentTemporal: temporalFile, superviseTemporal: temporalFile });
    cleanup.unshift(stack.stop);
    record.temporalDevServer = { store: temporalFile ? 'sqlite file' : 'memory', crashes: stack.temporalCrashes };
    // BENCH_WORKERS=2: a second worker process on the same task queue (the stack starts one).
    const workers = Math.max(1, Number(process.env.BENCH_WORKERS ?? 1));
    for (let k = 2; k <= workers; k++) {
      const w = spawnNode(`worker${k}`, join(PROJECT_ROOT, 'dist/apps/worker/src/main.js'), stack.env, () => undefined);
      cleanup.unshift(w.stop);
    }
    record.workers = workers;
    const api = stack.api;
    const token = await loginAs(api, 'office', TEST_PASSWORD);
    const policy =
      n > 0 || probes > 0 || idleTarget > 0 || faultsWanted
        ? await http(
            'POST',
            `${api}/escalation-policies`,
            { name: 'bench', severity: 'urgent', automatic: false, rungs: ['unit', 'liaison', 'county'].map((rung) => ({ rung, responseTime: 'P30D' })) },
            token,
          )
        : null;
    // Matters reported per second in the first burst: the ten thousand's lead is sized from it (a slow day reports at 18 per second, not 30).
    let reportRate = 0;
    if (n > 0 && policy) {
      const r = await sameInstant({
        api,
        token: await loginAs(api, 'office', TEST_PASSWORD), // a session lasts 15 minutes; each part starts a fresh one
        ds: db.ds,
        dbUrl: db.url,
        projectId: county.projectId,
        policyId: policy.body.id,
        n,
        // Reporting must end before the due instant: at ~30 per second a thousand take ~35 s, ten thousand ~6 minutes.
        leadMs: Number(process.env.BENCH_LEAD_MS ?? Math.max(90_000, n * 45 + 60_000)),
      });
      console.log(
        `\nsame-instant escalation, ${r.n} matters, ${r.machine.cores} cores, load average ${r.machine.loadavg.join(' ')}, ${workers === 1 ? 'one worker process' : `${workers} worker processes`}:`,
      );
      console.log(`  reporting ${r.n} matters over HTTP (16 at a time): ${r.reportSeconds.toFixed(1)} s (${(r.n / r.reportSeconds).toFixed(0)} per second)`);
      console.log(`    CPU while reporting: ${formatProfile(r.reportCpu)}`);
      console.log(`  every escalation recorded at the due instant itself: ${r.allAtDueInstant}`);
      console.log(`  due instant → escalation's transaction began (blocker_event.recorded_at): ${f3(r.lagMs)}`);
      console.log(`  due instant → escalation notice stored (its commit, heard on LISTEN): ${f3(r.noticeMs!)} (the spread)`);
      console.log(`  CPU from the due instant to the last escalation seen: ${formatProfile(r.cpu)}`);
      record.sameInstant = r;
      reportRate = r.n / r.reportSeconds;
      systems[0].burst = r.noticeMs;
      save();
    }
    // Ten thousand due at once; afterwards they (and the thousand before) wait on their next rung's 30-day timers: the idle load the lone deadlines then meet.
    const big = Number(process.env.BENCH_BIG_BURST ?? 10000);
    if (big > 0 && policy) {
      const rssBefore = rssByPart();
      const idleBefore = await openMatters(db.ds);
      const r = await sameInstant({
        api,
        token: await loginAs(api, 'office', TEST_PASSWORD), // a session lasts 15 minutes; each part starts a fresh one
        ds: db.ds,
        dbUrl: db.url,
        projectId: county.projectId,
        policyId: policy.body.id,
        n: big,
        leadMs: Number(process.env.BENCH_LEAD_MS ?? Math.max(big * 36, reportRate ? (1.4 * big * 1000) / reportRate : 0) + 60_000),
      });
      const idleAfter = await openMatters(db.ds);
      const rssAfter = rssByPart();
      const pgSize = Number((await db.ds.query(`SELECT pg_database_size(current_database()) AS b`))[0].b);
      console.log(`\nsame-instant escalation, ${r.n} matters, ${r.machine.cores} cores, load average ${r.machine.loadavg.join(' ')}:`);
      console.log(`  reporting over HTTP: ${r.reportSeconds.toFixed(1)} s (${(r.n / r.reportSeconds).toFixed(0)} per second)`);
      console.log(`  due instant → escalation notice stored: ${f3(r.noticeMs!)}`);
      console.log(`  CPU from the due instant to the last escalation seen: ${formatProfile(r.cpu)}`);
      console.log(
        `  open matters waiting on far timers: ${idleBefore} → ${idleAfter}; resident MB ${JSON.stringify(rssBefore)} → ${JSON.stringify(rssAfter)}; this database ${Math.round(pgSize / 1048576)} MB`,
      );
      record.bigBurst = { ...r, idleBefore, idleAfter, rssBefore, rssAfter, pgDatabaseBytes: pgSize };
      save();
    }
    // The battle map and the mixed reads meet the bursts' 11,000 open matters; the idle fill comes after them.
    if (projects > 0) await battleMapPart();
    // Idle cost: open matters up to BENCH_IDLE (default 100,000), all through the real path, before the lone deadlines meet them.
    if (idleTarget > 0 && policy) {
      const relogin = () => loginAs(api, 'office', TEST_PASSWORD);
      const i = await idleCost({
        api,
        token: await relogin(),
        relogin,
        ds: db.ds,
        policyId: policy.body.id,
        fallbackProjectId: county.projectId,
        target: idleTarget,
        temporalDbFile: stack.temporalDbFile,
      });
      console.log(`
idle cost: open matters ${i.openBefore} → ${i.openAfter}, each reported over HTTP and due 60–120 days ahead, ${i.machine.cores} cores:`);
      console.log(`  reporting ${i.reported}: ${i.reportSeconds} s (${i.perSecond} per second; ${i.retried503} answered 503 and sent again); CPU: ${formatProfile(i.reportCpu)}`);
      console.log(
        `  resident MB ${JSON.stringify(i.rssMbBefore)} → ${JSON.stringify(i.rssMbAfter)}; this database ${i.postgresMbBefore} → ${i.postgresMbAfter} MB${i.temporalStoreMbAfter !== undefined ? `; the dev server's SQLite ${i.temporalStoreMbBefore} → ${i.temporalStoreMbAfter} MB` : ''}`,
      );
      console.log(`  per open matter (KB): ${JSON.stringify(i.perMatterKb)}; a million open matters (GB): ${JSON.stringify(i.millionGb)}`);
      record.idleCost = i;
      if (stack.temporalCrashes.length)
        console.log(`  the dev server ended unasked ${stack.temporalCrashes.length} time(s) and was started again: ${JSON.stringify(stack.temporalCrashes)}`);
      save();
    }
    if (probes > 0 && policy) {
      const l = await loneDeadlines({
        api,
        token: await loginAs(api, 'office', TEST_PASSWORD),
        ds: db.ds,
        dbUrl: db.url,
        projectId: county.projectId,
        policyId: policy.body.id,
        probes,
      });
      const idle = await openMatters(db.ds);
      console.log(
        `\nlone deadlines on Duban, ${l.probes} matters due alone (≥ 300 ms apart), ${idle} open matters waiting on far timers, ${l.machine.cores} cores, load average ${l.machine.loadavg.join(' ')}:`,
      );
      console.log(`  due instant → escalation notice stored: ${f3(l.delayMs)}`);
      record.loneDeadlines = { ...l, openMatters: idle, rss: rssByPart() };
      systems[0].lone = l.delayMs;
      save();
    }
    report(systems, n, peerBurst, probes);

    await stack.stop();
    await faultsPart();
    // A whole run written to docs/bench regenerates the README's speed summary (BENCH_README=0 leaves it alone).
    if (!process.env.BENCH_OUT && process.env.BENCH_README !== '0') {
      const json = join(PROJECT_ROOT, 'docs/bench', `${started.toISOString().slice(0, 10)}.json`);
      await writeReadmeSummary(join(PROJECT_ROOT, 'README.md'), json, PROJECT_ROOT);
      console.log(`\nREADME.md: speed summary regenerated from ${json}`);
    }
    return;

    async function battleMapPart(): Promise<void> {
      const m = await battleMapBench({
        api,
        token: await loginAs(api, 'office', TEST_PASSWORD),
        ds: db.ds,
        unitId: county.unitId,
        townshipId: county.townshipId,
        leaderId: county.leader,
        n: projects,
      });
      console.log(
        `\nbattle map (GET /api/battle-map as the project office), ${projects} projects, ${cpus().length} cores; seeded in ${(m.seedMs / 1000).toFixed(1)} s; ${Number(process.env.BENCH_MAP_RUNS ?? 100)} runs each after 2 warm-up:\n`,
      );
      console.log('| query | p50 (ms) | p95 (ms) | p99 (ms) | total |');
      console.log('|---|---:|---:|---:|---:|');
      for (const row of m.rows) console.log(`| ${row.query} | ${row.p50} | ${row.p95} | ${row.p99} | ${row.total} |`);

      record.battleMapApi = { projects, seedMs: m.seedMs, rows: m.rows, machine: machine() };
      save();

      const mixedSeconds = Number(process.env.BENCH_MIXED_SECONDS ?? 300);
      if (mixedSeconds > 0) {
        const blockerIds: string[] = (await db.ds.query(`SELECT id FROM blocker ORDER BY id LIMIT 2000`)).map((b: { id: string }) => b.id);
        const rate = Number(process.env.BENCH_MIXED_RATE ?? 200);
        // A fresh session: the one taken at the start may have outlived its 15 minutes by now (the bursts take longer).
        const x = await mixedReads({ api, token: await loginAs(api, 'office', TEST_PASSWORD), blockerIds, seconds: mixedSeconds, rate });
        console.log(
          `\nmixed reads (autocannon, ${x.targetRate} per second for ${x.seconds} s, 20 connections, as the project office), ${cpus().length} cores, load average ${x.machine.loadavg.join(' ')}:`,
        );
        console.log(`  ${x.paths.join(' · ')} in turn`);
        console.log(`  ${x.requests} requests (${x.rate} per second): p50 ${x.latencyMs.p50} ms, p90 ${x.latencyMs.p90} ms, p99 ${x.latencyMs.p99} ms, max ${x.latencyMs.max} ms`);
        console.log(`  errors ${x.errors}, timeouts ${x.timeouts}, non-2xx ${x.non2xx} (status codes ${JSON.stringify(x.statusCodes)})`);
        record.mixedReads = x;
        save();
      }

      if (process.env.BENCH_BROWSER === '0') return;
      const cold = Math.max(1, Number(process.env.BENCH_BROWSER_COLD ?? 3));
      const warm = Math.max(0, Number(process.env.BENCH_BROWSER_WARM ?? 10));
      // The machine's load beside the figures: a shared machine's other work shows in a browser's timings first.
      const loadBefore = loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
      const b = await battleMapBrowserBench({ web: api.replace(/\/api$/, ''), username: 'office', password: TEST_PASSWORD, cold, warm });
      const loadAfter = loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
      console.log(
        `\nbattle map in headless Chromium as the project office, ${projects} projects, ${cpus().length} cores, load average ${loadBefore} before, ${loadAfter} after;` +
          ` ${cold} cold loads (fresh context each) and ${warm} warm; ms from navigation start, p50 / p95 / max:\n`,
      );
      console.log('| route | load | first rows committed | chart drawn | /api/battle-map sent | its answer ended | JS fetched (KB) | JS run (KB) |');
      console.log('|---|---|---:|---:|---:|---:|---:|---:|');
      const f = (s: { p50: number; p95: number; max: number }) => `${s.p50} / ${s.p95} / ${s.max}`;
      for (const r of b)
        console.log(`| ${r.route} | ${r.load} ×${r.runs} | ${f(r.rows)} | ${f(r.chart)} | ${f(r.apiStart)} | ${f(r.apiEnd)} | ${r.jsTransferredKb} | ${r.jsLoadedKb} |`);
      record.battleMapBrowser = { projects, cold, warm, loadBefore, loadAfter, routes: b };
      save();
      if (process.env.BENCH_JSON)
        writeFileSync(
          process.env.BENCH_JSON,
          JSON.stringify({ at: new Date().toISOString(), cores: cpus().length, loadBefore, loadAfter, projects, battleMapApi: m.rows, battleMapBrowser: b }, null, 2),
        );
    }

    /** A burst with the worker, Temporal or PostgreSQL restarted in its middle, on a stack of its own (Temporal on a SQLite file). */
    async function faultsPart(): Promise<void> {
      const kinds = (process.env.BENCH_FAULTS ?? 'worker,temporal,postgres').split(',').filter(Boolean) as FaultKind[];
      const fn = Number(process.env.BENCH_FAULT_MATTERS ?? 200);
      if (!kinds.length || fn <= 0 || !policy) return;
      const faults: FaultResult[] = [];
      for (const kind of kinds) {
        if (kind === 'postgres' && !restartPostgres) {
          console.log('\nfault postgres: skipped (the bench restarts only its embedded PostgreSQL)');
          continue;
        }
        const s = await startRealStack(db.url, { env: { RATE_LIMIT_PER_MINUTE: '100000' }, persistentTemporal: true });
        try {
          const t = await loginAs(s.api, 'office', TEST_PASSWORD);
          const r = await faultBurst({ kind, n: fn, stack: s, ds: db.ds, api: s.api, token: t, projectId: county.projectId, policyId: policy.body.id, restartPostgres });
          console.log(
            `\nfault ${kind}: ${fn} due at one instant, ${r.escalatedBeforeFault} escalated when it struck 300 ms after; down ${r.downMs} ms;` +
              ` restart → last escalation ${r.restartToLastMs} ms (due instant → last ${r.dueToLastMs} ms);` +
              ` lost ${r.lost}, escalated twice ${r.escalatedTwice}, notices twice ${r.duplicateNotices}, numbers consecutive ${r.numbersConsecutive}`,
          );
          faults.push({ ...r });
          record.faults = faults;
          save();
          if (r.lost || r.escalatedTwice || r.duplicateNotices || !r.numbersConsecutive) throw new Error(`fault ${kind}: a matter was lost or doubled (see above)`);
        } finally {
          await s.stop();
        }
      }
    }
  } finally {
    for (const c of cleanup) await c().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function printPeer(p: PeerResult): void {
  const o = p.options;
  console.log(
    `\npg-boss 12, ${p.setting} (batchSize ${o.batchSize ?? 1}, poll ${o.pollingIntervalSeconds ?? 2} s, ${o.localConcurrency ?? 1} worker(s)${o.burstWhenBatchFull ? ', no wait after a full batch' : ''}), same PostgreSQL, ${cpus().length} cores:`,
  );
  const b = p.burst;
  if (b) {
    console.log(
      `  burst of ${b.n} due at one instant, load average ${b.machine.loadavg.join(' ')}: ${b.done} stored${b.done < b.n ? ` within the ${b.limitSeconds} s limit` : ''} (${b.perSecond} per second)`,
    );
    console.log(`    due instant → notices stored${b.done < b.n ? `, the first ${b.done}` : ''}: ${f3(b.delayMs)}`);
    if (b.extrapolatedMs) console.log(`    all ${b.n} at that rate (extrapolated, not measured): ${f3(b.extrapolatedMs)}`);
  }
  if (p.lone) console.log(`  lone deadlines (${p.lone.probes}, one at a time), load average ${p.lone.machine.loadavg.join(' ')}: ${f3(p.lone.delayMs)}`);
}

function report(systems: SystemDelays[], n: number, peerBurst: number, probes: number): void {
  if (systems.length < 2 && !systems[0].burst && !systems[0].lone) return;
  console.log(`\nDuban beside the peer (notice stored − due instant; ≈: extrapolated):\n`);
  for (const line of comparisonTable(systems, sizes(n, peerBurst, probes, systems.length > 1))) console.log(line);
  for (const s of systems) if (s.note) console.log(`  ${s.system}: ${s.note}`);
}

function sizes(n: number, peerBurst: number, probes: number, peer: boolean): { burst: string; lone: string } {
  return { burst: peer && n !== peerBurst ? `Duban ${n}, pg-boss ${peerBurst}` : `${n || peerBurst} at once`, lone: `${probes} probes` };
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
