/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
import 'reflect-metadata';
import { loadConfig } from '../../config/src';
import { migrate } from './data-source';

migrate(loadConfig().DATABASE_URL)
  .then((names) => console.log(names.length ? `applied: ${names.join(', ')}` : 'schema is up to date'))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
