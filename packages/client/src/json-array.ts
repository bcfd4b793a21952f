/**
 * Splits the text of a JSON array, arriving in chunks, into batches of whole top-level elements, so a
 * big list can be parsed a slice at a time instead of in one long `JSON.parse`.
 *
 * Each batch is the text between two top-level commas (elements and their separators, no brackets):
 * `JSON.parse('[' + batch + ']')` gives those elements. Only the structure is scanned (strings,
 * nesting); anything malformed surfaces when a batch is parsed or when {@link end} is called.
 */
export class JsonArraySplitter {
  #buf = '';
  #pos = 0;
  /** 'unknown' until the first non-blank character says whether the text is an array. */
  #state: 'unknown' | 'array' | 'not-array' | 'closed' = 'unknown';
  #depth = 0;
  #inString = false;
  /** Start of the batch being gathered in `#buf` (just after `[` or a top-level comma). */
  #start = 0;
  /** Text after the closing `]` (must be blank). */
  #trailer = '';

  /** False once the first non-blank character is not `[`: the caller parses the whole text instead. */
  get isArray(): boolean {
    return this.#state !== 'not-array';
  }

  /** Feeds a chunk; returns the batch of elements it completed, or `undefined` if none. */
  push(chunk: string): string | undefined {
    if (this.#state === 'not-array') return undefined;
    if (this.#state === 'closed') {
      this.#trailer += chunk;
      return undefined;
    }
    this.#buf += chunk;
    if (this.#state === 'unknown') {
      const first = this.#buf.search(/\S/);
      if (first === -1) return undefined;
      if (this.#buf[first] !== '[') {
        this.#state = 'not-array';
        return undefined;
      }
      this.#state = 'array';
      this.#pos = first + 1;
      this.#start = first + 1;
    }
    return this.#scan();
  }

  /** Throws a SyntaxError unless the array was closed and nothing but blanks followed it. */
  end(): void {
    if (this.#state === 'not-array') return;
    if (this.#state !== 'closed') throw new SyntaxError('Unexpected end of JSON input');
    if (/\S/.test(this.#trailer)) throw new SyntaxError('Unexpected non-whitespace character after JSON');
  }

  #scan(): string | undefined {
    const buf = this.#buf;
    const len = buf.length;
    let i = this.#pos;
    let depth = this.#depth;
    let inString = this.#inString;
    let boundary = -1;
    let closedAt = -1;
    while (i < len) {
      if (inString) {
        const quote = buf.indexOf('"', i);
        if (quote === -1) {
          i = len;
          break;
        }
        let backslashes = 0;
        for (let b = quote - 1; b >= 0 && buf.charCodeAt(b) === 92; b--) backslashes++;
        i = quote + 1;
        if (backslashes % 2 === 0) inString = false;
        continue;
      }
      const c = buf.charCodeAt(i);
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (depth === 0) {
          if (c === 125) throw new SyntaxError(`Unexpected token '}' in JSON at position ${i}`);
          closedAt = i;
          i++;
          break;
        }
        depth--;
      } else if (c === 44 && depth === 0) boundary = i;
      i++;
    }
    this.#depth = depth;
    this.#inString = inString;
    if (closedAt !== -1) {
      this.#state = 'closed';
      this.#trailer = buf.slice(closedAt + 1);
      const batch = buf.slice(this.#start, closedAt);
      this.#buf = '';
      this.#pos = 0;
      // A trailing `]` means the array is done: an empty batch only when the array was `[]` or ends `,]`.
      return batch;
    }
    if (boundary === -1) {
      this.#pos = i;
      return undefined;
    }
    const batch = buf.slice(this.#start, boundary);
    this.#buf = buf.slice(boundary + 1);
    this.#pos = i - (boundary + 1);
    this.#start = 0;
    return batch;
  }
}

/**
 * A last element whose one character is beyond Latin-1 (U+2028, allowed raw in a JSON string), so
 * the text {@link parseBatch} hands to `JSON.parse` is two-byte. V8 interns every string value
 * shorter than 10 characters of a one-byte text (every cart id) in its string table, which only a
 * full collection empties: a long list fills the old generation and that table with ids long dropped.
 */
const TWO_BYTE_TAIL = ',"\u2028"]';

/** Parses a batch from {@link JsonArraySplitter}; a blank batch (the `[]` array) is no elements. */
export function parseBatch(batch: string): unknown[] {
  if (!/\S/.test(batch)) return [];
  let elements: unknown[];
  try {
    elements = JSON.parse(`[${batch}${TWO_BYTE_TAIL}`) as unknown[];
  } catch {
    // A malformed batch fails the same without the tail, and its error then tells the batch's own text.
    return JSON.parse(`[${batch}]`) as unknown[];
  }
  elements.pop();
  return elements;
}

type Yielder = () => Promise<void>;

/** A macrotask turn, so timers, I/O and input get their go (a resolved promise would not let them). */
export const yieldToEventLoop: Yielder = (() => {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return () => new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (typeof MessageChannel === 'function') {
    return () =>
      new Promise<void>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve();
        };
        channel.port2.postMessage(undefined);
      });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
})();

/** Milliseconds from a monotonic clock where the runtime has one. */
const clock: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now();

/** Work in slices of about `budgetMs`, with a turn of the event loop between them. */
export class TimeSlicer {
  #since = clock();
  constructor(readonly budgetMs = 12) {}

  /** Yields to the event loop if this slice used its budget. */
  async maybeYield(): Promise<void> {
    if (clock() - this.#since < this.budgetMs) return;
    await yieldToEventLoop();
    this.#since = clock();
  }
}
