/** The small rules behind 503s and keyed ids: what counts as "the database is down", and name-based ids. */
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnreachable } from '../../libs/persistence/src/unavailable';
import { updateIdFor, uuidV5 } from '../../libs/temporal/src/calls';

test('a database that is not there is told apart from a statement it refuses', () => {
  expect(isDatabaseUnreachable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
  expect(isDatabaseUnreachable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  const shutdown = new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
  expect(isDatabaseUnreachable(shutdown)).toBe(true);
  const duplicate = new QueryFailedError('INSERT', [], Object.assign(new Error('duplicate key'), { code: '23505' }));
  expect(isDatabaseUnreachable(duplicate)).toBe(false);
  expect(isDatabaseUnreachable(new Error('anything else'))).toBe(false);
});

test('keyed ids: RFC 4122 version 5, the same for the same parts, different when a part or its boundary differs', () => {
  const id = uuidV5('blocker', 'person:p1:key-1', 'project-1', '{"title":"x"}');
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(uuidV5('blocker', 'person:p1:key-1', 'project-1', '{"title":"x"}')).toBe(id);
  expect(uuidV5('blocker', 'person:p2:key-1', 'project-1', '{"title":"x"}')).not.toBe(id);
  expect(uuidV5('ab', 'c')).not.toBe(uuidV5('a', 'bc'));
  expect(updateIdFor({ idempotencyKey: 'person:p1:k' }, 'blocker-1', 'act:resolve')).toBe(updateIdFor({ idempotencyKey: 'person:p1:k' }, 'blocker-1', 'act:resolve'));
  expect(updateIdFor({}, 'blocker-1', 'act:resolve')).not.toBe(updateIdFor({}, 'blocker-1', 'act:resolve'));
});
