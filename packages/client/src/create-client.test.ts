import type { Cart, ItemsMap, SessionSummary } from '@cocart-sessions/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createClient } from './create-client.js';
import type { SessionPage } from './resources/sessions.js';

describe('createClient', () => {
  it('builds the API URL from the store root, prefix and namespace, without credentials', () => {
    expect(createClient({ url: 'https://shop.example/' }).apiUrl).toBe(
      'https://shop.example/wp-json/cocart/v2/',
    );
    expect(
      createClient({ url: 'http://u:p@127.0.0.1:8080/store', wpApiPrefix: 'api', namespace: 'cocart/v1' })
        .apiUrl,
    ).toBe('http://127.0.0.1:8080/store/api/cocart/v1/');
  });

  it('refuses bad options with a message that names the option, not the secret', () => {
    expect(() => createClient({ url: 'shop.example' })).toThrow(
      'url must be an absolute http(s) URL of the store root',
    );
    expect(() => createClient({ url: 'http://x.test', validation: 'lenient' as 'loose' })).toThrow(
      "validation must be 'strict', 'loose' or 'off'",
    );
    expect(() => createClient({ url: 'http://x.test', auth: { username: 'admin', password: '' } })).toThrow(
      'auth.password must be a non-empty string',
    );
  });

  it('types every call with the core models', () => {
    const client = createClient({ url: 'http://x.test' });
    expectTypeOf(client.sessions.list).returns.resolves.toEqualTypeOf<SessionSummary[]>();
    expectTypeOf(client.sessions.page).returns.resolves.toEqualTypeOf<SessionPage>();
    expectTypeOf(client.sessions.get).returns.resolves.toEqualTypeOf<Cart>();
    expectTypeOf(client.sessions.items).returns.resolves.toEqualTypeOf<ItemsMap>();
    expectTypeOf(client.sessions.delete).returns.resolves.toEqualTypeOf<string>();
    expectTypeOf(client.sessions.iterate()).toEqualTypeOf<AsyncIterable<SessionSummary>>();
    expectTypeOf(client.get<{ a: 1 }>).returns.resolves.toEqualTypeOf<{ a: 1 }>();
  });
});
