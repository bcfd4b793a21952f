import {
  ApiError,
  CART_DELETED_MESSAGE,
  CartSchema,
  isCartKey,
  itemsMapOf,
  noRoute,
  serializeItemsMap,
} from '@cocart-sessions/core';
import type { NextFunction, Request, Response } from 'express';
import { setHeaderPairs } from '../middleware/response-head.js';
import type { ChangeVersion } from '../store/change-version.js';
import type { SessionStore } from '../store/session-store.js';
import { answerNotModified, etagOf } from './etag.js';
import { parseFlag, readQuery } from './query.js';

const CART_PARAMS: ReadonlySet<string> = new Set(['thumb']);
const NO_PARAMS: ReadonlySet<string> = new Set();
const DELETED = JSON.stringify(CART_DELETED_MESSAGE);

/** A `:key` that is not a plugin cart key is no route at all, checked before authentication. */
export function requireCartKey(req: Request, _res: Response, next: NextFunction): void {
  if (!isCartKey(req.params.key)) throw noRoute();
  next();
}

/** The ETag of `GET /session/<key>` (also sent by the fast path): `thumb` does not change the answer. */
export function cartEtag(version: string, key: string): string {
  return etagOf(version, `cart ${key}`);
}

/** The headers a cart's 200 adds to the common head, in the order both ways of answering send them. */
export function cartAnswerHeaders(version: string, key: string, bytes: Uint8Array): string[] {
  return ['ETag', cartEtag(version, key), 'Content-Length', String(bytes.byteLength)];
}

/** GET /session/:key: the stored cart text as it is (no parse, no re-serialisation). */
export function getSessionHandler(store: SessionStore) {
  return async function getSession(req: Request, res: Response): Promise<void> {
    const key = req.params.key as string;
    if (req.url.includes('?')) parseFlag('thumb', readQuery(req, CART_PARAMS).thumb);
    // The same bytes and version the fast path sends (middleware/cart-fast-path.ts): the stored
    // cart as it is, and the version it is at least as new as.
    const { version, bytes } = await store.getCartBytesAt(key);
    if (bytes === undefined) throw new ApiError('cocart_cart_in_session_not_valid');
    const etag = cartEtag(version, key);
    if (answerNotModified(req, res, etag)) return;
    res.statusCode = 200;
    setHeaderPairs(res, cartAnswerHeaders(version, key, bytes));
    res.end(bytes);
  };
}

/** GET /session/:key/items: the items keyed by item_key (`[]` when empty, as PHP sends). */
export function getItemsHandler(store: SessionStore, changes: ChangeVersion) {
  return async function getItems(req: Request, res: Response): Promise<void> {
    const key = req.params.key as string;
    if (req.url.includes('?')) parseFlag('thumb', readQuery(req, CART_PARAMS).thumb);
    const etag = etagOf(await changes.current('sessions'), `items ${key}`);
    const text = await store.getCartValue(key);
    if (text === undefined) throw new ApiError('cocart_cart_in_session_not_valid');
    if (answerNotModified(req, res, etag)) return;
    const cart = CartSchema.parse(JSON.parse(text));
    res.statusCode = 200;
    res.setHeader('ETag', etag);
    res.end(JSON.stringify(serializeItemsMap(itemsMapOf(cart))));
  };
}

/** DELETE /session/:key: one atomic delete, then a check that the row is really gone. */
export function deleteSessionHandler(store: SessionStore) {
  return async function deleteSession(req: Request, res: Response): Promise<void> {
    const key = req.params.key as string;
    readQuery(req, NO_PARAMS);
    const deleted = await store.deleteSession(key);
    if (!deleted) throw new ApiError('cocart_session_not_valid');
    if ((await store.getCartValue(key)) !== undefined) throw new ApiError('cocart_session_not_deleted');
    res.statusCode = 200;
    res.end(DELETED);
  };
}
