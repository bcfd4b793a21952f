import { API_NAMESPACE } from '@cocart-sessions/core';
import type { Request } from 'express';
import type { ServerConfig } from '../config.js';
import { listeningHost, validHost } from './host.js';

/**
 * Absolute URL of the namespace root (`https://host/wp-json/cocart/v2`) for `link` fields: the
 * configured public URL, else the request's host (`Host`, or `X-Forwarded-Host` from a trusted
 * proxy) when it is a valid host, else the address the client connected to.
 */
export function namespaceUrl(req: Request, config: ServerConfig): string {
  // X-Forwarded-Proto from a trusted proxy is free text too: only the two schemes a link may have.
  const scheme = req.protocol === 'https' ? 'https' : 'http';
  const base = config.publicUrl ?? `${scheme}://${validHost(req.host) ?? listeningHost(req)}`;
  return `${base}/${config.apiPrefix}/${API_NAMESPACE}`;
}
