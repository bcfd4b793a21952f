/** Carts a process keeps as it last wrote them (the stores' rows, the cart API's states). */
export const WRITTEN_CARTS_KEPT = 1024;

/**
 * The values last written by key, at most `max`: the one written longest ago is forgotten first. A
 * Map keeps insertion order, so a write moves its key to the end and the first key is the oldest.
 */
export class LatestWrites<K, V> extends Map<K, V> {
  readonly #max: number;

  constructor(max = WRITTEN_CARTS_KEPT) {
    super();
    this.#max = max;
  }

  /** Keeps `value` as `key`'s latest write. */
  keep(key: K, value: V): void {
    this.delete(key);
    this.set(key, value);
    if (this.size > this.#max) this.delete(this.keys().next().value as K);
  }
}
