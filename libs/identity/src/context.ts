import type { Actor } from '../../domain/src/access';
import type { AuditActor } from '../../audit/src/audit.types';

/** Who is acting and in which request: passed from the API to every command, and on into workflows. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
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
