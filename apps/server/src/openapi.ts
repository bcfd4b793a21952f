import {
  API_NAMESPACE,
  apiJsonSchemas,
  CART_DELETED_MESSAGE,
  CART_KEY_PATTERN,
  DEFAULT_API_PREFIX,
  MAX_PER_PAGE,
  SESSION_ORDER_BY,
  SORT_ORDERS,
  STAFF_ROLES,
} from '@cocart-sessions/core';

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Move each schema's `$defs` into components and point its `$ref`s there (3.1 resolves from the root). */
function hoist(schemas: Record<string, object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const { $schema: _drop, $defs, ...rest } = schema as Json & { $defs?: Record<string, unknown> };
    const rewrite = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(rewrite);
      if (v === null || typeof v !== 'object') return v;
      const o: Json = {};
      for (const [k, x] of Object.entries(v)) {
        o[k] =
          k === '$ref' && typeof x === 'string' && x.startsWith('#/$defs/')
            ? `#/components/schemas/${name}_${x.slice('#/$defs/'.length)}`
            : rewrite(x);
      }
      return o;
    };
    out[name] = rewrite(rest);
    for (const [defName, def] of Object.entries($defs ?? {})) out[`${name}_${defName}`] = rewrite(def);
  }
  return out;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('WpError') } },
});

const cartKeyParam = {
  name: 'cart_key',
  in: 'path',
  required: true,
  description: 'The session key: letters, digits and underscores, at most 42 characters.',
  schema: { type: 'string', pattern: CART_KEY_PATTERN.source },
};

const common = {
  '401': errorResponse(
    'No credentials (cocart_rest_cannot_view) or wrong ones (cocart_authentication_error).',
  ),
  '403': errorResponse(`Authenticated without the ${STAFF_ROLES.join(' or ')} role.`),
  '429': errorResponse(
    'Too many failed logins from this client (an IPv4 address, an IPv6 /64) (cocart_too_many_requests).',
  ),
  '503': errorResponse(
    'The store is unreachable (cocart_store_unavailable), or too many logins are waiting to be checked (cocart_logins_busy); see Retry-After.',
  ),
};

const cartKeyQuery = {
  name: 'cart_key',
  in: 'query',
  required: false,
  description:
    'The cart: the key `add-item` answered in CoCart-API-Cart-Key (the `CoCart-API-Cart-Key` request header works too, and wins, as in the plugin). Required except on add-item, where no key creates a new guest cart.',
  schema: { type: 'string', pattern: CART_KEY_PATTERN.source },
};

const cartHeaders = {
  'CoCart-API-Cart-Key': { schema: { type: 'string' }, description: 'The cart key (CORS-exposed).' },
  'CoCart-API-Cart-Expiring': {
    schema: { type: 'integer' },
    description: 'Unix seconds when the cart starts to expire (a day before it does).',
  },
  'CoCart-API-Cart-Expiration': {
    schema: { type: 'integer' },
    description: 'Unix seconds when the cart expires.',
  },
};

const jsonBody = (schema: string) => ({
  required: false,
  content: { 'application/json': { schema: ref(schema) } },
});

/** The cart as the cart API answers it: the stored text, the same bytes as `GET /session/<key>`. */
const cartAnswer = (description: string) => ({
  description,
  headers: cartHeaders,
  content: { 'application/json': { schema: ref('Cart') } },
});

const badRequest = errorResponse(
  'A malformed body or parameter: rest_invalid_json, rest_invalid_param (a wrong type, an unknown field or parameter; data.params names each), rest_missing_callback_param (a required one missing).',
);
const cartNotFound = errorResponse(
  'Unknown cart key: cocart_cart_in_session_not_valid (the plugin answers an empty cart instead, and would create one under the key the client chose; here a key is only ever one the server handed out).',
);
const quantityError = errorResponse(
  'cocart_quantity_invalid_amount: below 1, or above the maximum of a line (999).',
);

