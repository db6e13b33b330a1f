import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { aliyunV3Signature, sameSignature } from '../signatures';
import type { AcceptFn, HttpAnswer, HttpRequestIn, ReceiverContext, RefuseFn } from './http-receivers';
import { DEMO_SMS_SIGN, DEMO_SMS_TEMPLATES } from './secrets';

/**
 * Aliyun SMS (Dysmsapi 2017-05-25, SendSms) as the official SDK reaches it:
 * POST / with the business parameters in the query, x-acs-action/x-acs-version
 * headers, and an ACS3-HMAC-SHA256 Authorization header (the V3 signature).
 * Errors answer as Aliyun documents: gateway errors with HTTP 4xx and a Code
 * (SignatureDoesNotMatch, InvalidAccessKeyId.NotFound), business errors with
 * HTTP 200 and an isv.* Code.
 * https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
 * https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms
 */
const REQUIRED_SIGNED = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];

export async function aliyunSmsReceiver(ctx: ReceiverContext, req: HttpRequestIn, accept: AcceptFn, refuse: RefuseFn): Promise<HttpAnswer> {
  const requestId = randomUUID().toUpperCase();
  const gatewayError = (status: number, Code: string, Message: string) =>
    refuse(ctx, 'sms', req, Code, { status, body: { RequestId: requestId, HostId: 'dysmsapi.aliyuncs.com', Code, Message } });
  const header = (n: string) => {
    const v = req.headers[n];
    return Array.isArray(v) ? v.join(',') : (v ?? '');
  };

  const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(header('authorization'));
  if (!auth) return gatewayError(400, 'MissingAuthorization', 'Authorization is mandatory for this action.');
  const [, accessKeyId, signedHeaderList, signature] = auth;
  if (accessKeyId !== ctx.secrets.aliyunAccessKeyId) return gatewayError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  const signedHeaders = signedHeaderList!.split(';');
  if (REQUIRED_SIGNED.some((h) => !signedHeaders.includes(h))) return gatewayError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
  const hashedPayload = createHash('sha256').update(req.raw, 'utf8').digest('hex');
  if (header('x-acs-content-sha256') !== hashedPayload) return gatewayError(400, 'IncompleteSignature', 'x-acs-content-sha256 does not match the body.');
  const date = Date.parse(header('x-acs-date'));
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(header('x-acs-date')) || Math.abs(Date.now() - date) > 15 * 60_000) {
    return gatewayError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }
  const query: Record<string, string> = {};
  req.query.forEach((v, k) => (query[k] = v));
  const headers: Record<string, string> = {};
  for (const h of signedHeaders) headers[h] = header(h);
  const expected = aliyunV3Signature(ctx.secrets.aliyunAccessKeySecret, { method: req.method, path: req.path, query, headers, hashedPayload, signedHeaders });
  if (!sameSignature(signature, expected)) return gatewayError(400, 'SignatureDoesNotMatch', 'Specified signature does not match our calculation.');
  const nonce = header('x-acs-signature-nonce');
  if (ctx.state.nonces.has(nonce)) return gatewayError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  ctx.state.nonces.add(nonce);
  if (header('x-acs-action') !== 'SendSms' || header('x-acs-version') !== '2017-05-25') {
    return { status: 404, body: { RequestId: requestId, Code: 'InvalidAction.NotFound', Message: 'Specified api is not found, please check your url and method.' } };
  }

  const biz = (Code: string, Message: string): HttpAnswer => ({ status: 200, body: { RequestId: requestId, Code, Message } });
  const phones = (query.PhoneNumbers ?? '').split(',').filter(Boolean);
  if (phones.length === 0 || phones.some((p) => !/^(\+?86|0086)?1[3-9]\d{9}$/.test(p))) return biz('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
  if (query.SignName !== DEMO_SMS_SIGN) return biz('isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名');
  const template = DEMO_SMS_TEMPLATES[query.TemplateCode ?? ''];
  if (!template) return biz('isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板');
  let params: Record<string, unknown> = {};
  try {
    params = query.TemplateParam ? JSON.parse(query.TemplateParam) : {};
  } catch {
    return biz('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
  }
  const vars = [...template.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
  if (vars.some((v) => typeof params[v] !== 'string')) return biz('isv.TEMPLATE_MISSING_PARAMETERS', '模板缺少变量');
  if (vars.some((v) => (params[v] as string).length > 35)) return biz('isv.PARAM_LENGTH_LIMIT', '参数超出长度限制');
  const text = `【${query.SignName}】${template.replace(/\$\{(\w+)\}/g, (_m, v: string) => params[v] as string)}`;

  return accept(
    { kind: 'sms', headers: req.headers, body: query, text, to: phones.join(','), deliveryId: query.OutId },
    (how) =>
      how.code
        ? biz(how.code, how.code === 'isv.BUSINESS_LIMIT_CONTROL' ? '触发分钟级流控Permits:1' : 'error')
        : { status: how.status ?? 503, body: { RequestId: requestId, Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure of the server.' } },
    () => ({ status: 200, body: { RequestId: requestId, Code: 'OK', Message: 'OK', BizId: `${Date.now()}${randomBytes(3).toString('hex')}^0` } }),
    query.OutId ? { key: query.OutId } : undefined,
  );
}
