import type { SessionsResource } from '@cocart-sessions/client';

/** The calls the TUI makes: `createClient(...).sessions` satisfies it. */
export type SessionSource = Pick<SessionsResource, 'page' | 'list' | 'get' | 'items' | 'delete'>;
