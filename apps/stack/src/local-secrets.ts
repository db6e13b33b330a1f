import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoAccount } from '../../../libs/demo/src/seed';
import { generatePassword } from '../../../libs/identity/src/secrets';

/**
 * Secrets of an embedded installation, generated on first start and kept in
 * the data folder (git-ignored, readable by its owner only): nothing secret is
 * in the repository, and every installation has its own.
 */
export function localAuthSecret(dataDir: string): { secret: string; generated: boolean } {
  const file = join(dataDir, 'auth-secret');
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), generated: false };
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, generated: true };
}

export interface LocalCredentials {
  /** The administrator's and every demo account's password on this installation. */
  password: string;
  demoAccounts: DemoAccount[];
}

export function localCredentials(dataDir: string): LocalCredentials {
  const file = join(dataDir, 'accounts.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalCredentials;
  const creds: LocalCredentials = { password: generatePassword(), demoAccounts: [] };
  saveLocalCredentials(dataDir, creds);
  return creds;
}

export function saveLocalCredentials(dataDir: string, creds: LocalCredentials): void {
  writeFileSync(join(dataDir, 'accounts.json'), JSON.stringify(creds, null, 2), { mode: 0o600 });
}
