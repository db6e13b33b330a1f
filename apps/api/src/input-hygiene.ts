import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { invalidInput } from './validation';

/**
 * Text hygiene for every request, in one place: a global pipe that runs before
 * validation and walks each body, query and path parameter, so a new DTO gets
 * it without any per-field decorator.
 *
 * Why at the edge: PostgreSQL refuses U+0000 in text, and a NUL that got past
 * the API used to be refused inside a recording activity that retried forever
 * (issue 11). Bidirectional overrides make a title read differently from what
 * is stored; invisible-only titles look blank in every list.
 *
 * The rules, for every string (also inside arrays and objects, and object keys):
 * - C0/C1 control characters are refused (tab, line feed and carriage return
 *   are allowed in free text; single-line fields refuse them too);
 * - bidirectional embedding/override/isolate characters (U+202A–U+202E,
 *   U+2066–U+2069) are refused;
 * - the text is normalised to NFC and trimmed (whitespace and invisible
 *   characters at either end); text that is nothing but invisible characters
 *   becomes '' so a required field's own rule refuses it as blank;
 * - single-line names and titles refuse `<` and `>` (no markup in what lists
 *   and notices show as a heading); free text keeps them and is only ever
 *   rendered escaped (JSON, .xlsx cells).
 * - secrets (passwords, tokens) are checked for control characters only and
 *   never changed: normalising them would lock people out.
 * - null in a body field is refused unless the OpenAPI document declares the
 *   field nullable (`@ApiProperty({ nullable: true })`, e.g. "null to clear"):
 *   class-validator's @IsOptional lets null through, and a null then reached
 *   NOT NULL columns (500).
 * Nesting deeper than MAX_DEPTH is refused (the JSON parser bounds the size).
 */
export const MAX_DEPTH = 16;

/** Refused everywhere: C0 except \t \n \r, DEL and C1. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Refused in single-line fields in addition. */
const LINE_BREAK_OR_TAB = /[\t\n\r\u2028\u2029]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** Characters that show nothing: zero-width space/joiners, word joiner, BOM, soft hyphen, marks. */
const INVISIBLE = '\\u200B-\\u200F\\u2060-\\u2064\\uFEFF\\u00AD\\u180E\\u061C';
const EDGES = new RegExp(`^[\\s${INVISIBLE}]+|[\\s${INVISIBLE}]+$`, 'gu');
const ONLY_INVISIBLE = new RegExp(`^[\\s${INVISIBLE}]*$`, 'u');
const MARKUP = /[<>]/;

/** Field names (last path segment) that are a single line shown as a heading. */
const SINGLE_LINE = new Set(['title', 'name', 'zh', 'en', 'username', 'code', 'documentNo', 'number', 'issuedBy', 'shortName', 'key']);
const SECRET = /password|token|secret/i;

export interface FieldProblem {
  field: string;
  problems: string[];
}

/** What is wrong with one string, or null; pure, so tests and the pipe share it. */
export function textProblem(value: string, field: string): string | null {
  const last = field.split('.').pop() ?? field;
  if (CONTROL.test(value)) return `${field} contains a control character (含不允许的控制字符，如 U+0000)`;
  if (SECRET.test(last)) return null;
  if (BIDI_CONTROL.test(value)) return `${field} contains a bidirectional override character (含文字方向控制字符)`;
  if (SINGLE_LINE.has(last)) {
    if (LINE_BREAK_OR_TAB.test(value.trim())) return `${field} must be a single line (须为单行)`;
    if (MARKUP.test(value)) return `${field} must not contain < or > (不得含尖括号)`;
  }
  return null;
}

/** The cleaned text: NFC, trimmed of whitespace and invisible characters; '' when nothing visible is left. */
export function cleanText(value: string, field: string): string {
  if (SECRET.test(field.split('.').pop() ?? field)) return value;
  const nfc = value.normalize('NFC');
  return ONLY_INVISIBLE.test(nfc) ? '' : nfc.replace(EDGES, '');
}

class Walker {
  readonly problems: FieldProblem[] = [];

  walk(value: unknown, field: string, depth: number): unknown {
    if (typeof value === 'string') {
      const problem = textProblem(value, field || 'value');
      if (problem) {
        this.problems.push({ field: field || 'value', problems: [problem] });
        return value;
      }
      return cleanText(value, field);
    }
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
    if (depth >= MAX_DEPTH) {
      this.problems.push({ field: field || 'body', problems: [`${field || 'body'} is nested more than ${MAX_DEPTH} levels deep (嵌套层级过深)`] });
      return value;
    }
    if (Array.isArray(value)) return value.map((v, i) => this.walk(v, join(field, String(i)), depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const at = join(field, k);
      if (CONTROL.test(k) || BIDI_CONTROL.test(k)) {
        this.problems.push({ field: at, problems: [`${at}: the field name contains a control character (字段名含控制字符)`] });
        continue;
      }
      out[k] = this.walk(v, at, depth + 1);
    }
    return out;
  }
}

/** Where @ApiProperty keeps a property's options (@nestjs/swagger DECORATORS.API_MODEL_PROPERTIES, not exported). */
const SWAGGER_PROPERTY = 'swagger/apiModelProperties';

/** Top-level body fields sent as null that the DTO does not declare nullable. */
function nullsRefused(body: unknown, dto: unknown): FieldProblem[] {
  if (!body || typeof body !== 'object' || Array.isArray(body) || typeof dto !== 'function' || dto === Object) return [];
  const proto = (dto as { prototype: object }).prototype;
  return Object.entries(body as Record<string, unknown>)
    .filter(([k, v]) => v === null && (Reflect.getMetadata(SWAGGER_PROPERTY, proto, k) as { nullable?: boolean } | undefined)?.nullable !== true)
    .map(([k]) => ({ field: k, problems: [`${k} must not be null; leave it out instead (不得为 null，不填请省略)`] }));
}

const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/** Runs before the validation pipe; answers 400 naming every field it refuses. */
@Injectable()
export class InputHygienePipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    if (meta.type === 'custom') return value; // the request context, not input
    const walker = new Walker();
    if (meta.type === 'body' && !meta.data) walker.problems.push(...nullsRefused(value, meta.metatype));
    const cleaned = walker.walk(value, meta.data ?? '', 0);
    if (walker.problems.length) throw invalidInput(walker.problems);
    return cleaned;
  }
}
