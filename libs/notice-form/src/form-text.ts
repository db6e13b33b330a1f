/**
 * User text made safe to print: whatever a title holds (control characters, line and paragraph
 * separators, bidi overrides, zero-width joiners, lone surrogates, emoji the font lacks), the form
 * gets one line of plain, drawable characters. Missing glyphs become □ (the customary mark for a
 * character that cannot be typeset), a run of them one □, so nothing is silently dropped.
 */
export const MISSING = '□';

/** Controls and separators that would break a line or the layout: printed as a space. */
const breaksLine = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029;

/** Invisible format characters: zero-width, joiners, bidi embeddings/overrides/isolates, BOM, fillers, variation selectors, tags. */
const INVISIBLE: [number, number][] = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xe0000, 0xe0fff],
];
const invisible = (cp: number) => INVISIBLE.some(([a, b]) => cp >= a && cp <= b);
const loneSurrogate = (cp: number) => cp >= 0xd800 && cp <= 0xdfff;

export function cleanText(input: string, hasGlyph: (codePoint: number) => boolean, maxChars = Infinity): string {
  let out = '';
  let count = 0;
  for (const ch of String(input).normalize('NFC')) {
    if (count >= maxChars) break;
    const cp = ch.codePointAt(0)!;
    if (invisible(cp)) continue;
    let next = ch;
    if (breaksLine(cp) || cp === 0x20) next = ' ';
    else if (loneSurrogate(cp) || !hasGlyph(cp)) next = MISSING;
    if (next === ' ' && (out === '' || out.endsWith(' '))) continue;
    if (next === MISSING && ch !== MISSING && out.endsWith(MISSING)) continue;
    out += next;
    count++;
  }
  return out.trimEnd();
}
