/**
 * A body as it came, kept for error reports only. Bytes live outside the JS heap, so holding a big
 * list's body costs no garbage-collector copying while it streams in (decoded strings did).
 */
export class ReceivedBody {
  readonly #chunks: Uint8Array[] = [];

  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
  }

  /** The bytes so far as UTF-8 text; a character cut between two chunks is decoded whole. */
  text(): string {
    const decoder = new TextDecoder();
    return this.#chunks.map((c) => decoder.decode(c, { stream: true })).join('') + decoder.decode();
  }
}
