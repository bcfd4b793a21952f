import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonArraySplitter, parseBatch } from './json-array.js';

/** Feeds `text` in the given cut points and returns every element the batches hold. */
function splitAll(text: string, cuts: number[]): unknown[] {
  const splitter = new JsonArraySplitter();
  const out: unknown[] = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < text.length)]
    .sort((a, b) => a - b)
    .concat(text.length)) {
    const batch = splitter.push(text.slice(at, cut));
    if (batch !== undefined) out.push(...parseBatch(batch));
    at = cut;
  }
  splitter.end();
  return out;
}

describe('JsonArraySplitter', () => {
  it('gives back exactly the elements of any JSON array, however the text is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue()),
        fc.array(fc.nat()),
        fc.constantFrom(0, 2),
        (values, cuts, indent) => {
          const text = JSON.stringify(values, null, indent);
          const scaled = cuts.map((c) => c % (text.length + 1));
          expect(splitAll(text, scaled)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps strings with brackets, commas, quotes and backslashes whole across cuts', () => {
    const values = [{ a: 'x,]}["\\', b: ['\\"', '\\\\'] }, 'end\\', ']'];
    const text = JSON.stringify(values);
    for (let cut = 1; cut < text.length; cut++) expect(splitAll(text, [cut])).toEqual(values);
  });

  it('reports a body that is not an array, so the caller parses it whole', () => {
    const splitter = new JsonArraySplitter();
    expect(splitter.push('  {"sessions": [1, 2]}')).toBeUndefined();
    expect(splitter.isArray).toBe(false);
  });

  it('refuses truncated arrays, trailing garbage and a stray closing brace', () => {
    expect(() => splitAll('[1, 2', [])).toThrow(SyntaxError);
    expect(() => splitAll('[1, 2] x', [])).toThrow(SyntaxError);
    expect(() => splitAll('[{"a":1}}', [])).toThrow(SyntaxError);
    expect(() => splitAll('[1,,2]', [])).toThrow(SyntaxError);
    expect(() => splitAll('[1,]', [])).toThrow(SyntaxError);
    expect(splitAll(' [ ] ', [])).toEqual([]);
  });
});

describe('parseBatch', () => {
  /** What `parseBatch` must give: the elements of `[batch]`, or the error JSON.parse throws for it. */
  const plain = (batch: string): { elements: unknown } | { error: string } => {
    try {
      return { elements: JSON.parse(`[${batch}]`) };
    } catch (error) {
      return { error: String(error) };
    }
  };
  const outcome = (batch: string): { elements: unknown } | { error: string } => {
    try {
      return { elements: parseBatch(batch) };
    } catch (error) {
      return { error: String(error) };
    }
  };
  const awkward = fc.constantFrom('},', ']', '],[', '"', '\\', '\u2028', 'é', '€', '😀', '1', '');

  it('gives the elements of `[batch]`, short strings, brackets, U+2028 and multi-byte characters included', () => {
    const value = fc.oneof(
      fc.jsonValue(),
      fc.array(awkward, { maxLength: 4 }).map((parts) => parts.join('')),
      fc.record({ cart_id: fc.nat().map(String), name: fc.string() }),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1 }), fc.constantFrom(0, 2), (values, indent) => {
        const text = JSON.stringify(values, null, indent);
        const batch = text.slice(text.indexOf('[') + 1, text.lastIndexOf(']'));
        // What JSON.parse makes of the same array (JSON has no -0: the text of -0 is 0).
        expect(parseBatch(batch)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('fails on a truncated or malformed batch as JSON.parse of `[batch]` fails, with the same message', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1 }), fc.nat(), (values, cut) => {
        const text = JSON.stringify(values);
        const batch = text.slice(1, 1 + (cut % (text.length - 1)));
        expect(outcome(batch)).toEqual(plain(batch));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(awkward, fc.string()), { maxLength: 6 }), (parts) => {
        const batch = parts.join('');
        if (/\S/.test(batch)) expect(outcome(batch)).toEqual(plain(batch));
      }),
      { numRuns: 300 },
    );
    expect(() => parseBatch('{"cart_id":"1"},{"cart_id":"2"')).toThrow(SyntaxError);
    expect(() => parseBatch('"a],')).toThrow(SyntaxError);
  });
});
