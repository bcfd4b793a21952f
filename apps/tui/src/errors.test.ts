import { CoCartApiError, CoCartNetworkError } from '@cocart-sessions/client';
import { describe, expect, it } from 'vitest';
import { describeError, EXIT } from './errors.js';

function apiError(status: number, code: string, message: string): CoCartApiError {
  return new CoCartApiError({
    status,
    code,
    message,
    data: { status },
    response: new Response(null, { status }),
    method: 'GET',
    url: 'http://127.0.0.1:8080/wp-json/cocart/v2/sessions',
  });
}

describe('describeError', () => {
  const url = 'http://127.0.0.1:8080';

  it('calls a 404 without a WordPress body a wrong URL, not a missing cart', () => {
    const e = describeError(apiError(404, 'http_error', 'Not Found'), { url });
    expect(e.exitCode).toBe(EXIT.network);
    expect(e.message).toBe('No CoCart Sessions API at http://127.0.0.1:8080 (404 http_error). Check --url.');
  });

  it('keeps the SPEC codes of a missing cart and of a cart already deleted', () => {
    const missing = describeError(
      apiError(404, 'cocart_cart_in_session_not_valid', 'Cart in session is not valid!'),
      {
        url,
        cartKey: 'abc',
      },
    );
    expect(missing.exitCode).toBe(EXIT.notFound);
    expect(missing.message).toBe('Cart abc was not found (404 cocart_cart_in_session_not_valid).');
    const gone = describeError(apiError(404, 'cocart_session_not_valid', 'Session is not valid!'), {
      url,
      cartKey: 'abc',
    });
    expect(gone.message).toBe('Cart abc is already gone (404 cocart_session_not_valid).');
  });

  it('sends 401 to the credentials and 403 to the role', () => {
    expect(describeError(apiError(401, 'cocart_authentication_error', 'x'), { url }).exitCode).toBe(
      EXIT.auth,
    );
    expect(describeError(apiError(403, 'cocart_rest_cannot_view', 'x'), { url }).message).toContain(
      'use an administrator or shop manager',
    );
  });
});

describe('describeError with a URL that carries secrets', () => {
  it('never shows the password of userinfo or an API key of the query string', () => {
    const net = new CoCartNetworkError('GET http://127.0.0.1:9/wp-json/cocart/v2/sessions failed: refused', {
      method: 'GET',
      url: 'http://127.0.0.1:9/wp-json/cocart/v2/sessions',
    });
    for (const [url, shown] of [
      ['http://admin:s3cr3t-pw@127.0.0.1:9', 'http://127.0.0.1:9/'],
      ['http://127.0.0.1:9/?consumer_secret=cs_s3cr3t-pw', 'http://127.0.0.1:9/?consumer_secret=REDACTED'],
      ['http://admin:s3cr3t-pw@127.0.0.1:99999', 'http://***@127.0.0.1:99999'],
    ] as const) {
      for (const e of [net, apiError(404, 'rest_no_route', 'No route'), apiError(500, 'x', 'boom')]) {
        const { message } = describeError(e, { url });
        expect(message).toContain(shown);
        expect(message).not.toContain('s3cr3t');
      }
    }
  });
});
