import { expect, it } from 'vitest';
import { API_NAMESPACE, DEFAULT_API_PREFIX, MAX_PER_PAGE, SESSION_ORDER_BY } from './routes.js';

it('names the namespace, prefix and list limits of the SPEC', () => {
  expect(`/${DEFAULT_API_PREFIX}/${API_NAMESPACE}/sessions`).toBe('/wp-json/cocart/v2/sessions');
  expect(MAX_PER_PAGE).toBe(100);
  expect(SESSION_ORDER_BY).toEqual(['cart_id', 'cart_created', 'cart_expiry', 'customers_name']);
});
