/**
 * Just enough MIME (RFC 2045–2047, 2231) to read what nodemailer sends: the
 * headers, the text/plain body and the attachments' file names.
 * (mailparser is not installed; this keeps the receiver dependency-free.)
 */
export interface ParsedMail {
  headers: Record<string, string>;
  subject: string;
  messageId: string;
  text: string;
  attachments: string[];
}

function splitHeadBody(raw: string): { head: string; body: string } {
  const i = raw.search(/\r?\n\r?\n/);
  if (i < 0) return { head: raw, body: '' };
  const m = /\r?\n\r?\n/.exec(raw.slice(i))!;
  return { head: raw.slice(0, i), body: raw.slice(i + m[0].length) };
}

function parseHeaders(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c > 0) out[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  return out;
}

/** RFC 2047 encoded words (=?UTF-8?B?...?= / =?UTF-8?Q?...?=). */
export function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=(\s+(?==\?))?/g, (_m, _cs: string, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/** Header parameters, joining RFC 2231 continuations (filename*0*=utf-8''%E7..; filename*1*=...). */
function params(value: string): { value: string; params: Record<string, string> } {
  const parts = value.split(';').map((p) => p.trim());
  const raw: Record<string, { i: number; enc: boolean; v: string }[]> = {};
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    const v = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    const m = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(key);
    if (!m) continue;
    (raw[m[1]!] ??= []).push({ i: Number(m[2] ?? 0), enc: !!m[3], v });
  }
  const out: Record<string, string> = {};
  for (const [k, segs] of Object.entries(raw)) {
    segs.sort((a, b) => a.i - b.i);
    let joined = '';
    for (const s of segs) {
      let v = s.v;
      if (s.enc) {
        if (s.i === 0) v = v.replace(/^[^']*'[^']*'/, '');
        joined += v;
      } else joined += encodeURIComponent(decodeWords(v));
    }
    try {
      out[k] = decodeURIComponent(joined);
    } catch {
      out[k] = joined;
    }
  }
  return { value: parts[0]!.toLowerCase(), params: out };
}

function decodeBody(body: string, encoding: string | undefined): Buffer {
  const e = (encoding ?? '7bit').toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (e === 'quoted-printable') {
    const s = body.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
        bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(...Buffer.from(s[i]!, 'utf8'));
    }
    return Buffer.from(bytes);
  }
  return Buffer.from(body, 'utf8');
}

function walk(head: Record<string, string>, body: string, acc: { text: string[]; attachments: string[] }): void {
  const ct = params(head['content-type'] ?? 'text/plain');
  if (ct.value.startsWith('multipart/') && ct.params.boundary) {
    const b = `--${ct.params.boundary}`;
    const pieces = body.split(new RegExp(`\\r?\\n?${b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
    for (const piece of pieces.slice(1)) {
      if (!piece.trim()) continue;
      const { head: h, body: pb } = splitHeadBody(piece);
      walk(parseHeaders(h), pb, acc);
    }
    return;
  }
  const cd = head['content-disposition'] ? params(head['content-disposition']) : null;
  const filename = cd?.params.filename ?? ct.params.name;
  if (cd?.value === 'attachment' || filename) {
    acc.attachments.push(filename ?? '(unnamed)');
    return;
  }
  if (ct.value === 'text/plain') acc.text.push(decodeBody(body, head['content-transfer-encoding']).toString('utf8'));
}

export function parseMail(raw: string): ParsedMail {
  const { head, body } = splitHeadBody(raw);
  const headers = parseHeaders(head);
  const acc = { text: [] as string[], attachments: [] as string[] };
  walk(headers, body, acc);
  return {
    headers,
    subject: decodeWords(headers.subject ?? ''),
    messageId: (headers['message-id'] ?? '').replace(/^<|>$/g, ''),
    text: acc.text.join('\n').replace(/\r\n/g, '\n').trim(),
    attachments: acc.attachments,
  };
}
