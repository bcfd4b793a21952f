import { finished, type Readable } from 'node:stream';
import { ApiError, invalidParams } from '@cocart-sessions/core';
import type { Request, Response } from 'express';
import type * as z from 'zod';

/**
 * The request's JSON body, read whole (middleware/body-limit.ts has already refused big or
 * unannounced bodies); no body is `{}`. A body that is not JSON is `400 rest_invalid_json`.
 * Once read, the connection may serve the next request again (http-server.ts closes connections
 * whose body a route left unread).
 */
export async function readJsonBody(req: Request, res: Response): Promise<unknown> {
  let body: Buffer;
  try {
    body = await wholeBody(req);
  } catch {
    // The client went away mid-body: its fault, not a server error to log.
    throw new ApiError('rest_invalid_json', { message: 'The request body did not arrive whole.' });
  }
  res.removeHeader('Connection');
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('rest_invalid_json');
  }
}

/**
 * The body's bytes, by listeners: an async iterator costs a promise and a turn per chunk, and the
 * cart API's bodies are a chunk or two. Fails when the request ends before its body does.
 */
function wholeBody(req: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    finished(req, (error) => {
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
  });
}

/**
 * `body` checked against a request schema, WordPress's way: a missing required field is
 * `400 rest_missing_callback_param`, any other problem (a wrong type, an unknown field) is
 * `400 rest_invalid_param` naming each parameter at fault.
 */
export function parseBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
  required: readonly string[],
): z.output<S> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidParams({ body: 'The body must be a JSON object.' });
  }
  const missing = required.filter((name) => (body as Record<string, unknown>)[name] === undefined);
  if (missing.length > 0) {
    throw new ApiError('rest_missing_callback_param', {
      message: `Missing parameter(s): ${missing.join(', ')}`,
      data: { params: missing },
    });
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const params: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) params[key] = `${key} is not a known parameter.`;
    } else {
      const name = String(issue.path[0] ?? 'body');
      params[name] ??= `${name} is not valid: ${issue.message}`;
    }
  }
  throw invalidParams(params);
}
