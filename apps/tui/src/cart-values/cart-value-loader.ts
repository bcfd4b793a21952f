import { isCoCartApiError } from '@cocart-sessions/client';
import type { SessionSource } from '../sessions/source.js';
import { type CartFigures, type CartValue, cartFiguresOf } from './cart-figures.js';

/** Carts read at once: a few, so that a screen fills quickly without crowding the store. */
export const CART_VALUE_CONCURRENCY = 8;

/**
 * Carts whose figures are kept: many screens' worth (what sorting by value works over), yet bounded,
 * so that scrolling through a large store does not grow memory without end.
 */
export const MAX_KEPT_CARTS = 50_000;

/** Options of {@link CartValueLoader}. */
export interface CartValueLoaderOptions {
  /** Requests in flight at most (default {@link CART_VALUE_CONCURRENCY}). */
  concurrency?: number;
  /** Called after each answer: something shown may have changed. */
  onChange?: () => void;
  /** Carts kept at most (default {@link MAX_KEPT_CARTS}); the least recently read go first. */
  maxKept?: number;
}

interface Entry {
  figures?: CartFigures;
  /** Gone (404) or unreadable, and no earlier figures to show. */
  missing: boolean;
  etag?: string;
  /** The round of checks its last answer belongs to; older than the loader's: read again when shown. */
  round: number;
  inFlight: boolean;
}

/**
 * Reads the carts of the rows on screen (`GET /session/<key>` through the client), a few at a time,
 * and keeps their figures per key. Only the keys last asked for are queued, so scrolling past rows
 * never makes the screen wait for them. `revalidate()` starts a new round: a cart shown again is asked
 * with `If-None-Match`, so an unchanged one costs a 304; its figures stay on screen meanwhile.
 */
export class CartValueLoader {
  readonly #source: Pick<SessionSource, 'get'>;
  readonly #concurrency: number;
  readonly #onChange: () => void;
  readonly #maxKept: number;
  // Insertion order is read order: each read moves its entry to the end.
  readonly #entries = new Map<string, Entry>();
  #queue: string[] = [];
  #wanted: readonly string[] = [];
  #active = 0;
  #round = 0;
  #closed = false;
  /** Requests sent so far (tests and the status bar's progress). */
  requests = 0;

  constructor(source: Pick<SessionSource, 'get'>, options: CartValueLoaderOptions = {}) {
    this.#source = source;
    this.#concurrency = Math.max(1, options.concurrency ?? CART_VALUE_CONCURRENCY);
    this.#onChange = options.onChange ?? (() => {});
    this.#maxKept = Math.max(1, options.maxKept ?? MAX_KEPT_CARTS);
  }

  /** What is known of `key`'s cart; `loading` also before it was asked for. */
  valueOf(key: string): CartValue {
    const entry = this.#entries.get(key);
    if (entry?.figures) return { status: 'loaded', figures: entry.figures };
    if (entry?.missing) return { status: 'missing' };
    return { status: 'loading' };
  }

  /** The figures of every cart read so far, by key (what sorting by value or items works over). */
  figures(): Map<string, CartFigures> {
    const out = new Map<string, CartFigures>();
    for (const [key, entry] of this.#entries) if (entry.figures) out.set(key, entry.figures);
    return out;
  }

  /** The keys on screen, in order: they replace whatever was still queued. */
  want(keys: readonly string[]): void {
    this.#wanted = keys;
    this.#queue = keys.filter((k) => this.#due(k));
    this.#pump();
  }

  /** Every cart is checked again when next shown; the ones on screen now, at once. */
  revalidate(): void {
    this.#round++;
    this.want(this.#wanted);
  }

  /** Stops: nothing more is sent and answers still on their way are dropped. */
  close(): void {
    this.#closed = true;
    this.#queue = [];
  }

  #due(key: string): boolean {
    const entry = this.#entries.get(key);
    return entry === undefined || (!entry.inFlight && entry.round < this.#round);
  }

  #pump(): void {
    while (!this.#closed && this.#active < this.#concurrency && this.#queue.length > 0) {
      const key = this.#queue.shift() as string;
      if (this.#due(key)) void this.#read(key);
    }
  }

  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxKept) return;
      if (!entry.inFlight) this.#entries.delete(key);
    }
  }

  async #read(key: string): Promise<void> {
    let entry = this.#entries.get(key);
    if (entry) this.#entries.delete(key);
    else entry = { missing: false, round: -1, inFlight: false };
    this.#entries.set(key, entry);
    this.#evict();
    const round = this.#round;
    entry.inFlight = true;
    this.#active++;
    this.requests++;
    try {
      const answer = await this.#source.get(key, { ifNoneMatch: entry.etag });
      if (!answer.notModified) {
        entry.figures = cartFiguresOf(answer.data);
        entry.etag = answer.etag;
        entry.missing = false;
      }
    } catch (e) {
      if (isCoCartApiError(e) && e.status === 404) {
        entry.figures = undefined;
        entry.etag = undefined;
      }
      // Any other failure keeps what was read before; read again in the next round.
      entry.missing = entry.figures === undefined;
    } finally {
      entry.round = round;
      entry.inFlight = false;
      this.#active--;
    }
    if (this.#closed) return;
    this.#onChange();
    this.#pump();
  }
}
