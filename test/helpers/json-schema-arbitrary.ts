import fc from 'fast-check';

/**
 * fast-check arbitraries from the JSON Schema 2020-12 subset that @hono/zod-openapi emits for request bodies
 * ($ref, anyOf/oneOf, enum, const, type, string/number/array/object bounds, pattern). zod-fast-check targets
 * zod 3 only, and no maintained converter reads JSON Schema 2020-12, hence this small one.
 */

export type JsonSchema = {
  $ref?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  type?: string | string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
};

export interface ConvertOptions {
  /** components.schemas of the document, for `$ref`. */
  components: Record<string, JsonSchema>;
  /** Longest array generated, whatever maxItems allows (keeps batches small). */
  maxArrayItems?: number;
  /** Longest string generated when the schema allows more. */
  maxStringLength?: number;
  /**
   * Likely-valid values for properties whose rules the schema cannot say (a host, an OID): used three times in
   * four, so that generated bodies get past validation and reach the adapters.
   */
  hints?: Record<string, fc.Arbitrary<unknown>>;
}

export function arbitraryFor(schema: JsonSchema, options: ConvertOptions, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 12) return fc.constant(null);
  const next = (child: JsonSchema) => arbitraryFor(child, options, depth + 1);
  if (schema.$ref) return next(resolveRef(schema.$ref, options.components));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map(next));
  if (schema.allOf) return next(Object.assign({}, ...schema.allOf.map((part) => (part.$ref ? resolveRef(part.$ref, options.components) : part))));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => next({ ...schema, type })));
  switch (types[0]) {
    case 'string':
      return stringArbitrary(schema, options.maxStringLength ?? 64);
    case 'integer':
      return fc.integer({ min: bound(schema, 'min', -(2 ** 31)), max: bound(schema, 'max', 2 ** 31) });
    case 'number':
      return fc.double({ min: bound(schema, 'min', -1e9), max: bound(schema, 'max', 1e9), noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? Infinity, options.maxArrayItems ?? 4));
      return fc.array(schema.items ? next(schema.items) : fc.anything(), { minLength, maxLength });
    }
    case 'object':
      return objectArbitrary(schema, next, options.hints ?? {});
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function resolveRef(ref: string, components: Record<string, JsonSchema>): JsonSchema {
  const name = ref.replace('#/components/schemas/', '');
  const target = components[name];
  if (!target) throw new Error(`unknown $ref ${ref}`);
  return target;
}

function bound(schema: JsonSchema, side: 'min' | 'max', fallback: number): number {
  if (side === 'min') return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : fallback);
  return schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : fallback);
}

function stringArbitrary(schema: JsonSchema, longest: number): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? longest, longest));
  if (schema.pattern) {
    try {
      const matching = fc.stringMatching(new RegExp(schema.pattern));
      return matching.filter((text) => text.length >= minLength && text.length <= (schema.maxLength ?? Infinity));
    } catch {
      // a pattern fast-check cannot invert (lookahead): plain strings, most of them invalid, are fine for a fuzz
    }
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

function objectArbitrary(
  schema: JsonSchema,
  next: (child: JsonSchema) => fc.Arbitrary<unknown>,
  hints: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const property = (key: string, child: JsonSchema) => {
    const hint = Object.hasOwn(hints, key) ? hints[key] : undefined;
    return hint ? fc.oneof({ weight: 3, arbitrary: hint }, { weight: 1, arbitrary: next(child) }) : next(child);
  };
  const record = fc.record(Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, property(key, child)])), {
    requiredKeys: (schema.required ?? []).filter((key) => key in properties),
  });
  if (typeof schema.additionalProperties !== 'object') return record;
  const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), next(schema.additionalProperties), { maxKeys: 3 });
  return fc.tuple(record, extra).map(([known, more]) => ({ ...more, ...known }));
}
