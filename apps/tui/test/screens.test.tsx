import {
  type Cart,
  CartSchema,
  type ItemsMap,
  ItemsMapSchema,
  type SessionSummary,
} from '@cocart-sessions/core';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import cartFixture from '../../../fixtures/session-cart.json' with { type: 'json' };
import itemsFixture from '../../../fixtures/session-items.json' with { type: 'json' };
import listFixture from '../../../fixtures/sessions-list.json' with { type: 'json' };
import { cartFiguresOf } from '../src/cart-values/cart-figures.js';
import { sessionsTable } from '../src/format/table-writer.js';
import { toSessionRow } from '../src/sessions/session-row.js';
import { SessionTable } from '../src/ui/components/session-table.js';
import { StatusBar } from '../src/ui/components/status-bar.js';
import { ThemeContext, useColor } from '../src/ui/hooks/use-theme.js';
import { CartScreen } from '../src/ui/screens/cart-screen.js';
import { ConfirmDelete } from '../src/ui/screens/confirm-delete.js';
import { detailLinesFor, detailWidth } from '../src/ui/screens/detail-lines-for.js';
import { EmptyScreen } from '../src/ui/screens/empty-screen.js';
import { ErrorScreen } from '../src/ui/screens/error-screen.js';
import { HelpScreen } from '../src/ui/screens/help-screen.js';
import { ItemsScreen } from '../src/ui/screens/items-screen.js';
import type { Detail } from '../src/ui/state/reducer.js';

const cart = CartSchema.parse(cartFixture);
const items = ItemsMapSchema.parse(itemsFixture);
const rows = (listFixture as SessionSummary[]).map(toSessionRow);
// 1 May 2021 12:00 UTC: the seed's first session expired, the second expires in under a day.
const NOW = Date.UTC(2021, 4, 1, 12, 0, 0);

/** The cart, items and help screens as the app draws them on a terminal `columns` wide. */
const cartScreen = (detail: Detail<Cart>, offset: number, height: number, columns = 80) => (
  <CartScreen
    detail={detail}
    lines={detailLinesFor(
      { screen: 'cart', cart: detail, items: null, readOnly: false },
      detailWidth(columns),
    )}
    offset={offset}
    height={height}
  />
);
const itemsScreen = (detail: Detail<{ items: ItemsMap; cart: Cart }>, height: number) => (
  <ItemsScreen
    detail={detail}
    lines={detailLinesFor({ screen: 'items', cart: null, items: detail, readOnly: false }, detailWidth(80))}
    offset={0}
    height={height}
  />
);
const helpScreen = (readOnly: boolean, height: number) => (
  <HelpScreen
    lines={detailLinesFor({ screen: 'help', cart: null, items: null, readOnly }, detailWidth(80)) ?? []}
    offset={0}
    height={height}
  />
);

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
    // The key is cut to 8, then SOURCE goes: names and emails stay whole; ITEMS and VALUE wait.
    expect(lines[0]).toBe('  KEY      CUSTOMER   EMAIL                ITEMS VALUE CREATED EXPIRES STATUS');
    expect(lines[1]).toBe('  afa399e… John Snow  —                        …     … 8d ago  1d ago  expired');
    expect(lines[2]).toBe('› 8f36f08… Clark Kent clark@dailyplanet.wb     …     … 5d ago  in 1d   active');
    for (const line of lines) expect(line.length).toBeLessThan(80);
  });
  it('shows the item count and the total of the carts read, in their own currency', () => {
    const values = new Map([
      [rows[0]?.key ?? '', { status: 'loaded' as const, figures: cartFiguresOf(cart) }],
      [rows[1]?.key ?? '', { status: 'missing' as const }],
    ]);
    const { lastFrame } = mount(<SessionTable rows={rows} cursor={1} width={80} now={NOW} values={values} />);
    const lines = (lastFrame() ?? '').split('\n');
    const valueEnd = (lines[0]?.indexOf('VALUE') ?? -1) + 'VALUE'.length;
    // The seed cart: 6 items, "20700" minor units of GBP; the other cart is gone.
    expect(lines[1]).toMatch(/ {4}6 £207\.00 /);
    expect(lines[2]).toMatch(/ {4}— +— in 1d/);
    expect((lines[1]?.indexOf('£207.00') ?? -1) + '£207.00'.length).toBe(valueEnd);
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
  it('gives names and emails the room at 80 columns, and the whole key at 160', () => {
    const long = rows.map((r) =>
      toSessionRow({
        ...r.summary,
        customers_name: 'Sophia Williams',
        customers_email: 'sophia.williams123@example.com',
      }),
    );
    const narrow = mount(<SessionTable rows={long} cursor={0} width={80} now={NOW} />).lastFrame() ?? '';
    expect(narrow.split('\n')[0]).toMatch(/^ {2}KEY {6}CUSTOMER {8}EMAIL +ITEMS VALUE EXPIRES STATUS *$/);
    expect(narrow).toContain(
      '› afa399e… Sophia Williams sophia.williams123@exam…     …     … 1d ago  expired',
    );
    const wide = mount(<SessionTable rows={long} cursor={0} width={160} now={NOW} />).lastFrame() ?? '';
    expect(wide).toContain(
      '› afa399e3a0647fe660438409d9ad7eb9 Sophia Williams sophia.williams123@example.com ',
    );
  });
});

