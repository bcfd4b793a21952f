// The public surface of @cocart-sessions/core: every name a user may touch, and nothing else.

export {
  type CartContents,
  type CartItemDataValue,
  type CouponDiscount,
  calculateCart,
  itemKeyOf,
  type ProductSnapshot,
} from './cart/calculate.js';
export { customerEmailOf, customerNameOf, itemsMapOf, toSessionSummary } from './cart/views.js';
export {
  API_DATE_MAX_SECONDS,
  API_DATE_MIN_SECONDS,
  apiDateToDate,
  dateToApiDate,
  formatApiDate,
  parseApiDate,
} from './dates.js';
export {
  ApiError,
  type ApiErrorOptions,
  CoreError,
  type CoreErrorCode,
  ERROR_CODES,
  type ErrorCode,
  errorBody,
  invalidParams,
  isApiError,
  isCoreError,
  noRoute,
} from './errors.js';
export { type ApiSchemaName, apiJsonSchemas } from './json-schema.js';
export { assertCartKey, CART_KEY_PATTERN, generateGuestKey, isCartKey } from './keys.js';
export { formatMoney, type MoneyFormat } from './money/format.js';
export {
  addMinor,
  allocateMinor,
  fromMinorUnits,
  MAX_CURRENCY_DECIMALS,
  type MinorUnitsRounding,
  multiplyMinor,
  percentOfMinor,
  subtractMinor,
  toMinorUnits,
} from './money/minor-units.js';
export {
  parseCartTotal,
  parseCouponSaving,
  parseFormattedMoney,
  parseItemPrice,
  parseItemTotal,
  parseRateCost,
  parseShippingHtml,
  toCartTotal,
  toItemPrice,
  toItemTotal,
  toRateCost,
  toShippingHtml,
} from './money/parse.js';
export { ROLES, type Role, STAFF_ROLES } from './roles.js';
export {
  API_NAMESPACE,
  DEFAULT_API_PREFIX,
  MAX_PER_PAGE,
  SESSION_ORDER_BY,
  type SessionOrderBy,
  SORT_ORDERS,
  type SortOrder,
} from './routes.js';
export {
  type Cart,
  CartSchema,
  type Coupon,
  CouponSchema,
  type Fee,
  FeeSchema,
  type Notices,
  NoticesSchema,
  type Shipping,
  type ShippingPackage,
  ShippingPackageSchema,
  type ShippingRate,
  ShippingRateSchema,
  ShippingSchema,
  type Tax,
  TaxSchema,
} from './schemas/cart.js';
export {
  type AddItemRequest,
  AddItemRequestSchema,
  CartItemCountSchema,
  CartQuantitySchema,
  ClearCartRequestSchema,
  type Product,
  ProductListSchema,
  ProductSchema,
  type UpdateCustomerRequest,
  UpdateCustomerRequestSchema,
  type UpdateItemRequest,
  UpdateItemRequestSchema,
} from './schemas/cart-api.js';
export { type Currency, CurrencySchema } from './schemas/currency.js';
export {
  type BillingAddress,
  BillingAddressSchema,
  type Customer,
  CustomerSchema,
  type ShippingAddress,
  ShippingAddressSchema,
} from './schemas/customer.js';
export { CART_DELETED_MESSAGE, type DeleteResponse, DeleteResponseSchema } from './schemas/delete.js';
export { type WpError, WpErrorSchema } from './schemas/error.js';
export {
  type CartItem,
  CartItemSchema,
  ItemDimensionsSchema,
  ItemMetaSchema,
  ItemQuantitySchema,
  type ItemsMap,
  ItemsMapSchema,
  ItemTaxDataSchema,
  ItemTotalsSchema,
  TaxAmountSchema,
} from './schemas/item.js';
export {
  type SessionList,
  SessionListSchema,
  type SessionListV3,
  SessionListV3Schema,
  type SessionListV4,
  SessionListV4Schema,
} from './schemas/list.js';
export { type PhpMap, phpMap } from './schemas/php-map.js';
export { isSessionSummary, type SessionSummary, SessionSummarySchema } from './schemas/session.js';
export { SESSION_SUMMARY_FIELDS, type SessionSummaryField } from './schemas/session-fields.js';
export { type CartTotals, CartTotalsSchema } from './schemas/totals.js';
export { serializeCart, serializeItemsMap } from './serialize.js';
