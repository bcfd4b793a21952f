/** FNV-1a over a string's UTF-16 code units. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const EMPTY = -1;
const DELETED = -2;

/**
 * cart_key → row index, by open addressing over one Int32Array of row indices, the keys read from
 * the rows themselves (`keyIs`, and `keyAt` to index them afresh): a Map of a million keys costs
 * some 50 bytes a key, this 8 to 16.
 */
export class KeyIndex {
  #slots = new Int32Array(1024).fill(EMPTY);
  #mask = 1023;
  /** Slots holding a row or a deletion mark. */
  #used = 0;
  readonly #keyIs: (row: number, key: string) => boolean;
  readonly #keyAt: (row: number) => string;

  constructor(keyIs: (row: number, key: string) => boolean, keyAt: (row: number) => string) {
    this.#keyIs = keyIs;
    this.#keyAt = keyAt;
  }

  /** The row of `key`, or -1. */
  get(key: string): number {
    const slots = this.#slots;
    for (let s = hashOf(key) & this.#mask; ; s = (s + 1) & this.#mask) {
      const row = slots[s] as number;
      if (row === EMPTY) return -1;
      if (row !== DELETED && this.#keyIs(row, key)) return row;
    }
  }

  /** Points `key` (the key of `row`) at `row`. */
  set(key: string, row: number): void {
    const slots = this.#slots;
    let free = -1;
    for (let s = hashOf(key) & this.#mask; ; s = (s + 1) & this.#mask) {
      const at = slots[s] as number;
      if (at === EMPTY) {
        if (free === -1) {
          free = s;
          this.#used++;
        }
        break;
      }
      if (at === DELETED) {
        if (free === -1) free = s;
        continue;
      }
      if (this.#keyIs(at, key)) {
        slots[s] = row;
        return;
      }
    }
    slots[free] = row;
    if (this.#used * 2 > slots.length) this.#resize();
  }

  /** Forgets `key` when it points at `row`. */
  delete(key: string, row: number): void {
    const slots = this.#slots;
    for (let s = hashOf(key) & this.#mask; ; s = (s + 1) & this.#mask) {
      const at = slots[s] as number;
      if (at === EMPTY) return;
      if (at === row) {
        slots[s] = DELETED;
        return;
      }
    }
  }

  /** Makes room for `rows` keys in all, so that adding them never rehashes the index. */
  reserve(rows: number): void {
    if (KeyIndex.#sizeFor(rows) > this.#slots.length) this.#rehash(KeyIndex.#sizeFor(rows));
  }

  /** Slots for `rows` keys: at most half of them used. */
  static #sizeFor(rows: number): number {
    let size = 1024;
    while (size < rows * 2 + 2) size *= 2;
    return size;
  }

  /** Indexes rows 0 to `rows - 1` afresh (after the rows moved). */
  rebuild(rows: number): void {
    let size = 1024;
    while (size < rows * 2 + 2) size *= 2;
    this.#slots = new Int32Array(size).fill(EMPTY);
    this.#mask = size - 1;
    this.#used = 0;
    for (let row = 0; row < rows; row++) this.set(this.#keyAt(row), row);
  }

  #resize(): void {
    let live = 0;
    for (const row of this.#slots) if (row >= 0) live++;
    let size = 1024;
    while (size < live * 4) size *= 2;
    this.#rehash(size);
  }

  #rehash(size: number): void {
    const old = this.#slots;
    this.#slots = new Int32Array(size).fill(EMPTY);
    this.#mask = size - 1;
    this.#used = 0;
    for (const row of old) if (row >= 0) this.set(this.#keyAt(row), row);
  }
}
