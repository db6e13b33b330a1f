/**
 * Runs only the embedded PostgreSQL, for test suites on a machine with no
 * DATABASE_URL: `node dist/apps/stack/src/postgres-main.js <dataDir> <port>`.
 * Prints `ready <url>` once it accepts connections; stops on SIGINT/SIGTERM.
 */
import { join } from 'node:path';
import { startEmbeddedPostgres } from './postgres';

const [dataDir, port] = process.argv.slice(2);
startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: Number(port), database: 'duban_test', logFile: join(dataDir, 'postgres.log') })
  .then((pg) => console.log(`ready ${pg.url}`))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
