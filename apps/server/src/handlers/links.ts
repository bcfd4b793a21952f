import { API_NAMESPACE } from '@cocart-sessions/core';
import type { Request } from 'express';
import type { ServerConfig } from '../config.js';

/** Absolute URL of the namespace root (`https://host/wp-json/cocart/v2`) for `link` fields. */
export function namespaceUrl(req: Request, config: ServerConfig): string {
  const base = config.publicUrl ?? `${req.protocol}://${req.get('host') ?? `${config.host}:${config.port}`}`;
  return `${base}/${config.apiPrefix}/${API_NAMESPACE}`;
}
