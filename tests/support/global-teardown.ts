import { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__DUBAN_TEST_PG__ as { child: ChildProcess; dataDir: string } | undefined;
  if (!pg) return;
  await new Promise<void>((resolve) => {
    pg.child.once('exit', () => resolve());
    pg.child.kill('SIGINT');
  });
  rmSync(pg.dataDir, { recursive: true, force: true });
}
