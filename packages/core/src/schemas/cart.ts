import * as z from 'zod';
import { CurrencySchema } from './currency.js';
import { CustomerSchema } from './customer.js';
import { CartItemSchema, TaxAmountSchema } from './item.js';
import { phpMap } from './php-map.js';
import { CartTotalsSchema } from './totals.js';

/** An applied coupon. `saving` is a string of minor units (`"-500"`), `saving_html` is formatted (`"-£5.00"`). */
export const CouponSchema = z.looseObject({
  coupon: z.string(),
  label: z.string(),
  saving: z.string(),
  saving_html: z.string(),
});

/** An applied coupon. */
export type Coupon = z.output<typeof CouponSchema>;

/** A shipping rate of a package. `cost` is a decimal string in major units (`"20.00"`). */
export const ShippingRateSchema = z.looseObject({
  key: z.string(),
  method_id: z.string(),
  instance_id: z.number().int(),
  label: z.string(),
  cost: z.string(),
  html: z.string(),
  taxes: phpMap(TaxAmountSchema),
  chosen_method: z.boolean(),
});

/** A shipping rate. */
export type ShippingRate = z.output<typeof ShippingRateSchema>;

/** A shipping package with its rates keyed by rate key (`"flat_rate:1"`). */
export const ShippingPackageSchema = z.looseObject({
  package_name: z.string(),
  rates: phpMap(ShippingRateSchema),
  package_details: z.string(),
  index: z.number().int(),
  chosen_method: z.string(),
  formatted_destination: z.string(),
});

/** A shipping package. */
export type ShippingPackage = z.output<typeof ShippingPackageSchema>;

/** `shipping` of a cart: packages keyed by package key (`"default"`). */
export const ShippingSchema = z.looseObject({
  total_packages: z.number().int(),
  show_package_details: z.boolean(),
  has_calculated_shipping: z.boolean(),
  packages: phpMap(ShippingPackageSchema),
});

/** The shipping details of a cart. */
export type Shipping = z.output<typeof ShippingSchema>;

/** A cart fee: the plugin sends `fee` formatted (`"£5.00"`, CoCart 3.x) or as a money value (4.x). */
export const FeeSchema = z.looseObject({
  name: z.string(),
  fee: z.union([z.string(), z.number()]),
});

/** A cart fee. */
export type Fee = z.output<typeof FeeSchema>;

/** A cart tax line (itemised taxes): `price` formatted (`"£1.20"`) or a money value. */
export const TaxSchema = z.looseObject({
  name: z.string(),
  price: z.union([z.string(), z.number()]),
});

/** A cart tax line. */
export type Tax = z.output<typeof TaxSchema>;

/** `notices` of a cart: a map of notice type to notices, or a list, as the plugin sends them. */
export const NoticesSchema = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/** A cart's notices. */
export type Notices = z.output<typeof NoticesSchema>;

/** `GET /session/<cart_key>`: a cart, exactly the seed's shape; unknown keys are kept. */
export const CartSchema = z.looseObject({
  cart_hash: z.string(),
  cart_key: z.string(),
  currency: CurrencySchema,
  customer: CustomerSchema,
  items: z.array(CartItemSchema),
  item_count: z.number(),
  items_weight: z.number(),
  coupons: z.array(CouponSchema),
  needs_payment: z.boolean(),
  needs_shipping: z.boolean(),
  shipping: ShippingSchema,
  fees: phpMap(FeeSchema),
  taxes: phpMap(TaxSchema),
  totals: CartTotalsSchema,
  removed_items: phpMap(CartItemSchema),
  cross_sells: z.array(z.unknown()),
  notices: NoticesSchema,
});

/** A cart as the plugin answers it. */
export type Cart = z.output<typeof CartSchema>;
