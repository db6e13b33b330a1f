/**
 * SMS through Aliyun (阿里云短信服务), with its official SDK.
 * Docs: https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms
 *       https://help.aliyun.com/zh/sms/developer-reference/api-error-codes
 *       https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
 * SendSms(PhoneNumbers, SignName, TemplateCode, TemplateParam, OutId). Chinese
 * SMS must use an approved template: the template code comes from
 * settings.templates[msg.kind] ?? settings.templates.default, and the
 * notice's short values fill its variables (each at most 35 characters).
 * The SDK (@alicloud/dysmsapi20170525 4.x on @alicloud/openapi-core) signs
 * with ACS3-HMAC-SHA256. Aliyun does not deduplicate by OutId: a crash between
 * its acceptance and our record can send the SMS twice.
 */
import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { Config } from '@alicloud/openapi-client';
import type { ChannelAdapter, OutgoingMessage, ProviderAnswer } from '../channel';
import { PROVIDER_TIMEOUT_MS } from '../http';
import { asObject, mask, optionalString, requiredString, settingsError } from '../settings';
import { headline } from '../text';
import { missingAddress } from './errcode';

export interface SmsSettings {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** Notice kind → approved template code; `default` is required. */
  templates: Record<string, string>;
  /** Host[:port] of the API; dysmsapi.aliyuncs.com in production. */
  endpoint: string;
  protocol: 'https' | 'http';
}

/** Aliyun's variable limit (a template variable of the common kinds holds at most 35 characters). */
export const SMS_PARAM_MAX = 35;

/** The template variables: the notice's short values, plus its title when the template wants one; each cut to 35 characters. */
export function smsTemplateParam(msg: OutgoingMessage): string {
  const values: Record<string, string> = { title: headline(msg), ...(msg.documentNo ? { no: msg.documentNo } : {}), ...msg.params };
  return JSON.stringify(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [...String(v)].slice(0, SMS_PARAM_MAX).join('')])));
}

/** Business codes worth retrying later: flow control and Aliyun's own trouble; every other isv.* is our data or account. */
function retryableCode(code: string): boolean {
  return code === 'isv.BUSINESS_LIMIT_CONTROL' || code.startsWith('isp.') || /^(Throttling|ServiceUnavailable|InternalError)/.test(code);
}

export const smsAdapter: ChannelAdapter<SmsSettings> = {
  kind: 'sms',
  recognisesRetry: false,
  parseSettings(raw) {
    const o = asObject(raw);
    const t = o.templates;
    if (!t || typeof t !== 'object' || Array.isArray(t)) throw settingsError('templates', '须为通知类型到模板编号的对应表', 'must map notice kinds to template codes');
    const templates: Record<string, string> = {};
    for (const [k, v] of Object.entries(t as Record<string, unknown>)) {
      if (typeof v !== 'string' || !/^SMS_\w{1,40}$/.test(v)) throw settingsError(`templates.${k}`, '须为模板编号（SMS_ 开头）', 'must be a template code (SMS_…)');
      templates[k] = v;
    }
    if (!templates.default) throw settingsError('templates.default', '必填', 'is required');
    const endpoint = optionalString(o, 'endpoint', 255) ?? 'dysmsapi.aliyuncs.com';
    if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(endpoint)) throw settingsError('endpoint', '须为主机名（可带端口）', 'must be a host name, optionally with a port');
    const protocol = optionalString(o, 'protocol', 10) ?? 'https';
    if (protocol !== 'https' && protocol !== 'http') throw settingsError('protocol', '须为 https 或 http', 'must be https or http');
    return {
      accessKeyId: requiredString(o, 'accessKeyId', 100),
      accessKeySecret: requiredString(o, 'accessKeySecret', 200),
      signName: requiredString(o, 'signName', 50),
      templates,
      endpoint,
      protocol,
    };
  },
  redact(s) {
    return { ...s, accessKeySecret: mask(s.accessKeySecret) };
  },
  async send(msg, target, s): Promise<ProviderAnswer> {
    if (!target.address) return missingAddress('mobile number');
    const client = new Dysmsapi(
      new Config({
        accessKeyId: s.accessKeyId,
        accessKeySecret: s.accessKeySecret,
        endpoint: s.endpoint,
        protocol: s.protocol,
        readTimeout: PROVIDER_TIMEOUT_MS,
        connectTimeout: PROVIDER_TIMEOUT_MS,
      }),
    );
    const request = new SendSmsRequest({
      phoneNumbers: target.address,
      signName: s.signName,
      templateCode: s.templates[msg.kind] ?? s.templates.default,
      templateParam: smsTemplateParam(msg),
      outId: msg.deliveryId,
    });
    try {
      const res = await client.sendSms(request);
      const b = res.body;
      const answer = { Code: b?.code, Message: b?.message, BizId: b?.bizId, RequestId: b?.requestId };
      if (b?.code === 'OK') return { ok: true, retryable: false, httpStatus: res.statusCode, providerMessageId: b.bizId, answer };
      return { ok: false, retryable: retryableCode(b?.code ?? ''), httpStatus: res.statusCode, answer, error: `${b?.code} ${b?.message ?? ''}`.trim() };
    } catch (err) {
      // The SDK throws for HTTP errors (with the gateway's Code) and for network failures (no status).
      const e = err as { code?: string; message?: string; statusCode?: number; data?: { statusCode?: number; Code?: string; Message?: string; RequestId?: string } };
      const status = e.statusCode ?? e.data?.statusCode;
      const code = e.data?.Code ?? e.code ?? '';
      const retryable = status === undefined || status >= 500 || status === 429 || retryableCode(code);
      return {
        ok: false,
        retryable,
        httpStatus: status,
        answer: e.data ? { Code: e.data.Code, Message: e.data.Message, RequestId: e.data.RequestId } : undefined,
        error: `${code} ${(e.message ?? '').replace(s.accessKeySecret, '******')}`.trim(),
      };
    }
  },
};
