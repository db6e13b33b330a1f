/**
 * The battle map (GET /api/battle-map) over many projects (shared by
 * `npm run bench`): seeds N projects with their milestone plans, liaison
 * leaders, this year's investment and open blockers straight into the read
 * model, then times the map's usual queries over HTTP.
 *
 * The seeded projects (codes 2026-341122-48-03-000001…) have no workflows: the
 * map reads only the read model, and computes colours at read time.
 */
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';

export interface BattleMapBenchRow {
  query: string;
  /** Milliseconds, nearest rank over the timed runs. */
  p50: number;
  p95: number;
  p99: number;
  /** The `total` the map answered (projects matching the filter). */
  total: number;
}

const CODE_PREFIX = '2026-341122-48-03-';
const BATCH = 5000;
const WARM_UP = 2;
/** Timed runs per query (BENCH_MAP_RUNS): a p99 needs at least a hundred. */
const RUNS = Number(process.env.BENCH_MAP_RUNS ?? 100);

/**
 * Seeds projects `lo`..`hi` (1-based). Per project i:
 * - category cycles over the six; every other project lies in the township;
 * - every 10th has the leader as its liaison leader;
 * - current stage i % 5 (earlier stages done, later ones pending);
 * - the active stage is overdue for i % 20 = 0 (red, 5 %), due within 10 days
 *   for i % 20 in 1..2 (yellow, 10 %), else due 30 days or more ahead (green);
 * - an annual plan for this year, a completed-investment report for every 5th,
 *   an open blocker for every 10th.
 */
