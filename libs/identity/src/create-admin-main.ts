/**
 * `npm run create-admin [-- <username>]`: the first administrator of an
 * installation that is not started by `npm start` (DATABASE_URL set). Prints a
 * generated password once; it must be changed at the first login.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/src';
import { dataSourceOptions } from '../../persistence/src/data-source';
import { bootstrapAdministrator } from './bootstrap';
import { generatePassword } from './secrets';

async function main(): Promise<void> {
  const username = (process.argv[2] ?? 'admin').toLowerCase();
  const ds = await new DataSource(dataSourceOptions(loadConfig().DATABASE_URL)).initialize();
  try {
    const password = generatePassword();
    if (!(await bootstrapAdministrator(ds, { username, password, mustChangePassword: true }))) {
      console.error('accounts already exist: log in as a project office administrator and use POST /api/accounts');
      process.exitCode = 1;
      return;
    }
    console.log(`administrator created: username ${username}, password ${password} (to be changed at the first login)`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
