import type { EntityManager } from 'typeorm';
import type { PersonalChannel } from '../../channels/src/channel';
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
 * What applies to a person, per notice kind (own, else org default, else built
 * in; within the allowed channels; urgent kinds never digested): the same
 * answer the preferences API shows, for whoever plans deliveries.
 */
export async function effectivePreferencesOf(em: EntityManager, personId: string): Promise<EffectivePreference[]> {
  const [s]: { allowed_channels: PersonalChannel[]; urgent_kinds: string[] }[] = await em.query(`SELECT allowed_channels, urgent_kinds FROM notice_settings WHERE id = 1`);
  return effectivePreferences(await choicesOf(em, personId), await choicesOf(em, null), s?.allowed_channels ?? [], s?.urgent_kinds ?? []);
}
