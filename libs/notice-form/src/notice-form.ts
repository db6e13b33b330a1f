import { EntityManager } from 'typeorm';
import { loadNoticeForm } from './form-data';
import { renderFormPdf } from './form-pdf';

/**
 * The 督办通知单 of an escalation notice as a one-page PDF in Chinese: what the e-mail channel
 * attaches and what GET /api/notices/{id}/form.pdf answers. Null when the notice carries no
 * document number (it is not an escalation notice or its copy) or does not exist.
 */
export async function renderNoticeForm(em: EntityManager, noticeId: string, zone: string): Promise<{ filename: string; content: Buffer } | null> {
  const data = await loadNoticeForm(em, noticeId, zone);
  if (!data) return null;
  return { filename: formFilename(data.documentNo), content: await renderFormPdf(data) };
}

/** 督办〔2026〕12号.pdf: the number is ours (the yearly counter), but keep a file name safe on any system anyway. */
export function formFilename(documentNo: string): string {
  const name =
    documentNo
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '_')
      .replace(/[/\\:*?"<>|]/g, '_')
      .replace(/\p{Cc}/gu, '_')
      .trim() || 'notice';
  return `${name}.pdf`;
}

/** Content-Disposition for a download: the UTF-8 name (RFC 5987) and an ASCII one for old clients (督办〔2026〕12号 → duban-2026-12). */
export function attachmentDisposition(filename: string): string {
  const numbers = filename.match(/\d+/g);
  const fallback = numbers ? `duban-${numbers.slice(0, 4).join('-')}.pdf` : 'duban-notice.pdf';
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
