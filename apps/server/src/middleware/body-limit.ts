import { ApiError } from '@cocart-sessions/core';
import type { NextFunction, Request, Response } from 'express';

/** Only the cart API's writes read a body (a few fields); anything bigger than this is refused unread. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * 413 for bodies over {@link MAX_BODY_BYTES} or of unannounced size, 400 for any body on GET/HEAD;
 * any other body is read by the route that takes one (cart-api/json-body.ts) or left unread
 * (createHttpServer then closes its connection after the answer).
 */
export function bodyLimit(req: Request, res: Response, next: NextFunction): void {
  const length = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (length === undefined && !chunked) {
    next();
    return;
  }
  // A chunked body has no announced size: nothing here needs one, so it is refused like a big one.
  if ((length !== undefined && Number(length) > MAX_BODY_BYTES) || (length === undefined && chunked)) {
    // The body stays unread, so the connection cannot be reused.
    res.setHeader('Connection', 'close');
    throw new ApiError('cocart_payload_too_large', { data: { max_bytes: MAX_BODY_BYTES } });
  }
  if ((req.method === 'GET' || req.method === 'HEAD') && (chunked || length !== '0')) {
    res.setHeader('Connection', 'close');
    throw new ApiError('rest_invalid_param', {
      message: 'Invalid parameter(s): body',
      data: { params: { body: 'A GET request must not have a body.' } },
    });
  }
  next();
}
