import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';

const run = promisify(execFile);

/**
 * A PDF's page count and text, read with unpdf (PDF.js). unpdf loads PDF.js by a dynamic import,
 * which Jest's CommonJS sandbox cannot do, so the reading happens in a plain Node process.
 */
export async function pdfText(pdf: Buffer): Promise<{ pages: number; text: string }> {
  const script = `
    import { extractText, getDocumentProxy } from 'unpdf';
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    const doc = await getDocumentProxy(new Uint8Array(Buffer.concat(chunks)));
    const { totalPages, text } = await extractText(doc, { mergePages: true });
    process.stdout.write(JSON.stringify({ pages: totalPages, text }));
  `;
  const child = run(process.execPath, ['--input-type=module', '-e', script], { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 });
  child.child.stdin!.end(pdf);
  const { stdout } = await child;
  return JSON.parse(stdout) as { pages: number; text: string };
}
