import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorBodyDto } from './dto/responses';
import { addValidationConstraints } from './openapi-constraints';

/**
 * The error answers every operation may give, all with the one error body
 * (errors.filter.ts). Declared here once rather than on each route, so a new
 * route has them too.
 */
export const ERROR_ANSWERS: Record<string, string> = {
  '400': 'Bad input: each refused field is named (请求参数有误)',
  '401': 'Not logged in, or the token has expired (未登录或登录已过期)',
  '403': 'Not allowed (无权操作)',
  '404': 'No such record or route (不存在)',
  '409': 'Conflicts with the current state (与当前状态冲突)',
  '413': 'Request body too large (请求内容过大)',
  '422': 'Refused by a domain rule (不符合业务规则)',
  '429': 'Too many requests; see Retry-After (请求过于频繁)',
  '500': 'Internal error; quote the request id (系统内部错误)',
  '503': 'A service the API needs is unavailable; see Retry-After (服务暂不可用)',
};

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Duban 督办 API')
    .setDescription('重点项目层级督办：问题上报、逾期自动提级、督办通知 / Key-project escalation engine')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'POST /api/auth/login → accessToken' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'API key of a system' }, 'api-key')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('api-key')
    .build();
  const doc = SwaggerModule.createDocument(app, config, { extraModels: [ErrorBodyDto] });
  addValidationConstraints(doc);
  const error = { $ref: `#/components/schemas/${ErrorBodyDto.name}` };
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      for (const [status, description] of Object.entries(ERROR_ANSWERS)) {
        op.responses[status] ??= { description, content: { 'application/json': { schema: error } } };
      }
    }
  }
  return doc;
}