/** The shopper side of the cart API: public, its paths under the same namespace. */
function cartApiPaths(base: string): Record<string, unknown> {
  const cartOp = (operationId: string, summary: string, extra: Record<string, unknown> = {}) => ({
    operationId,
    summary,
    tags: ['cart'],
    security: [],
    parameters: [cartKeyQuery],
    ...extra,
  });
  const itemKeyParam = {
    name: 'item_key',
    in: 'path',
    required: true,
    description: 'The item key of a line (PHP `\\w+`).',
    schema: { type: 'string', pattern: '^\\w+$' },
  };
  return {
    [`${base}/cart/add-item`]: {
      post: cartOp('addCartItem', 'Add an item; without a cart key, to a new guest cart', {
        description:
          'Without cart_key: creates a guest cart under a new key (32 lowercase hex characters from a CSPRNG; the plugin 4.x makes 30) and answers it with the key in CoCart-API-Cart-Key; limited per client (CART_CREATE_LIMIT a minute, 429 cocart_too_many_carts with Retry-After). With it: adds to that cart. The same product with the same variation and item_data adds to its line (WooCommerce item keys). `id` is a product id or SKU. Answers the whole cart (the same bytes as GET /session/<key>). Every write sets the expiry 7 days ahead. Differences from the plugin: unknown fields are refused (WordPress ignores them), a fractional quantity is refused (the plugin floors it), and the plugin-only fields (`email`, `phone`, `price`, `return_item`) are not taken.',
        requestBody: { ...jsonBody('AddItemRequest'), required: true },
        responses: {
          '200': cartAnswer('The cart with the item added.'),
          '400': badRequest,
          '403': errorResponse(`cocart_cannot_add_to_cart: the cart already holds its most lines (50).`),
          '404': errorResponse(
            'cocart_product_id_required (empty or 0 id), cocart_product_does_not_exist (unknown id), cocart_unknown_product_id (unknown SKU), or an unknown cart key (cocart_cart_in_session_not_valid).',
          ),
          '405': quantityError,
          '413': errorResponse('The body is over 16 KiB (cocart_payload_too_large).'),
          '429': errorResponse(
            'Too many new carts from this client (cocart_too_many_carts); see Retry-After.',
          ),
        },
      }),
    },
    [`${base}/cart`]: {
      get: cartOp('getCart', 'A cart', {
        responses: { '200': cartAnswer('The cart.'), '400': badRequest, '404': cartNotFound },
      }),
    },
    [`${base}/cart/items`]: {
      get: cartOp('getCartItems', 'The items of a cart, keyed by item_key', {
        responses: {
          '200': {
            description: 'The items ([] when none), as GET /session/<key>/items.',
            headers: cartHeaders,
            content: { 'application/json': { schema: ref('ItemsMap') } },
          },
          '400': badRequest,
          '404': cartNotFound,
        },
      }),
    },
    [`${base}/cart/items/count`]: {
      get: cartOp('countCartItems', 'The number of items in a cart (the sum of the quantities)', {
        responses: {
          '200': {
            description: 'The count (0 for an empty cart, as the plugin answers by default).',
            headers: cartHeaders,
            content: { 'application/json': { schema: ref('CartItemCount') } },
          },
          '400': badRequest,
          '404': cartNotFound,
        },
      }),
    },
    [`${base}/cart/totals`]: {
      get: cartOp('getCartTotals', 'The totals of a cart', {
        description:
          "The cart's `totals` (strings of minor units, as in GET cart). The plugin answers WooCommerce's raw totals here (major-unit numbers and tax arrays); this server answers the cart's own totals so that one money form serves both.",
        responses: {
          '200': {
            description: 'The totals.',
            headers: cartHeaders,
            content: { 'application/json': { schema: ref('CartTotals') } },
          },
          '400': badRequest,
          '404': errorResponse(
            'A cart whose total is nothing (cocart_cart_totals_empty), or an unknown cart key (cocart_cart_in_session_not_valid).',
          ),
        },
      }),
    },
    [`${base}/cart/item/{item_key}`]: {
      parameters: [itemKeyParam],
      post: cartOp('updateCartItem', "Set an item's quantity (0 removes it, as the plugin does)", {
        requestBody: { ...jsonBody('UpdateItemRequest'), required: true },
        responses: {
          '200': cartAnswer('The cart with the quantity changed.'),
          '400': badRequest,
          '404': errorResponse(
            'cocart_item_not_in_cart (unknown item key), cocart_no_items_in_cart (quantity 0 on an empty cart), or an unknown cart key.',
          ),
          '405': quantityError,
        },
      }),
      delete: cartOp('removeCartItem', 'Remove an item', {
        responses: {
          '200': cartAnswer('The cart without the item.'),
          '400': badRequest,
          '404': errorResponse(
            'cocart_item_not_in_cart (unknown item key), cocart_no_items_in_cart (the cart is empty), or an unknown cart key. Removed items are not kept in removed_items (no restore route here).',
          ),
        },
      }),
    },
    [`${base}/cart/clear`]: {
      post: cartOp('clearCart', 'Empty a cart (it stays in session, empty)', {
        responses: { '200': cartAnswer('The empty cart.'), '400': badRequest, '404': cartNotFound },
      }),
    },
    [`${base}/cart/update`]: {
      post: cartOp('updateCart', "Set the customer's billing details (namespace update-customer)", {
        description:
          "The plugin's update-customer callback for the billing name, company, email and phone (no `billing_` prefix); an empty value leaves a field as it was. `namespace` may be given in the body or the query. The admin list's customers_name and customers_email follow. Unknown fields are refused (the plugin would keep them as customer meta data); addresses and shipping fields are not taken.",
        parameters: [
          cartKeyQuery,
          {
            name: 'namespace',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['update-customer'] },
          },
        ],
        requestBody: { ...jsonBody('UpdateCustomerRequest'), required: true },
        responses: {
          '200': cartAnswer('The cart with the customer updated.'),
          '400': errorResponse(
            'cocart_email_field_invalid, or a malformed body (rest_invalid_param, rest_invalid_json).',
          ),
          '404': errorResponse(
            'No namespace (cocart_update_cart_namespace_error), an unknown one (cocart_update_cart_no_namespace_error), an empty cart (cocart_cart_empty), or an unknown cart key.',
          ),
        },
      }),
    },
    [`${base}/products`]: {
      get: {
        operationId: 'listProducts',
        summary: 'The products a cart can hold',
        tags: ['cart'],
        security: [],
        description:
          "The demo catalog in CoCart's v2 product shape, limited to what a storefront needs to add to a cart. The store sells in GBP with one 20% VAT rate; there are no variable products, so `variations` is empty.",
        responses: {
          '200': {
            description: 'Every product.',
            content: { 'application/json': { schema: ref('ProductList') } },
          },
          '400': badRequest,
        },
      },
    },
  };
}

