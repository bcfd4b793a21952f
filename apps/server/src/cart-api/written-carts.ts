import { LatestWrites } from '../store/latest-writes.js';
import type { SessionRecord } from '../store/session-store.js';
import { type CartState, stateOf } from './cart-change.js';

/**
 * The states of the carts this process wrote last, each with the exact text it was stored as: a
 * storefront's next change to its cart mostly comes back to the same server, and then starts from
 * the kept state instead of parsing and validating the stored cart again. A kept state is used only
 * when the row still holds that very text, so a cart written meanwhile by another process (or by
 * the Sessions API, an import, a CLI) is parsed as stored, never answered from memory.
 */
export class WrittenCarts {
  // Kept in write order, which does all this needs, for less than an LRU cache's get and set.
  readonly #byKey = new LatestWrites<string, { cartValue: string; state: CartState }>();

  /** The state of a stored cart, as {@link stateOf} gives it; shared with later calls, so read only. */
  stateOf(record: Pick<SessionRecord, 'cartKey' | 'cartValue'>): CartState {
    const kept = this.#byKey.get(record.cartKey);
    if (kept !== undefined && kept.cartValue === record.cartValue) return kept.state;
    return stateOf(record);
  }

  /** Keeps the state a cart was just written from, with the text written. */
  remember(cartKey: string, cartValue: string, state: CartState): void {
    this.#byKey.keep(cartKey, { cartValue, state });
  }
}
