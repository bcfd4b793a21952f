import { CartSchema, ItemsMapSchema, type SessionSummary } from '@cocart-sessions/core';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionTable, tableColumns } from '../src/components/session-table.js';
import { StatusBar } from '../src/components/status-bar.js';
import { ThemeContext, useColor } from '../src/hooks/use-theme.js';
import { CartScreen } from '../src/screens/cart-screen.js';
import { ConfirmDelete } from '../src/screens/confirm-delete.js';
import { EmptyScreen } from '../src/screens/empty-screen.js';
import { ErrorScreen } from '../src/screens/error-screen.js';
import { HelpScreen } from '../src/screens/help-screen.js';
import { ItemsScreen } from '../src/screens/items-screen.js';
import { toSessionRow } from '../src/state/session-row.js';
import cartFixture from './fixtures/session-cart.json' with { type: 'json' };
import itemsFixture from './fixtures/session-items.json' with { type: 'json' };
import listFixture from './fixtures/sessions-list.json' with { type: 'json' };

const cart = CartSchema.parse(cartFixture);
const items = ItemsMapSchema.parse(itemsFixture);
const rows = (listFixture as SessionSummary[]).map(toSessionRow);
// 1 May 2021 12:00 UTC: the seed's first session expired, the second expires in under a day.
const NOW = Date.UTC(2021, 4, 1, 12, 0, 0);

let instances: Array<{ unmount(): void }> = [];
const mount = (node: React.ReactElement) => {
  const i = render(node);
  instances.push(i);
  return i;
};
afterEach(() => {
  for (const i of instances) i.unmount();
  instances = [];
});

describe('SessionTable', () => {
  it('renders the seed sessions with relative expiry and status at 80 columns', () => {
    const { lastFrame } = mount(<SessionTable rows={rows} cursor={1} width={80} now={NOW} />);
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines[0]).toMatch(/^ {2}KEY\s+CUSTOMER\s+EMAIL\s+CREATED\s+EXPIRES\s+STATUS\s+SOURCE/);
    expect(lines[1]).toMatch(/^ {2}afa399e… John Snow\s+—\s+8d ago\s+expired 1d ago\s+expired\s+woocommerce/);
    expect(lines[2]).toMatch(/^› 8f36f08… Clark Kent\s+clark@dail…\s+5d ago\s+in 1d\s+active\s+cocart/);
    for (const line of lines) expect(line.length).toBeLessThan(80);
  });
  it('renders the window it is given of a large list', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      toSessionRow({ ...(listFixture[0] as SessionSummary), cart_id: String(i), cart_key: `key${i}` }),
    );
    const { lastFrame } = mount(
      <SessionTable rows={many.slice(4995, 5005)} cursor={5} width={80} now={NOW} />,
    );
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[1]).toContain('key4995');
    expect(lines[6]?.startsWith('› key5000')).toBe(true);
  });
  it('gives the flexible columns the room of wider terminals', () => {
    expect(tableColumns(80).key).toBe(8);
    expect(tableColumns(160).key).toBe(28);
  });
});

describe('CartScreen', () => {
  it('shows the seed cart totals, coupon, shipping and items', () => {
    const { lastFrame } = mount(
      <CartScreen detail={{ key: '1', status: 'loaded', value: cart }} offset={0} height={60} width={80} />,
    );
    const f = lastFrame() ?? '';
    expect(f).toContain('Cart 1 · 6 items · GBP');
    expect(f).toMatch(/Subtotal\s+£192\.00/);
    expect(f).toMatch(/Discount\s+-£5\.00/);
    expect(f).toMatch(/Flat rate to 1, 12345 TOWN\s+£20\.00/);
    expect(f).toMatch(/Total\s+£207\.00/);
    expect(f).toMatch(/1 T-shirt with logo\s+£12\.00\s+£12\.00/);
    expect(f).toContain('mailme@sebastiendumont.com');
  });
  it('scrolls within 24 rows and says where it is', () => {
    const { lastFrame } = mount(
      <CartScreen detail={{ key: '1', status: 'loaded', value: cart }} offset={20} height={19} width={80} />,
    );
    const f = lastFrame() ?? '';
    expect(f.split('\n')).toHaveLength(20);
    expect(f).toMatch(/lines 15-33 of 33/);
    expect(f).toMatch(/Total\s+£207\.00/);
  });
  it('shows a spinner while loading and the error when it failed', () => {
    expect(
      mount(
        <CartScreen detail={{ key: '1', status: 'loading' }} offset={0} height={10} width={80} />,
      ).lastFrame(),
    ).toContain('Loading cart 1…');
    const f = mount(
      <CartScreen
        detail={{ key: '9', status: 'error', message: 'Cart 9 was not found.' }}
        offset={0}
        height={10}
        width={80}
      />,
    ).lastFrame();
    expect(f).toContain('Cart 9 was not found.');
    expect(f).toContain('Esc');
  });
});

