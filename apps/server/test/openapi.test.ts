import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, openApiFileText } from '../src/openapi.js';

describe('OpenAPI document', () => {
  it('is committed as generated (run `pnpm --filter @cocart-sessions/server openapi` after model changes)', () => {
    const committed = readFileSync(new URL('../openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(openApiFileText());
  });

  it('documents the ETag of each GET and its 304 answer to If-None-Match', () => {
    const doc = buildOpenApiDocument() as {
      paths: Record<
        string,
        Record<
          string,
          { parameters?: Array<{ name: string }>; responses?: Record<string, { headers?: object }> }
        >
      >;
    };
    const gets = Object.entries(doc.paths).flatMap(([path, p]) =>
      p.get && path.includes('/session') ? [p.get] : [],
    );
    expect(gets).toHaveLength(3);
    for (const op of gets) {
      expect(op.parameters?.map((p) => p.name)).toContain('If-None-Match');
      expect(op.responses?.['200']?.headers).toHaveProperty('ETag');
      expect(op.responses?.['304']?.headers).toHaveProperty('ETag');
    }
  });

  it('describes the four operations with the core schemas, refs resolvable from the root', () => {
    const doc = buildOpenApiDocument() as {
      openapi: string;
      paths: Record<string, Record<string, { operationId?: string }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.values(doc.paths).flatMap((p) =>
      Object.values(p)
        .map((o) => o.operationId)
        .filter(Boolean),
    );
    expect(ops.sort()).toEqual([
      'addCartItem',
      'clearCart',
      'countCartItems',
      'deleteSession',
      'getCart',
      'getCartItems',
      'getCartTotals',
      'getSession',
      'getSessionItems',
      'listProducts',
      'listSessions',
      'removeCartItem',
      'updateCart',
      'updateCartItem',
    ]);
    for (const name of [
      'Cart',
      'ItemsMap',
      'SessionListV3',
      'SessionListV4',
      'WpError',
      'DeleteResponse',
      'AddItemRequest',
      'ProductList',
    ]) {
      expect(doc.components.schemas).toHaveProperty(name);
    }
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const target = ref.slice('"$ref":"#/components/schemas/'.length, -1);
      expect(doc.components.schemas, ref).toHaveProperty(target);
    }
  });
});
