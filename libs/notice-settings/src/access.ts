import { type Actor, isProjectOffice } from '../../domain/src/access';
import { DomainError } from '../../domain/src/errors';

/** The person themself or the project office: who sets up how a person is told and who stands in for them. */
export function mustBeSelfOrOffice(actor: Actor, personId: string): void {
  if (isProjectOffice(actor) || (actor.kind === 'person' && actor.personId === personId)) return;
  throw DomainError.forbidden('只有本人或项目办可以查看或设置', 'Only the person themself or the project office may do this');
}

export const PERSON = { zh: '人员', en: 'Person' };
