import type { OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_HEADER } from './idempotency.interceptor';

/** Declares the Idempotency-Key header on every operation the interceptor keys: POST / PUT / PATCH of a signed-in actor. */
export function withIdempotencyHeader(doc: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(doc.paths)) {
    for (const method of ['post', 'put', 'patch'] as const) {
      const op = item[method];
      if (!op || (op as unknown as Record<string, unknown>)['x-public']) continue;
      op.parameters = [
        ...(op.parameters ?? []),
        {
          name: IDEMPOTENCY_HEADER,
          in: 'header',
          required: false,
          description:
            '重试安全：同一键（8–200 个可打印 ASCII 字符，建议 UUID）在 24 小时内重放首次的应答；同一键用于不同请求 → 422；首次仍在处理 → 409 与 Retry-After。' +
            ' / Safe retries: the same key (8–200 printable ASCII characters, e.g. a UUID) replays the first answer for at least 24 h; ' +
            'the same key on another request → 422; the first still running → 409 with Retry-After. Keys are per actor.',
          schema: { type: 'string', minLength: 8, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
        },
      ];
    }
  }
  return doc;
}
