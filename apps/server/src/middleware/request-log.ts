import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';

/** What a request's log line says besides its method and status. */
export interface RequestLogFields {
  /** Read before routing: routers rewrite req.url to their mount point while they run. */
  path: string;
  /** The client's address (X-Forwarded-For's right-most untrusted hop behind a trusted proxy). */
  ip: string | undefined;
  requestId: string;
  started: number;
}

/** One debug line per answered request, written when the answer is finished. */
export function logWhenFinished(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  fields: RequestLogFields,
): void {
  res.on('finish', () => {
    logger.debug('request', {
      requestId: fields.requestId,
      method: req.method,
      path: fields.path,
      ip: fields.ip,
      status: res.statusCode,
      ms: Math.round((performance.now() - fields.started) * 10) / 10,
    });
  });
}

/** {@link logWhenFinished} for every request that reaches the routes (the cart fast path logs its own). */
export function requestLog(logger: Logger) {
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    const fields = {
      path: req.path,
      ip: req.ip,
      requestId: res.locals.requestId as string,
      started: performance.now(),
    };
    logWhenFinished(logger, req, res, fields);
    next();
  };
}
