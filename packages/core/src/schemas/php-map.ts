import { z } from 'zod';

/** The wire form of PHP's empty array: `[]`, which `json_encode` sends for an empty map. */
const PhpEmptyArraySchema = z.tuple([]);

/**
 * A PHP associative array as `json_encode` sends it: `{...}` when it has entries, `[]` when empty.
 * Accepts both and always outputs a plain `Record<string, V>`.
 *
 * @example
 * phpMap(z.number()).parse([]); // {}
 * phpMap(z.number()).parse({ 'GB-VAT': 1.5 }); // { 'GB-VAT': 1.5 }
 */
export function phpMap<V extends z.ZodType>(valueSchema: V) {
  return z.union([
    // The empty array comes first: plugin payloads have far more empty maps than filled ones.
    PhpEmptyArraySchema.transform((): Record<string, z.output<V>> => ({})),
    z.record(z.string(), valueSchema),
  ]);
}

/** Output of {@link phpMap}: a plain string-keyed record. */
export type PhpMap<V> = Record<string, V>;
