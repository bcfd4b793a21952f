import { describe, expect, it } from 'vitest';
import { CoreError, ERROR_CODES, errorBody, isCoreError } from './errors.js';
import { WpErrorSchema } from './schemas/error.js';

describe('ERROR_CODES', () => {
  it('maps the SPEC codes to their HTTP statuses', () => {
    const statuses = Object.fromEntries(Object.entries(ERROR_CODES).map(([code, e]) => [code, e.status]));
    expect(statuses).toMatchObject({
      rest_no_route: 404,
      rest_invalid_param: 400,
      rest_invalid_json: 400,
      cocart_rest_cannot_view: 401,
      cocart_authentication_error: 401,
      cocart_too_many_requests: 429,
      cocart_no_carts_in_session: 404,
      cocart_cart_in_session_not_valid: 404,
      cocart_session_not_valid: 404,
      cocart_session_not_deleted: 500,
      cocart_unknown_server_error: 500,
      cocart_store_unavailable: 503,
      cocart_shutting_down: 503,
      cocart_logins_busy: 503,
      cocart_too_many_connections: 429,
      cocart_payload_too_large: 413,
      cocart_headers_too_large: 431,
    });
  });

  it("keeps the plugin's messages", () => {
    expect(ERROR_CODES.rest_no_route.message).toBe('No route was found matching the URL and request method.');
    expect(ERROR_CODES.cocart_rest_cannot_view.message).toBe('Sorry, you cannot list resources.');
    expect(ERROR_CODES.cocart_cart_in_session_not_valid.message).toBe('Cart in session is not valid!');
    expect(ERROR_CODES.cocart_session_not_valid.message).toBe('Session is not valid!');
    expect(ERROR_CODES.cocart_session_not_deleted.message).toBe('Session could not be deleted!');
  });
});

describe('errorBody', () => {
  it('builds the WordPress envelope with the status in data', () => {
    expect(errorBody('cocart_no_carts_in_session')).toEqual({
      code: 'cocart_no_carts_in_session',
      message: 'No carts in session!',
      data: { status: 404 },
    });
  });

  it('takes a status, message and extra data', () => {
    expect(errorBody('cocart_rest_cannot_view', { status: 403 })).toEqual({
      code: 'cocart_rest_cannot_view',
      message: 'Sorry, you cannot list resources.',
      data: { status: 403 },
    });
    expect(
      errorBody('rest_invalid_param', {
        message: 'Invalid parameter(s): per_page',
        data: { params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' } },
      }),
    ).toEqual({
      code: 'rest_invalid_param',
      message: 'Invalid parameter(s): per_page',
      data: {
        status: 400,
        params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' },
      },
    });
  });

  it('gives a body that WpErrorSchema accepts for every code', () => {
    for (const code of Object.keys(ERROR_CODES) as Array<keyof typeof ERROR_CODES>) {
      const body = errorBody(code);
      expect(WpErrorSchema.parse(body)).toEqual(body);
      expect(body.data.status).toBe(ERROR_CODES[code].status);
    }
  });
});

describe('CoreError', () => {
  it('carries a code and the input, and is recognised by isCoreError', () => {
    const e = new CoreError('invalid_date', 'bad', '2021-04-23');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('CoreError');
    expect(e.code).toBe('invalid_date');
    expect(e.input).toBe('2021-04-23');
    expect(isCoreError(e)).toBe(true);
    expect(isCoreError(e, 'invalid_date')).toBe(true);
    expect(isCoreError(e, 'invalid_cart_key')).toBe(false);
    expect(isCoreError(new Error('x'))).toBe(false);
    expect(isCoreError({ code: 'invalid_date' })).toBe(false);
  });
});
