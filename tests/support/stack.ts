import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { NodeChild, spawnNode } from '../../apps/stack/src/processes';
import { RunningTemporal, startTemporalDevServer } from '../../apps/stack/src/temporal-server';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../../apps/stack/src/ports';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';

/** The launcher (`npm start`'s program) running as a child process, as a user runs it. */
export interface LaunchedStack {
  api: string;
  output: string[];
  child: ChildProcess;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface StackPorts {
  DUBAN_PG_PORT: string;
  DUBAN_TEMPORAL_PORT: string;
  DUBAN_TEMPORAL_UI_PORT: string;
  API_PORT: string;
  DUBAN_RECEIVERS_PORT: string;
  DUBAN_RECEIVERS_SMTP_PORT: string;
}

export async function freeStackPorts(): Promise<StackPorts> {
  return {
    DUBAN_PG_PORT: String(await freePort()),
    DUBAN_TEMPORAL_PORT: String(await freePort()),
    DUBAN_TEMPORAL_UI_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    // The demo's local channel receivers: any free ports.
    DUBAN_RECEIVERS_PORT: '0',
    DUBAN_RECEIVERS_SMTP_PORT: '0',
  };
}

export async function launchStack(env: Record<string, string>, args: string[] = [], timeoutMs = 240_000): Promise<LaunchedStack> {
  const base = { ...process.env };
  for (const k of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'DUBAN_DEMO']) delete base[k];
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist/apps/stack/src/main.js'), ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (const s of [child.stdout!, child.stderr!]) createInterface({ input: s }).on('line', (l) => output.push(l));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stack not ready in time:\n${output.join('\n')}`)), timeoutMs);
    const poll = setInterval(() => {
      if (output.some((l) => l.includes('Duban is running'))) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 200);
    exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`stack exited (${code}) before it was ready:\n${output.join('\n')}`));
    });
  });
  await ready;
  return {
    api: `http://127.0.0.1:${env.API_PORT}/api`,
    output,
    child,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

/** Polls `fn` until it returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

/** One HTTP call; `token` is a bearer access token, or `{ apiKey }` for a system. */
export async function http<T = any>(method: string, url: string, body?: unknown, token?: string | { apiKey: string }): Promise<{ status: number; body: T; headers: Headers }> {
  const auth: Record<string, string> = token === undefined ? {} : typeof token === 'string' ? { authorization: `Bearer ${token}` } : { 'x-api-key': token.apiKey };
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...auth }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** Logs in over HTTP and returns a bearer header for `http()`. */
export async function loginAs(api: string, username: string, password: string): Promise<string> {
  const r = await http<{ accessToken: string }>('POST', `${api}/auth/login`, { username, password });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.accessToken;
}

/** The real stack around a test database: the Temporal dev server, and the compiled worker and API as processes. */
export interface RealStack {
  api: string;
  temporalAddress: string;
  env: NodeJS.ProcessEnv;
  /** The worker process (a test that replaces it sets this, so that stop() stops the new one). */
  worker: NodeChild | null;
  /** The API process as it runs now (replaced by restartApi). */
  apiProcess: NodeChild;
  /** Kills the API at once (SIGKILL), as a crash would. */
  killApi(): Promise<void>;
  /** Starts the API again on the same port and waits until it answers. */
  restartApi(): Promise<void>;
  /** Stops the Temporal dev server (its state stays in its SQLite file when started with `persistentTemporal`). */
  stopTemporal(): Promise<void>;
  /** Starts the Temporal dev server again on the same address and file. */
  startTemporal(): Promise<void>;
  /** With `superviseTemporal`: each time the dev server ended unasked and was started again. */
  temporalCrashes: { at: string; restartMs: number }[];
  /** With `persistentTemporal`: the dev server's SQLite file (its -wal and -shm files sit beside it). */
  temporalDbFile?: string;
  stop(): Promise<void>;
}

/**
 * Where the stack's worker and API write: a file per stack under the system's temp folder (kept after
 * the run, for reading after a failure), or the terminal with DUBAN_TEST_VERBOSE=1.
 */
function childLogSink(): (line: string) => void {
  if (process.env.DUBAN_TEST_VERBOSE === '1') return (line) => console.log(line);
  const dir = join(tmpdir(), 'duban-test-logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `stack-${process.pid}-${Date.now()}.log`);
  const out = createWriteStream(file, { flags: 'a' });
  return (line) => out.write(line + '\n');
}

export async function startRealStack(
  databaseUrl: string,
  opts: {
    worker?: boolean;
    env?: Record<string, string>;
    persistentTemporal?: boolean;
    /** Start the dev server again when it ends unasked (the bench's long fill: a crash there would end the run). Needs `persistentTemporal`. */
    superviseTemporal?: boolean;
  } = {},
): Promise<RealStack> {
  const logDir = mkdtempSync(join(tmpdir(), 'duban-stack-'));
  const serverOptions = {
    port: await freePort(),
    uiPort: await freePort(),
    logFile: join(logDir, 'temporal.log'),
    log: () => undefined,
    ...(opts.persistentTemporal && { dbFile: join(logDir, 'temporal.sqlite') }),
  };
  let temporal: RunningTemporal | null = null;
  const temporalCrashes: RealStack['temporalCrashes'] = [];
  const launchTemporal = async () => {
    const t = await startTemporalDevServer(serverOptions);
    temporal = t;
    if (opts.superviseTemporal && opts.persistentTemporal)
      void t.exited.then(async () => {
        if (temporal !== t) return; // stopped on purpose
        const t0 = Date.now();
        console.error(`the Temporal dev server ended unasked; starting it again on ${serverOptions.logFile}`);
        await launchTemporal();
        temporalCrashes.push({ at: new Date(t0).toISOString(), restartMs: Date.now() - t0 });
      });
    return t;
  };
  await launchTemporal();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal!.address,
    API_PORT: String(port),
    LOG_LEVEL: 'warn',
    DUBAN_AUTH_SECRET: 'test-secret-0123456789-0123456789-abcdef',
    ...opts.env,
  };
  const sink = childLogSink();
  const worker = opts.worker === false ? null : spawnNode('worker', join(PROJECT_ROOT, 'dist/apps/worker/src/main.js'), env, sink);
  const startApi = () => spawnNode('api', join(PROJECT_ROOT, 'dist/apps/api/src/main.js'), env, sink);
  const api = `http://127.0.0.1:${port}/api`;
  const stack: RealStack = {
    api,
    temporalAddress: temporal!.address,
    temporalCrashes,
    temporalDbFile: serverOptions.dbFile,
    env,
    worker,
    apiProcess: startApi(),
    killApi: async () => {
      stack.apiProcess.child.kill('SIGKILL');
      await stack.apiProcess.exited;
    },
    restartApi: async () => {
      stack.apiProcess = startApi();
      await eventually('API', async () => [200, 503].includes((await http('GET', `${api}/health`)).status));
    },
    stopTemporal: async () => {
      const t = temporal;
      temporal = null;
      await t?.stop();
    },
    startTemporal: async () => {
      await launchTemporal();
    },
    stop: async () => {
      await stack.apiProcess.stop();
      await stack.worker?.stop();
      const t = temporal;
      temporal = null;
      await t?.stop();
      // DUBAN_KEEP_STACK_LOGS=1 keeps the Temporal dev server's log (and SQLite file) for reading after a failure.
      if (process.env.DUBAN_KEEP_STACK_LOGS === '1') console.error(`stack logs kept in ${logDir}`);
      else rmSync(logDir, { recursive: true, force: true });
    },
  };
  await eventually('API', async () => (await http('GET', `${api}/health`)).status === 200);
  return stack;
}
