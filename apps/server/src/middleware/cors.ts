import type { NextFunction, Request, Response } from 'express';

const EXPOSED = 'X-WP-Total, X-WP-TotalPages, Link, X-Request-Id, CoCart-Version, CoCart-Timestamp';

/** CORS for the configured origins (`*` for any); answers every OPTIONS request itself. */
export function cors(origins: readonly string[]) {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return function applyCors(req: Request, res: Response, next: NextFunction): void {
    const origin = req.headers.origin;
    const ok = origin !== undefined && (any || allowed.has(origin));
    if (allowed.size > 0) res.setHeader('Vary', 'Origin');
    if (ok) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    }
    if (req.method !== 'OPTIONS') {
      next();
      return;
    }
    res.setHeader('Allow', 'GET, DELETE, OPTIONS');
    if (ok && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Request-Id');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.removeHeader('Content-Type');
    res.statusCode = 204;
    res.end();
  };
}
