import type { Cart, ItemsMap, SessionSummary } from '@cocart-sessions/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createClient } from './create-client.js';
import type { SessionPage } from './resources/session-page.js';
import type { Conditional, SessionListOptions } from './resources/sessions.js';

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
    const s = client.sessions;
    // Functions, not calls: expectTypeOf must not send requests to x.test.
    expectTypeOf(() => s.list()).returns.resolves.toEqualTypeOf<SessionSummary[]>();
    expectTypeOf(() => s.page()).returns.resolves.toEqualTypeOf<SessionPage>();
    expectTypeOf(() => s.get('1')).returns.resolves.toEqualTypeOf<Cart>();
    expectTypeOf(() => s.items('1')).returns.resolves.toEqualTypeOf<ItemsMap>();
    const tag = undefined as string | undefined;
    expectTypeOf(() => s.list({ ifNoneMatch: tag })).returns.resolves.toEqualTypeOf<
      Conditional<SessionSummary[]>
    >();
    expectTypeOf(() => s.page({ page: 2, ifNoneMatch: tag })).returns.resolves.toEqualTypeOf<
      Conditional<SessionPage>
    >();
    expectTypeOf(() => s.get('1', { ifNoneMatch: tag })).returns.resolves.toEqualTypeOf<Conditional<Cart>>();
    expectTypeOf(() => s.items('1', { ifNoneMatch: tag })).returns.resolves.toEqualTypeOf<
      Conditional<ItemsMap>
    >();
    // Options whose type leaves `ifNoneMatch` optional may or may not ask for the conditional shape.
    const maybe = {} as SessionListOptions & { ifNoneMatch?: string };
    expectTypeOf(() => s.list(maybe)).returns.resolves.toEqualTypeOf<
      Conditional<SessionSummary[]> | SessionSummary[]
    >();
    const plain = {} as SessionListOptions;
    expectTypeOf(() => s.list(plain)).returns.resolves.toEqualTypeOf<SessionSummary[]>();
    expectTypeOf(() => s.page({ page: 2 })).returns.resolves.toEqualTypeOf<SessionPage>();
    expectTypeOf(client.sessions.delete).returns.resolves.toEqualTypeOf<string>();
    expectTypeOf(client.sessions.iterate()).toEqualTypeOf<AsyncIterable<SessionSummary>>();
    expectTypeOf(client.get<{ a: 1 }>).returns.resolves.toEqualTypeOf<{ a: 1 }>();
  });
});
