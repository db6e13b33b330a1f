/**
 * 1,000 matters due at the same instant, on the real stack (PostgreSQL, the
 * Temporal dev server, the compiled worker and API): every one escalates,
 * at its due instant, each with exactly its notices and one numbered
 * escalation notice. How fast is measured by `npm run bench`, not here.
 */
import { reportMatters, sameInstant } from '../bench/same-instant';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, createAccounts, seedSmallCounty } from '../support/fixtures';
import { RealStack, http, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(420_000);

const N = 1000;
const PILOT = 50;
let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let api: string;

beforeAll(async () => {
  db = await createTestDatabase('thousand');
  county = await seedSmallCounty(db.ds);
  await createAccounts(db.ds, { office: county.officer });
  stack = await startRealStack(db.url, { env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  api = stack.api;
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

test(`${N} matters due at the same instant all escalate, each with exactly its notices`, async () => {
  const token = await loginAs(api, 'office', TEST_PASSWORD);
  const rungs = [
    { rung: 'unit', responseTime: 'P30D' },
    { rung: 'liaison', responseTime: 'P30D' },
    { rung: 'county', responseTime: 'P30D' },
  ];
  const policy = await http('POST', `${api}/escalation-policies`, { name: '同时到期', severity: 'urgent', automatic: false, rungs }, token);
  // The due instant must leave time to report all N first. That takes 20–47 s alone on 2 cores and 78 s beside
  // the browser suite on a slow day, so a fixed lead either wastes minutes or is too short: a pilot of 50 matters
  // (another policy, due in 30 days, so they never escalate here) measures this run's reporting rate, and the lead
  // is three times what N would take at it (30 s to 300 s). sameInstant fails saying so if reporting outlasts it.
  const pilotPolicy = await http('POST', `${api}/escalation-policies`, { name: '试报', severity: 'urgent', automatic: false, rungs }, token);
  const far = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const pilotStarted = Date.now();
  await reportMatters({ api, token, projectId: county.projectId, policyId: pilotPolicy.body.id, title: '试报', dueAts: Array.from({ length: PILOT }, () => far) });
  const pilotMs = Date.now() - pilotStarted;
  const leadMs = Math.min(300_000, Math.max(30_000, Math.round((3 * pilotMs * N) / PILOT)));
  const result = await sameInstant({ api, token, ds: db.ds, projectId: county.projectId, policyId: policy.body.id, n: N, leadMs });
  console.log(`${N} matters reported in ${result.reportSeconds.toFixed(1)} s, due ${(leadMs / 1000).toFixed(0)} s after the first (pilot: ${PILOT} in ${pilotMs} ms)`);
  expect(result.allAtDueInstant).toBe(true);

  const perBlocker: { type: string; events: string; notices: string }[] = await db.ds.query(
    `SELECT string_agg(e.type, ',' ORDER BY e.seq) AS events,
            string_agg(e.type || ':' || (SELECT count(*) FROM notice n WHERE n.event_id = e.id), ',' ORDER BY e.seq) AS notices, '' AS type
       FROM blocker b JOIN blocker_event e ON e.blocker_id = b.id WHERE b.policy_id = $1 GROUP BY b.id`,
    [policy.body.id],
  );
  expect(perBlocker).toHaveLength(N);
  // reported: the unit's 2 people; escalated: the liaison leader + copies to the unit's 2.
  expect(new Set(perBlocker.map((b) => `${b.events}|${b.notices}`))).toEqual(new Set(['reported,escalated|reported:2,escalated:3']));
  const dupes = await db.ds.query(`SELECT event_id, recipient_id, channel FROM notice GROUP BY 1,2,3 HAVING count(*) > 1`);
  expect(dupes).toEqual([]);
  // One numbered escalation notice per matter, numbers unique and consecutive.
  const numbers: { no: string }[] = await db.ds.query(`SELECT document_no AS no FROM blocker_event WHERE type = 'escalated' ORDER BY document_no`);
  const serials = numbers.map((r) => Number(/〕(\d+)号$/.exec(r.no)![1])).sort((a, b) => a - b);
  expect(serials).toEqual(Array.from({ length: N }, (_, i) => i + 1));
});
