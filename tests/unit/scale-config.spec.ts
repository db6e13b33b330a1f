/**
 * The sizing files of the README's "Where one machine is not enough"
 * (docs/scale/*.env) are real configuration: each is accepted as it stands by
 * the same validation the API and the worker run at start-up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../libs/config/src';

const dir = join(__dirname, '../../docs/scale');
const files = readdirSync(dir).filter((f) => f.endsWith('.env'));

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    if (eq < 1) throw new Error(`not KEY=VALUE: ${t}`);
    env[t.slice(0, eq)] = t.slice(eq + 1);
  }
  return env;
}

test('there is a county, a city and a province', () => {
  expect(files.sort()).toEqual(['city.env', 'county.env', 'province.env']);
});

test.each(files)('%s passes the start-up validation, every key known to it', (file) => {
  const env = parseEnv(readFileSync(join(dir, file), 'utf8'));
  const cfg = loadConfig(env);
  for (const key of Object.keys(env)) expect(Object.keys(cfg)).toContain(key);
  // A local activity holds a pooled connection for its transaction: more of them than connections only queue.
  expect(cfg.WORKER_LOCAL_ACTIVITY_SLOTS).toBeLessThanOrEqual(cfg.DATABASE_POOL_MAX);
});
