import type { EntityManager } from 'typeorm';
import { CONTACT_OF, PERSONAL_CHANNELS, type PersonalChannel } from '../../channels/src/channel';
import { effectivePreferences, type EffectivePreference } from './rules';

export type Choices = Map<string, { channels: string[]; digest: boolean }>;

/** The choices made at one level: a person's own, or (null) the office's defaults. */
export async function choicesOf(em: EntityManager, personId: string | null): Promise<Choices> {
  const rows: { kind: string; channels: string[]; digest: boolean }[] = await em.query(
    `SELECT kind, channels, digest FROM notice_preference WHERE person_id IS NOT DISTINCT FROM $1 ORDER BY kind`,
    [personId],
  );
  return new Map(rows.map((r) => [r.kind, { channels: r.channels, digest: r.digest }]));
}

/**
 * The personal channels a person can be reached on now: allowed by the office,
 * with an enabled channel (provider account), and a contact point of theirs.
 * For the defaults (null) the contact points are taken as given.
 */
export async function reachableChannels(em: EntityManager, personId: string | null, allowed: readonly string[]): Promise<PersonalChannel[]> {
  const enabled: string[] = (await em.query(`SELECT DISTINCT kind FROM notice_channel WHERE enabled`)).map((r: { kind: string }) => r.kind);
  const person: Record<string, string | null> | undefined = personId
    ? (await em.query(`SELECT phone, email, dingtalk_user_id, wecom_user_id FROM person WHERE id = $1`, [personId]))[0]
    : undefined;
  return PERSONAL_CHANNELS.filter((c) => allowed.includes(c) && enabled.includes(c) && (!personId || !!person?.[CONTACT_OF[c]]?.trim()));
}

/**
 * What applies to a person, per notice kind: the same answer the preferences
 * API shows (own, else org default, else built in, on the channels they are
 * reachable on; urgent kinds never digested).
 */
export async function effectivePreferencesOf(em: EntityManager, personId: string): Promise<EffectivePreference[]> {
  const [s]: { allowed_channels: PersonalChannel[]; urgent_kinds: string[] }[] = await em.query(`SELECT allowed_channels, urgent_kinds FROM notice_settings WHERE id = 1`);
  const reachable = await reachableChannels(em, personId, s?.allowed_channels ?? []);
  return effectivePreferences(await choicesOf(em, personId), await choicesOf(em, null), reachable, s?.urgent_kinds ?? []);
}
