export { type AppDeps, createApp } from './app.js';
export { addUser, createApiKey, ensureAdministrator, ROLES, STAFF_ROLES } from './auth/accounts.js';
export { type SeedOptions, seedDemoSessions } from './demo/seed.js';
export { defaultConfig, type LogLevel, loadConfig, type ServerConfig } from './env.js';
export { createLogger, type Logger } from './logger.js';
export { ApiError, isApiError } from './middleware/api-error.js';
export { buildOpenApiDocument } from './openapi.js';
export { type RunningServer, type StartServerOptions, startServer } from './server.js';
export { openStore } from './store/open-store.js';
export {
  type ApiKey,
  isStoreUnavailableError,
  type ListQuery,
  type NewSession,
  type Role,
  type SessionMeta,
  type SessionRecord,
  type SessionStore,
  StoreUnavailableError,
  type User,
} from './store/session-store.js';
export { exportSessions, type ImportResult, importSessions, type JsonLinesInput } from './transfer/index.js';
