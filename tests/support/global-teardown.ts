import { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await stopTestPostgres();
  // Set by closing-line-reporter.js: printed last, so that it is the run's closing line.
  const closing = (globalThis as Record<string, unknown>).__DUBAN_CLOSING_LINE__;
  // On standard output as well as after Jest's summary on standard error: a reader of either stream sees it last.
  if (typeof closing === 'string') {
    process.stderr.write(`\n${closing}\n`);
    process.stdout.write(`${closing}\n`);
  }
}

async function stopTestPostgres(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__DUBAN_TEST_PG__ as { child: ChildProcess; dataDir: string } | undefined;
  if (!pg) return;
  await new Promise<void>((resolve) => {
    pg.child.once('exit', () => resolve());
    pg.child.kill('SIGINT');
  });
  rmSync(pg.dataDir, { recursive: true, force: true });
}
