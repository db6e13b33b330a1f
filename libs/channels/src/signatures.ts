import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature schemes of the providers, each as its documentation states it.
 * Adapters sign with these; the local receivers check with them (and the
 * unit tests pin them to the documents' examples where the documents give any).
 */

/**
 * Duban's own webhook: hex HMAC-SHA256 with the shared secret over
 * `${timestamp}.${rawBody}`, timestamp in milliseconds (X-Duban-Timestamp).
 */
export function dubanWebhookSignature(secret: string, timestampMs: string | number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}.${rawBody}`, 'utf8').digest('hex');
}

/**
 * DingTalk custom robot, 加签: HmacSHA256 with the robot's secret as key over
 * `${timestamp}\n${secret}`, Base64; the caller URL-encodes it into the query.
 * https://open.dingtalk.com/document/orgapp/customize-robot-security-settings
 */
export function dingtalkRobotSign(secret: string, timestampMs: string | number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/**
 * Feishu custom bot, 签名校验: HmacSHA256 with `${timestamp}\n${secret}` as the
 * KEY over an empty message, Base64; timestamp in seconds.
 * https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
 */
export function feishuBotSign(secret: string, timestampSec: string | number): string {
  return createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}

/** RFC 3986 percent-encoding as Aliyun's V3 canonical query string requires (encodeURIComponent plus !'()*). */
export function aliyunPercentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface AliyunV3Request {
  method: string;
  /** The path, already as sent (e.g. "/"). */
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** Lower-case header names to values, as sent. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body (x-acs-content-sha256). */
  hashedPayload: string;
  signedHeaders: string[];
}

/**
 * Aliyun OpenAPI V3 signature (ACS3-HMAC-SHA256), the one the official SDK
 * (@alicloud/openapi-core, used by @alicloud/dysmsapi20170525 4.x) sends:
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedRequestPayload
 *   StringToSign     = "ACS3-HMAC-SHA256" \n hex(SHA256(CanonicalRequest))
 *   Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
 * https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
 */
export function aliyunV3Signature(secret: string, req: AliyunV3Request): string {
  const canonicalQuery = Object.keys(req.query)
    .sort()
    .map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(req.query[k] ?? '')}`)
    .join('&');
  const names = [...req.signedHeaders].map((h) => h.toLowerCase()).sort();
  const canonicalHeaders = names.map((h) => `${h}:${(req.headers[h] ?? '').trim()}\n`).join('');
  const canonicalRequest = [req.method.toUpperCase(), req.path, canonicalQuery, canonicalHeaders, names.join(';'), req.hashedPayload].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
  return createHmac('sha256', secret).update(stringToSign, 'utf8').digest('hex');
}

/** Constant-time comparison of two signatures as strings. */
export function sameSignature(a: string | undefined | null, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
