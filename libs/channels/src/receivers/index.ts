import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelKind } from '../channel';
import { routeHttp, type ReceiverContext } from './http-receivers';
import { DEMO_SMS_SIGN, newReceiverSecrets, type ReceiverSecrets } from './secrets';
import { startSmtpReceiver } from './smtp';
import { ReceiverState } from './state';
import type { ReceivedMessage, Receivers } from './types';

export type { FailHow, ReceivedMessage, Receivers } from './types';
export { formatReceived, RECEIVER_NAMES } from './print';
export { DEMO_SMS_TEMPLATES, DEMO_SMS_SIGN, newReceiverSecrets, type ReceiverSecrets } from './secrets';

/** Channels whose receiving end recognises a retry: a repeat is not shown to anyone. */
const RECOGNISED_BY_RECEIVER: ChannelKind[] = ['webhook'];

/**
 * Local stand-ins for every provider, for tests and the demo: one HTTP server
 * (a path prefix per provider; Aliyun's SDK posts to "/" and is routed by its
 * x-acs-action header) and one SMTP server. Each checks the provider's
 * documented payload and signature and answers as the provider does.
 */
export interface ReceiverOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  smtpPort?: number;
  /** Fixed credentials (the demo keeps them across restarts); the rest are fresh random ones. */
  secrets?: Partial<ReceiverSecrets>;
  /** Called for every request taken (the demo prints DingTalk-style messages as they arrive). */
  onMessage?: (m: ReceivedMessage) => void;
}

export async function startReceivers(opts: ReceiverOptions = {}): Promise<Receivers> {
  const host = opts.host ?? '127.0.0.1';
  const state = new ReceiverState(opts.onMessage);
  const secrets: ReceiverSecrets = { ...newReceiverSecrets(), ...opts.secrets };
  const ctx: ReceiverContext = { state, secrets, tokens: new Map() };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1024 * 1024) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://receiver');
      let json: unknown;
      try {
        json = raw ? JSON.parse(raw) : undefined;
      } catch {
        json = undefined;
      }
      routeHttp(ctx, { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, raw, json })
        .then((a) => {
          res.writeHead(a.status, { 'content-type': 'application/json;charset=utf-8', ...a.headers });
          res.end(JSON.stringify(a.body));
        })
        .catch((err: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: String(err) }));
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const httpPort = (server.address() as AddressInfo).port;
  const baseUrl = `http://${host}:${httpPort}`;
  const smtp = await startSmtpReceiver(state, secrets, host, opts.smtpPort ?? 0);

  const settings: Record<ChannelKind, () => Record<string, unknown>> = {
    webhook: () => ({ url: `${baseUrl}/webhook/duban`, secret: secrets.webhookSecret }),
    dingtalk_robot: () => ({ webhookUrl: `${baseUrl}/dingtalk/robot/send?access_token=${secrets.dingtalkRobotToken}`, secret: secrets.dingtalkRobotSecret }),
    dingtalk_work: () => ({ apiBase: `${baseUrl}/dingtalk`, appKey: secrets.dingtalkAppKey, appSecret: secrets.dingtalkAppSecret, agentId: secrets.dingtalkAgentId }),
    wecom_robot: () => ({ webhookUrl: `${baseUrl}/wecom/cgi-bin/webhook/send?key=${secrets.wecomRobotKey}` }),
    wecom_app: () => ({ apiBase: `${baseUrl}/wecom`, corpId: secrets.wecomCorpId, corpSecret: secrets.wecomCorpSecret, agentId: secrets.wecomAgentId }),
    feishu_bot: () => ({ webhookUrl: `${baseUrl}/feishu/open-apis/bot/v2/hook/${secrets.feishuHookId}`, secret: secrets.feishuSecret }),
    sms: () => ({
      endpoint: `${host}:${httpPort}`,
      protocol: 'http',
      accessKeyId: secrets.aliyunAccessKeyId,
      accessKeySecret: secrets.aliyunAccessKeySecret,
      signName: DEMO_SMS_SIGN,
      templates: { default: 'SMS_DUBAN_NOTICE', escalation: 'SMS_DUBAN_ESCALATION' },
    }),
    email: () => ({ host, port: smtp.port, secure: false, user: secrets.smtpUser, pass: secrets.smtpPass, from: '督办系统 <duban@county.local>' }),
  };

  const messages = (kind?: ChannelKind) => state.received.filter((m) => !kind || m.kind === kind);
  return {
    baseUrl,
    smtpPort: smtp.port,
    settingsFor: (kind) => settings[kind](),
    messages,
    delivered: (kind) => messages(kind).filter((m) => m.signatureOk && !m.dropped && !(RECOGNISED_BY_RECEIVER.includes(m.kind) && m.duplicateOf !== undefined)),
    failedCount: (kind) => state.failedCount(kind),
    failNext: (kind, n, how) => state.failNext(kind, n, how),
    hold: (kind, ms) => state.hold(kind, ms),
    clear: () => state.clear(),
    close: async () => {
      server.closeAllConnections();
      await Promise.all([new Promise<void>((r) => server.close(() => r())), new Promise<void>((r) => smtp.server.close(() => r()))]);
    },
  };
}
