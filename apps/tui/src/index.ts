export type { CliArgs, CliCommand } from './cli/args.js';
export { parseCliArgs } from './cli/args.js';
export { runCli } from './cli/commands.js';
export type { CliIo } from './cli/io.js';
export { runCommand } from './cli/read-commands.js';
export { USAGE } from './cli/usage.js';
export { CliError, describeError, EXIT } from './errors.js';
export type { DetailLine } from './format/cart.js';
export { cartLines, itemsLines } from './format/cart.js';
export { sessionsTable } from './format/table-writer.js';
export { relativeAge, relativeExpiry, type SessionStatus, sessionStatus } from './format/time.js';
export { inThreadListFeed } from './list-feed/in-thread-feed.js';
export type { ListFeed } from './list-feed/list-feed.js';
export type {
  ListCalls,
  ListStatus,
  LoadOutcome,
  WindowAnswer,
  WindowRequest,
} from './list-feed/list-service.js';
export type { ListWorkerData, PlainClientOptions } from './list-feed/protocol.js';
export type { ViewCounts, ViewQuery, WindowRow } from './list-feed/row-store.js';
export { startListWorker } from './list-feed/worker-feed.js';
export type { SessionSource } from './sessions/source.js';
export type { AppListSource, AppProps } from './ui/app.js';
export { App } from './ui/app.js';
export type { Binding, KeyAction, KeyContext, KeySpec } from './ui/keymap.js';
export { actionFor, KEYMAP } from './ui/keymap.js';
export type { Action, State } from './ui/state/reducer.js';
export { initialState, reducer } from './ui/state/reducer.js';