/**
 * The OpenAPI 3.1 document of the Sessions API, its schemas generated from the core's zod models.
 * @example JSON.stringify(buildOpenApiDocument(), null, 2)
 */
export function buildOpenApiDocument(opts: { prefix?: string } = {}): Record<string, unknown> {
  const base = `/${opts.prefix ?? DEFAULT_API_PREFIX}/${API_NAMESPACE}`;
  const intParam = (name: string, description: string, max?: number) => ({
    name,
    in: 'query',
    required: false,
    description,
    schema: { type: 'integer', minimum: 1, ...(max !== undefined && { maximum: max }) },
  });
  // Our extension on the three GETs: a strong ETag, and 304 to a matching If-None-Match.
  const etagHeader = {
    ETag: {
      schema: { type: 'string' },
      description: "Strong tag of this answer: the store's change version and a digest of the URL.",
    },
  };
  const ifNoneMatch = {
    name: 'If-None-Match',
    in: 'header',
    required: false,
    description: 'The ETag of the copy the client holds (or *): 304 Not Modified when it is current.',
    schema: { type: 'string' },
  };
  const notModified = {
    '304': {
      description: 'Not Modified: the copy tagged If-None-Match is current (no body).',
      headers: etagHeader,
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'CoCart v2 Sessions API (cocart-sessions reference server)',
      version: '2',
      description:
        'The administrators-only Sessions API of CoCart v2, as served by @cocart-sessions/server, and ' +
        'the public shopper side of its cart API (tag `cart`: no credentials, the cart key is the ' +
        'capability). WordPress also routes `/?rest_route=/cocart/v2/...`.',
    },
    servers: [{ url: 'http://127.0.0.1:8080' }],
    security: [{ basicAuth: [] }, { consumerKey: [], consumerSecret: [] }],
    paths: {
      [`${base}/sessions`]: {
        get: {
          operationId: 'listSessions',
          summary: 'All carts in session',
          description:
            'Without parameters: every session ordered by cart_id ascending, streamed (404 ' +
            'cocart_no_carts_in_session when there is none). With any paging parameter, or when the ' +
            'server runs with --list-format=v4: one page, with X-WP-Total, X-WP-TotalPages and Link.',
          parameters: [
            intParam('page', 'Page number (extension).'),
            intParam('per_page', 'Sessions per page (extension, default 10).', MAX_PER_PAGE),
            {
              name: 'orderby',
              in: 'query',
              required: false,
              schema: { type: 'string', enum: [...SESSION_ORDER_BY] },
            },
            {
              name: 'order',
              in: 'query',
              required: false,
              schema: { type: 'string', enum: [...SORT_ORDERS] },
            },
            {
              name: 'search',
              in: 'query',
              required: false,
              description: 'Substring of customer name, email or cart key.',
              schema: { type: 'string', maxLength: 200 },
            },
            { name: 'source', in: 'query', required: false, schema: { type: 'string', maxLength: 64 } },
            ifNoneMatch,
          ],
          responses: {
            '200': {
              description: 'The sessions: an array (CoCart 3.x, default) or the CoCart 4.x object.',
              headers: {
                ...etagHeader,
                'X-WP-Total': {
                  schema: { type: 'integer' },
                  description: 'Sessions matching (paginated only).',
                },
                'X-WP-TotalPages': { schema: { type: 'integer' }, description: 'Pages (paginated only).' },
                Link: {
                  schema: { type: 'string' },
                  description: 'rel="next" / rel="prev" (paginated only).',
                },
              },
              content: {
                'application/json': { schema: { oneOf: [ref('SessionListV3'), ref('SessionListV4')] } },
              },
            },
            ...notModified,
            '400': errorResponse('A bad parameter (rest_invalid_param, data.params names it).'),
            '404': errorResponse('No carts in session (cocart_no_carts_in_session).'),
            ...common,
          },
        },
      },
      [`${base}/session/{cart_key}`]: {
        parameters: [cartKeyParam],
        get: {
          operationId: 'getSession',
          summary: 'One cart in session',
          parameters: [
            { name: 'thumb', in: 'query', required: false, schema: { type: 'boolean' } },
            ifNoneMatch,
          ],
          responses: {
            '200': {
              description: 'The cart',
              headers: etagHeader,
              content: { 'application/json': { schema: ref('Cart') } },
            },
            ...notModified,
            '404': errorResponse(
              'Unknown key (cocart_cart_in_session_not_valid) or bad key (rest_no_route).',
            ),
            ...common,
          },
        },
        delete: {
          operationId: 'deleteSession',
          summary: 'Delete a cart in session',
          responses: {
            '200': {
              description: JSON.stringify(CART_DELETED_MESSAGE),
              content: { 'application/json': { schema: ref('DeleteResponse') } },
            },
            '404': errorResponse('Unknown key (cocart_session_not_valid).'),
            '500': errorResponse('The row is still there (cocart_session_not_deleted).'),
            ...common,
          },
        },
      },
      [`${base}/session/{cart_key}/items`]: {
        parameters: [cartKeyParam],
        get: {
          operationId: 'getSessionItems',
          summary: 'The items of a cart in session, keyed by item_key',
          parameters: [ifNoneMatch],
          responses: {
            '200': {
              description: 'The items',
              headers: etagHeader,
              content: { 'application/json': { schema: ref('ItemsMap') } },
            },
            ...notModified,
            '404': errorResponse('Unknown key (cocart_cart_in_session_not_valid).'),
            ...common,
          },
        },
      },
      ...cartApiPaths(base),
    },
    components: {
      securitySchemes: {
        basicAuth: {
          type: 'http',
          scheme: 'basic',
          description: 'Username or email and password; or a ck_/cs_ API key pair.',
        },
        consumerKey: { type: 'apiKey', in: 'query', name: 'consumer_key' },
        consumerSecret: { type: 'apiKey', in: 'query', name: 'consumer_secret' },
      },
      schemas: hoist(apiJsonSchemas()),
    },
  };
}

/** The document as committed in `apps/server/openapi.json`. */
export function openApiFileText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
