/** Bytes a column's buffer starts with. */
const FIRST_BYTES = 64 * 1024;

/** `start` of a row whose text is kept as a string (in `other`), not as bytes. */
const OTHER = 0xffffffff;

/** ASCII `A`-`Z` to lower case; any other code as it is. */
const lowerCode = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/**
 * The texts of one column of the list (keys, names or emails). A string per row costs a million rows
 * its header, its slot in an array and the collector's time on each of them; here a row of ASCII
 * text (nearly every one) is its bytes in one buffer, from `start[i]`, `length[i]` long, outside the
 * JS heap. A row with any other character keeps its string. Search and order work on the bytes as
 * they would on the strings: an ASCII byte is its UTF-16 code unit. A text rewritten leaves its old
 * bytes behind, until the buffer is next grown.
 */
export class TextColumn {
  #bytes = Buffer.allocUnsafe(FIRST_BYTES);
  #used = 0;
  /** Bytes no row points at any more. */
  #dead = 0;
  #start = new Uint32Array(0);
  #length = new Uint32Array(0);
  /** The rows whose text is not ASCII alone, and their texts (lower-cased when first asked). */
  #other = new Map<number, string>();
  #otherLower = new Map<number, string>();

  /** Makes room for rows 0 to `rows - 1`. */
  grow(rows: number): void {
    if (rows <= this.#start.length) return;
    const start = new Uint32Array(rows);
    start.set(this.#start);
    const length = new Uint32Array(rows);
    length.set(this.#length);
    this.#start = start;
    this.#length = length;
  }

  /** Sets row `i`'s text (rows below {@link grow}'s count only). */
  set(i: number, text: string): void {
    this.#clear(i);
    if (text === '') return;
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.#used + text.length * 3 > this.#bytes.length) this.#room(text.length * 3);
    const n = this.#bytes.write(text, this.#used, 'utf8');
    if (n !== text.length) {
      // Some character took more than a byte: the row keeps its string, the bytes are not kept.
      this.#other.set(i, text);
      this.#start[i] = OTHER;
      return;
    }
    this.#start[i] = this.#used;
    this.#length[i] = n;
    this.#used += n;
  }

  /** Sets row `i`'s text to `bytes[from, to)`, ASCII alone (rows below {@link grow}'s count only). */
  setBytes(i: number, bytes: Uint8Array, from: number, to: number): void {
    this.#clear(i);
    const n = to - from;
    if (n === 0) return;
    if (this.#used + n > this.#bytes.length) this.#room(n);
    const own = this.#bytes;
    const at = this.#used;
    for (let k = 0; k < n; k++) own[at + k] = bytes[from + k] as number;
    this.#start[i] = this.#used;
    this.#length[i] = n;
    this.#used += n;
  }

  #clear(i: number): void {
    this.#dead += this.#length[i] as number;
    this.#length[i] = 0;
    if (this.#start[i] === OTHER) {
      this.#start[i] = 0;
      this.#other.delete(i);
      this.#otherLower.delete(i);
    }
  }

  /** Room for `more` bytes: the live bytes packed into a new buffer of twice their size, or more. */
  #room(more: number): void {
    const live = this.#used - this.#dead;
    const bytes = Buffer.allocUnsafe(Math.max(FIRST_BYTES, 2 * (live + more)));
    if (this.#dead === 0) {
      this.#bytes.copy(bytes, 0, 0, this.#used);
    } else {
      let at = 0;
      for (let i = 0; i < this.#start.length; i++) {
        const n = this.#length[i] as number;
        if (n === 0) continue;
        const s = this.#start[i] as number;
        this.#bytes.copy(bytes, at, s, s + n);
        this.#start[i] = at;
        at += n;
      }
      this.#used = at;
      this.#dead = 0;
    }
    this.#bytes = bytes;
  }

  /** Row `i`'s text. */
  get(i: number): string {
    const n = this.#length[i] as number;
    if (n === 0) return this.#start[i] === OTHER ? (this.#other.get(i) as string) : '';
    const s = this.#start[i] as number;
    return this.#bytes.toString('latin1', s, s + n);
  }

  /** Row `i`'s text in lower case. */
  #lowerOther(i: number): string {
    let low = this.#otherLower.get(i);
    if (low === undefined) {
      low = (this.#other.get(i) as string).toLowerCase();
      this.#otherLower.set(i, low);
    }
    return low;
  }

  /** True when row `i`'s text is `text`. */
  equals(i: number, text: string): boolean {
    const n = this.#length[i] as number;
    if (n === 0) return this.get(i) === text;
    if (n !== text.length) return false;
    const bytes = this.#bytes;
    const s = this.#start[i] as number;
    for (let k = 0; k < n; k++) if (bytes[s + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  /** True when row `i`'s text is `bytes[from, to)`, ASCII alone. */
  equalsBytes(i: number, bytes: Uint8Array, from: number, to: number): boolean {
    const n = this.#length[i] as number;
    if (n !== to - from) return false;
    if (n === 0) return this.#start[i] !== OTHER;
    const own = this.#bytes;
    const s = this.#start[i] as number;
    for (let k = 0; k < n; k++) if (own[s + k] !== bytes[from + k]) return false;
    return true;
  }

  /** True when row `i`'s text, in lower case, holds `needle` (in lower case already). */
  includesLower(i: number, needle: string): boolean {
    const n = this.#length[i] as number;
    if (n === 0) return this.#start[i] === OTHER ? this.#lowerOther(i).includes(needle) : needle === '';
    const m = needle.length;
    if (m === 0) return true;
    const bytes = this.#bytes;
    const s = this.#start[i] as number;
    const first = needle.charCodeAt(0);
    for (let at = s, last = s + n - m; at <= last; at++) {
      if (lowerCode(bytes[at] as number) !== first) continue;
      let k = 1;
      while (k < m && lowerCode(bytes[at + k] as number) === needle.charCodeAt(k)) k++;
      if (k === m) return true;
    }
    return false;
  }

  /**
   * For an order by text (lower-cased with `lower`): the UTF-16 code unit at `depth` of row `i`,
   * plus one; 0 past its end.
   */
  codeAt(i: number, depth: number, lower: boolean): number {
    const n = this.#length[i] as number;
    if (n === 0 && this.#start[i] === OTHER) {
      const text = lower ? this.#lowerOther(i) : (this.#other.get(i) as string);
      return depth < text.length ? text.charCodeAt(depth) + 1 : 0;
    }
    if (depth >= n) return 0;
    const c = this.#bytes[(this.#start[i] as number) + depth] as number;
    return (lower ? lowerCode(c) : c) + 1;
  }

  /** Orders rows `a` and `b` as `<` orders their texts (lower-cased with `lower`). */
  compare(a: number, b: number, lower: boolean): number {
    for (let depth = 0; ; depth++) {
      const x = this.codeAt(a, depth, lower);
      const y = this.codeAt(b, depth, lower);
      if (x !== y || x === 0) return x - y;
    }
  }

  /** Row `to` takes row `from`'s text, and row `from` is left empty (rows moving down). */
  move(from: number, to: number): void {
    if (from === to) return;
    this.#clear(to);
    this.#start[to] = this.#start[from] as number;
    this.#length[to] = this.#length[from] as number;
    this.#length[from] = 0;
    if (this.#start[from] === OTHER) {
      this.#start[from] = 0;
      this.#other.set(to, this.#other.get(from) as string);
      this.#other.delete(from);
      this.#otherLower.delete(from);
    }
  }

  /** Empties rows `rows` and up. */
  truncate(rows: number): void {
    for (let i = rows; i < this.#length.length; i++) this.#clear(i);
  }
}
