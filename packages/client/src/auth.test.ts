import { describe, expect, it } from 'vitest';
import { assertAuth, authorizationHeader, authSearchParams } from './auth.js';

describe('auth', () => {
  it('builds Basic from username and password as UTF-8', () => {
    expect(authorizationHeader({ username: 'admin', password: 'secret' })).toBe('Basic YWRtaW46c2VjcmV0');
    expect(authorizationHeader({ username: 'zoë', password: '€' })).toBe(
      `Basic ${Buffer.from('zoë:€', 'utf8').toString('base64')}`,
    );
  });

  it('sends consumer keys as Basic, or as query parameters when asked', () => {
    expect(authorizationHeader({ consumerKey: 'ck_a', consumerSecret: 'cs_b' })).toBe(
      `Basic ${btoa('ck_a:cs_b')}`,
    );
    expect(authSearchParams({ consumerKey: 'ck_a', consumerSecret: 'cs_b' })).toBeUndefined();
    const query = { consumerKey: 'ck_a', consumerSecret: 'cs_b', queryString: true };
    expect(authorizationHeader(query)).toBeUndefined();
    expect(authSearchParams(query)).toEqual({ consumer_key: 'ck_a', consumer_secret: 'cs_b' });
  });

  it('sends a token as Bearer', () => {
    expect(authorizationHeader({ token: 't0k' })).toBe('Bearer t0k');
    expect(authorizationHeader(undefined)).toBeUndefined();
  });

  it('names the missing field, never a value', () => {
    expect(() => assertAuth({ username: 'admin' })).toThrow('auth.password must be a non-empty string');
    expect(() => assertAuth({ consumerKey: 'ck_secret' })).toThrow(
      'auth.consumerSecret must be a non-empty string',
    );
    expect(() => assertAuth({ token: '' })).toThrow('auth.token must be a non-empty string');
    expect(() => assertAuth({ foo: 'bar' })).toThrow(/auth needs/);
    expect(() => assertAuth(undefined)).not.toThrow();
  });
});
