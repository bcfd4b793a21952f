import * as z from 'zod';

/** `customer.billing_address` of a cart. */
export const BillingAddressSchema = z.looseObject({
  billing_first_name: z.string(),
  billing_last_name: z.string(),
  billing_company: z.string(),
  billing_country: z.string(),
  billing_address_1: z.string(),
  billing_address_2: z.string(),
  billing_postcode: z.string(),
  billing_city: z.string(),
  billing_state: z.string(),
  billing_phone: z.string(),
  billing_email: z.string(),
});

/** A cart's billing address. */
export type BillingAddress = z.output<typeof BillingAddressSchema>;

/** `customer.shipping_address` of a cart. */
export const ShippingAddressSchema = z.looseObject({
  shipping_first_name: z.string(),
  shipping_last_name: z.string(),
  shipping_company: z.string(),
  shipping_country: z.string(),
  shipping_address_1: z.string(),
  shipping_address_2: z.string(),
  shipping_postcode: z.string(),
  shipping_city: z.string(),
  shipping_state: z.string(),
});

/** A cart's shipping address. */
export type ShippingAddress = z.output<typeof ShippingAddressSchema>;

/** `customer` of a cart. */
export const CustomerSchema = z.looseObject({
  billing_address: BillingAddressSchema,
  shipping_address: ShippingAddressSchema,
});

/** A cart's customer: billing and shipping addresses. */
export type Customer = z.output<typeof CustomerSchema>;
