import { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { CHANNEL_KINDS, PERSONAL_CHANNELS } from '../../../../libs/channels/src/channel';
import { NOTICE_KINDS } from '../../../../libs/notices/src/notice.entity';

/** The answers of the notice-settings routes (kept beside responses.ts so that file stays small to merge). */
function answer(name: string, props: Record<string, ApiPropertyOptions>): Type<unknown> {
  const cls = { [name]: class {} }[name];
  for (const [key, opts] of Object.entries(props)) ApiProperty(opts)(cls.prototype, key);
  return cls;
}

const uuid: ApiPropertyOptions = { type: String, format: 'uuid' };
const uuidOrNull: ApiPropertyOptions = { type: String, format: 'uuid', nullable: true };
const str: ApiPropertyOptions = { type: String };
const strOrNull: ApiPropertyOptions = { type: String, nullable: true };
const at: ApiPropertyOptions = { type: String, format: 'date-time' };
const atOrNull: ApiPropertyOptions = { type: String, format: 'date-time', nullable: true };
const bool: ApiPropertyOptions = { type: Boolean };
const int: ApiPropertyOptions = { type: Number, format: 'int32' };
const kinds: ApiPropertyOptions = { type: String, enum: NOTICE_KINDS, isArray: true };
const personal: ApiPropertyOptions = { type: String, enum: PERSONAL_CHANNELS, isArray: true };
const obj: ApiPropertyOptions = { type: 'object', additionalProperties: true };

export const ContactPointsAnswer = answer('ContactPointsAnswer', {
  personId: uuid,
  mobile: strOrNull,
  email: strOrNull,
  dingtalkUserId: strOrNull,
  wecomUserId: strOrNull,
  feishuOpenId: strOrNull,
});

export const NoticeSettingsAnswer = answer('NoticeSettingsAnswer', {
  quietStart: str,
  quietEnd: str,
  digestAt: str,
  urgentKinds: kinds,
  builtInUrgentKinds: kinds,
  allowedChannels: personal,
  maxAttempts: int,
  updatedAt: at,
  updatedBy: uuidOrNull,
});

export const NoticeChannelAnswer = answer('NoticeChannelAnswer', {
  id: uuid,
  kind: { type: String, enum: CHANNEL_KINDS },
  name: str,
  enabled: bool,
  group: bool,
  settings: { ...obj, description: 'Secrets masked' } as ApiPropertyOptions,
  scope: obj,
  createdAt: at,
  updatedAt: at,
  updatedBy: uuidOrNull,
});

export const ChannelTestAnswer = answer('ChannelTestAnswer', {
  ok: bool,
  retryable: bool,
  httpStatus: { ...int, required: false } as ApiPropertyOptions,
  error: { ...str, required: false } as ApiPropertyOptions,
});

const EffectivePreferenceAnswer = answer('EffectivePreferenceAnswer', {
  kind: { type: String, enum: NOTICE_KINDS },
  channels: personal,
  digest: bool,
  source: { type: String, enum: ['own', 'org_default', 'built_in'] },
  urgent: bool,
});
const PreferenceChoiceAnswer = answer('PreferenceChoiceAnswer', { kind: { type: String, enum: NOTICE_KINDS }, channels: personal, digest: bool });

export const PreferencesAnswer = answer('PreferencesAnswer', {
  personId: uuidOrNull,
  allowedChannels: personal,
  reachableChannels: personal,
  effective: { type: EffectivePreferenceAnswer, isArray: true },
  chosen: { type: PreferenceChoiceAnswer, isArray: true },
});

export const DelegationAnswer = answer('DelegationAnswer', {
  id: uuid,
  personId: uuid,
  personName: str,
  deputyId: uuid,
  deputyName: str,
  startsAt: at,
  endsAt: at,
  reason: str,
  status: { type: String, enum: ['scheduled', 'active', 'ended', 'revoked'] },
  createdAt: at,
  createdBy: uuidOrNull,
  revokedAt: atOrNull,
  revokedBy: uuidOrNull,
});

export const PersonDelegationsAnswer = answer('PersonDelegationsAnswer', {
  given: { type: DelegationAnswer, isArray: true },
  received: { type: DelegationAnswer, isArray: true },
});
