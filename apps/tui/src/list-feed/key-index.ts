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

/** The tag a slot keeps of a key's hash: its top 8 bits (the low ones pick the slot). */
const tagOf = (hash: number): number => hash >>> 24;

/**
 * cart_key → row index, by open addressing over one Int32Array of row indices, the keys read from
 * the rows themselves (`keyIs`, and `keyAt` to index them afresh): a Map of a million keys costs
 * some 50 bytes a key, this 9 to 18. Each slot also keeps 8 bits of its key's hash, so a probe
 * compares a key only when they match (one slot in 256 of the others).
 */
export class KeyIndex {
  #slots = new Int32Array(1024).fill(EMPTY);
  #tags = new Uint8Array(1024);
  #mask = 1023;
  /** Slots holding a row or a deletion mark. */
  #used = 0;
  readonly #keyIs: (row: number, key: string) => boolean;
  readonly #keyAt: (row: number) => string;

  constructor(keyIs: (row: number, key: string) => boolean, keyAt: (row: number) => string) {
    this.#keyIs = keyIs;
    this.#keyAt = keyAt;
  }

  /** The slot holding `key`, or -1. */
  #find(key: string, hash: number): number {
    const slots = this.#slots;
    const tags = this.#tags;
    const tag = tagOf(hash);
    for (let s = hash & this.#mask; ; s = (s + 1) & this.#mask) {
      const row = slots[s] as number;
      if (row === EMPTY) return -1;
      if (row >= 0 && tags[s] === tag && this.#keyIs(row, key)) return s;
    }
  }

  /** The row of `key`, or -1. */
  get(key: string): number {
    const s = this.#find(key, hashOf(key));
    return s === -1 ? -1 : (this.#slots[s] as number);
  }

  /** Points `key` (the key of `row`) at `row`. */
  set(key: string, row: number): void {
    const hash = hashOf(key);
    const s = this.#find(key, hash);
    if (s === -1) this.#insert(hash, row);
    else this.#slots[s] = row;
  }

  /** Points `key`, known not to be indexed, at `row`: no key is compared. */
  add(key: string, row: number): void {
    this.#insert(hashOf(key), row);
  }

  /** Puts `row` in the first free slot (empty or deleted) of `hash`. */
  #insert(hash: number, row: number): void {
    const slots = this.#slots;
    let s = hash & this.#mask;
    while ((slots[s] as number) >= 0) s = (s + 1) & this.#mask;
    if (slots[s] === EMPTY) this.#used++;
    slots[s] = row;
    this.#tags[s] = tagOf(hash);
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
    this.#empty(KeyIndex.#sizeFor(rows));
    for (let row = 0; row < rows; row++) this.add(this.#keyAt(row), row);
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
    this.#empty(size);
    for (const row of old) if (row >= 0) this.add(this.#keyAt(row), row);
  }

  #empty(size: number): void {
    this.#slots = new Int32Array(size).fill(EMPTY);
    this.#tags = new Uint8Array(size);
    this.#mask = size - 1;
    this.#used = 0;
  }
}
