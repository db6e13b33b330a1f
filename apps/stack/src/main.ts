/**
 * `npm start`: the whole of Duban on one machine. Starts what is not given:
 * PostgreSQL (embedded) unless DATABASE_URL is set, the Temporal dev server
 * unless TEMPORAL_ADDRESS is set; then migrations, the worker and the API, and
 * seeds the demo county into an empty embedded database. One Ctrl-C stops all.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { loadConfig } from '../../../libs/config/src';
import { DataSource } from 'typeorm';
import { seedDemoCounty } from '../../../libs/demo/src/seed';
import { bootstrapAdministrator } from '../../../libs/identity/src/bootstrap';
import { dataSourceOptions, migrate } from '../../../libs/persistence/src/data-source';
import { LocalCredentials, localAuthSecret, localCredentials, saveLocalCredentials } from './local-secrets';
import { PROJECT_ROOT } from '../../../libs/temporal/src/binaries';
import { ensurePortFree, waitFor } from './ports';
import { spawnEmbeddedPostgres } from './postgres';
import { NodeChild, spawnNode } from './processes';
import { startTemporalDevServer } from './temporal-server';
import { type DemoReceivers, startDemoReceivers } from './demo-receivers';

const log = (m: string) => console.log(`[duban] ${m}`);
const stops: { name: string; stop: () => Promise<void> }[] = [];
let stopping = false;

async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  // Newest first: API and worker before the servers they use.
  for (const s of stops.reverse()) await s.stop().catch((e) => log(`${s.name} did not stop cleanly: ${e}`));
  log('stopped');
}

async function main(): Promise<void> {
  // Quiet children unless asked: the launcher prints what a person needs.
  const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn', ...process.env };
  const dataDir = env.DUBAN_DATA_DIR ?? join(PROJECT_ROOT, '.data');
  mkdirSync(dataDir, { recursive: true });
  const demoWanted = !process.argv.includes('--empty') && env.DUBAN_DEMO !== 'off';

  let embeddedDb = false;
  if (!env.DATABASE_URL) {
    const port = Number(env.DUBAN_PG_PORT ?? 54329);
    await ensurePortFree(port, 'DUBAN_PG_PORT');
    log(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${join(dataDir, 'postgres')})…`);
    const pg = await spawnEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port, database: 'duban', logFile: join(dataDir, 'postgres.log'), note: log });
    stops.push({ name: 'PostgreSQL', stop: pg.stop });
    env.DATABASE_URL = pg.url;
    embeddedDb = true;
  } else log('using PostgreSQL at DATABASE_URL');

  let uiUrl: string | null = null;
  if (!env.TEMPORAL_ADDRESS) {
    const port = Number(env.DUBAN_TEMPORAL_PORT ?? 7233);
    const uiPort = Number(env.DUBAN_TEMPORAL_UI_PORT ?? 8233);
    await ensurePortFree(port, 'DUBAN_TEMPORAL_PORT');
    await ensurePortFree(uiPort, 'DUBAN_TEMPORAL_UI_PORT');
    log(`starting the Temporal dev server on 127.0.0.1:${port}…`);
    const temporal = await startTemporalDevServer({ port, uiPort, dbFile: join(dataDir, 'temporal.sqlite'), logFile: join(dataDir, 'temporal.log'), log });
    stops.push({ name: 'Temporal', stop: temporal.stop });
    env.TEMPORAL_ADDRESS = temporal.address;
    uiUrl = temporal.uiUrl;
  } else log(`using Temporal at ${env.TEMPORAL_ADDRESS}`);

  if (!env.DUBAN_AUTH_SECRET) {
    if (!embeddedDb) throw new Error('DUBAN_AUTH_SECRET is required with an external DATABASE_URL (at least 32 random characters, e.g. `openssl rand -hex 32`)');
    const { secret, generated } = localAuthSecret(dataDir);
    env.DUBAN_AUTH_SECRET = secret;
    if (generated) log(`generated this installation's auth secret in ${join(dataDir, 'auth-secret')} (set DUBAN_AUTH_SECRET in production)`);
  }
  const cfg = loadConfig(env);
  await ensurePortFree(cfg.API_PORT, 'API_PORT');
  const applied = await migrate(cfg.DATABASE_URL);
  log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'schema is up to date');
  const creds = localCredentials(dataDir);
  const bootstrapped = await withDataSource(cfg.DATABASE_URL, (ds) => bootstrapAdministrator(ds, { username: 'admin', password: creds.password, mustChangePassword: !embeddedDb }));
  if (bootstrapped && !embeddedDb) log(`created the first administrator: admin / ${creds.password} (change it at the first login)`);

  const dist = join(__dirname, '..', '..');
  const children: NodeChild[] = [spawnNode('worker', join(dist, 'worker', 'src', 'main.js'), env)];
  children.push(spawnNode('api', join(dist, 'api', 'src', 'main.js'), env));
  for (const c of children) {
    stops.push(c);
    c.exited.then(() => {
      if (!stopping) {
        log(`${c.name} exited unexpectedly (code ${c.child.exitCode}); stopping everything`);
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      }
    });
  }
  const api = `http://${cfg.API_HOST}:${cfg.API_PORT}`;
  await waitFor('the API', async () => (await fetch(`${api}/api/health`)).ok, 120_000);

  let receivers: DemoReceivers | null = null;
  if (demoWanted && (embeddedDb || env.DUBAN_DEMO === 'on')) {
    receivers = env.DUBAN_DEMO_RECEIVERS === 'off' ? null : await startDemoReceivers(dataDir, env, log);
    if (receivers) stops.push({ name: 'receivers', stop: () => receivers!.receivers.close() });
    const settings = receivers?.receivers.settingsFor;
    const seeded = await seedDemoCounty(`${api}`, { username: 'admin', password: creds.password }, creds.password, log, cfg.DUBAN_TIME_ZONE, settings);
    if (seeded) {
      log(seeded.summary);
      creds.demoAccounts = seeded.accounts;
      saveLocalCredentials(dataDir, creds);
    } else log('database already has data: demo county not seeded');
  }

  console.log(
    [
      '',
      '  督办 Duban is running / 已启动',
      `  Web console     ${api}/`,
      `  API             ${api}/api`,
      `  API docs        ${api}/api/docs   (OpenAPI JSON: ${api}/api/docs-json)`,
      `  Temporal UI     ${uiUrl ?? '(external Temporal: see its own UI)'}`,
      `  Data            ${embeddedDb || uiUrl ? dataDir : '(external servers)'}`,
      ...(receivers
        ? [
            `  Channels        local DingTalk / WeCom / Feishu / SMS / webhook receivers at ${receivers.receivers.baseUrl}, SMTP on port ${receivers.receivers.smtpPort}:`,
            `                  messages they receive are printed here and kept in ${receivers.logFile}`,
            `                  (本机模拟的钉钉、企业微信、短信、邮件接收端：收到的消息打印在此处)`,
          ]
        : []),
      ...(embeddedDb ? loginHelp(api, creds) : []),
      '  Press Ctrl-C to stop everything / 按 Ctrl-C 停止',
      '',
    ].join('\n'),
  );
}

/** How to log in on this installation (its passwords are generated, in .data/accounts.json). */
function loginHelp(api: string, creds: LocalCredentials): string[] {
  const rows = [{ username: 'admin', role: '项目办系统管理员 administrator', who: '' }, ...creds.demoAccounts];
  const shown = rows.filter((r) => !/^(unit|township)-(0[3-9]|1\d)$/.test(r.username)); // one or two of each kind is enough
  return [
    '',
    `  Log in / 登录: password for every account below / 以下账号密码均为  ${creds.password}`,
    ...shown.map((r) => `    ${r.username.padEnd(12)} ${r.role}${r.who ? `  ${r.who}` : ''}`),
    ...(creds.demoAccounts.length ? ['    (unit-01 … unit-10: each department; township-01 … township-06: each township)'] : []),
    `  curl -s -XPOST ${api}/api/auth/login -H 'content-type: application/json' -d '{"username":"${creds.demoAccounts.length ? 'office' : 'admin'}","password":"${creds.password}"}'`,
    '',
  ];
}

async function withDataSource<T>(url: string, fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

// A requested stop (Ctrl-C, SIGTERM) that completes cleanly exits 0, so `npm start`
// does not report a failure; an unexpected child exit has set exitCode = 1 already.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return; // a second Ctrl-C while stopping is ignored; children are being stopped
    shutdown().then(
      () => process.exit(),
      () => process.exit(1),
    );
  });
}

main().catch(async (err) => {
  console.error(`[duban] cannot start: ${err instanceof Error ? err.message : err}`);
  await shutdown();
  process.exit(1);
});
