import { createHash, randomUUID } from 'node:crypto';
import { Client, ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, isGrpcServiceError } from '@temporalio/client';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { temporalIsUp } from './temporal.module';

/**
 * Every call the API (or an activity) makes to Temporal goes through
 * `temporalCall`: it has a deadline, and when Temporal does not answer it
 * fails fast with a 503 (DomainErrorCode.Unavailable) saying so, instead of
 * the SDK's ~22 s of gRPC retries ending in a bare 500.
 */

/**
 * How long one call may take, waiting for the workflow included (e.g. an update waiting for its activity):
 * generous, as a worker starting cold on a busy machine takes seconds; an unreachable Temporal is caught by the probe.
 */
export const TEMPORAL_CALL_DEADLINE_MS = Number(process.env.TEMPORAL_CALL_DEADLINE_MS) || 30_000;
/** A call still waiting this long makes us ask Temporal whether it is there at all. */
const PROBE_AFTER_MS = 1_500;
const PROBE_TIMEOUT_MS = 1_500;
/** What a client is told to wait before retrying (seconds), in the Retry-After header. */
export const TEMPORAL_RETRY_AFTER_S = 5;

export const TEMPORAL_DOWN = {
  zh: '工作流服务（Temporal）暂时不可用，请求未执行，请稍后用同一 Idempotency-Key 重试',
  en: 'The workflow service (Temporal) is unreachable; nothing was done. Retry later with the same Idempotency-Key',
};
const TEMPORAL_SLOW = {
  zh: '工作流服务（Temporal）处理超时，结果未知，请稍后用同一 Idempotency-Key 重试',
  en: 'The workflow service (Temporal) did not answer in time; the outcome is unknown. Retry later with the same Idempotency-Key',
};

export function temporalUnavailable(kind: 'down' | 'timeout'): DomainError {
  const t = kind === 'down' ? TEMPORAL_DOWN : TEMPORAL_SLOW;
  return new DomainError(DomainErrorCode.Unavailable, t.zh, t.en, { dependency: 'temporal', retryAfterSeconds: TEMPORAL_RETRY_AFTER_S });
}

/** gRPC CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE (@grpc/grpc-js is not a direct dependency, so by number). */
const TRANSPORT_CODES: number[] = [1, 4, 14];

/** A failure of the transport (no answer, timed out, cancelled), not an answer from Temporal or the workflow. */
export function isTransportFailure(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const code = grpcCode(err);
  return code !== null && TRANSPORT_CODES.includes(code);
}

const RESOURCE_EXHAUSTED = 8;
const FAILED_PRECONDITION = 9;

/**
 * Temporal answered, but too busy to do it: RESOURCE_EXHAUSTED, or an
 * update-with-start whose update was aborted (seen at 77,000 open matters on
 * the dev server: the workflow's first task outran its 5 s timeout, and the
 * server answered FAILED_PRECONDITION "Update-with-Start could not be
 * executed"). The workflow may have started: the caller retries with the same
 * Idempotency-Key, which joins it, so it is a 503, not a 500.
 */
export function isTemporalOverloaded(err: unknown): boolean {
  const code = grpcCode(err);
  if (code === RESOURCE_EXHAUSTED) return true;
  const grpc = err instanceof ServiceError && isGrpcServiceError(err.cause) ? err.cause : isGrpcServiceError(err) ? err : null;
  return code === FAILED_PRECONDITION && /Update-with-Start could not be executed/i.test(grpc?.details ?? '');
}

function grpcCode(err: unknown): number | null {
  const grpc = err instanceof ServiceError && isGrpcServiceError(err.cause) ? err.cause : isGrpcServiceError(err) ? err : null;
  return grpc?.code ?? null;
}
const UNAVAILABLE = 14;

/**
 * Runs `fn` (one or more client calls) with a deadline. If it is still
 * waiting after PROBE_AFTER_MS and Temporal does not answer a cheap
 * getSystemInfo, it is abandoned at once: a caller learns within ~3 s that
 * Temporal is down. Refusals by the workflow (update failures, not found,
 * already started) pass through unchanged.
 */
export async function temporalCall<T>(client: Client, fn: () => Promise<T>, deadlineMs = TEMPORAL_CALL_DEADLINE_MS): Promise<T> {
  const abort = new AbortController();
  let giveUp: (e: DomainError) => void = () => undefined;
  const gaveUp = new Promise<never>((_, reject) => (giveUp = reject));
  gaveUp.catch(() => undefined);
  const probe = setTimeout(() => {
    void temporalIsUp(client, PROBE_TIMEOUT_MS).then((up) => {
      if (!up) giveUp(temporalUnavailable('down'));
    });
  }, PROBE_AFTER_MS);
  // The SDK's own deadline ends its gRPC calls; the timer makes sure we answer even if a call ignores it.
  const timer = setTimeout(() => giveUp(temporalUnavailable('timeout')), deadlineMs + 500);
  try {
    const run = client.connection.withDeadline(Date.now() + deadlineMs, () => client.connection.withAbortSignal(abort.signal, fn));
    return await Promise.race([run, gaveUp]);
  } catch (err) {
    if (err instanceof DomainError) {
      abort.abort();
      throw err;
    }
    if (isTemporalOverloaded(err)) throw temporalUnavailable('timeout');
    if (!isTransportFailure(err)) throw err;
    // UNAVAILABLE (after the connection's few retries) says it already; a deadline or cancel needs asking.
    if (grpcCode(err) === UNAVAILABLE) throw temporalUnavailable('down');
    throw temporalUnavailable((await temporalIsUp(client, PROBE_TIMEOUT_MS)) ? 'timeout' : 'down');
  } finally {
    clearTimeout(probe);
    clearTimeout(timer);
  }
}

/**
 * A name-based UUID (RFC 4122 version 5, SHA-1) of `parts`: the same parts
 * give the same id in every process, so a retried request derives the same
 * blocker id, workflow id and update id as the attempt that was cut short.
 */
export function uuidV5(...parts: string[]): string {
  const ns = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex'); // the RFC's URL namespace
  const h = createHash('sha1')
    .update(ns)
    .update(parts.map((p) => `${p.length}:${p}`).join('|'))
    .digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** What makes a request's Temporal ids repeatable: its actor-scoped idempotency key, when it has one. */
export interface KeyScope {
  /** `<actor kind>:<actor id>:<Idempotency-Key>`; see RequestContext.idempotencyKey. */
  idempotencyKey?: string;
}

/**
 * The update id for an update sent on behalf of `scope` to `workflowId`:
 * derived from the key, so Temporal runs a retried update once; random
 * without a key. `purpose` tells apart two updates one request sends to one
 * workflow.
 */
export function updateIdFor(scope: KeyScope | undefined, workflowId: string, purpose: string): string {
  return scope?.idempotencyKey ? uuidV5('update', scope.idempotencyKey, workflowId, purpose) : randomUUID();
}
