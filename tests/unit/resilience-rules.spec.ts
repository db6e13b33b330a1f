/** The small rules behind 503s and keyed ids: what counts as "the database is down", and name-based ids. */
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnreachable } from '../../libs/persistence/src/unavailable';
import { Client, ServiceError } from '@temporalio/client';
import { DomainError, DomainErrorCode } from '../../libs/domain/src/errors';
import { isTemporalOverloaded, temporalCall, updateIdFor, uuidV5 } from '../../libs/temporal/src/calls';

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

/** A gRPC status as @grpc/grpc-js raises it and the SDK wraps it (the shape logged at 77,159 open matters). */
const grpcError = (code: number, details: string) =>
  new ServiceError('Update-With-Start failed', { cause: Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} }) });

test('Temporal too busy to run an update-with-start is a 503 to retry under the same key; its refusals are not', async () => {
  const aborted = grpcError(9, 'Update-with-Start could not be executed.');
  expect(isTemporalOverloaded(aborted)).toBe(true);
  expect(isTemporalOverloaded(grpcError(8, 'namespace rate limit exceeded'))).toBe(true);
  expect(isTemporalOverloaded(grpcError(9, 'some other precondition'))).toBe(false);
  expect(isTemporalOverloaded(grpcError(3, 'invalid argument'))).toBe(false);
  expect(isTemporalOverloaded(new Error('Update-with-Start could not be executed.'))).toBe(false);
  // Through temporalCall, as the API calls it: the connection's deadline and abort wrappers run the call as given.
  const client = { connection: { withDeadline: (_d: number, f: () => unknown) => f(), withAbortSignal: (_s: AbortSignal, f: () => unknown) => f() } } as unknown as Client;
  const err = await temporalCall(client, () => Promise.reject(aborted)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(DomainErrorCode.Unavailable);
  const refused = grpcError(3, 'invalid argument');
  await expect(temporalCall(client, () => Promise.reject(refused))).rejects.toBe(refused);
});
