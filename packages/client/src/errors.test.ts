import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CoCartApiError,
  CoCartClientError,
  CoCartNetworkError,
  CoCartTimeoutError,
  CoCartValidationError,
} from './errors.js';
import {
  isCoCartApiError,
  isCoCartClientError,
  isCoCartNetworkError,
  isCoCartTimeoutError,
  isCoCartValidationError,
} from './guards.js';

const where = { method: 'GET', url: 'http://x.test/wp-json/cocart/v2/sessions' };

describe('error classes and guards', () => {
  const response = new Response('{}', { status: 404 });
  const api = new CoCartApiError({
    ...where,
    status: 404,
    code: 'cocart_no_carts_in_session',
    message: 'No carts in session!',
    data: { status: 404 },
    response,
  });
  const net = new CoCartNetworkError('GET x failed', where);
  const timeout = new CoCartTimeoutError({ ...where, timeout: 100 });
  const invalid = new CoCartValidationError({ ...where, issues: [], body: '[]', data: [] });

  it('form one tree under CoCartClientError', () => {
    for (const e of [api, net, timeout, invalid]) expect(e).toBeInstanceOf(CoCartClientError);
    expect(timeout).toBeInstanceOf(CoCartNetworkError);
    expect([api, net, timeout, invalid].map((e) => [e.name, e.code])).toEqual([
      ['CoCartApiError', 'cocart_no_carts_in_session'],
      ['CoCartNetworkError', 'network_error'],
      ['CoCartTimeoutError', 'timeout'],
      ['CoCartValidationError', 'invalid_response'],
    ]);
  });

  it('API errors say method, URL, status, code and the server message', () => {
    expect(api.message).toBe(
      'GET http://x.test/wp-json/cocart/v2/sessions failed with 404 cocart_no_carts_in_session: No carts in session!',
    );
    expect(api.serverMessage).toBe('No carts in session!');
    expect(api.response).toBe(response);
    // The response stays out of inspection: its URL may carry API keys.
    expect(inspect(api)).not.toContain('Response');
  });

  it('guards tell the classes apart', () => {
    expect([api, net, timeout, invalid].map(isCoCartClientError)).toEqual([true, true, true, true]);
    expect([api, net, timeout, invalid].map(isCoCartApiError)).toEqual([true, false, false, false]);
    expect([api, net, timeout, invalid].map(isCoCartNetworkError)).toEqual([false, true, true, false]);
    expect([api, net, timeout, invalid].map(isCoCartTimeoutError)).toEqual([false, false, true, false]);
    expect([api, net, timeout, invalid].map(isCoCartValidationError)).toEqual([false, false, false, true]);
    expect(isCoCartClientError(new Error('x'))).toBe(false);
    expect(isCoCartApiError({ name: 'CoCartApiError' })).toBe(false);
  });
});
