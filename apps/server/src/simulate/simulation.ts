import {
  type CoCartClient,
  createClient,
  hasErrorCode,
  isCoCartApiError,
  isCoCartNetworkError,
} from '@cocart-sessions/client';
import { type Cart, formatMoney, type Product, parseCartTotal } from '@cocart-sessions/core';
import { type ShopperAction, ShopperPlanner } from './shopper-plan.js';
import type { SimulateOptions } from './simulate-options.js';
import { emptyTally, finalSummary, summaryLine, type Tally } from './tally.js';

/** Where a simulation writes: stdout and stderr lines. */
export interface SimulationIo {
  out(line: string): void;
  err(line: string): void;
}

/** A simulation that cannot go on (no server, no cart API, no products): exit code 1. */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
}

/** What a finished simulation reports. */
export interface SimulationResult {
  tally: Tally;
  /** Carts whose shoppers had not left when it stopped. */
  open: number;
  seconds: number;
}

/** A shopper's cart as the server last answered it. */
interface Shopper {
  key: string | undefined;
  /** Product id → item key, from the last cart answer. */
  lines: Map<number, string>;
  /** Actions run one after another, each after the server answered the one before. */
  tail: Promise<void>;
  gone: boolean;
}

/** Consecutive network failures after which the server counts as lost. */
const LOST_AFTER = 20;

/** Seconds of silence asked for by a 429 that sends no `Retry-After`. */
const DEFAULT_BACKOFF = 5;

/** Seconds given to requests still in flight once the simulation stops. */
const DRAIN_SECONDS = 10;

