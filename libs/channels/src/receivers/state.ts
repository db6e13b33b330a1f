import type { ChannelKind } from '../channel';
import type { FailHow, ReceivedMessage } from './types';

/** What the receivers remember: messages, pending failures, holds. */
export class ReceiverState {
  readonly received: ReceivedMessage[] = [];
  private readonly failures = new Map<ChannelKind, { n: number; how: FailHow }>();
  private readonly failed = new Map<ChannelKind, number>();
  private readonly holds = new Map<ChannelKind, number>();
  private readonly firstByKey = new Map<string, number>();
  /** Aliyun's x-acs-signature-nonce values seen (a replay is refused). */
  readonly nonces = new Set<string>();

  constructor(private readonly onMessage?: (m: ReceivedMessage) => void) {}

  /** Record a request; `dedupeKey` finds an earlier one it repeats. Returns the stored message. */
  record(m: ReceivedMessage, dedupeKey?: string, windowMs?: number, dropsRepeat = false): ReceivedMessage {
    if (m.signatureOk && dedupeKey !== undefined) {
      const key = `${m.kind}|${dedupeKey}`;
      const first = this.firstByKey.get(key);
      if (first !== undefined && (windowMs === undefined || m.at - this.received[first]!.at < windowMs)) {
        m.duplicateOf = first;
        if (dropsRepeat) m.dropped = true;
      } else this.firstByKey.set(key, this.received.length);
    }
    this.received.push(m);
    this.onMessage?.(m);
    return m;
  }

  failNext(kind: ChannelKind, n: number, how: FailHow = {}): void {
    if (n <= 0) this.failures.delete(kind);
    else this.failures.set(kind, { n, how });
  }

  /** The failure to answer now, if one is pending. */
  takeFailure(kind: ChannelKind): FailHow | null {
    const f = this.failures.get(kind);
    if (!f) return null;
    f.n -= 1;
    if (f.n <= 0) this.failures.delete(kind);
    this.failed.set(kind, (this.failed.get(kind) ?? 0) + 1);
    return f.how;
  }

  failedCount(kind: ChannelKind): number {
    return this.failed.get(kind) ?? 0;
  }

  hold(kind: ChannelKind, ms: number): void {
    if (ms <= 0) this.holds.delete(kind);
    else this.holds.set(kind, ms);
  }

  async waitHold(kind: ChannelKind): Promise<void> {
    const ms = this.holds.get(kind);
    if (ms) await new Promise((r) => setTimeout(r, ms));
  }

  clear(): void {
    this.received.length = 0;
    this.firstByKey.clear();
    this.failed.clear();
  }
}
