/**
 * The providers' signature schemes, pinned to fixed vectors: Aliyun's V3
 * (ACS3-HMAC-SHA256) against the example in Aliyun's own documentation, and
 * DingTalk's and Feishu's against their documents' Python samples run on
 * fixed inputs (their pages give the code, not an output).
 */
import { aliyunPercentEncode, aliyunV3Signature, dingtalkRobotSign, dubanWebhookSignature, feishuBotSign, sameSignature } from '../../libs/channels/src/signatures';

describe('channel signatures', () => {
  it('Aliyun V3: the documented RunInstances example signs to the documented signature', () => {
    // https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature and
    // https://help.aliyun.com/zh/model-studio/roa-style-request-body-signature-mechanism (same example request)
    const emptyBodyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const signature = aliyunV3Signature('YourAccessKeySecret', {
      method: 'POST',
      path: '/',
      query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
      headers: {
        host: 'ecs.cn-shanghai.aliyuncs.com',
        'x-acs-action': 'RunInstances',
        'x-acs-content-sha256': emptyBodyHash,
        'x-acs-date': '2023-10-26T09:01:01Z',
        'x-acs-signature-nonce': 'd410180a5abf7fe235dd9b74aca91fc0',
        'x-acs-version': '2014-05-26',
      },
      hashedPayload: emptyBodyHash,
      signedHeaders: ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'],
    });
    expect(signature).toBe('e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804');
  });

  it('Aliyun percent-encoding is RFC 3986 (space %20, * %2A, ~ kept)', () => {
    expect(aliyunPercentEncode("a b*c~d'(!)")).toBe('a%20b%2Ac~d%27%28%21%29');
    expect(aliyunPercentEncode('{"title":"督办"}')).toBe('%7B%22title%22%3A%22%E7%9D%A3%E5%8A%9E%22%7D');
  });

  it('DingTalk 加签: HmacSHA256(key = secret, timestamp + "\\n" + secret), Base64 (the document’s Python sample gives the same)', () => {
    expect(dingtalkRobotSign('this is secret', '1577262236757')).toBe('hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=');
    // URL-encoded into the query as the document says (urllib.parse.quote_plus):
    expect(encodeURIComponent(dingtalkRobotSign('this is secret', '1577262236757'))).toBe('hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D');
  });

  it('Feishu 签名校验: HmacSHA256(key = timestamp + "\\n" + secret, message = ""), Base64, timestamp in seconds', () => {
    expect(feishuBotSign('demo', '1599360473')).toBe('l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=');
  });

  it('Duban webhook: hex HMAC-SHA256(secret, timestamp + "." + rawBody)', () => {
    expect(dubanWebhookSignature('0123456789abcdef', '1764547200000', '{"a":1}')).toBe('7f2ff27390731c4c6ecf26779a08971c30d5549aca1f04c3864afd27f0762f11');
  });

  it('compares signatures in constant time and refuses absent ones', () => {
    expect(sameSignature('abc', 'abc')).toBe(true);
    expect(sameSignature('abd', 'abc')).toBe(false);
    expect(sameSignature('ab', 'abc')).toBe(false);
    expect(sameSignature(undefined, 'abc')).toBe(false);
  });
});
