import { CallHandler, ExecutionContext, Injectable, NestInterceptor, StreamableFile } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { mayReadContact } from '../../../../libs/domain/src/access';
import { CONTACT_FIELDS, Person } from '../../../../libs/org/src/person.entity';
import type { AuthedRequest } from './access.decorators';

/**
 * Removes personal contact data from every answer, wherever a person appears
 * in it (the people list, a project's liaison leaders, anything added later),
 * unless the caller may read that person's contact data. One place, so that a
 * new endpoint returning people cannot forget it.
 */
@Injectable()
export class ContactPrivacyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const actor = context.switchToHttp().getRequest<AuthedRequest>().actor;
    return next.handle().pipe(map((body) => hideContacts(body, (personId) => mayReadContact(actor, personId))));
  }
}

/** Strips the contact fields of each Person in `value` that `mayRead` refuses (in place; answers are built per request). */
export function hideContacts<T>(value: T, mayRead: (personId: string) => boolean): T {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || depth > 12 || seen.has(v)) return;
    if (v instanceof Date || v instanceof StreamableFile || ArrayBuffer.isView(v) || typeof (v as { pipe?: unknown }).pipe === 'function') return;
    seen.add(v);
    if (v instanceof Person && !mayRead(v.id)) for (const f of CONTACT_FIELDS) delete (v as Partial<Person>)[f];
    for (const child of Array.isArray(v) ? v : Object.values(v)) walk(child, depth + 1);
  };
  walk(value, 0);
  return value;
}
