import { describe, expect, it } from 'vitest';
import { AddItemRequestSchema, UpdateCustomerRequestSchema, UpdateItemRequestSchema } from './cart-api.js';

describe('cart API request bodies', () => {
  it('take what the plugin takes: an id or SKU, and a quantity as a number or numeric string', () => {
    expect(AddItemRequestSchema.parse({ id: 101, quantity: 2 })).toEqual({ id: 101, quantity: 2 });
    expect(AddItemRequestSchema.parse({ id: 'DEMO-101', quantity: '3' }).quantity).toBe('3');
    expect(
      AddItemRequestSchema.parse({
        id: '101',
        variation: { attribute_size: 'L' },
        item_data: { gift: true },
      }),
    ).toEqual({ id: '101', variation: { attribute_size: 'L' }, item_data: { gift: true } });
  });

  it('refuse extra fields, fractional quantities and wrong types', () => {
    expect(AddItemRequestSchema.safeParse({ id: 101, qty: 2 }).success).toBe(false);
    expect(AddItemRequestSchema.safeParse({ id: 101, quantity: 1.5 }).success).toBe(false);
    expect(AddItemRequestSchema.safeParse({ id: 101, quantity: '1.5' }).success).toBe(false);
    expect(AddItemRequestSchema.safeParse({ id: true }).success).toBe(false);
    expect(AddItemRequestSchema.safeParse({ id: 101, variation: { size: 3 } }).success).toBe(false);
    expect(UpdateItemRequestSchema.safeParse({}).success).toBe(false);
    expect(UpdateItemRequestSchema.safeParse({ quantity: [1] }).success).toBe(false);
    expect(UpdateCustomerRequestSchema.safeParse({ first_name: 'Ann', billing_city: 'Leeds' }).success).toBe(
      false,
    );
  });
});
