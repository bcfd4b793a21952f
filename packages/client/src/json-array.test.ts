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
