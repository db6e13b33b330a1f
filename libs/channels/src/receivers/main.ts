/**
 * The local receivers on their own, for trying the channels by hand:
 *   node dist/libs/channels/src/receivers/main.js [--settings]
 * Ports from DUBAN_RECEIVERS_PORT (HTTP, default 4010) and DUBAN_RECEIVERS_SMTP_PORT
 * (default 2525). Prints every message as it arrives; --settings also prints the
 * channel settings that point each adapter here (local, throwaway credentials).
 */
import { CHANNEL_KINDS } from '../channel';
import { startReceivers } from './index';
import { formatReceived } from './print';

async function main(): Promise<void> {
  const r = await startReceivers({
    port: Number(process.env.DUBAN_RECEIVERS_PORT ?? 4010),
    smtpPort: Number(process.env.DUBAN_RECEIVERS_SMTP_PORT ?? 2525),
    onMessage: (m) => console.log(formatReceived(m)),
  });
  console.log(`Local channel receivers: HTTP ${r.baseUrl} (DingTalk /dingtalk, WeCom /wecom, Feishu /feishu, webhook /webhook, Aliyun SMS /), SMTP port ${r.smtpPort}`);
  if (process.argv.includes('--settings')) for (const k of CHANNEL_KINDS) console.log(`${k}: ${JSON.stringify(r.settingsFor(k))}`);
  const stop = () => void r.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
