import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * Tokens and keys are random and opaque; the database keeps only an HMAC of
 * them under the server's secret, so a copy of the database lets nobody in.
 * Passwords are hashed with argon2id (OWASP's parameters: 19 MiB, t=2, p=1).
 */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const keyedHash = (secret: string, value: string): string => createHmac('sha256', secret).update(value).digest('hex');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

const ARGON2ID = 2; // Algorithm.Argon2id; a const enum in the package's types
export const hashPassword = (password: string): Promise<string> => hash(password, { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
export const verifyPassword = (stored: string, password: string): Promise<boolean> => verify(stored, password).catch(() => false);

/** Verified against when a username is unknown, so the answer takes as long as for a known one. */
let dummy: Promise<string> | null = null;
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword(newSecret()));

/** A password policy people can follow: 10+ characters, letters and digits, not the username. */
export function passwordProblems(password: string, username: string): { zh: string; en: string } | null {
  if (typeof password !== 'string' || password.length < 10 || password.length > 200) {
    return { zh: '密码长度须为10至200个字符', en: 'The password must be 10 to 200 characters long' };
  }
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    return { zh: '密码须同时包含字母和数字', en: 'The password must contain both letters and digits' };
  }
  if (password.toLowerCase().includes(username.toLowerCase())) {
    return { zh: '密码不能包含用户名', en: 'The password must not contain the username' };
  }
  return null;
}

/** A readable generated password for new accounts and resets (letters and digits, 16 characters). */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  for (;;) {
    const pw = Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('');
    if (/\d/.test(pw) && /[A-Za-z]/.test(pw)) return pw;
  }
}
