/** Login protection's memory and its growing delay, with a hand-moved clock. */
import { LoginLimiter, loginDelaySeconds } from '../../libs/identity/src/login-limiter';

const WINDOW = 15 * 60_000;

function limiter(addressMaxFailures = 3, maxEntries?: number) {
  let now = 1_000_000;
  const l = new LoginLimiter({ addressMaxFailures, windowMs: WINDOW, maxEntries }, () => now);
  return { l, advance: (ms: number) => (now += ms) };
}

describe('loginDelaySeconds', () => {
  test('no delay before the limit, then 2, 4, 8 … seconds, capped', () => {
    expect([1, 2, 3, 4].map((f) => loginDelaySeconds(f, 5, 900))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map((f) => loginDelaySeconds(f, 5, 900))).toEqual([2, 4, 8, 16]);
    expect(loginDelaySeconds(14, 5, 900)).toBe(900);
    expect(loginDelaySeconds(10_000, 5, 900)).toBe(900);
  });
});

describe('LoginLimiter', () => {
  test('successes never count; failures of an address do, until they leave the window', () => {
    const { l, advance } = limiter(3);
    for (let i = 0; i < 100; i++) l.recordSuccess(`account-${i}`, '10.0.0.1');
    expect(l.addressRetryAfter('10.0.0.1')).toBe(0);
    l.recordFailure('10.0.0.1', null);
    advance(60_000);
    l.recordFailure('10.0.0.1', 'a');
    l.recordFailure('10.0.0.1', 'b');
    expect(l.addressRetryAfter('10.0.0.1')).toBe((WINDOW - 60_000) / 1000);
    expect(l.addressRetryAfter('10.0.0.2')).toBe(0);
    advance(WINDOW - 60_000);
    expect(l.addressRetryAfter('10.0.0.1')).toBe(0);
  });

  test('an address is held to an account only after failing for that account, and a success there clears it', () => {
    const { l, advance } = limiter();
    l.recordFailure('198.51.100.9', 'county');
    expect(l.failedRecently('county', '198.51.100.9')).toBe(true);
    expect(l.failedRecently('county', '203.0.113.5')).toBe(false);
    expect(l.failedRecently('office', '198.51.100.9')).toBe(false);
    l.recordSuccess('county', '198.51.100.9');
    expect(l.failedRecently('county', '198.51.100.9')).toBe(false);
    l.recordFailure('198.51.100.9', 'county');
    advance(WINDOW);
    expect(l.failedRecently('county', '198.51.100.9')).toBe(false);
  });

  test('memory stays bounded under a flood of addresses', () => {
    const { l } = limiter(3, 50);
    for (let i = 0; i < 1000; i++) l.recordFailure(`10.0.${i >> 8}.${i & 255}`, `acct-${i}`);
    const sizes = l as unknown as { addressFailures: Map<string, unknown>; accountAddressFailure: Map<string, unknown> };
    expect(sizes.addressFailures.size).toBeLessThanOrEqual(50);
    expect(sizes.accountAddressFailure.size).toBeLessThanOrEqual(50);
    expect(l.failedRecently('acct-999', '10.0.3.231')).toBe(true); // the newest kept
  });
});
