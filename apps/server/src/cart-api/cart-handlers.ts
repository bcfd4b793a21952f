import {
  AddItemRequestSchema,
  ApiError,
  ClearCartRequestSchema,
  generateGuestKey,
  invalidParams,
  isCartKey,
  itemsMapOf,
  noRoute,
  type ProductSnapshot,
  serializeItemsMap,
  UpdateCustomerRequestSchema,
  UpdateItemRequestSchema,
} from '@cocart-sessions/core';
import type { NextFunction, Request, Response } from 'express';
import { clientKeyOf } from '../auth/client-key.js';
import type { ServerConfig } from '../config.js';
import { emptyCustomer } from '../demo/seed.js';
import { namespaceUrl } from '../handlers/links.js';
import { parseFlag, readQuery } from '../handlers/query.js';
import type { NewSession, SessionRecord, SessionStore } from '../store/session-store.js';
import {
  addLine,
  type CartState,
  cartOf,
  checkQuantity,
  removeLine,
  rewrite,
  sessionOfState,
  setLineQuantity,
} from './cart-change.js';
import { CART_EXPIRING_BEFORE_SECONDS, CART_LIFETIME_SECONDS, MAX_ITEM_ATTRIBUTES } from './cart-limits.js';
import type { CreationLimit } from './creation-limit.js';
import { parseBody, readJsonBody } from './json-body.js';
import { productById, productBySku, productList } from './store-catalog.js';
import { WrittenCarts } from './written-carts.js';

/** What the cart API's handlers need from the app. */
export interface CartApiDeps {
  sessions: SessionStore;
  config: ServerConfig;
  /** Milliseconds, like `Date.now`. */
  clock: () => number;
  creations: CreationLimit;
}

const CART_PARAMS: ReadonlySet<string> = new Set(['cart_key']);
const GET_CART_PARAMS: ReadonlySet<string> = new Set(['cart_key', 'thumb']);
const UPDATE_PARAMS: ReadonlySet<string> = new Set(['cart_key', 'namespace']);
const NO_PARAMS: ReadonlySet<string> = new Set();
const UPDATE_CUSTOMER = 'update-customer';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An `<item_key>` that is not PHP's `\w+` is no route at all, as the plugin's route regex has it. */
export function requireItemKey(req: Request, _res: Response, next: NextFunction): void {
  if (!/^\w{1,64}$/.test(String(req.params.item_key))) throw noRoute();
  next();
}

/**
 * The cart a request names: the `CoCart-API-Cart-Key` header (the plugin reads it after the query,
 * so it wins) or `?cart_key=`; `undefined` when it names none.
 */
function requestedKey(req: Request, query: Readonly<Record<string, string>>): string | undefined {
  const header = req.headers['cocart-api-cart-key'];
  const key = typeof header === 'string' && header !== '' ? header : query.cart_key;
  if (key === undefined || key === '') return undefined;
  if (!isCartKey(key)) throw invalidParams({ cart_key: 'cart_key is not a valid cart key.' });
  return key;
}

function requiredKey(req: Request, query: Readonly<Record<string, string>>): string {
  const key = requestedKey(req, query);
  if (key === undefined) {
    throw new ApiError('rest_missing_callback_param', {
      message: 'Missing parameter(s): cart_key',
      data: { params: ['cart_key'] },
    });
  }
  return key;
}

/** A cart key the store does not hold: the plugin's cart-not-found answer of its Sessions API. */
function cartNotFound(): ApiError {
  return new ApiError('cocart_cart_in_session_not_valid');
}

/** The plugin's cart headers: the key, and when the cart starts to expire and expires (unix seconds). */
function setCartHeaders(res: Response, record: Pick<NewSession, 'cartKey' | 'cartExpiry'>): void {
  res.setHeader('CoCart-API-Cart-Key', record.cartKey);
  res.setHeader('CoCart-API-Cart-Expiring', String(record.cartExpiry - CART_EXPIRING_BEFORE_SECONDS));
  res.setHeader('CoCart-API-Cart-Expiration', String(record.cartExpiry));
}

