import { describe, expect, it } from 'vitest';
import { apiBaseUrl, parseStoreUrl, redactUrl } from './url.js';

describe('store URL and API base', () => {
  it('joins root, prefix and namespace with single slashes', () => {
    expect(apiBaseUrl('https://shop.example', 'wp-json', 'cocart/v2')).toBe(
      'https://shop.example/wp-json/cocart/v2/',
    );
    expect(apiBaseUrl('https://shop.example/blog/', '/api/', '/cocart/v2/')).toBe(
      'https://shop.example/blog/api/cocart/v2/',
    );
  });

  it('splits userinfo from the root and drops query and hash', () => {
    expect(parseStoreUrl('http://ad%40min:p%3Ass@127.0.0.1:8080/shop/?x=1#y')).toEqual({
      root: 'http://127.0.0.1:8080/shop',
      userinfo: { username: 'ad@min', password: 'p:ss' },
    });
    expect(parseStoreUrl('https://shop.example/')).toEqual({
      root: 'https://shop.example',
      userinfo: undefined,
    });
  });

  it('rejects non-http URLs without echoing them', () => {
    expect(() => parseStoreUrl('not a url with secret')).toThrow(
      'url must be an absolute http(s) URL of the store root',
    );
    expect(() => parseStoreUrl('ftp://u:secret@x')).toThrow('url must use http or https, not ftp:');
  });

  it('redacts userinfo and API keys', () => {
    expect(
      redactUrl('http://u:p@x.test/wp-json/cocart/v2/sessions?page=2&consumer_key=ck_1&consumer_secret=cs_2'),
    ).toBe('http://x.test/wp-json/cocart/v2/sessions?page=2&consumer_key=REDACTED&consumer_secret=REDACTED');
    expect(redactUrl('::')).toBe('<invalid url>');
  });
});
