import type { Request, Response } from 'express';

/** FNV-1a: a short, stable digest of what else than the data shapes an answer (URL, link base). */
function digest(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/**
 * The strong ETag of an answer: the store's change version (any write changes it, in any process)
 * and a digest of the variant (route, parameters, link base), so no two answers share a tag while
 * the data is unchanged. Never a hash of the rows: a 304 costs one counter read.
 */
export function etagOf(version: string, variant: string): string {
  return `"${version}-${digest(variant)}"`;
}

/** True when `If-None-Match` names `etag` (or is `*`); weak comparison, as RFC 9110 asks for GET. */
export function ifNoneMatchHolds(req: Request, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (header === undefined || header === '') return false;
  const bare = etag.replace(/^W\//, '');
  for (const candidate of header.split(',')) {
    const tag = candidate.trim();
    if (tag === '*' || tag.replace(/^W\//, '') === bare) return true;
  }
  return false;
}

/**
 * Answers `304 Not Modified` (no body, the same ETag) when the request already holds `etag`; returns
 * whether it did. Otherwise the caller sets `ETag` on its 200 only, so no error answer carries one.
 */
export function answerNotModified(req: Request, res: Response, etag: string): boolean {
  if (!ifNoneMatchHolds(req, etag)) return false;
  res.removeHeader('Content-Type');
  res.setHeader('ETag', etag);
  res.statusCode = 304;
  res.end();
  return true;
}