export async function seedBatch(ds: DataSource, o: { unitId: string; townshipId: string; leaderId: string }, lo: number, hi: number, year: number): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query(
      `INSERT INTO project (code, name, category, responsible_unit_id, owner, township_id, total_investment)
       SELECT $3 || lpad(i::text, 6, '0'), '压测项目' || i,
              (ARRAY['industry','infrastructure','social','urban','agriculture','other'])[1 + i % 6],
              $4, '业主单位' || (i % 97), CASE WHEN i % 2 = 0 THEN $5::uuid END, 1000 + (i % 500) * 100
         FROM generate_series($1::int, $2::int) AS i`,
      [lo, hi, CODE_PREFIX, o.unitId, o.townshipId],
    );
    // The batch's projects with their number i.
    const batch = `SELECT id, substr(code, 19)::int AS i FROM project WHERE code BETWEEN $1 || lpad($2::text, 6, '0') AND $1 || lpad($3::text, 6, '0')`;
    const args = [CODE_PREFIX, lo, hi];
    await m.query(`INSERT INTO project_liaison_leader (project_id, person_id) SELECT b.id, $4 FROM (${batch}) b WHERE b.i % 10 = 0`, [...args, o.leaderId]);
    await m.query(
      `INSERT INTO project_lifecycle (project_id, workflow_id, revision, confirm_completion, current_stage, last_seq, updated_at)
       SELECT b.id, 'lifecycle-' || b.id, 1, false, (ARRAY['planning','approval','land','start','completion'])[1 + b.i % 5], 1, now() FROM (${batch}) b`,
      args,
    );
    await m.query(
      `INSERT INTO project_stage (project_id, stage, position, state, due_on, due_at, warn_at, starts_on, activated_at, done_at, completed_on)
       SELECT b.id, st.stage, k.pos, s.state, (d.due_at AT TIME ZONE 'Asia/Shanghai')::date, d.due_at, d.due_at - interval '10 days',
              CASE WHEN s.state <> 'pending' THEN (d.due_at - interval '60 days')::date END,
              CASE WHEN s.state <> 'pending' THEN d.due_at - interval '60 days' END,
              CASE WHEN s.state = 'done' THEN d.due_at - interval '5 days' END,
              CASE WHEN s.state = 'done' THEN (d.due_at - interval '5 days')::date END
         FROM (${batch}) b
        CROSS JOIN unnest(ARRAY['planning','approval','land','start','completion']) WITH ORDINALITY AS st(stage, ord)
        CROSS JOIN LATERAL (SELECT (st.ord - 1)::smallint AS pos, b.i % 5 AS current) k
        CROSS JOIN LATERAL (SELECT CASE WHEN k.pos < k.current THEN 'done' WHEN k.pos = k.current THEN 'active' ELSE 'pending' END AS state) s
        CROSS JOIN LATERAL (
          SELECT date_trunc('day', now()) + interval '18 hours'
                 + CASE WHEN b.i % 20 = 0 THEN -(1 + b.i % 30) WHEN b.i % 20 IN (1, 2) THEN 1 + b.i % 9 ELSE 30 + b.i % 200 END * interval '1 day'
                 + (k.pos - k.current) * interval '60 days' AS due_at) d`,
      args,
    );
    await m.query(`INSERT INTO investment_plan (project_id, year, amount, set_by) SELECT b.id, $4, 500 + (b.i % 300) * 10, $5 FROM (${batch}) b`, [...args, year, o.leaderId]);
    await m.query(
      `INSERT INTO investment_report (project_id, year, month, completed, reported_by)
       SELECT b.id, $4, mo, (b.i % 300) * mo, $5 FROM (${batch}) b CROSS JOIN generate_series(1, 2) AS mo WHERE b.i % 5 = 0`,
      [...args, year, o.leaderId],
    );
    await m.query(
      `INSERT INTO blocker (id, project_id, responsible_unit_id, category, severity, title, reported_by, reported_at, policy_rungs, status, rung, rung_index,
                            due_at, warn_at, workflow_id, updated_at, last_seq)
       SELECT gen_random_uuid(), b.id, $4, (ARRAY['relocation','funding','approval','other'])[1 + b.i % 4], 'normal', '压测问题' || b.i, NULL, now() - interval '3 days',
              '[{"rung":"unit","responseTime":"P5D"},{"rung":"liaison","responseTime":"P5D"},{"rung":"county","responseTime":"P7D"}]', 'open', 'unit', 0,
              now() + (b.i % 15 - 5) * interval '1 day', now() + (b.i % 15 - 6) * interval '1 day', 'bench-blocker-' || b.id, now(), 1
         FROM (${batch}) b WHERE b.i % 10 = 0`,
      [...args, o.unitId],
    );
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function battleMapBench(o: {
  api: string;
  token: string;
  ds: DataSource;
  unitId: string;
  townshipId: string;
  leaderId: string;
  n: number;
}): Promise<{ rows: BattleMapBenchRow[]; seedMs: number }> {
  const year = Number((await o.ds.query(`SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int AS y`))[0].y);
  const seedStarted = performance.now();
  for (let lo = 1; lo <= o.n; lo += BATCH) await seedBatch(o.ds, o, lo, Math.min(o.n, lo + BATCH - 1), year);
  // What autovacuum would do shortly after a bulk import: planner statistics for the new rows.
  await o.ds.query(`ANALYZE project, project_liaison_leader, project_lifecycle, project_stage, investment_plan, investment_report, blocker`);
  const seedMs = performance.now() - seedStarted;

  const queries: [string, string][] = [
    ['no filter, page 1', 'page=1&pageSize=50'],
    ['colour=red', 'colour=red&pageSize=50'],
    ['colour=yellow', 'colour=yellow&pageSize=50'],
    ['category=industry', 'category=industry&pageSize=50'],
    ['townshipId', `townshipId=${o.townshipId}&pageSize=50`],
    ['liaisonLeaderId', `liaisonLeaderId=${o.leaderId}&pageSize=50`],
    ['stage=approval', 'stage=approval&pageSize=50'],
    ['deep page (page=300)', 'page=300&pageSize=50'],
    ['colour=green & category=industry & townshipId & stage=approval, page 2', `colour=green&category=industry&townshipId=${o.townshipId}&stage=approval&page=2&pageSize=50`],
  ];
  const rows: BattleMapBenchRow[] = [];
  for (const [label, qs] of queries) {
    const url = `${o.api}/battle-map?${qs}`;
    const times: number[] = [];
    let total = -1;
    for (let k = 0; k < WARM_UP + RUNS; k++) {
      const t0 = performance.now();
      const res = await fetch(url, { headers: { authorization: `Bearer ${o.token}` } });
      const text = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`GET /battle-map?${qs}: ${res.status} ${text.slice(0, 500)}`);
      const body = JSON.parse(text) as { total: number; items: unknown[] };
      if (typeof body.total !== 'number' || !Array.isArray(body.items)) throw new Error(`GET /battle-map?${qs}: unexpected body ${text.slice(0, 500)}`);
      total = body.total;
      if (k >= WARM_UP) times.push(ms);
    }
    times.sort((a, b) => a - b);
    rows.push({ query: label, p50: Math.round(percentile(times, 50)), p95: Math.round(percentile(times, 95)), p99: Math.round(percentile(times, 99)), total });
  }
  return { rows, seedMs };
}
