// A small JSON Schema checker for the subset our OpenAPI schemas use (type, enum, const, properties, required,
// additionalProperties, items, minItems, oneOf, local $ref), so tests can hold real responses to the document.

type Schema = Record<string, unknown>;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Problems found, as "path: message"; empty when `value` conforms. `root` resolves `#/…` references. */
export function schemaProblems(value: unknown, schema: Schema, root: Schema, path = '$'): string[] {
  if (typeof schema['$ref'] === 'string') {
    const target = (schema['$ref'] as string).slice(2).split('/').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], root);
    if (!target) return [`${path}: unresolved ${schema['$ref']}`];
    return schemaProblems(value, target as Schema, root, path);
  }
  if (Array.isArray(schema['oneOf'])) {
    const passing = (schema['oneOf'] as Schema[]).filter((s) => schemaProblems(value, s, root, path).length === 0).length;
    return passing === 1 ? [] : [`${path}: matches ${passing} of the oneOf alternatives`];
  }
  const problems: string[] = [];
  const actual = typeOf(value);
  if (schema['type'] !== undefined) {
    const allowed = ([] as string[]).concat(schema['type'] as string | string[]);
    if (!allowed.includes(actual) && !(actual === 'integer' && allowed.includes('number'))) return [`${path}: ${actual}, expected ${allowed.join(' or ')}`];
  }
  if ('const' in schema && JSON.stringify(schema['const']) !== JSON.stringify(value)) problems.push(`${path}: not ${JSON.stringify(schema['const'])}`);
  if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (actual === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
    for (const name of (schema['required'] ?? []) as string[]) if (!(name in object)) problems.push(`${path}: missing ${name}`);
    for (const [name, item] of Object.entries(object)) {
      if (properties[name]) problems.push(...schemaProblems(item, properties[name]!, root, `${path}.${name}`));
      else if (schema['additionalProperties'] === false) problems.push(`${path}: unexpected property ${name}`);
      else if (typeof schema['additionalProperties'] === 'object') problems.push(...schemaProblems(item, schema['additionalProperties'] as Schema, root, `${path}.${name}`));
    }
  }
  if (actual === 'array') {
    const items = value as unknown[];
    if (typeof schema['minItems'] === 'number' && items.length < schema['minItems']) problems.push(`${path}: fewer than ${schema['minItems']} items`);
    if (schema['items']) items.forEach((item, i) => problems.push(...schemaProblems(item, schema['items'] as Schema, root, `${path}[${i}]`)));
  }
  return problems;
}