// A customer name and an item name in CJK, with an emoji, and with combining accents (NFD).
const WIDE_NAMES = ['田中 太郎', '🎉 Party Planner', 'Jose\u0301 Garci\u0301a'];
const wideRows = WIDE_NAMES.map((name, i) =>
  toSessionRow({
    ...(listFixture[1] as SessionSummary),
    cart_id: String(100 + i),
    cart_key: `wide${i}`,
    customers_name: name,
    customers_email: `customer${i}@example.com`,
  }),
);
/** The display column where `needle` starts on `line`. */
const columnOf = (line: string, needle: string) => stringWidth(line.slice(0, line.indexOf(needle)));
/** The display column where the last `needle` starts on `line`. */
const lastColumnOf = (line: string, needle: string) => stringWidth(line.slice(0, line.lastIndexOf(needle)));

describe('wide and zero-width text', () => {
  it('keeps the table columns aligned with CJK, emoji and combining accents', () => {
    const all = [...rows, ...wideRows];
    const { lastFrame } = mount(<SessionTable rows={all} cursor={0} width={80} now={NOW} />);
    const lines = (lastFrame() ?? '').split('\n');
    const header = lines[0] ?? '';
    // Every row's SOURCE and EMAIL cells start under their headers.
    const sourceColumn = columnOf(header, 'SOURCE');
    for (const line of lines.slice(1).filter((l) => l.includes('woocommerce'))) {
      expect(columnOf(line, 'woocommerce')).toBe(sourceColumn);
    }
    for (const [i, name] of WIDE_NAMES.entries()) {
      const line = lines.find((l) => l.includes(`customer${i}@`)) ?? '';
      expect(line, name).not.toBe('');
      expect(columnOf(line, `customer${i}@`)).toBe(columnOf(header, 'EMAIL'));
      expect(stringWidth(line)).toBeLessThan(80);
    }
  });
  it('keeps the plain list aligned', () => {
    const sessions = [...(listFixture as SessionSummary[]), ...wideRows.map((r) => r.summary)];
    const lines = sessionsTable(sessions, NOW).split('\n');
    const header = lines[0] ?? '';
    for (const [i] of WIDE_NAMES.entries()) {
      const line = lines.find((l) => l.includes(`customer${i}@`)) ?? '';
      expect(columnOf(line, `customer${i}@`)).toBe(columnOf(header, 'EMAIL'));
      expect(lastColumnOf(line, 'cocart')).toBe(columnOf(header, 'SOURCE'));
    }
  });
  it('keeps the cart view within the width and its amounts aligned', () => {
    const wide = structuredClone(cart);
    wide.customer.billing_address.billing_first_name = '田中';
    wide.customer.billing_address.billing_last_name = '太郎 🎉';
    const [first, second] = wide.items;
    if (first) first.name = '抹茶ラテ Matcha latte with a long name that must be cut';
    if (second) second.name = 'Cre\u0300me bru\u0302le\u0301e';
    const { lastFrame } = mount(cartScreen({ key: '1', status: 'loaded', value: wide }, 0, 60));
    const lines = (lastFrame() ?? '').split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(78);
    const header = lines.find((l) => l.includes('Unit price')) ?? '';
    const matcha = lines.find((l) => l.includes('抹茶')) ?? '';
    // Matched loosely: the terminal renderer may compose the accents (NFC).
    const creme = lines.find((l) => /Cre\u0300?.?me/.test(l)) ?? '';
    const beanie = lines.find((l) => l.includes('Beanie with Logo')) ?? '';
    // Line totals end in the same column as their header on every row.
    const end = (l: string, s: string) => columnOf(l, s) + stringWidth(s);
    const totalEnd = end(header, 'Line total');
    expect(stringWidth(matcha.trimEnd())).toBe(totalEnd);
    expect(stringWidth(creme.trimEnd())).toBe(totalEnd);
    expect(stringWidth(beanie.trimEnd())).toBe(totalEnd);
    // The shipping address column starts at the same place on the name line as on the heading.
    const heading = lines.find((l) => l.includes('Shipping address')) ?? '';
    const nameLine = lines.find((l) => l.includes('田中 太郎')) ?? '';
    expect(nameLine).not.toBe('');
    expect(columnOf(nameLine, 'Sebastien')).toBe(columnOf(heading, 'Shipping address'));
  });
});

