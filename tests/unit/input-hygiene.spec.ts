/**
 * The text rules of apps/api/src/input-hygiene.ts, one string at a time, and
 * the pipe over a whole body; the same pipe runs on every request (see
 * tests/e2e/input-hygiene.e2e-spec.ts for the real stack).
 */
import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import fc from 'fast-check';
import { InputHygienePipe, MAX_DEPTH, cleanText, textProblem } from '../../apps/api/src/input-hygiene';

const pipe = new InputHygienePipe();
const refusal = (value: unknown, type: 'body' | 'query' | 'param' = 'body', data?: string, metatype?: unknown) => {
  try {
    pipe.transform(value, { type, data, metatype: metatype as never });
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(BadRequestException);
    return (e as BadRequestException).getResponse() as { errors: { field: string; problems: string[] }[]; message: string; messageEn: string };
  }
};

describe('one string', () => {
  test.each(['\u0000', 'a\u0000b', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u009f'])('a control character %j is refused in any field', (v) => {
    expect(textProblem(v, 'text')).toMatch(/control character/);
    expect(textProblem(v, 'password')).toMatch(/control character/);
  });

  test.each(['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'])('bidirectional control %j is refused', (c) => {
    expect(textProblem(`资金${c}缺口`, 'description')).toMatch(/bidirectional/);
  });

  test('free text keeps lines, tabs and markup; single-line names and titles do not', () => {
    expect(textProblem('第一行\n第二行\t<b>x</b>', 'description')).toBeNull();
    expect(textProblem('第一行\n第二行', 'title')).toMatch(/single line/);
    expect(textProblem('<b>x</b>', 'name')).toMatch(/< or >/);
    expect(textProblem('<b>x</b>', 'rungs.0.name.zh')).toMatch(/< or >/);
    expect(textProblem('《通知》', 'title')).toBeNull();
  });

  test('text is NFC and trimmed of whitespace and invisible characters; invisible-only is empty', () => {
    expect(cleanText('  Cafe\u0301 ', 'title')).toBe('Café');
    expect(cleanText('\u200b\ufeff资金\u200d\u00a0', 'title')).toBe('资金');
    expect(cleanText('\u200b\u200c\u200d\u2060\ufeff\u00ad', 'title')).toBe('');
    expect(cleanText('👨\u200d👩\u200d👧', 'text')).toBe('👨\u200d👩\u200d👧'); // joiners inside text stay
  });

  test('secrets are never changed', () => {
    expect(cleanText(' pass word\u200b ', 'newPassword')).toBe(' pass word\u200b ');
    expect(textProblem('p\u202eass', 'password')).toBeNull();
  });

  test('property: clean text is NFC, has no edge whitespace, and cleaning again changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const c = cleanText(s, 'text');
        expect(c).toBe(c.normalize('NFC'));
        expect(c).toBe(c.trim());
        expect(cleanText(c, 'text')).toBe(c);
      }),
    );
  });
});

describe('the pipe over a request', () => {
  test('names every refused field by its path, in the API’s error shape', () => {
    const r = refusal({ title: 'ok', rungs: [{ rung: 'unit' }, { rung: 'x\u0000' }], name: { zh: '<i>', en: 'ok' } });
    expect(r?.errors.map((e) => e.field)).toEqual(['rungs.1.rung', 'name.zh']);
    expect(r?.message).toMatch(/^请求参数有误：rungs\.1\.rung、name\.zh$/);
    expect(r?.messageEn).toBe('Invalid input: rungs.1.rung, name.zh');
  });

  test('query and path parameters are checked by their names', () => {
    expect(refusal({ rung: '\u0000' }, 'query')?.errors[0].field).toBe('rung');
    expect(refusal('\u0000', 'param', 'id')?.errors[0].field).toBe('id');
  });

  test('field names with control characters are refused', () => {
    expect(refusal({ 'a\u0000': 1 })?.errors[0].field).toBe('a\u0000');
  });

  test(`nesting deeper than ${MAX_DEPTH} is refused, however deep`, () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(refusal(deep)?.errors[0].problems[0]).toMatch(/nested more than/);
    let ok: unknown = 'x';
    for (let i = 0; i < MAX_DEPTH - 1; i++) ok = { a: ok };
    expect(refusal(ok)).toBeNull();
  });

  test('clean values come back normalised; other types untouched', () => {
    expect(pipe.transform({ title: ' a ', n: 1, b: true, list: [' x '], nested: { s: '\u200by' } }, { type: 'body' })).toEqual({
      title: 'a',
      n: 1,
      b: true,
      list: ['x'],
      nested: { s: 'y' },
    });
    const ctx = { actor: { name: '\u0000' } };
    expect(pipe.transform(ctx, { type: 'custom' })).toBe(ctx); // the request context is not input
  });

  test('null only where the document says the field takes null', () => {
    class Dto {
      @ApiPropertyOptional({ nullable: true }) clearable?: string | null;
      @ApiPropertyOptional() optional?: string;
      @ApiProperty() required: string;
    }
    expect(refusal({ clearable: null, required: 'x' }, 'body', undefined, Dto)).toBeNull();
    expect(refusal({ optional: null, required: null }, 'body', undefined, Dto)?.errors.map((e) => e.field)).toEqual(['optional', 'required']);
  });
});
