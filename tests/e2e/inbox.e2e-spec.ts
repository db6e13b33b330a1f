/**
 * The inbox as people use it, on the real stack (PostgreSQL, the Temporal dev
 * server, the compiled worker and API): mark one read, read all, counts per
 * kind, unreadOnly that filters, other people's notices refused with nothing
 * changed, 签收 through an escalation notice is the matter's acknowledgement
 * (and the other way round), and the live stream (SSE) delivering a new notice
 * within 1 s of its being stored, with tickets that work once.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { RealStack, eventually, http, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(240_000);

let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let api: string;
let slowPolicyId: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase('inbox');
  county = await seedSmallCounty(db.ds);
  await smallCountyAccounts(db.ds, county);
  stack = await startRealStack(db.url, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', RATE_LIMIT_PER_MINUTE: '100000' } });
  api = stack.api;
  for (const u of ['head', 'staff', 'liaison', 'county', 'office', 'other']) tokens[u] = await loginAs(api, u, TEST_PASSWORD);
  // Nothing moves by itself during the test: every rung has thirty days.
  const p = await as('office').post('/escalation-policies', { ...policy('inbox-slow'), rungs: rungs('P30D', 'P30D') });
  expect(p.status).toBe(201);
  slowPolicyId = p.body.id;
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const as = (user: string) => ({
  get: (path: string) => http('GET', `${api}${path}`, undefined, tokens[user]),
  post: (path: string, body?: unknown) => http('POST', `${api}${path}`, body ?? {}, tokens[user]),
});
const policy = (name: string) => ({ name, severity: 'normal', automatic: false });
const rungs = (unit: string, liaison: string) => [
  { rung: 'unit', responseTime: unit },
  { rung: 'liaison', responseTime: liaison },
  { rung: 'county', responseTime: 'P30D' },
];
const count = async (table: string, where = 'TRUE', params: unknown[] = []) => Number((await db.ds.query(`SELECT count(*) FROM ${table} WHERE ${where}`, params))[0].count);
let seq = 0;

/** A matter reported by the office on the slow policy; resolves when the unit's 'assigned' notices are stored. */
async function report(policyId = slowPolicyId): Promise<string> {
  const b = await as('office').post(`/projects/${county.projectId}/blockers`, { category: 'funding', title: `资金问题 ${++seq}`, policyId });
  expect(b.status).toBe(201);
  await eventually('assigned notices', async () => (await count('notice', `blocker_id = $1 AND kind = 'assigned'`, [b.body.id])) >= 2, 20_000);
  return b.body.id;
}

/** A matter that climbs to `rung` within seconds (its lower rungs last 1 s); its escalation notices ask for 签收. */
async function escalatedTo(rung: 'liaison' | 'county'): Promise<string> {
  const p = await as('office').post('/escalation-policies', { ...policy(`inbox-to-${rung}-${++seq}`), rungs: rungs('PT1S', rung === 'county' ? 'PT1S' : 'P30D') });
  expect(p.status).toBe(201);
  const id = await report(p.body.id);
  await eventually(`escalation notices on ${rung}`, async () => (await count('notice', `blocker_id = $1 AND kind = 'escalation' AND rung = $2`, [id, rung])) > 0, 30_000);
  // The delivery planner (libs/notices, issue 12 item 3) marks escalation notices ack_required when it stores them; set
  // here as well so this file does not depend on it (idempotent once it does).
  await db.ds.query(`UPDATE notice SET ack_required = true WHERE blocker_id = $1 AND kind = 'escalation'`, [id]);
  return id;
}

/** Where `value` breaks an OpenAPI 3.0 object schema of plain fields (types, nullable, required, nested objects). */
function mismatches(schema: any, value: any, path = ''): string[] {
  if (value === null) return schema.nullable ? [] : [`${path}: null`];
  const type = Array.isArray(value) ? 'array' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
  if (schema.type && schema.type !== type && !(schema.type === 'number' && type === 'integer')) return [`${path}: ${type}, not ${schema.type}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${path}: ${value} not in the enum`];
  if (type !== 'object') return [];
  const missing = (schema.required ?? []).filter((k: string) => !(k in value)).map((k: string) => `${path}.${k}: missing`);
  return [...missing, ...Object.entries(schema.properties ?? {}).flatMap(([k, sub]) => (k in value ? mismatches(sub, value[k], `${path}.${k}`) : []))];
}