describe('CartScreen', () => {
  it('shows the seed cart totals, coupon, shipping and items', () => {
    const { lastFrame } = mount(cartScreen({ key: '1', status: 'loaded', value: cart }, 0, 60));
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
    const { lastFrame } = mount(cartScreen({ key: '1', status: 'loaded', value: cart }, 20, 19));
    const f = lastFrame() ?? '';
    expect(f.split('\n')).toHaveLength(20);
    expect(f).toMatch(/lines 15-33 of 33/);
    expect(f).toMatch(/Total\s+£207\.00/);
  });
  it('shows a spinner while loading and the error when it failed', () => {
    expect(mount(cartScreen({ key: '1', status: 'loading' }, 0, 10)).lastFrame()).toContain(
      'Loading cart 1…',
    );
    const f = mount(
      cartScreen({ key: '9', status: 'error', message: 'Cart 9 was not found.' }, 0, 10),
    ).lastFrame();
    expect(f).toContain('Cart 9 was not found.');
    expect(f).toContain('Esc');
  });
});

describe('ItemsScreen', () => {
  it('lists the items map with the cart currency', () => {
    const { lastFrame } = mount(itemsScreen({ key: '1', status: 'loaded', value: { items, cart } }, 40));
    const f = lastFrame() ?? '';
    expect(f).toContain('Items of cart 1 · 4 lines · 4 units');
    expect(f).toMatch(/Beanie with Logo\s+£18\.00\s+£18\.00/);
    expect(f).toContain('sku Woo-beanie-logo');
  });
});

describe('small screens', () => {
  it('HelpScreen lists every key, without delete under read-only', () => {
    const full = mount(helpScreen(false, 40)).lastFrame() ?? '';
    // Every key the SPEC names, as the help screen writes it.
    const moves = ['↑/k', '↓/j', 'g', 'G', 'PgUp', 'PgDn'];
    for (const k of [...moves, 'Enter', 'i', '/', 's', 'S', 'r', 'd', 'Esc', '?', 'q']) {
      expect(full).toContain(`  ${k} `);
    }
    const ro = mount(helpScreen(true, 40)).lastFrame() ?? '';
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
    expect(mount(<ConfirmDelete confirm={{ key: '1', name: 'Sebastien Dumont Dumont' }} />).lastFrame()).toBe(
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
  it('StatusBar shows how much of the list has arrived while the rest loads', () => {
    const f =
      mount(
        <StatusBar
          url="http://shop.test"
          count={100}
          shown={100}
          total={99903}
          loaded={41200}
          loadingMore
          lastRefresh={null}
          notice={null}
          hint=""
        />,
      ).lastFrame() ?? '';
    expect(f).toContain('http://shop.test · 100 sessions · loading 41,200 of 99,903…');
  });
  it('StatusBar counts the marked rows and draws the progress of a bulk delete', () => {
    const f =
      mount(
        <StatusBar
          url="http://shop.test"
          count={40}
          shown={40}
          total={40}
          loadingMore={false}
          lastRefresh={null}
          notice={null}
          marked={37}
          progress={{ total: 37, done: 10, deleted: 9, gone: 0, failures: [{ key: 'x', message: 'boom' }] }}
          hint=""
        />,
      ).lastFrame() ?? '';
    expect(f).toContain('Deleting 37 carts █████░░░░░░░░░░░░░░░ 10/37 · 1 failed');
    expect(f).toContain('http://shop.test · 40 sessions · 37 marked');
  });
  it('the delete summary gives the counts and each failure with its whole reason', () => {
    const lines = (
      detailLinesFor(
        {
          screen: 'summary',
          cart: null,
          items: null,
          readOnly: false,
          summary: {
            total: 4,
            done: 4,
            deleted: 2,
            gone: 1,
            failures: [
              {
                key: 'abc',
                message:
                  'Cannot reach http://127.0.0.1:9: DELETE http://127.0.0.1:9/wp-json/cocart/v2/session/abc failed. Is the server running? Check --url.',
              },
            ],
          },
        },
        detailWidth(80),
      ) ?? []
    ).map((l) => l.text);
    expect(lines[0]).toBe('Deleted the marked carts: 2 deleted, 1 already gone, 1 failed.');
    expect(lines).toContain('  Already gone   1');
    const reason = lines.slice(lines.indexOf('Failed (still marked: d tries them again)') + 1, -2);
    expect(reason[0]?.startsWith('  abc: Cannot reach')).toBe(true);
    expect(reason.join(' ').replace(/\s+/g, ' ').trim()).toBe(
      'abc: Cannot reach http://127.0.0.1:9: DELETE http://127.0.0.1:9/wp-json/cocart/v2/session/abc failed. Is the server running? Check --url.',
    );
    for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(78);
  });
  it('ConfirmDelete names the count of marked carts', () => {
    expect(mount(<ConfirmDelete confirm={{ keys: ['a', 'b', 'c'] }} />).lastFrame()).toBe(
      'Delete 3 carts? This cannot be undone. y/N',
    );
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