/** Answers the stored cart text as it is: the same bytes `GET /session/<key>` sends. */
function sendCart(res: Response, record: Pick<NewSession, 'cartKey' | 'cartExpiry' | 'cartValue'>): void {
  setCartHeaders(res, record);
  res.statusCode = 200;
  res.end(record.cartValue);
}

function sendJson(res: Response, record: SessionRecord, value: unknown): void {
  setCartHeaders(res, record);
  res.statusCode = 200;
  res.end(JSON.stringify(value));
}

async function storedCart(sessions: SessionStore, key: string): Promise<SessionRecord> {
  const record = await sessions.getSessionRecord(key);
  if (record === undefined) throw cartNotFound();
  return record;
}

/** A whole-number quantity of a request (the schema let only integers and integer strings through). */
function quantityOf(value: number | string): number {
  return typeof value === 'number' ? value : Number(value.trim());
}

/** The product an add-item request names: by id, or by SKU as the plugin allows, with its variation. */
function requestedProduct(id: number | string, variation: Record<string, string>): ProductSnapshot {
  const text = String(id).trim();
  if (text === '' || text === '0') throw new ApiError('cocart_product_id_required');
  let product: ProductSnapshot | undefined;
  if (/^\d+$/.test(text)) {
    product = productById(Number(text));
    if (product === undefined) throw new ApiError('cocart_product_does_not_exist');
  } else {
    product = productBySku(text);
    if (product === undefined) throw new ApiError('cocart_unknown_product_id');
  }
  return Object.keys(variation).length > 0 ? { ...product, variation } : product;
}

function checkAttributeCount(name: string, map: Record<string, unknown>): void {
  if (Object.keys(map).length > MAX_ITEM_ATTRIBUTES) {
    throw invalidParams({ [name]: `${name} has more than ${MAX_ITEM_ATTRIBUTES} entries.` });
  }
}

