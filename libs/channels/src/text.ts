import type { OutgoingMessage } from './channel';

/**
 * The words of a message on every channel: the Chinese title and body as the
 * notice fixed them, the 督办 document number when there is one, and an
 * urgent mark. The same content on every channel (design/notices.md).
 */
export function headline(msg: OutgoingMessage): string {
  return msg.urgent ? `【紧急】${msg.title}` : msg.title;
}

export function plainText(msg: OutgoingMessage): string {
  const lines = [headline(msg)];
  if (msg.documentNo) lines.push(`文号：${msg.documentNo}`);
  lines.push(msg.body);
  return lines.join('\n');
}

/** Markdown for DingTalk, WeCom and the like: a heading, the number in bold, the body as paragraphs. */
export function markdownText(msg: OutgoingMessage): string {
  const parts = [`### ${headline(msg)}`];
  if (msg.documentNo) parts.push(`**文号：${msg.documentNo}**`);
  parts.push(...msg.body.split(/\n+/).filter((l) => l.trim() !== ''));
  return parts.join('\n\n');
}
