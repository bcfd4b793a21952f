import type { NextFunction, Request, Response } from 'express';

/** Rewrite WordPress's `/?rest_route=/cocart/v2/...` form to `/<prefix>/cocart/v2/...`. */
export function restRoute(prefix: string) {
  return function rewriteRestRoute(req: Request, _res: Response, next: NextFunction): void {
    if (!req.url.includes('rest_route=')) {
      next();
      return;
    }
    const url = new URL(req.url, 'http://localhost');
    const route = url.searchParams.get('rest_route');
    if ((url.pathname === '/' || url.pathname === '/index.php') && route !== null) {
      url.searchParams.delete('rest_route');
      const path = route
        .split('/')
        .filter((s, i) => i > 0 || s !== '')
        .map(encodeURIComponent)
        .join('/');
      const query = url.searchParams.toString();
      req.url = `/${prefix}/${path}${query === '' ? '' : `?${query}`}`;
    }
    next();
  };
}
