import { ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { TEMPORAL_CLI, missingBinaryHelp, resolveTemporalBinary } from '../../../libs/temporal/src/binaries';
import { waitFor } from './ports';

export interface RunningTemporal {
  address: string;
  uiUrl: string | null;
  /** Settles when the server process ends, asked to or not (a crash shows here). */
  exited: Promise<void>;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  port: number;
  uiPort: number;
  /** SQLite file that keeps workflows across restarts; omit for an in-memory server. */
  dbFile?: string;
  logFile: string;
  log: (m: string) => void;
}

/**
 * Starts the Temporal dev server (`temporal server start-dev`). The CLI is
 * found by resolveTemporalBinary; as a last resort the SDK downloads it, which
 * works only on a machine with internet access.
 */
export async function startTemporalDevServer(o: DevServerOptions): Promise<RunningTemporal> {
  const address = `127.0.0.1:${o.port}`;
  const cli = resolveTemporalBinary(TEMPORAL_CLI, o.log);
  if (!cli) return startWithSdkDownload(o, address);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--ui-port', String(o.uiPort), '--log-level', 'warn', '--namespace', 'default'];
  if (o.dbFile) {
    args.push('--db-filename', o.dbFile);
    for (const p of sqlitePragmas()) args.push('--sqlite-pragma', p);
  }
  const out = openSync(o.logFile, 'a');
  const child = spawn(cli, args, { stdio: ['ignore', out, out] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([
    waitFor('Temporal dev server', () => frontendUp(address), 60_000),
    exited.then(() => {
      throw new Error(`the Temporal dev server exited at start; see ${o.logFile}`);
    }),
  ]);
  return { address, uiUrl: `http://127.0.0.1:${o.uiPort}`, exited, stop: () => stopChild(child, exited) };
}

/**
 * The dev server's SQLite file in WAL mode with `synchronous=normal`: a commit no longer waits for the disk
 * twice, which on its default (a rollback journal, full sync) doubled the dev server's CPU per escalation.
 * A crash of the process loses nothing; a power cut may lose the last commits, which is the dev server's
 * bargain anyway (a county in production runs Temporal on PostgreSQL). TEMPORAL_SQLITE_PRAGMAS (comma-separated
 * PRAGMA=VALUE, or "none") overrides it.
 */
export function sqlitePragmas(env: NodeJS.ProcessEnv = process.env): string[] {
  const v = env.TEMPORAL_SQLITE_PRAGMAS ?? 'journal_mode=wal,synchronous=normal';
  if (v === 'none') return [];
  const pragmas = v.split(',').map((p) => p.trim());
  const bad = pragmas.find((p) => !/^[a-z_]+=[a-z0-9_-]+$/i.test(p));
  if (bad !== undefined) throw new Error(`TEMPORAL_SQLITE_PRAGMAS: "${bad}" is not PRAGMA=VALUE (e.g. journal_mode=wal,synchronous=normal, or none)`);
  return pragmas;
}

async function startWithSdkDownload(o: DevServerOptions, address: string): Promise<RunningTemporal> {
  o.log(`${missingBinaryHelp(TEMPORAL_CLI)}\nTrying the Temporal SDK's own download of the CLI…`);
  const env = await TestWorkflowEnvironment.createLocal({
    server: { ip: '127.0.0.1', port: o.port, ui: true, uiPort: o.uiPort, dbFilename: o.dbFile },
  });
  let ended!: () => void;
  const exited = new Promise<void>((resolve) => (ended = resolve));
  return { address, uiUrl: `http://127.0.0.1:${o.uiPort}`, exited, stop: () => env.teardown().finally(ended) };
}

async function frontendUp(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}

/** SIGINT, then SIGKILL if the process has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
