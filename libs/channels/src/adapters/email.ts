/**
 * E-mail over SMTP with nodemailer (https://nodemailer.com/smtp/).
 * Message-ID <deliveryId@duban.local> lets a mail client thread or spot a
 * repeat, but SMTP itself cannot refuse one: a crash between the relay's 250
 * and our record can deliver the mail twice. The 督办通知单 PDF comes in
 * msg.attachments and is attached as is.
 */
import nodemailer from 'nodemailer';
import type { ChannelAdapter, ProviderAnswer } from '../channel';
import { PROVIDER_TIMEOUT_MS } from '../http';
import { asObject, mask, optionalBool, optionalInt, optionalString, requiredString, settingsError } from '../settings';
import { headline, plainText } from '../text';
import { missingAddress } from './errcode';

export interface EmailSettings {
  host: string;
  port: number;
  /** true: TLS from the start (port 465); false: STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  pass?: string;
  from: string;
}

/** Network trouble and 4xx replies are transient; 5xx replies and a refused login are not. */
function classify(err: unknown): ProviderAnswer {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const transientCode = ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED'].includes(e.code ?? '');
  const retryable = e.code === 'EAUTH' ? false : e.responseCode ? e.responseCode < 500 : transientCode || !e.code || e.code === 'EPROTOCOL';
  return { ok: false, retryable, answer: { code: e.code, responseCode: e.responseCode, response: e.response }, error: e.message ?? String(err) };
}

export const emailAdapter: ChannelAdapter<EmailSettings> = {
  kind: 'email',
  recognisesRetry: false,
  parseSettings(raw) {
    const o = asObject(raw);
    const host = requiredString(o, 'host', 255);
    if (!/^[A-Za-z0-9.-]+$/.test(host)) throw settingsError('host', '须为主机名或 IP 地址', 'must be a host name or IP address');
    const secure = optionalBool(o, 'secure') ?? false;
    const user = optionalString(o, 'user', 255);
    const pass = optionalString(o, 'pass', 255);
    if (!!user !== !!pass) throw settingsError(user ? 'pass' : 'user', '用户名与密码须同时填写', 'user and pass go together');
    const from = requiredString(o, 'from', 255);
    if (!/@/.test(from)) throw settingsError('from', '须为电子邮件地址', 'must be an e-mail address');
    return { host, port: optionalInt(o, 'port', 1, 65_535) ?? (secure ? 465 : 587), secure, user, pass, from };
  },
  redact(s) {
    return { ...s, pass: mask(s.pass) };
  },
  async send(msg, target, s): Promise<ProviderAnswer> {
    if (!target.address) return missingAddress('e-mail address');
    const transport = nodemailer.createTransport({
      host: s.host,
      port: s.port,
      secure: s.secure,
      auth: s.user ? { user: s.user, pass: s.pass } : undefined,
      connectionTimeout: PROVIDER_TIMEOUT_MS,
      greetingTimeout: PROVIDER_TIMEOUT_MS,
      socketTimeout: PROVIDER_TIMEOUT_MS,
    });
    try {
      const info = await transport.sendMail({
        from: s.from,
        to: target.name ? { name: target.name, address: target.address } : target.address,
        subject: headline(msg),
        text: plainText(msg),
        messageId: `<${msg.deliveryId}@duban.local>`,
        attachments: (msg.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      });
      return { ok: true, retryable: false, providerMessageId: info.messageId, answer: { response: info.response, accepted: info.accepted } };
    } catch (err) {
      return classify(err);
    } finally {
      transport.close();
    }
  },
};
