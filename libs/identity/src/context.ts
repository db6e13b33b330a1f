import type { Actor } from '../../domain/src/access';
import type { AuditActor } from '../../audit/src/audit.types';

/** Who is acting and in which request: passed from the API to every command, and on into workflows. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  /**
   * The request's Idempotency-Key, scoped to its actor (`<kind>:<id>:<key>`),
   * when the client sent one: blocker ids and Temporal update ids derive from
   * it, so a retry after a lost answer does the work once (libs/temporal/src/calls.ts).
   */
  idempotencyKey?: string;
}

export function auditActorOf(actor: Actor): AuditActor {
  switch (actor.kind) {
    case 'person':
      return { kind: 'person', id: actor.personId, name: actor.name };
    case 'api_key':
      return { kind: 'api_key', id: actor.keyId, name: actor.name };
    default:
      return { kind: 'system', id: null, name: 'system' };
  }
}
