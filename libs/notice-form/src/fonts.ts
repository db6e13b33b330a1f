import { readFileSync } from 'node:fs';

/**
 * Noto Serif SC for every PDF Duban prints (the 督办通知单, the weekly bulletin), from the npm
 * package @expo-google-fonts/noto-serif-sc, so the font installs with `npm ci`, no system fonts.
 * Resolved through Node so the path holds from src (tests) and from dist alike; read once.
 */
let fonts: { regular: Buffer; bold: Buffer } | undefined;
export function fontFiles(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')),
    bold: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf')),
  };
  return fonts;
}

/** Does the current font draw this code point? (pdfkit's fontkit font; when it cannot say, assume yes.) */
export function glyphTest(doc: PDFKit.PDFDocument): (cp: number) => boolean {
  const font = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?: (cp: number) => boolean } } })._font?.font;
  return typeof font?.hasGlyphForCodePoint === 'function' ? (cp) => font.hasGlyphForCodePoint!(cp) : () => true;
}
