import { SMTPServer } from 'smtp-server';
import type { ReceiverSecrets } from './secrets';
import type { ReceiverState } from './state';
import { parseMail } from './mime';

/**
 * A local SMTP server (smtp-server) standing in for the county's mail relay:
 * it checks the login when one is configured (535 on a wrong password, as a
 * relay does), takes the message, and records its recipients, subject, text
 * and attachment names. No TLS: tests and the demo run on localhost.
 */
export function startSmtpReceiver(state: ReceiverState, secrets: ReceiverSecrets, host: string, port: number): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    banner: 'Duban local mail receiver',
    size: 20 * 1024 * 1024,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === secrets.smtpUser && auth.password === secrets.smtpPass) return cb(null, { user: auth.username });
      state.record({ kind: 'email', at: Date.now(), signatureOk: false, headers: {}, body: null, text: '', rejection: '535 authentication failed', to: auth.username });
      const err = Object.assign(new Error('Invalid username or password'), { responseCode: 535 });
      return cb(err);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (e) => cb(e));
      stream.on('end', () => {
        void (async () => {
          const how = state.takeFailure('email');
          if (how) return cb(Object.assign(new Error(how.status && how.status >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: how.status ?? 451 }));
          const raw = Buffer.concat(chunks).toString('utf8');
          const mail = parseMail(raw);
          state.record(
            {
              kind: 'email',
              at: Date.now(),
              signatureOk: true,
              headers: mail.headers,
              body: raw,
              text: `${mail.subject}\n${mail.text}`,
              subject: mail.subject,
              attachments: mail.attachments,
              deliveryId: mail.messageId.replace(/@duban\.local$/, ''),
              to: session.envelope.rcptTo.map((r) => r.address).join(','),
            },
            mail.messageId || undefined,
          );
          await state.waitHold('email');
          cb();
        })();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : port });
    });
  });
}