const personId = async (username: string): Promise<string> => (await db.ds.query(`SELECT person_id FROM account WHERE username = $1`, [username]))[0].person_id;

describe('reading the inbox', () => {
  test('counts per kind, unreadOnly that filters, mark one read (once), read all (by kind, then the rest)', async () => {
    const staff = await personId('staff');
    const [b1] = [await report(), await report()];
    expect((await as('office').post(`/blockers/${b1}/remind`, { text: '请尽快办理' })).status).toBe(200);
    await eventually('remind notice', async () => (await count('notice', `recipient_id = $1 AND kind = 'remind'`, [staff])) === 1, 20_000);

    const counts = await as('staff').get('/notices/unread-counts');
    expect(counts.status).toBe(200);
    expect(counts.body).toEqual({ total: 3, urgent: 0, byKind: { assigned: 2, remind: 1 }, ackPending: 0 });

    const all = await as('staff').get('/notices');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    const first = all.body.items[0];
    expect(first).toMatchObject({ kind: 'remind', recipientId: staff, readAt: null, blockerId: b1, projectId: county.projectId, projectName: '城南污水处理厂扩建工程' });
    expect(first.blockerTitle).toMatch(/^资金问题/);
    expect(first.deputyFor).toBeNull();
    expect(first.acknowledge).toBeNull();
    expect((await as('staff').get('/notices?kind=assigned')).body.total).toBe(2);

    // Mark one read: read once, at the first time; one audit row.
    const read = await as('staff').post(`/notices/${first.id}/read`, { reason: '已阅' });
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    const again = await as('staff').post(`/notices/${first.id}/read`);
    expect(again.status).toBe(200);
    expect(again.body.readAt).toBe(read.body.readAt);
    expect(await count('audit_log', `action = 'notice.read' AND target_id = $1`, [first.id])).toBe(1);

    // unreadOnly really filters now, here and on the project office's view of a person's inbox.
    const unread = await as('staff').get('/notices?unreadOnly=true');
    expect(unread.body.total).toBe(2);
    expect(unread.body.items.map((n: { id: string }) => n.id)).not.toContain(first.id);
    expect((await as('staff').get(`/people/${staff}/notices?unreadOnly=true`)).body.total).toBe(2);
    expect((await as('office').get(`/people/${staff}/notices?unreadOnly=true`)).body.total).toBe(2);
    expect((await as('staff').get('/notices/unread-counts')).body).toEqual({ total: 2, urgent: 0, byKind: { assigned: 2 }, ackPending: 0 });

    // Read all of one kind that has none unread: nothing; then everything.
    expect((await as('staff').post('/notices/read-all', { kind: 'remind' })).body).toEqual({ marked: 0 });
    expect((await as('staff').post('/notices/read-all', { before: new Date(Date.now() - 3600_000).toISOString() })).body).toEqual({ marked: 0 });
    const rest = await as('staff').post('/notices/read-all', { reason: '批量已阅' });
    expect(rest.status).toBe(200);
    expect(rest.body).toEqual({ marked: 2 });
    expect((await as('staff').get('/notices/unread-counts')).body).toEqual({ total: 0, urgent: 0, byKind: {}, ackPending: 0 });
    expect((await as('staff').get('/notices?unreadOnly=true')).body.total).toBe(0);
    const audit = await db.ds.query(`SELECT actor_id, after, reason FROM audit_log WHERE action = 'notice.read_all'`);
    expect(audit).toEqual([{ actor_id: staff, after: { marked: 2 }, reason: '批量已阅' }]);
    // The head of the unit got the same notices and has read none of them.
    expect((await as('head').get('/notices/unread-counts')).body.total).toBe(3);
  });

  test('filters are checked: a kind that does not exist, a bad flag, a bad instant, a bad id', async () => {
    expect((await as('staff').get('/notices?kind=nonsense')).status).toBe(400);
    expect((await as('staff').get('/notices?urgent=maybe')).status).toBe(400);
    expect((await as('staff').post('/notices/read-all', { before: '2026-13-45' })).status).toBe(400);
    expect((await as('staff').post(`/notices/not-a-uuid/read`)).status).toBe(400);
  });

  test("another person's notice is not found, and nothing changes", async () => {
    const head = await personId('head');
    const [notice] = await db.ds.query(`SELECT id FROM notice WHERE recipient_id = $1 AND read_at IS NULL ORDER BY created_at LIMIT 1`, [head]);
    const before = [await count('notice', 'read_at IS NOT NULL'), await count('notice', 'acknowledged_at IS NOT NULL'), await count('audit_log')];
    for (const user of ['staff', 'other', 'office']) {
      const r = await as(user).post(`/notices/${notice.id}/read`);
      expect({ user, status: r.status }).toEqual({ user, status: 404 });
      expect(r.body.message).toContain('通知不存在');
      expect((await as(user).post(`/notices/${notice.id}/acknowledge`)).status).toBe(404);
    }
    expect((await as('staff').post(`/notices/00000000-0000-4000-8000-000000000000/read`)).status).toBe(404);
    expect([await count('notice', 'read_at IS NOT NULL'), await count('notice', 'acknowledged_at IS NOT NULL'), await count('audit_log')]).toEqual(before);
    // Reading all of one's own never touches another's.
    await as('other').post('/notices/read-all');
    expect((await db.ds.query(`SELECT read_at FROM notice WHERE id = $1`, [notice.id]))[0].read_at).toBeNull();
  });
});

