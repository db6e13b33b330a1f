import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '../../libs/persistence/src/data-source';

export interface TestDatabase {
  url: string;
  ds: DataSource;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.DUBAN_TEST_SERVER_URL;
  if (!url) throw new Error('DUBAN_TEST_SERVER_URL is not set: run the tests with `npm test` (its global setup finds a server)');
  return url;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** A fresh, migrated database of its own for one test file; its name always says "test". */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `duban_test_${label}_${randomBytes(4).toString('hex')}`;
  if (!/test/.test(name)) throw new Error(`refusing to use database ${name}: its name must say "test"`);
  const admin = new Client({ connectionString: withDatabase(serverUrl(), 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(serverUrl(), name);
  await migrate(url);
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  return {
    url,
    ds,
    drop: async () => {
      await ds.destroy();
      const c = new Client({ connectionString: withDatabase(serverUrl(), 'postgres') });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
