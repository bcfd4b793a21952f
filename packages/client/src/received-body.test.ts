import { describe, expect, it } from 'vitest';
import { ReceivedBody } from './received-body.js';

describe('ReceivedBody', () => {
  // A session of the contract's list with a name whose characters take 2 to 4 bytes in UTF-8.
  const text = JSON.stringify([
    {
      cart_id: '4335',
      cart_key: '8f36f08beca94f2b51faedcb7c6864b8',
      customers_name: 'Zoë Ångström 🛒',
      customers_email: 'zoe@example.com',
      cart_created: '04/25/2021 12:14:09',
      cart_expiry: '05/02/2021 12:14:05',
      cart_source: 'cocart',
      link: 'https://example.com/wp-json/cocart/v2/session/8f36f08beca94f2b51faedcb7c6864b8',
    },
  ]);
  const bytes = new TextEncoder().encode(text);

  it('gives back the text whole wherever the chunks cut a character', () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      const body = new ReceivedBody();
      body.push(bytes.subarray(0, cut));
      body.push(bytes.subarray(cut));
      expect(body.text()).toBe(text);
    }
  });

  it('can be read while more is still to come; a character cut at the end so far shows as U+FFFD', () => {
    const body = new ReceivedBody();
    expect(body.text()).toBe('');
    const before = text.slice(0, text.indexOf('🛒'));
    const cut = new TextEncoder().encode(before).length + 2;
    body.push(bytes.subarray(0, cut));
    expect(body.text()).toBe(`${before}\uFFFD`);
    body.push(bytes.subarray(cut));
    expect(body.text()).toBe(text);
  });
});
