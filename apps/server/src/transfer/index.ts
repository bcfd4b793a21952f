import type { NewSession, SessionStore } from '../store/session-store.js';
import { formatSessionLine, parseSessionLine } from './json-lines.js';

export { formatSessionLine, parseSessionLine } from './json-lines.js';

/** Text accepted by {@link importSessions}. */
export type JsonLinesInput = string | Iterable<string> | AsyncIterable<string | Uint8Array>;

/** What an import did: lines written, and each rejected line (1-based) with the reason. */
export interface ImportResult {
  imported: number;
  errors: Array<{ line: number; message: string }>;
}

const BATCH = 500;

function isReadableStream(input: object): boolean {
  // Node streams (fs, stdin) yield arbitrary chunks; other iterables (readline, generators) yield lines.
  return typeof (input as { pipe?: unknown }).pipe === 'function';
}

async function* linesOf(input: JsonLinesInput): AsyncIterable<string> {
  if (typeof input === 'string') {
    yield* input.split('\n');
    return;
  }
  if (isReadableStream(input)) {
    const decoder = new TextDecoder();
    let carry = '';
    for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
      carry += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      const parts = carry.split('\n');
      carry = parts.pop() ?? '';
      yield* parts;
    }
    carry += decoder.decode();
    if (carry !== '') yield carry;
    return;
  }
  for await (const item of input as AsyncIterable<string>) {
    const text = item.endsWith('\n') ? item.slice(0, -1) : item;
    yield* text.split('\n');
  }
}

/**
 * Imports sessions from JSON Lines, one `{"cart_key","cart_source","cart_created","cart_expiry","cart"}`
 * a line. Each cart is checked against the core's CartSchema and stored exactly as given; an existing
 * key is replaced. A bad line is reported with its number and nothing of it is written; the others are.
 * Blank lines are skipped.
 *
 * @param input the whole text, lines (readline, generators), or a Node stream of chunks (fs, stdin)
 * @example
 * const { imported, errors } = await importSessions(store, createInterface({ input: createReadStream(file) }));
 */
export async function importSessions(store: SessionStore, input: JsonLinesInput): Promise<ImportResult> {
  const result: ImportResult = { imported: 0, errors: [] };
  let batch: NewSession[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await store.putSessions(batch);
    result.imported += batch.length;
    batch = [];
  };
  let lineNo = 0;
  for await (const rawLine of linesOf(input)) {
    lineNo++;
    const text = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (text.trim() === '') continue;
    const parsed = parseSessionLine(text);
    if ('error' in parsed) {
      result.errors.push({ line: lineNo, message: parsed.error });
      continue;
    }
    batch.push(parsed.session);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return result;
}

/**
 * Every session as a JSON line (without the trailing newline), by `cart_id`, read in batches: the
 * format {@link importSessions} reads, with each cart text exactly as stored.
 */
export async function* exportSessions(store: SessionStore): AsyncIterable<string> {
  for await (const batch of store.streamRecords(500)) {
    for (const r of batch) yield formatSessionLine(r);
  }
}
