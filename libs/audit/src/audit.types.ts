export type AuditActorKind = 'person' | 'api_key' | 'system' | 'anonymous';

/** Who did it: a person, a system's API key, the workflow engine (`system`), or someone not logged in. */
export interface AuditActor {
  kind: AuditActorKind;
  id: string | null;
  name: string;
}

export const SYSTEM_ACTOR: AuditActor = { kind: 'system', id: null, name: 'system' };

export interface AuditRecord {
  actor: AuditActor;
  /** e.g. `blocker.report`, `project.create`, `auth.login`. */
  action: string;
  targetType: string;
  targetId: string | null;
  /** Small JSON summaries of the target before and after. */
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  requestId?: string | null;
  at?: Date;
}
