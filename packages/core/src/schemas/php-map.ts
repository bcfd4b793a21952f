import * as z from 'zod';

// The record schemas made by phpMap, so the JSON Schema generator can describe their `[]` form.
const phpMapRecords = new WeakSet<z.core.$ZodType>();

// PHP's json_encode sends an empty associative array as `[]`; read it as the empty map it is.
function emptyArrayToMap(value: unknown): unknown {
  return Array.isArray(value) && value.length === 0 ? {} : value;
}

/**
 * A PHP associative array as `json_encode` sends it: `{...}` when it has entries, `[]` when empty.
 * Accepts both and always outputs a plain `Record<string, V>`; errors keep their full path.
 *
 * @example
 * phpMap(z.number()).parse([]); // {}
 * phpMap(z.number()).parse({ 'GB-VAT': 1.5 }); // { 'GB-VAT': 1.5 }
 */
export function phpMap<V extends z.ZodType>(valueSchema: V) {
  // A pipe rather than a union: no failing branch on the hot path, and issues point inside the map.
  const record = z.record(z.string(), valueSchema);
  phpMapRecords.add(record);
  return z.preprocess(emptyArrayToMap, record);
}

/** Output of {@link phpMap}: a plain string-keyed record. */
export type PhpMap<V> = Record<string, V>;

/**
 * True for the record schema inside a {@link phpMap}; JSON Schema generation uses it to add the
 * `[]` wire form.
 */
export function isPhpMapRecord(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && phpMapRecords.has(schema as z.core.$ZodType);
}
