/**
 * Reads a number or true/false written as text in a field the schema types as a number or a boolean: `"512"` in
 * `maxvCpus` is 512. This is how a spec variable reaches a typed field: `${var.NAME}` is text in the YAML, and its
 * value is text after substitution, so the substituted spec is typed here before it is validated. Only exact
 * literals are read (`"lots"` stays text and fails validation, naming the field); `null` is never turned into
 * anything; a field that also takes text keeps it (an image tag `"1.10"` stays `"1.10"`).
 */
type Json = Record<string, unknown>;

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function resolve(schema: unknown, root: Json): Json | undefined {
  let node = schema;
  for (let hops = 0; hops < 16 && node && typeof node === 'object' && '$ref' in node; hops += 1) {
    const ref = String((node as Json).$ref).replace(/^#\//, '');
    node = ref
      .split('/')
      .reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Json)[part] : undefined), root);
  }
  return node && typeof node === 'object' ? (node as Json) : undefined;
}

function typesOf(schema: Json): string[] {
  const type = schema.type;
  return Array.isArray(type) ? type.map(String) : typeof type === 'string' ? [type] : [];
}

function scalar(text: string, types: string[]): unknown {
  if (types.length === 0 || types.includes('string')) return text;
  if ((types.includes('integer') || types.includes('number')) && NUMBER.test(text)) {
    const number = Number(text);
    if (types.includes('number') || Number.isInteger(number)) return number;
  }
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** `value` with its number and boolean fields read from text where `schema` (rooted at `root`) types them so. */
export function coerceScalars(value: unknown, schema: unknown, root: Json): unknown {
  const node = resolve(schema, root);
  if (!node) return value;
  if (typeof value === 'string') return scalar(value, typesOf(node));
  if (Array.isArray(value)) return value.map((item) => coerceScalars(item, node.items, root));
  if (value && typeof value === 'object') {
    const properties = (node.properties ?? {}) as Json;
    const additional = node.additionalProperties;
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => {
        const childSchema =
          key in properties ? properties[key] : typeof additional === 'object' ? additional : undefined;
        return [key, coerceScalars(child, childSchema, root)];
      }),
    );
  }
  return value;
}
