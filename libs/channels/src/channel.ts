/**
 * One interface for every way Duban tells people outside the inbox. An adapter
 * turns one outgoing message into the provider's documented request, signs it
 * as the provider requires, and reports the provider's answer; it never
 * touches the database (the outbox in libs/notices records attempts).
 *
 * Providers' addresses are settings (apiBase / webhookUrl / endpoint / host),
 * so tests and the demo point them at local receivers (libs/channels/src/receivers).
 */
export const CHANNEL_KINDS = ['dingtalk_robot', 'dingtalk_work', 'wecom_robot', 'wecom_app', 'feishu_bot', 'sms', 'email', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Channels that reach one person at their own contact point; the rest are groups (a rung's or a unit's). */
export const PERSONAL_CHANNELS = ['dingtalk_work', 'wecom_app', 'sms', 'email'] as const satisfies readonly ChannelKind[];
export type PersonalChannel = (typeof PERSONAL_CHANNELS)[number];
export const GROUP_CHANNELS = ['dingtalk_robot', 'wecom_robot', 'feishu_bot', 'webhook'] as const satisfies readonly ChannelKind[];

/** Which person column a personal channel addresses. */
export const CONTACT_OF: Record<PersonalChannel, 'dingtalk_user_id' | 'wecom_user_id' | 'phone' | 'email'> = {
  dingtalk_work: 'dingtalk_user_id',
  wecom_app: 'wecom_user_id',
  sms: 'phone',
  email: 'email',
};

export interface OutgoingMessage {
  /** The outbox row: the idempotency key where a provider can recognise a retry. */
  deliveryId: string;
  noticeId: string | null;
  /** The notice kind, or 'digest' / 'group_summary'. */
  kind: string;
  /** Chinese first (what is sent); English kept for channels that carry both. */
  title: string;
  body: string;
  urgent: boolean;
  /** 督办〔2026〕12号 for an escalation notice. */
  documentNo: string | null;
  /** Short values for SMS templates (Chinese SMS must use an approved template): project, matter, rung, due, no. */
  params: Record<string, string>;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

/** A person's address on a personal channel (user id, mobile, e-mail); null for a group channel. */
export interface Target {
  address: string | null;
  name?: string;
}

export interface ProviderAnswer {
  ok: boolean;
  /** False when retrying cannot help (bad settings, an unknown user): the delivery goes dead at once. */
  retryable: boolean;
  httpStatus?: number;
  providerMessageId?: string;
  /** What the provider answered, kept on the attempt (secrets never included). */
  answer?: unknown;
  error?: string;
}

export interface ChannelAdapter<S = unknown> {
  kind: ChannelKind;
  /** Checks settings as the project office enters them; throws DomainError.badRequest naming the field. */
  parseSettings(raw: unknown): S;
  /** Settings as shown back to people: secrets masked. */
  redact(settings: S): Record<string, unknown>;
  /** Whether a retry of the same delivery is recognised by the provider (exactly once), or may duplicate. */
  recognisesRetry: boolean;
  send(msg: OutgoingMessage, target: Target, settings: S): Promise<ProviderAnswer>;
}
