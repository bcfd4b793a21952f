import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '@cocart-sessions/core';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';
import { isStoreUnavailableError } from '../store/store-errors.js';
import { requestIdOf, responseHead, setHeaderPairs } from './response-head.js';

/** Seconds a client should wait after a 503 from an unreachable store. */
export const STORE_RETRY_AFTER_SECONDS = 5;

function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const s =
    (err as { status?: unknown; statusCode?: unknown }).status ??
    (err as { statusCode?: unknown }).statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** Map anything thrown to an {@link ApiError}; unknown errors become a bare 500. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isStoreUnavailableError(err)) {
    return new ApiError('cocart_store_unavailable', {
      headers: { 'Retry-After': String(STORE_RETRY_AFTER_SECONDS) },
    });
  }
  const status = statusOf(err);
  if (status === 413) return new ApiError('cocart_payload_too_large');
  // Express's router throws 400 for a path segment that is not valid percent-encoding.
  if (err instanceof URIError || (status === 400 && /decode/i.test(String((err as Error).message))))
    return new ApiError('rest_no_route');
  return new ApiError('cocart_unknown_server_error', {
    message: 'An unexpected error occurred. It has been logged.',
  });
}

/** An error answer as it is sent: status, the headers after the common head, the envelope. */
export interface ErrorAnswer {
  status: number;
  /** Flat name/value pairs, `Content-Length` last. */
  headers: string[];
  body: string;
}

/** The one rendering of an error answer, whichever layer sends it. */
export function errorAnswer(apiError: ApiError): ErrorAnswer {
  const body = JSON.stringify(apiError.toBody());
  const headers = Object.entries(apiError.headers ?? {}).flat();
  headers.push('Content-Length', String(Buffer.byteLength(body)));
  return { status: apiError.status, headers, body };
}

/**
 * Sends `apiError` as the answer: the envelope with its status and headers, after the common head
 * (set here when the routed chain had not set it yet, or never ran).
 */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  apiError: ApiError,
  clock: () => number = Date.now,
): void {
  if (!res.hasHeader('X-Request-Id'))
    setHeaderPairs(res, responseHead(clock(), requestIdOf(req.headers['x-request-id'])));
  const answer = errorAnswer(apiError);
  res.statusCode = answer.status;
  setHeaderPairs(res, answer.headers);
  res.end(answer.body);
}

/** The one error middleware: every failure becomes a WordPress REST envelope, never a stack. */
export function errorHandler(logger: Logger, clock: () => number = Date.now) {
  return function handleError(err: unknown, req: Request, res: Response, _next: NextFunction): void {
    const requestId = res.locals.requestId as string | undefined;
    const apiError = toApiError(err);
    if (apiError.status >= 500) {
      logger.error('request failed', {
        requestId,
        ip: req.ip,
        method: req.method,
        path: req.path,
        code: apiError.code,
        err,
      });
    } else {
      logger.debug('request refused', { requestId, method: req.method, path: req.path, code: apiError.code });
    }
    if (res.headersSent) {
      // A streamed answer already started: the only honest signal left is a cut connection.
      res.destroy();
      return;
    }
    sendError(req, res, apiError, clock);
  };
}