/** The cart API's handlers, one per route. */
export function cartHandlers(deps: CartApiDeps) {
  const { sessions, clock, creations } = deps;
  const now = () => Math.floor(clock() / 1000);
  const written = new WrittenCarts();

  /** Changes a stored cart in one store transaction, then answers it. */
  async function changeCart(res: Response, key: string, change: (state: CartState) => CartState) {
    const at = now();
    // The store may call the change again on a row changed meanwhile: the last call's is what it wrote.
    let last: { cartValue: string; state: CartState } | undefined;
    const record = await sessions.updateSession(key, (current) => {
      const state = change(written.stateOf(current));
      const next = rewrite(current, state, at);
      last = { cartValue: next.cartValue, state };
      return next;
    });
    if (record === undefined) throw cartNotFound();
    if (last !== undefined && last.cartValue === record.cartValue) {
      written.remember(record.cartKey, record.cartValue, last.state);
    }
    sendCart(res, record);
  }

  /** A new guest cart holding its first line, under a fresh key from the CSPRNG. */
  async function createCart(req: Request, res: Response, first: (state: CartState) => CartState) {
    const wait = creations.take(clientKeyOf(req.ip ?? ''));
    if (wait > 0) {
      throw new ApiError('cocart_too_many_carts', {
        headers: { 'Retry-After': String(wait) },
        data: { retry_after: wait },
      });
    }
    const at = now();
    const state = first({ lines: [], customer: emptyCustomer() });
    // A taken key (2^-128 odds) is tried again rather than ever handed to a second shopper.
    for (let attempt = 0; attempt < 3; attempt++) {
      const session = sessionOfState(
        generateGuestKey(),
        state,
        { created: at, expiry: at + CART_LIFETIME_SECONDS },
        'cocart',
      );
      if (await sessions.createSession(session)) {
        written.remember(session.cartKey, session.cartValue, state);
        sendCart(res, session);
        return;
      }
    }
    throw new Error('no free cart key after 3 attempts');
  }

  return {
    async addItem(req: Request, res: Response): Promise<void> {
      const query = readQuery(req, CART_PARAMS);
      const key = requestedKey(req, query);
      const body = parseBody(AddItemRequestSchema, await readJsonBody(req, res), ['id']);
      const variation = body.variation ?? {};
      const itemData = body.item_data ?? {};
      checkAttributeCount('variation', variation);
      checkAttributeCount('item_data', itemData);
      const product = requestedProduct(body.id, variation);
      const quantity = checkQuantity(quantityOf(body.quantity ?? 1));
      const add = (state: CartState) => addLine(state, product, quantity, itemData);
      if (key === undefined) await createCart(req, res, add);
      else await changeCart(res, key, add);
    },

    async getCart(req: Request, res: Response): Promise<void> {
      const query = readQuery(req, GET_CART_PARAMS);
      parseFlag('thumb', query.thumb);
      sendCart(res, await storedCart(sessions, requiredKey(req, query)));
    },

    async getItems(req: Request, res: Response): Promise<void> {
      const record = await storedCart(sessions, requiredKey(req, readQuery(req, CART_PARAMS)));
      sendJson(res, record, serializeItemsMap(itemsMapOf(cartOf(record))));
    },

    async countItems(req: Request, res: Response): Promise<void> {
      const record = await storedCart(sessions, requiredKey(req, readQuery(req, CART_PARAMS)));
      sendJson(res, record, cartOf(record).item_count);
    },

    async getTotals(req: Request, res: Response): Promise<void> {
      const record = await storedCart(sessions, requiredKey(req, readQuery(req, CART_PARAMS)));
      const { totals } = cartOf(record);
      // The plugin's check: a total of nothing means no items (or nothing calculated).
      if (Number(totals.total) === 0) throw new ApiError('cocart_cart_totals_empty');
      sendJson(res, record, totals);
    },

    async updateItem(req: Request, res: Response): Promise<void> {
      const key = requiredKey(req, readQuery(req, CART_PARAMS));
      const itemKey = req.params.item_key as string;
      const body = parseBody(UpdateItemRequestSchema, await readJsonBody(req, res), ['quantity']);
      const quantity = quantityOf(body.quantity);
      await changeCart(res, key, (state) => setLineQuantity(state, itemKey, quantity));
    },

    async removeItem(req: Request, res: Response): Promise<void> {
      const key = requiredKey(req, readQuery(req, CART_PARAMS));
      const itemKey = req.params.item_key as string;
      await changeCart(res, key, (state) => removeLine(state, itemKey));
    },

    async clearCart(req: Request, res: Response): Promise<void> {
      const key = requiredKey(req, readQuery(req, CART_PARAMS));
      parseBody(ClearCartRequestSchema, await readJsonBody(req, res), []);
      await changeCart(res, key, (state) => ({ ...state, lines: [] }));
    },

    async updateCustomer(req: Request, res: Response): Promise<void> {
      const query = readQuery(req, UPDATE_PARAMS);
      const key = requiredKey(req, query);
      const body = parseBody(UpdateCustomerRequestSchema, await readJsonBody(req, res), []);
      const namespace = body.namespace ?? query.namespace;
      if (namespace === undefined || namespace === '')
        throw new ApiError('cocart_update_cart_namespace_error');
      if (namespace !== UPDATE_CUSTOMER) {
        throw new ApiError('cocart_update_cart_no_namespace_error', {
          message: `There is no such namespace registered: ${namespace}.`,
        });
      }
      const email = body.email?.trim() ?? '';
      if (email !== '' && !EMAIL.test(email)) {
        throw new ApiError('cocart_email_field_invalid', {
          message: `The provided email address (${email}) is not valid — please provide a valid email address.`,
        });
      }
      // As the plugin: an empty value leaves the field as it was.
      const fields: Array<[keyof typeof body, string]> = [
        ['first_name', 'billing_first_name'],
        ['last_name', 'billing_last_name'],
        ['company', 'billing_company'],
        ['email', 'billing_email'],
        ['phone', 'billing_phone'],
      ];
      await changeCart(res, key, (state) => {
        if (state.lines.length === 0) throw new ApiError('cocart_cart_empty');
        const billing = { ...state.customer.billing_address };
        for (const [from, to] of fields) {
          const value = body[from]?.trim();
          if (value) billing[to] = value;
        }
        return { ...state, customer: { ...state.customer, billing_address: billing } };
      });
    },

    products(req: Request, res: Response): void {
      readQuery(req, NO_PARAMS);
      res.statusCode = 200;
      res.end(JSON.stringify(productList(`${namespaceUrl(req, deps.config)}/cart/add-item`)));
    },
  };
}
