/**
 * What login protection remembers about client addresses, per API process.
 *
 * Only failures are counted: successful logins of many officials behind one
 * county NAT never use up anyone's allowance. Two things are tracked:
 * - per address, the failures of the last window (any account, unknown names
 *   included): past `addressMaxFailures` the address must wait, which bounds
 *   password spraying across accounts from one place;
 * - per account and address, whether that address failed for that account
 *   within the window: only such addresses are held to the account's growing
 *   delay (see {@link loginDelaySeconds}), so an attacker hammering `county`
 *   slows himself down, not the county leader logging in from his own office.
 */
export class LoginLimiter {
  private readonly addressFailures = new Map<string, number[]>();
  private readonly accountAddressFailure = new Map<string, number>();

  constructor(
    private readonly opts: { addressMaxFailures: number; windowMs: number; maxEntries?: number },
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Seconds this address must wait before its next attempt, 0 if it may try now. */
  addressRetryAfter(address: string): number {
    const times = this.recent(address);
    if (times.length < this.opts.addressMaxFailures) return 0;
    const oldest = times[times.length - this.opts.addressMaxFailures];
    return Math.max(1, Math.ceil((oldest + this.opts.windowMs - this.now()) / 1000));
  }

  /** Whether this address failed for this account within the window. */
  failedRecently(accountId: string, address: string): boolean {
    const at = this.accountAddressFailure.get(`${accountId}|${address}`);
    return at !== undefined && this.now() - at < this.opts.windowMs;
  }

  recordFailure(address: string, accountId: string | null): void {
    const now = this.now();
    const times = [...this.recent(address), now];
    this.addressFailures.delete(address); // re-insert: Map order is then oldest first, for pruning
    this.addressFailures.set(address, times);
    if (accountId) {
      const key = `${accountId}|${address}`;
      this.accountAddressFailure.delete(key);
      this.accountAddressFailure.set(key, now);
    }
    this.prune();
  }

  /** The account's owner is in from this address: its past failures there no longer hold it back. */
  recordSuccess(accountId: string, address: string): void {
    this.accountAddressFailure.delete(`${accountId}|${address}`);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.opts.windowMs;
    return (this.addressFailures.get(address) ?? []).filter((t) => t > since);
  }

  /** Bounded memory, whatever an attacker sends: expired entries go first, then the oldest. */
  private prune(): void {
    const max = this.opts.maxEntries ?? 100_000;
    for (const map of [this.addressFailures, this.accountAddressFailure] as Map<string, unknown>[]) {
      if (map.size <= max) continue;
      const since = this.now() - this.opts.windowMs;
      for (const [k, v] of map) {
        const last = Array.isArray(v) ? (v[v.length - 1] ?? 0) : (v as number);
        if (last <= since) map.delete(k);
      }
      for (const k of map.keys()) {
        if (map.size <= max) break;
        map.delete(k);
      }
    }
  }
}

/**
 * The growing delay after wrong passwords in a row: none for the first
 * `maxFailures - 1`, then 2 s, 4 s, 8 s, … capped at `maxDelaySeconds`.
 * A delay, never a lock: the account opens again on its own.
 */
export function loginDelaySeconds(failures: number, maxFailures: number, maxDelaySeconds: number): number {
  if (failures < maxFailures) return 0;
  return Math.min(maxDelaySeconds, 2 ** Math.min(30, failures - maxFailures + 1));
}

/** The window over which failures are remembered. */
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;
