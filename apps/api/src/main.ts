/** The HTTP API process. */
import 'reflect-metadata';
import { loadConfig } from '../../../libs/config/src';
import { createApi } from './app';

async function main(): Promise<void> {
  const cfg = loadConfig();
  const app = await createApi([cfg.LOG_LEVEL, 'error', 'warn']);
  await app.listen(cfg.API_PORT, cfg.API_HOST);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