describe('签收 (acknowledgement) through a notice', () => {
  test('acknowledging an escalation notice acknowledges the matter, once', async () => {
    const liaison = await personId('liaison');
    const blockerId = await escalatedTo('liaison');
    const pending = await as('liaison').get('/notices?ackPending=true&kind=escalation');
    expect(pending.status).toBe(200);
    const notice = pending.body.items.find((n: { blockerId: string }) => n.blockerId === blockerId);
    expect(notice.acknowledge).toEqual({ blockerId, acknowledged: false, href: `/api/notices/${notice.id}/acknowledge` });
    expect(notice.documentNo).toMatch(/^督办〔\d{4}〕\d+号$/);
    const owed = (await as('liaison').get('/notices/unread-counts')).body.ackPending;
    expect(owed).toBeGreaterThan(0);

    const ack = await http('POST', `${new URL(api).origin}${notice.acknowledge.href}`, {}, tokens.liaison);
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgedAt).not.toBeNull();
    expect(ack.body.readAt).not.toBeNull();
    expect(ack.body.acknowledge).toEqual({ blockerId, acknowledged: true, href: notice.acknowledge.href });
    const blocker = (await as('liaison').get(`/blockers/${blockerId}`)).body;
    expect(blocker.acknowledgedBy).toContain(liaison);
    expect(blocker.events.filter((e: { type: string }) => e.type === 'acknowledged')).toHaveLength(1);
    expect((await as('liaison').get('/notices/unread-counts')).body.ackPending).toBe(owed - 1);

    // Again: the same answer, no second acknowledgement of the matter.
    const again = await as('liaison').post(`/notices/${notice.id}/acknowledge`);
    expect(again.status).toBe(200);
    expect(again.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);
    const after = (await as('liaison').get(`/blockers/${blockerId}`)).body;
    expect(after.events.filter((e: { type: string }) => e.type === 'acknowledged')).toHaveLength(1);
    expect(await count('audit_log', `action = 'notice.acknowledge' AND target_id = $1`, [notice.id])).toBeLessThanOrEqual(1);
    expect(await count('audit_log', `action = 'blocker.acknowledged' AND target_id = $1`, [blockerId])).toBe(1);
  });

  test('acknowledging the matter itself acknowledges the notices, the deputy’s copy (代) too', async () => {
    const countyLeader = await personId('county');
    const deputy = await personId('head'); // not on the county rung himself
    const blockerId = await escalatedTo('county');
    const [original] = await db.ds.query(`SELECT * FROM notice WHERE blocker_id = $1 AND kind = 'escalation' AND recipient_id = $2`, [blockerId, countyLeader]);
    // A deputy's copy as delegation (代理) stores it: to the deputy, for the leader.
    const [copy] = await db.ds.query(
      `INSERT INTO notice (event_id, blocker_id, recipient_id, channel, kind, rung, title, body, title_en, body_en, document_no, created_at, ack_required, deputy_for)
       SELECT event_id, blocker_id, $2, 'inbox', kind, rung, title, body, title_en, body_en, document_no, created_at, true, recipient_id FROM notice WHERE id = $1
       RETURNING id`,
      [original.id, deputy],
    );
    const shown = (await as('head').get('/notices?ackPending=true')).body.items.find((n: { id: string }) => n.id === copy.id);
    expect(shown.deputyFor).toEqual({ personId: countyLeader, name: '县长丁' });
    // The answers match the document, with and without 代 and 签收.
    const doc = (await http('GET', `${api}/docs-json`)).body;
    const schema = doc.components.schemas.InboxNoticeAnswer;
    const all = (await as('head').get('/notices?pageSize=200')).body.items;
    expect(all.some((n: { deputyFor: unknown }) => n.deputyFor === null)).toBe(true);
    for (const n of all) expect(mismatches(schema, n)).toEqual([]);

    expect((await as('county').post(`/blockers/${blockerId}/acknowledge`)).status).toBe(200);
    const rows = await db.ds.query(`SELECT id, acknowledged_at, read_at FROM notice WHERE id = ANY($1::uuid[])`, [[original.id, copy.id]]);
    for (const r of rows) expect(r.acknowledged_at).not.toBeNull();
    for (const r of rows) expect(r.read_at).not.toBeNull();
    // The other county leader has not acknowledged: their notice still asks.
    const [others] = await db.ds.query(`SELECT acknowledged_at FROM notice WHERE blocker_id = $1 AND kind = 'escalation' AND recipient_id = $2`, [blockerId, county.leader]);
    expect(others.acknowledged_at).toBeNull();
    // 签收 through the notice now: already done on the matter, answered as it is.
    const through = await as('county').post(`/notices/${original.id}/acknowledge`);
    expect(through.status).toBe(200);
    expect(through.body.acknowledge.acknowledged).toBe(true);
  });

  test('a notice that asks for no acknowledgement refuses 签收 with 409, nothing changed', async () => {
    const head = await personId('head');
    const [assigned] = await db.ds.query(`SELECT id FROM notice WHERE recipient_id = $1 AND kind = 'assigned' AND read_at IS NULL LIMIT 1`, [head]);
    const events = await count('blocker_event');
    const r = await as('head').post(`/notices/${assigned.id}/acknowledge`);
    expect(r.status).toBe(409);
    expect(r.body.message).toBe('该通知无需签收（只有督办通知需要签收）');
    expect(r.body.messageEn).toMatch(/does not ask for acknowledgement/);
    expect(await count('blocker_event')).toBe(events);
    expect((await db.ds.query(`SELECT read_at, acknowledged_at FROM notice WHERE id = $1`, [assigned.id]))[0]).toEqual({ read_at: null, acknowledged_at: null });
  });
});

