import { createServer } from 'node:net';

/** Resolves when `port` on 127.0.0.1 can be listened on, else rejects naming the setting to change. */
export function ensurePortFree(port: number, setting: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', () => reject(new Error(`port ${port} is already in use; set ${setting} to another port (or stop what uses it)`)));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
  });
}

/** A port the OS says is free now (for tests that start their own servers). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it resolves true or `timeoutMs` passes. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s`);
}