/** Counts requests in flight and lets at most `size` run. */
class Slots {
  #free: number;
  readonly #waiting: Array<() => void> = [];
  constructor(size: number) {
    this.#free = size;
  }
  async take(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  give(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The store's products a shopper can buy, from the cart API's `GET products`. */
async function loadProducts(client: CoCartClient, url: string): Promise<Product[]> {
  let products: Product[];
  try {
    products = await client.cart.products();
  } catch (error) {
    if (isCoCartNetworkError(error)) {
      throw new SimulationError(
        `Cannot reach the server at ${url} (${error.message}). Start it (cocart-sessions-server serve) or check --url.`,
      );
    }
    if (isCoCartApiError(error) && error.status === 404) {
      throw new SimulationError(
        `${url} has no cart API (GET products answered 404 ${error.code}): simulate needs a cocart-sessions server.`,
      );
    }
    throw error;
  }
  const buyable = products.filter((p) => p.add_to_cart.is_purchasable && p.stock.is_in_stock);
  if (buyable.length === 0) throw new SimulationError(`${url} lists no products a cart can hold.`);
  return buyable;
}

function totalOf(cart: Cart): string {
  try {
    return formatMoney(parseCartTotal(cart.totals.total), cart.currency);
  } catch {
    return cart.totals.total;
  }
}

/** Seconds a 429 asks to wait. */
function retryAfter(error: unknown): number {
  const header = isCoCartApiError(error) ? error.response.headers.get('retry-after') : null;
  const seconds = Number(header);
  return header !== null && Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_BACKOFF;
}

/**
 * Drives shopper traffic through the public cart API of the server at `options.url` until `signal`
 * aborts or `options.duration` passes: `options.rate` cart writes a second, decided by a seeded
 * {@link ShopperPlanner}, at most `options.concurrency` requests at once.
 */
export async function runSimulation(
  options: SimulateOptions,
  io: SimulationIo,
  signal: AbortSignal,
): Promise<SimulationResult> {
  const client = createClient({ url: options.url, wpApiPrefix: options.wpApiPrefix, timeout: 10_000 });
  const products = await loadProducts(client, options.url);
  const names = new Map(products.map((p) => [p.id, p.name]));
  const planner = new ShopperPlanner({
    seed: options.seed,
    productIds: products.map((p) => p.id),
    maxOpen: options.maxOpen,
  });
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const durationTimer =
    options.duration === undefined ? undefined : setTimeout(onAbort, options.duration * 1000);
  // Requests still running once the drain time is over are cancelled.
  const cancel = new AbortController();

  const tally = emptyTally();
  const shoppers = new Map<number, Shopper>();
  const slots = new Slots(options.concurrency);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const reported = new Set<string>();
  let pending = 0;
  let settled: () => void = () => {};
  let networkFailures = 0;
  let lost: SimulationError | undefined;
  let creationBlockedUntil = 0;

  const say = (line: string) => {
    if (!options.json) io.out(line);
  };
  /** Each kind of failure once, on stderr, so a flood of them stays readable. */
  const reportOnce = (kind: string, line: string) => {
    if (reported.has(kind)) return;
    reported.add(kind);
    io.err(line);
  };
  const show = (key: string, what: string, cart: Cart | undefined) => {
    if (options.verbose && !options.json) {
      const count = cart ? `${cart.item_count} item${cart.item_count === 1 ? '' : 's'}` : '';
      const total = cart ? ` · ${count}, total ${totalOf(cart)}` : '';
      io.out(`+${elapsed().toFixed(3)}s ${key} ${what}${total}`);
    }
  };
  const productName = (id: number) => names.get(id) ?? `product ${id}`;

  /** A shopper whose cart was refused or is gone: no more actions, nothing kept. */
  const forget = (id: number, shopper: Shopper) => {
    shopper.gone = true;
    planner.drop(id);
    shoppers.delete(id);
  };
  const remember = (shopper: Shopper, cart: Cart) => {
    shopper.lines = new Map(cart.items.map((item) => [item.id, item.item_key]));
  };

  /** Runs one action; true when the server made the write. */
  async function perform(action: ShopperAction, shopper: Shopper): Promise<boolean> {
    if (action.kind === 'create') {
      if (performance.now() < creationBlockedUntil) {
        tally.refused++;
        forget(action.shopper, shopper);
        return false;
      }
      try {
        const { cartKey, cart } = await client.cart.addItem(
          { id: action.productId, quantity: action.quantity },
          { signal: cancel.signal },
        );
        shopper.key = cartKey;
        remember(shopper, cart);
        tally.created++;
        show(cartKey, `new cart: ${action.quantity} × ${productName(action.productId)}`, cart);
      } catch (error) {
        forget(action.shopper, shopper);
        if (isCoCartApiError(error) && error.status === 429) {
          tally.refused++;
          const seconds = retryAfter(error);
          creationBlockedUntil = performance.now() + seconds * 1000;
          io.err(`The server's creation limit answered 429: no new carts for ${seconds} s (lower --rate).`);
          return false;
        }
        throw error;
      }
      return true;
    }
    const key = shopper.key;
    if (key === undefined || shopper.gone) return false;
    const itemKey = 'productId' in action ? shopper.lines.get(action.productId) : undefined;
    let cart: Cart;
    let what: string;
    switch (action.kind) {
      case 'add':
        cart = (
          await client.cart.addItem(
            { id: action.productId, quantity: action.quantity },
            { cartKey: key, signal: cancel.signal },
          )
        ).cart;
        tally.added++;
        what = `added ${action.quantity} × ${productName(action.productId)}`;
        break;
      case 'set-quantity':
        if (itemKey === undefined) return false;
        cart = await client.cart.updateItem(key, itemKey, action.quantity, { signal: cancel.signal });
        tally.changed++;
        what = `${productName(action.productId)}: quantity ${action.quantity}`;
        break;
      case 'remove':
        if (itemKey === undefined) return false;
        cart = await client.cart.removeItem(key, itemKey, { signal: cancel.signal });
        tally.removed++;
        what = `removed ${productName(action.productId)}`;
        break;
      case 'name':
        cart = await client.cart.updateCustomer(
          key,
          { first_name: action.firstName, last_name: action.lastName, email: action.email },
          { signal: cancel.signal },
        );
        tally.named++;
        what = `named ${action.firstName} ${action.lastName} <${action.email}>`;
        break;
      case 'clear':
        cart = await client.cart.clear(key, { signal: cancel.signal });
        tally.cleared++;
        what = 'cleared';
        break;
      default:
        return false;
    }
    remember(shopper, cart);
    show(key, what, cart);
    return true;
  }

  async function attempt(action: ShopperAction, shopper: Shopper): Promise<void> {
    await slots.take();
    try {
      if (cancel.signal.aborted) return;
      if (await perform(action, shopper)) tally.actions++;
      networkFailures = 0;
    } catch (error) {
      if (cancel.signal.aborted) return;
      if (isCoCartNetworkError(error)) {
        tally.errors++;
        networkFailures++;
        reportOnce('network', `Request failed: ${error.message}`);
        if (networkFailures >= LOST_AFTER && !lost) {
          lost = new SimulationError(`Lost the server at ${options.url}: ${error.message}`);
          stop.abort();
        }
        return;
      }
      networkFailures = 0;
      if (hasErrorCode(error, 'cocart_cart_in_session_not_valid')) {
        // Deleted by an administrator, or expired: the shopper has nothing to come back to.
        tally.gone++;
        forget(action.shopper, shopper);
        return;
      }
      tally.errors++;
      const code = isCoCartApiError(error) ? error.code : (error as Error).name;
      reportOnce(`api:${code}`, `Request failed: ${(error as Error).message}`);
    } finally {
      slots.give();
    }
  }

  function dispatch(action: ShopperAction): void {
    let shopper = shoppers.get(action.shopper);
    if (!shopper) {
      shopper = { key: undefined, lines: new Map(), tail: Promise.resolve(), gone: false };
      shoppers.set(action.shopper, shopper);
    }
    const own = shopper;
    pending++;
    own.tail = own.tail
      .then(() => attempt(action, own))
      .finally(() => {
        pending--;
        settled();
      });
  }

  let lastReport = emptyTally();
  let lastReportAt = 0;
  const ticker =
    options.every > 0 && !options.json
      ? setInterval(() => {
          const now = elapsed();
          say(summaryLine(tally, lastReport, now - lastReportAt, now, planner.open));
          lastReport = { ...tally };
          lastReportAt = now;
        }, options.every * 1000)
      : undefined;

  say(
    `Simulating shoppers on ${client.apiUrl}: ${options.rate} cart writes a second, seed ${options.seed}, ` +
      `${products.length} products${options.duration === undefined ? ', until Ctrl-C' : `, for ${options.duration} s`}.`,
  );
  const interval = 1000 / options.rate;
  let due = performance.now();
  try {
    while (!stop.signal.aborted) {
      const action = planner.next();
      if (action.kind === 'abandon') {
        tally.abandoned++;
        const shopper = shoppers.get(action.shopper);
        if (shopper) {
          // Said once the shopper's last requests are answered; the cart itself is left as it is.
          shopper.tail = shopper.tail.then(() => {
            if (shopper.key !== undefined && !shopper.gone) {
              show(shopper.key, 'left (the cart stays until it expires)', undefined);
            }
            shoppers.delete(action.shopper);
          });
        }
        continue;
      }
      await sleep(due - performance.now(), stop.signal);
      if (stop.signal.aborted) break;
      // Behind schedule by more than a second (a slow server): start again from now, no burst.
      due = Math.max(due + interval, performance.now() - 1000);
      while (pending >= options.concurrency * 2 && !stop.signal.aborted) {
        await new Promise<void>((resolve) => {
          settled = resolve;
        });
      }
      dispatch(action);
    }
    const drained = Promise.all([...shoppers.values()].map((s) => s.tail));
    const timeout = new AbortController();
    await Promise.race([drained, sleep(DRAIN_SECONDS * 1000, timeout.signal)]);
    timeout.abort();
    cancel.abort();
    await drained;
  } finally {
    clearTimeout(durationTimer);
    clearInterval(ticker);
    signal.removeEventListener('abort', onAbort);
  }
  if (lost) throw lost;
  const seconds = elapsed();
  const result = { tally, open: planner.open, seconds };
  if (options.json)
    io.out(JSON.stringify({ seconds: Number(seconds.toFixed(3)), open: result.open, ...tally }));
  else for (const line of finalSummary(tally, seconds, result.open, options.url)) io.out(line);
  return result;
}