/** A Server-Sent Events client over fetch, stamping each event's arrival. */
class SseClient {
  readonly events: { event: string; id?: string; data: any; at: number }[] = [];
  readonly comments: string[] = [];
  status = 0;
  contentType: string | null = null;
  private readonly abort = new AbortController();
  private waiters: (() => void)[] = [];

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const c = new SseClient();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: c.abort.signal });
    c.status = res.status;
    c.contentType = res.headers.get('content-type');
    if (res.status === 200) void c.read(res.body!);
    else await res.text();
    return c;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const at = performance.timeOrigin + performance.now();
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) this.comments.push(line);
            const i = line.indexOf(':');
            if (i > 0) fields[line.slice(0, i)] = line.slice(i + 1).trimStart();
          }
          if (fields.data !== undefined) this.events.push({ event: fields.event ?? 'message', id: fields.id, data: JSON.parse(fields.data), at });
          this.waiters.splice(0).forEach((w) => w());
        }
      }
    } catch {
      // aborted
    }
  }

  /** Waits for an event matching `pred` (already arrived or still to come). */
  async next(pred: (e: SseClient['events'][number]) => boolean, timeoutMs = 15_000): Promise<SseClient['events'][number]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such event within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  close(): void {
    this.abort.abort();
  }
}

describe('the live stream (SSE)', () => {
  const streamUrl = (q = '') => `${api}/notices/stream${q}`;
  const ticketFor = async (user: string): Promise<string> => {
    const t = await as(user).post('/notices/stream-tickets');
    expect(t.status).toBe(201);
    expect(Date.parse(t.body.expiresAt) - Date.now()).toBeLessThanOrEqual(61_000);
    return t.body.ticket;
  };

  test('a new notice arrives within 1 s of being stored; counts follow reads; Last-Event-ID replays', async () => {
    const staff = await personId('staff');
    // The measure: this test's own LISTEN on the channel the notice's insert trigger notifies.
    const listen = new Client({ connectionString: db.url });
    await listen.connect();
    const stored = new Map<string, number>();
    listen.on('notification', (m) => {
      const p = JSON.parse(m.payload ?? '{}');
      if (p.recipientId === staff) stored.set(p.id, performance.timeOrigin + performance.now());
    });
    await listen.query('LISTEN duban_notice');
    await as('staff').post('/notices/read-all');
    const sse = await SseClient.open(streamUrl(`?ticket=${encodeURIComponent(await ticketFor('staff'))}`));
    try {
      expect(sse.status).toBe(200);
      expect(sse.contentType).toMatch(/^text\/event-stream/);
      const opening = await sse.next((e) => e.event === 'counts');
      expect(opening.data).toMatchObject({ total: 0, ackPending: 0 });

      const blockerId = await report();
      const [notice] = await db.ds.query(`SELECT id FROM notice WHERE blocker_id = $1 AND recipient_id = $2`, [blockerId, staff]);
      const pushed = await sse.next((e) => e.event === 'notice' && e.id === notice.id);
      await eventually('the test’s own LISTEN', async () => stored.has(notice.id), 5000);
      const latency = pushed.at - stored.get(notice.id)!;
      console.log(`SSE: notice ${notice.id} on the stream ${latency.toFixed(1)} ms after PostgreSQL notified its insert`);
      expect(latency).toBeLessThan(1000);
      expect(pushed.data).toMatchObject({ id: notice.id, kind: 'assigned', blockerId, projectName: '城南污水处理厂扩建工程', readAt: null });
      await sse.next((e) => e.event === 'counts' && e.data.total === 1 && e.data.byKind.assigned === 1);

      // Reading it (here or on any API process) refreshes the counts on the stream.
      expect((await as('staff').post(`/notices/${notice.id}/read`)).status).toBe(200);
      await sse.next((e) => e.event === 'counts' && e.data.total === 0 && e.at > pushed.at);

      // A second notice, then a client reconnecting with the first one's id gets the second again.
      const second = await report();
      const [n2] = await db.ds.query(`SELECT id FROM notice WHERE blocker_id = $1 AND recipient_id = $2`, [second, staff]);
      await sse.next((e) => e.event === 'notice' && e.id === n2.id);
      const again = await SseClient.open(streamUrl(), { authorization: `Bearer ${tokens.staff}`, 'last-event-id': notice.id });
      try {
        expect(again.status).toBe(200);
        const replayed = await again.next((e) => e.event === 'notice');
        expect(replayed.id).toBe(n2.id);
        await again.next((e) => e.event === 'counts');
      } finally {
        again.close();
      }
      // Nobody else's notices on this stream.
      const others = await db.ds.query(`SELECT id FROM notice WHERE recipient_id <> $1`, [staff]);
      const mine = new Set(sse.events.filter((e) => e.event === 'notice').map((e) => e.id));
      expect(others.filter((o: { id: string }) => mine.has(o.id))).toEqual([]);
    } finally {
      sse.close();
      await listen.end();
    }
  });

  test('the API’s LISTEN connection lost: it comes back, the stream gets fresh counts and the notices stored meanwhile', async () => {
    const staff = await personId('staff');
    const listeners = async () =>
      Number((await db.ds.query(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'duban-api-listen' AND datname = current_database()`))[0].count);
    const sse = await SseClient.open(streamUrl(`?ticket=${encodeURIComponent(await ticketFor('staff'))}`));
    try {
      const opened = await sse.next((e) => e.event === 'counts');
      // Cut the API's listening connection (as a database restart or a dropped connection would), and store a
      // notice at once: the API comes back 250 ms later at the earliest, so this one's NOTIFY never reaches it.
      const [{ n }] = await db.ds.query(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'duban-api-listen' AND datname = current_database()`,
      );
      expect(n).toBe(1);
      const [missed] = await db.ds.query(
        `INSERT INTO notice (project_id, source_key, recipient_id, kind, rung, title, body, title_en, body_en)
         VALUES ($1, 'test:missed', $2, 'stage_warning', 'unit', '阶段预警', '项目阶段即将到期', 'Stage warning', 'A stage is due soon') RETURNING id`,
        [county.projectId, staff],
      );
      const replayed = await sse.next((e) => e.event === 'notice' && e.id === missed.id, 20_000);
      expect(replayed.data).toMatchObject({ kind: 'stage_warning', blockerId: null, projectName: '城南污水处理厂扩建工程' });
      await sse.next((e) => e.event === 'counts' && e.at >= replayed.at && e.data.byKind.stage_warning === 1, 20_000);
      await eventually('listening again', async () => (await listeners()) === 1, 20_000);
      // And live again: the next notice comes as it is stored.
      const blockerId = await report();
      const [notice] = await db.ds.query(`SELECT id FROM notice WHERE blocker_id = $1 AND recipient_id = $2`, [blockerId, staff]);
      await sse.next((e) => e.event === 'notice' && e.id === notice.id);
      expect(opened.at).toBeLessThan(replayed.at);
    } finally {
      sse.close();
    }
  });

  test('a stream opened without Last-Event-ID says where it starts, so a client that drops before any notice still gets what it missed', async () => {
    const other = await personId('other');
    const [newest] = await db.ds.query(`SELECT id FROM notice WHERE recipient_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, [other]);
    const first = await SseClient.open(streamUrl(`?ticket=${encodeURIComponent(await ticketFor('other'))}`));
    let start: string;
    try {
      start = (await first.next((e) => e.event === 'ready')).id!;
      expect(start).toEqual(newest ? newest.id : expect.stringMatching(/^t:\d{4}-\d{2}-\d{2}T/));
    } finally {
      first.close(); // dropped before any notice came
    }
    const [missed] = await db.ds.query(
      `INSERT INTO notice (project_id, source_key, recipient_id, kind, rung, title, body, title_en, body_en)
       VALUES ($1, 'test:missed-before-any', $2, 'stage_warning', 'unit', '阶段预警', '项目阶段即将到期', 'Stage warning', 'A stage is due soon') RETURNING id`,
      [county.projectId, other],
    );
    const again = await SseClient.open(streamUrl(`?ticket=${encodeURIComponent(await ticketFor('other'))}&lastEventId=${encodeURIComponent(start)}`));
    try {
      expect((await again.next((e) => e.event === 'notice')).id).toBe(missed.id);
      expect(again.events.some((e) => e.event === 'ready')).toBe(false); // a client that sent where it was keeps it
    } finally {
      again.close();
    }
  });

  test('the OpenAPI document tells the stream as text/event-stream with its events', async () => {
    const doc = (await http('GET', `${api}/docs-json`)).body;
    const ok = doc.paths['/api/notices/stream'].get.responses['200'];
    expect(ok.content['text/event-stream'].schema).toEqual({ type: 'string' });
    expect(ok.description).toMatch(/event: notice.*event: counts.*heartbeat.*Last-Event-ID/s);
    expect(doc.paths['/api/notices/stream'].get.responses['401'].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorBodyDto');
  });

  test('a ticket works once, within 60 s, for its own person; without one or a bearer token: 401', async () => {
    const ticket = await ticketFor('head');
    const first = await SseClient.open(streamUrl(`?ticket=${encodeURIComponent(ticket)}`));
    expect(first.status).toBe(200);
    first.close();
    const reused = await http('GET', streamUrl(`?ticket=${encodeURIComponent(ticket)}`));
    expect(reused.status).toBe(401);
    expect(reused.body.message).toContain('凭证无效');

    expect((await http('GET', streamUrl('?ticket=not-a-ticket'))).status).toBe(401);
    expect((await http('GET', streamUrl(`?ticket=${'A'.repeat(43)}`))).status).toBe(401);

    const expired = await ticketFor('head');
    await db.ds.query(`UPDATE stream_ticket SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    expect((await http('GET', streamUrl(`?ticket=${encodeURIComponent(expired)}`))).status).toBe(401);

    // A ticket of a session that logged out since is refused too.
    const login = await http('POST', `${api}/auth/login`, { username: 'other', password: TEST_PASSWORD });
    const loggedOut = (await http('POST', `${api}/notices/stream-tickets`, {}, login.body.accessToken)).body.ticket;
    expect((await http('POST', `${api}/auth/logout`, {}, login.body.accessToken)).status).toBeLessThan(300);
    expect((await http('GET', streamUrl(`?ticket=${encodeURIComponent(loggedOut)}`))).status).toBe(401);

    expect((await http('GET', streamUrl())).status).toBe(401);
    expect((await http('GET', streamUrl(), undefined, 'not-a-token')).status).toBe(401);
    // Only the hash is stored.
    expect(await count('stream_ticket', 'hash = $1', [ticket])).toBe(0);
    expect(await count('audit_log', `action = 'notice.stream_ticket'`)).toBeGreaterThanOrEqual(4);
  });
});