describe('ItemsScreen', () => {
  it('lists the items map with the cart currency', () => {
    const { lastFrame } = mount(
      <ItemsScreen
        detail={{ key: '1', status: 'loaded', value: { items, cart } }}
        offset={0}
        height={40}
        width={80}
      />,
    );
    const f = lastFrame() ?? '';
    expect(f).toContain('Items of cart 1 · 4 lines · 4 units');
    expect(f).toMatch(/Beanie with Logo\s+£18\.00\s+£18\.00/);
    expect(f).toContain('sku Woo-beanie-logo');
  });
});

describe('small screens', () => {
  it('HelpScreen lists every key, without delete under read-only', () => {
    const full = mount(<HelpScreen readOnly={false} offset={0} height={30} />).lastFrame() ?? '';
    // Every key the SPEC names, as the help screen writes it.
    const moves = ['↑/k', '↓/j', 'g', 'G', 'PgUp', 'PgDn'];
    for (const k of [...moves, 'Enter', 'i', '/', 's', 'S', 'r', 'd', 'Esc', '?', 'q']) {
      expect(full).toContain(`  ${k} `);
    }
    const ro = mount(<HelpScreen readOnly offset={0} height={30} />).lastFrame() ?? '';
    expect(ro).not.toContain('Delete the cart');
    expect(ro).toContain('Read-only mode');
  });
  it('EmptyScreen says there are no carts, not an error', () => {
    const f = mount(<EmptyScreen url="http://shop.test" />).lastFrame() ?? '';
    expect(f).toContain('No carts in session.');
    expect(f).toContain('r to check again');
  });
  it('ErrorScreen says what failed and what to do', () => {
    const f = mount(<ErrorScreen url="http://shop.test" message="Check the credentials" />).lastFrame() ?? '';
    expect(f).toContain('Could not load the sessions of http://shop.test');
    expect(f).toContain('Check the credentials');
    expect(f).toContain('r to retry');
  });
  it('ConfirmDelete names the cart and its customer', () => {
    expect(mount(<ConfirmDelete cartKey="1" name="Sebastien Dumont Dumont" />).lastFrame()).toBe(
      'Delete cart 1 (Sebastien Dumont Dumont)? This cannot be undone. y/N',
    );
  });
  it('StatusBar shows the URL, counts, refresh time and key help', () => {
    const at = new Date(2021, 4, 1, 9, 8, 7).getTime();
    const f =
      mount(
        <StatusBar
          url="http://shop.test"
          count={100000}
          shown={12}
          total={100000}
          loadingMore={false}
          lastRefresh={at}
          notice={{ kind: 'info', text: 'Deleted cart 1.' }}
          hint="q quit"
        />,
      ).lastFrame() ?? '';
    expect(f).toContain('Deleted cart 1.');
    expect(f).toContain('http://shop.test · 12 of 100,000 sessions · refreshed 09:08:07');
    expect(f).toContain('q quit');
  });
  it('asks for no colour under NO_COLOR', () => {
    const Probe = () => <Text>{`red=${String(useColor()('red'))}`}</Text>;
    expect(mount(<Probe />).lastFrame()).toBe('red=red');
    const off = mount(
      <ThemeContext.Provider value={{ color: false }}>
        <Probe />
      </ThemeContext.Provider>,
    );
    expect(off.lastFrame()).toBe('red=undefined');
  });
});
