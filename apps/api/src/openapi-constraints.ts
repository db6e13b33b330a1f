import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

/** The parts of an OpenAPI schema and a class-validator rule read here (neither package exports its type). */
interface SchemaObject {
  type?: string;
  format?: string;
  properties?: Record<string, SchemaObject | { $ref: string }>;
  items?: SchemaObject | { $ref: string };
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  additionalProperties?: boolean;
}
type DtoClass = abstract new (...args: never[]) => unknown;
interface ValidationMetadata {
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

/**
 * Copies the request DTOs' validation rules (class-validator decorators) into
 * their OpenAPI schemas: lengths, bounds, patterns, formats, array sizes. The
 * decorators stay the one place a rule is written (and unknown fields are
 * refused, so the request schemas are closed); the document says the same
 * thing, so generated clients and schemathesis send what the API accepts.
 * (The @nestjs/swagger CLI plugin does this at compile time; the build here is
 * plain tsc.)
 */
export function addValidationConstraints(doc: OpenAPIObject): void {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<DtoClass, ValidationMetadata[]>;
    getTargetValidationMetadatas(target: DtoClass, schema: string, always: boolean, strict: boolean): ValidationMetadata[];
  };
  const schemas = (doc.components?.schemas ?? {}) as unknown as Record<string, SchemaObject>;
  for (const target of storage.validationMetadatas.keys()) {
    const schema = schemas[target.name];
    if (!schema?.properties) continue;
    // The validation pipe refuses unknown fields (forbidNonWhitelisted): say so.
    schema.additionalProperties = false;
    for (const prop of Object.values(schema.properties)) textRule(prop);
    for (const m of storage.getTargetValidationMetadatas(target, '', true, false)) {
      const prop = schema.properties[m.propertyName] as SchemaObject | undefined;
      if (!prop || '$ref' in prop) continue;
      const at = m.each && prop.type === 'array' && prop.items && !('$ref' in prop.items) ? (prop.items as SchemaObject) : prop;
      constrain(at, m.name ?? '', m.constraints ?? []);
    }
  }
}

/**
 * Text fields: the input-hygiene rule (no control or bidirectional control
 * characters) as a pattern, where the field has no pattern of its own.
 */
const TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]*$';
function textRule(s: SchemaObject | { $ref: string }): void {
  if ('$ref' in s) return;
  if (s.type === 'string' && !s.pattern && !s.enum && !s.format) s.pattern = TEXT_PATTERN;
  if (s.type === 'array' && s.items) textRule(s.items);
}

function constrain(s: SchemaObject, rule: string, c: unknown[]): void {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  switch (rule) {
    case 'isLength':
      s.minLength = num(c[0]) ?? s.minLength;
      s.maxLength = num(c[1]) ?? s.maxLength;
      break;
    case 'minLength':
      s.minLength = num(c[0]);
      break;
    case 'maxLength':
      s.maxLength = num(c[0]);
      break;
    case 'isNotEmpty':
      if (s.type === 'string') s.minLength = Math.max(s.minLength ?? 0, 1);
      break;
    case 'min':
      s.minimum = num(c[0]);
      break;
    case 'max':
      s.maximum = num(c[0]);
      break;
    case 'isInt':
      s.type = 'integer';
      delete s.format;
      break;
    case 'isUuid':
      s.format ??= 'uuid';
      break;
    case 'isDay':
      s.format = 'date';
      break;
    case 'isIso8601':
      s.format ??= 'date-time';
      break;
    case 'matches':
      if (c[0] instanceof RegExp && !c[0].flags) s.pattern = c[0].source;
      break;
    case 'arrayMinSize':
      s.minItems = num(c[0]);
      break;
    case 'arrayMaxSize':
      s.maxItems = num(c[0]);
      break;
    case 'isIn':
      if (!s.enum && Array.isArray(c[0])) s.enum = c[0] as unknown[];
      break;
  }
}
