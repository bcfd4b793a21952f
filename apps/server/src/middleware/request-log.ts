import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';

/** One debug line per answered request, written when the answer is finished. */
export function logWhenFinished(
  logger: Logger,
  req: Request,
  res: Response,
  requestId: () => string,
  started = performance.now(),
): void {
  // Read now: routers rewrite req.url to their mount point while they run.
  const path = req.path;
  res.on('finish', () => {
    logger.debug('request', {
      requestId: requestId(),
      method: req.method,
      path,
      // The client's address (X-Forwarded-For's right-most untrusted hop behind a trusted proxy).
      ip: req.ip,
      status: res.statusCode,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });
}

/** {@link logWhenFinished} for every request that reaches the routes (the cart fast path logs its own). */
export function requestLog(logger: Logger) {
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    logWhenFinished(logger, req, res, () => res.locals.requestId as string);
    next();
  };
}
