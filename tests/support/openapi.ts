/**
 * Reads the API's own OpenAPI document to generate test cases, so a new
 * operation or field is covered without editing the tests.
 */
export type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; items?: Schema; allOf?: Schema[]; required?: string[]; nullable?: boolean };
export interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }>; description?: string }>;
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export interface Op {
  method: string;
  path: string;
  op: Operation;
}

export function operations(doc: OpenApiDoc): Op[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
}

export function resolve(doc: OpenApiDoc, s: Schema | undefined): Schema {
  if (!s) return {};
  if (s.$ref) return resolve(doc, doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]);
  if (s.allOf) return s.allOf.map((x) => resolve(doc, x)).reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
  return s;
}

/** One text field of one operation: where it is and a request carrying `value` in it (and nothing else of note). */
export interface TextFieldCase {
  op: Op;
  where: 'path' | 'query' | 'body';
  /** The field as the API names it in `errors[].field` (body: dotted path, arrays by index). */
  field: string;
  /** The path with every parameter filled in; `value` already placed when the field is a path parameter. */
  url: (params: Record<string, string>) => string;
  body: unknown;
}

/** Every string field (at any depth of a JSON body), every query and every path parameter. */
export function textFieldCases(doc: OpenApiDoc, value: string): TextFieldCase[] {
  const cases: TextFieldCase[] = [];
  for (const op of operations(doc)) {
    const params = op.op.parameters ?? [];
    const fill =
      (own: Record<string, string>, query: Record<string, string> = {}) =>
      (given: Record<string, string>) => {
        const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(own[name] ?? given[name] ?? 'x'));
        const qs = new URLSearchParams(query).toString();
        return qs ? `${path}?${qs}` : path;
      };
    for (const p of params.filter((p) => p.in === 'path')) cases.push({ op, where: 'path', field: p.name, url: fill({ [p.name]: value }), body: {} });
    for (const p of params.filter((p) => p.in === 'query')) cases.push({ op, where: 'query', field: p.name, url: fill({}, { [p.name]: value }), body: {} });
    const json = op.op.requestBody?.content?.['application/json']?.schema;
    if (json) for (const [field, body] of bodyFields(doc, resolve(doc, json), value, '', 0)) cases.push({ op, where: 'body', field, url: fill({}), body });
  }
  return cases;
}

/** [field path, a body with `value` at that path] for each string leaf of the schema. */
function bodyFields(doc: OpenApiDoc, s: Schema, value: string, prefix: string, depth: number): [string, unknown][] {
  if (depth > 6) return [];
  if (s.type === 'string') return [[prefix, value]];
  if (s.type === 'array' && s.items) return bodyFields(doc, resolve(doc, s.items), value, `${prefix}.0`, depth + 1).map(([f, v]) => [f, [v]]);
  if (s.properties) {
    return Object.entries(s.properties).flatMap(([k, sub]) =>
      bodyFields(doc, resolve(doc, sub), value, prefix ? `${prefix}.${k}` : k, depth + 1).map(([f, v]): [string, unknown] => [f, { [k]: v }]),
    );
  }
  return [];
}
