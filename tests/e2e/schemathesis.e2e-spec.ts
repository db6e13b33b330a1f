/**
 * A property-based sweep of the whole OpenAPI document with schemathesis
 * (PyPI) against the real stack, as the project office: no answer is a 5xx,
 * every answer's status and content type are declared, and every answer
 * matches its declared schema. Bounded: a number of examples per operation
 * and a time budget (DUBAN_SCHEMATHESIS_SECONDS, default 75 s).
 *
 * Left out: logging out and changing the password of the account the sweep
 * runs as (they would end the sweep's own session), and the inbox's live stream
 * (an answer that never ends; tests/e2e/inbox.e2e-spec.ts covers it).
 * DUBAN_SCHEMATHESIS_SEED picks another seed; DUBAN_SCHEMATHESIS_EXAMPLES more
 * examples per operation; DUBAN_SCHEMATHESIS_ARGS adds arguments to `st run`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { schemathesisCommand } from '../support/schemathesis';
import { RealStack, http, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(420_000);

/** The sweep's own time budget (schemathesis --max-time stops it there); the child is killed a minute later. */
const SECONDS = Number(process.env.DUBAN_SCHEMATHESIS_SECONDS ?? 75);
const RUN_LIMIT_MS = (SECONDS + 60) * 1000;
const EXAMPLES = process.env.DUBAN_SCHEMATHESIS_EXAMPLES ?? '5';
const SEED = process.env.DUBAN_SCHEMATHESIS_SEED ?? '20261130';
const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance'];
const EXCLUDED = ['/api/auth/logout', '/api/auth/password', '/api/notices/stream'];

let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let command: string[];
let work: string;

beforeAll(async () => {
  command = schemathesisCommand((m) => console.log(m));
  work = mkdtempSync(join(tmpdir(), 'duban-schemathesis-'));
  db = await createTestDatabase('schemathesis');
  county = await seedSmallCounty(db.ds);
  await smallCountyAccounts(db.ds, county);
  stack = await startRealStack(db.url, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_PER_MINUTE: '1000000' } });
  // Something to find: a blocker, so reads of lists and items have content to check against their schemas.
  const office = await loginAs(stack.api, 'office', TEST_PASSWORD);
  expect((await http('POST', `${stack.api}/projects/${county.projectId}/blockers`, { category: 'funding', title: '资金缺口', description: '差额约300万元' }, office)).status).toBe(
    201,
  );
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((done) => {
    const child = spawn(command[0], [...command.slice(1), ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', PYTHONUNBUFFERED: '1' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, RUN_LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output, timedOut });
    });
  });
}

test('the whole OpenAPI document: no 5xx, every answer declared and matching its schema', async () => {
  const token = await loginAs(stack.api, 'office', TEST_PASSWORD);
  const r = await run([
    'run',
    `${stack.api}/docs-json`,
    '--header',
    `Authorization: Bearer ${token}`,
    '--checks',
    CHECKS.join(','),
    '--phases',
    'examples,coverage,fuzzing',
    '--max-examples',
    EXAMPLES,
    '--max-time',
    String(SECONDS),
    '--seed',
    SEED,
    // One worker: the machine is shared, and Hypothesis's lambda cache is not thread-safe.
    '--workers',
    '1',
    '--no-shrink',
    '--request-timeout',
    '20',
    ...EXCLUDED.flatMap((p) => ['--exclude-path', p]),
    // e.g. DUBAN_SCHEMATHESIS_ARGS="--report ndjson --report-dir /tmp/st" to see every request and answer.
    ...(process.env.DUBAN_SCHEMATHESIS_ARGS ?? '').split(' ').filter(Boolean),
  ]);
  const tail = r.output.split('\n').slice(-200).join('\n');
  if (r.timedOut) throw new Error(`schemathesis did not finish within ${RUN_LIMIT_MS / 1000} s:\n${tail}`);
  if (r.code !== 0) throw new Error(`schemathesis found problems (exit ${r.code}, seed ${SEED}):\n${tail}`);
  expect(r.output).toMatch(/API Operations:\s+Selected: \d+\/\d+\s+Tested: \d+/);
  const tested = Number(/Tested: (\d+)/.exec(r.output)?.[1]);
  expect(tested).toBeGreaterThan(90);
  // Its summary, without the "=== … in 98.3s ===" banners: CI reads a run's closing lines, and a banner of
  // schemathesis's own ("=== 5 warnings in 98.3s ===") reads there as a pytest run that executed no test.
  console.log(
    r.output
      .split('\n')
      .filter((l) => /Tested|generated|Coverage|Fuzzing|Examples|passed|warnings? in/.test(l))
      .map((l) => `[schemathesis] ${l.replace(/^\s*=+\s*|\s*=+\s*$/g, '').trim()}`)
      .join('\n'),
  );
});
