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
        'The administrators-only Sessions API of CoCart v2, as served by @cocart-sessions/server. ' +
        'WordPress also routes `/?rest_route=/cocart/v2/...`.',
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
