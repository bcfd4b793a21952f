import type { Currency } from '@cocart-sessions/core';

/** Currencies of the demo stores, with WooCommerce's display settings for each. */
export const DEMO_CURRENCIES: Array<{
  currency: Currency;
  /** Multiplier from a GBP price in pence to this currency's minor units. */
  rate: number;
  /** Round prices to this many minor units (JPY: 10 yen). */
  roundTo: number;
  tax: { label: string; percent: number } | null;
  countries: Array<{ code: string; cities: string[]; postcode: () => string }>;
}> = [
  {
    currency: {
      currency_code: 'GBP',
      currency_symbol: '£',
      currency_minor_unit: 2,
      currency_decimal_separator: '.',
      currency_thousand_separator: ',',
      currency_prefix: '£',
      currency_suffix: '',
    },
    rate: 1,
    roundTo: 1,
    tax: { label: 'VAT', percent: 20 },
    countries: [
      { code: 'GB', cities: ['London', 'Leeds', 'Bristol', 'Glasgow'], postcode: () => 'SW1A 1AA' },
    ],
  },
  {
    currency: {
      currency_code: 'EUR',
      currency_symbol: '€',
      currency_minor_unit: 2,
      currency_decimal_separator: ',',
      currency_thousand_separator: '.',
      currency_prefix: '',
      currency_suffix: '€',
    },
    rate: 1.17,
    roundTo: 1,
    tax: { label: 'TVA', percent: 20 },
    countries: [
      { code: 'FR', cities: ['Paris', 'Lyon', 'Nantes'], postcode: () => '75001' },
      { code: 'DE', cities: ['Berlin', 'Hamburg', 'München'], postcode: () => '10115' },
    ],
  },
  {
    currency: {
      currency_code: 'USD',
      currency_symbol: '$',
      currency_minor_unit: 2,
      currency_decimal_separator: '.',
      currency_thousand_separator: ',',
      currency_prefix: '$',
      currency_suffix: '',
    },
    rate: 1.27,
    roundTo: 1,
    tax: null,
    countries: [{ code: 'US', cities: ['Austin', 'Portland', 'Boston', 'Denver'], postcode: () => '78701' }],
  },
  {
    currency: {
      currency_code: 'JPY',
      currency_symbol: '¥',
      currency_minor_unit: 0,
      currency_decimal_separator: '.',
      currency_thousand_separator: ',',
      currency_prefix: '¥',
      currency_suffix: '',
    },
    rate: 1.9,
    roundTo: 10,
    tax: { label: '消費税', percent: 10 },
    countries: [{ code: 'JP', cities: ['Tokyo', 'Osaka', 'Kyoto'], postcode: () => '100-0001' }],
  },
];

/** A small shop: name, GBP price in pence, weight in kg (0 = virtual). */
export const DEMO_PRODUCTS: Array<{ id: number; name: string; pence: number; weight: number; type: string }> =
  [
    { id: 101, name: 'Organic Cotton T-Shirt', pence: 1800, weight: 0.2, type: 'simple' },
    { id: 102, name: 'Merino Beanie', pence: 2200, weight: 0.1, type: 'simple' },
    { id: 103, name: 'Canvas Tote Bag', pence: 1200, weight: 0.3, type: 'simple' },
    { id: 104, name: 'Ceramic Coffee Mug', pence: 950, weight: 0.4, type: 'simple' },
    { id: 105, name: 'Stainless Water Bottle', pence: 2450, weight: 0.35, type: 'simple' },
    { id: 106, name: 'Recycled Notebook', pence: 699, weight: 0.25, type: 'simple' },
    { id: 107, name: 'Wireless Earbuds', pence: 7999, weight: 0.15, type: 'simple' },
    { id: 108, name: 'Leather Wallet', pence: 4500, weight: 0.12, type: 'simple' },
    { id: 109, name: 'Yoga Mat', pence: 3200, weight: 1.8, type: 'simple' },
    { id: 110, name: 'Scented Candle', pence: 1450, weight: 0.5, type: 'simple' },
    { id: 111, name: 'Running Socks (3 pack)', pence: 1299, weight: 0.15, type: 'simple' },
    { id: 112, name: 'Bamboo Toothbrush', pence: 399, weight: 0.02, type: 'simple' },
    { id: 113, name: 'E-book: Brewing at Home', pence: 599, weight: 0, type: 'simple' },
    { id: 114, name: 'Gift Card', pence: 2500, weight: 0, type: 'simple' },
    { id: 115, name: 'Denim Jacket', pence: 6900, weight: 0.9, type: 'simple' },
    { id: 116, name: 'Linen Shirt', pence: 3900, weight: 0.3, type: 'simple' },
  ];

export const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Amelia',
  'Oliver',
  'Sophia',
  'Elijah',
  'Mia',
  'Lucas',
  'Chloé',
  'Hugo',
  'Léa',
  'Jonas',
  'Hannah',
  'Yuki',
  'Haruto',
  'Aoi',
  'Priya',
  'Mateo',
];
export const LAST_NAMES = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Martin',
  'Bernard',
  'Dubois',
  'Müller',
  'Schmidt',
  'Garcia',
  'Johnson',
  'Davis',
  'Sato',
  'Suzuki',
  'Tanaka',
  'Patel',
  'Nguyen',
  "O'Brien",
  'Rossi',
];
export const STREETS = [
  'High Street',
  'Station Road',
  'Main Street',
  'Church Lane',
  'Park Avenue',
  'Mill Road',
];
export const COUPONS: Array<{ code: string; percent?: number; pence?: number }> = [
  { code: 'welcome10', percent: 10 },
  { code: 'spring15', percent: 15 },
  { code: 'fiveoff', pence: 500 },
];
