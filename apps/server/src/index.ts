export { type AppDeps, createApp } from './app.js';
export {
  addUser,
  createApiKey,
  ensureAdministrator,
  generateAdministrator,
  revokeApiKey,
} from './auth/accounts.js';
export {
  ConfigError,
  type ConfigSources,
  defaultConfig,
  type LogLevel,
  loadConfig,
  parseConfig,
  type ServerConfig,
} from './config.js';
export { type SeedOptions, seedDemoSessions } from './demo/seed.js';
export { createLogger, type Logger } from './logger.js';
export { buildOpenApiDocument } from './openapi.js';
export {
  type RunningServer,
  type RunServerOptions,
  runServer,
  type StartServerOptions,
  startServer,
} from './server.js';
export type { AccountStore, ApiKey, Role, User } from './store/account-store.js';
export { openStore } from './store/open-store.js';
export type {
  ListQuery,
  NewSession,
  SessionChange,
  SessionMeta,
  SessionRecord,
  SessionRow,
  SessionStore,
} from './store/session-store.js';
export type { Store } from './store/store.js';
export { isStoreUnavailableError, StoreInputError, StoreUnavailableError } from './store/store-errors.js';
export { exportSessions, type ImportResult, importSessions, type JsonLinesInput } from './transfer/index.js';
