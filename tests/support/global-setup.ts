/**
 * Once per `npm test`: builds the project (the end-to-end tests run the
 * compiled processes, as `npm start` does), finds a PostgreSQL server for the
 * tests (DATABASE_URL / TEST_DATABASE_URL if given, else an embedded one on a
 * free port), and resolves the Temporal binaries.
 */
import { execSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../apps/stack/src/ports';
import { spawnEmbeddedPostgres } from '../../apps/stack/src/postgres';
import { PROJECT_ROOT, TEMPORAL_CLI, TEMPORAL_TEST_SERVER, missingBinaryHelp, resolveTemporalBinary } from '../../libs/temporal/src/binaries';

export default async function globalSetup(): Promise<void> {
  // DUBAN_TEST_SKIP_BUILD=1 reuses dist/ (quick reruns of unit tests while editing).
  if (process.env.DUBAN_TEST_SKIP_BUILD !== '1') execSync('npm run build --silent', { cwd: PROJECT_ROOT, stdio: 'inherit' });

  for (const bin of [TEMPORAL_CLI, TEMPORAL_TEST_SERVER]) {
    const path = resolveTemporalBinary(bin, (m) => console.log(m));
    if (!path) throw new Error(missingBinaryHelp(bin));
    process.env[bin.envVar] = path;
  }

  const given = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (given) {
    process.env.DUBAN_TEST_SERVER_URL = given;
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'duban-test-pg-'));
  chmodSync(dataDir, 0o755); // as root, the server runs as `postgres` and must enter it
  const port = await freePort();
  const { url, child } = await spawnEmbeddedPostgres({
    dataDir: join(dataDir, 'postgres'),
    port,
    database: 'duban_test',
    logFile: join(dataDir, 'postgres.log'),
    script: join(PROJECT_ROOT, 'dist/apps/stack/src/postgres-main.js'),
  });
  process.env.DUBAN_TEST_SERVER_URL = url;
  (globalThis as Record<string, unknown>).__DUBAN_TEST_PG__ = { child, dataDir };
}
