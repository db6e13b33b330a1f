/**
 * The demo county's stand-ins for DingTalk, WeCom, Feishu, Aliyun SMS, SMTP and a
 * city platform's webhook (libs/channels/src/receivers): started by `npm start`
 * beside the demo, so a newcomer sees a DingTalk-style message arrive when a demo
 * matter climbs. Their credentials are kept in the data folder, so the channels
 * the demo configured keep working after a restart.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ReceiverSecrets, type Receivers, formatReceived, newReceiverSecrets, startReceivers } from '../../../libs/channels/src/receivers';

export interface DemoReceivers {
  receivers: Receivers;
  /** Where every message is also written (the launcher prints it). */
  logFile: string;
}

export async function startDemoReceivers(dataDir: string, env: NodeJS.ProcessEnv, log: (m: string) => void): Promise<DemoReceivers | null> {
  const secretsFile = join(dataDir, 'receivers.json');
  const secrets: ReceiverSecrets = existsSync(secretsFile) ? { ...newReceiverSecrets(), ...JSON.parse(readFileSync(secretsFile, 'utf8')) } : newReceiverSecrets();
  writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  const logFile = join(dataDir, 'received-messages.log');
  const port = Number(env.DUBAN_RECEIVERS_PORT ?? 4010);
  const smtpPort = Number(env.DUBAN_RECEIVERS_SMTP_PORT ?? 2525);
  try {
    const receivers = await startReceivers({
      port,
      smtpPort,
      secrets,
      onMessage: (m) => {
        const text = formatReceived(m);
        console.log(text);
        appendFileSync(logFile, `${text}\n`);
      },
    });
    return { receivers, logFile };
  } catch (err) {
    // The demo runs without them (notices still reach the inbox); say why and how to move them.
    log(`local channel receivers not started (${err instanceof Error ? err.message : err}); set DUBAN_RECEIVERS_PORT / DUBAN_RECEIVERS_SMTP_PORT to free ports`);
    return null;
  }
}
