import type { ChannelKind } from '../channel';

/** One request a local receiver took: accepted, or refused for a bad signature / credential. */
export interface ReceivedMessage {
  kind: ChannelKind;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** False: the receiver refused it as the provider would (wrong signature, secret, key or token). */
  signatureOk: boolean;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The human text as a person would read it (markdown source, rendered SMS template, e-mail subject + text). */
  text: string;
  /** The delivery id when the channel carries one (webhook header, SMS OutId, e-mail Message-ID). */
  deliveryId?: string;
  /** Who it reached: user ids, mobile, e-mail address; absent for a group robot. */
  to?: string;
  /** Index in messages() of the first message it repeats (same delivery id, or same content to the same people). */
  duplicateOf?: number;
  /** True when the provider itself discards it (WeCom's duplicate check): nobody sees it. */
  dropped?: boolean;
  /** E-mail only: the subject and attachment file names. */
  subject?: string;
  attachments?: string[];
  /** Why it was refused, in the provider's words. */
  rejection?: string;
}

export interface FailHow {
  /** HTTP status (default 503), or for e-mail the SMTP reply code (default 451). */
  status?: number;
  /** A provider error code answered with HTTP 200, as DingTalk / WeCom / Feishu do (e.g. 130101, 45009, 9499). */
  errcode?: number;
  /** Aliyun's string code (e.g. 'isv.BUSINESS_LIMIT_CONTROL'). */
  code?: string;
}

export interface Receivers {
  baseUrl: string;
  smtpPort: number;
  /** Raw channel settings pointing an adapter at this receiver, with the secrets it checks. */
  settingsFor(kind: ChannelKind): Record<string, unknown>;
  /** Every request taken, in order: accepted (duplicates included) and refused (signatureOk false). */
  messages(kind?: ChannelKind): ReceivedMessage[];
  /** What people actually see: accepted, not dropped by the provider, and for channels whose receiving end recognises a retry (webhook, WeCom app) not a repeat. */
  delivered(kind?: ChannelKind): ReceivedMessage[];
  /** Requests answered with an error by failNext, per kind. */
  failedCount(kind: ChannelKind): number;
  failNext(kind: ChannelKind, n: number, how?: FailHow): void;
  /** Delay the answer (after recording the message as accepted) by ms; 0 ends it. */
  hold(kind: ChannelKind, ms: number): void;
  /** Forget every message (secrets, tokens and counters stay). */
  clear(): void;
  close(): Promise<void>;
}
