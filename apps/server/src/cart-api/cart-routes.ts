import { Router } from 'express';
import { type CartApiDeps, cartHandlers, requireItemKey } from './cart-handlers.js';

/**
 * The shopper side of CoCart's v2 cart API, under the Sessions API's namespace: public (the cart
 * key is the capability; no credentials are asked for or checked). Paths it does not match fall
 * through to the Sessions routes, whose last handler answers `rest_no_route`.
 */
export function cartApiRoutes(deps: CartApiDeps): Router {
  const h = cartHandlers(deps);
  const router = Router({ caseSensitive: true, strict: false });
  router.post('/cart/add-item', h.addItem);
  router.get('/cart', h.getCart);
  router.get('/cart/items', h.getItems);
  router.get('/cart/items/count', h.countItems);
  router.get('/cart/totals', h.getTotals);
  router.post('/cart/item/:item_key', requireItemKey, h.updateItem);
  router.delete('/cart/item/:item_key', requireItemKey, h.removeItem);
  router.post('/cart/clear', h.clearCart);
  router.post('/cart/update', h.updateCustomer);
  router.get('/products', h.products);
  return router;
}
