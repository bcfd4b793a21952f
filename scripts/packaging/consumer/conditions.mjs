// Run with `node --conditions=source`: a runtime or bundler that honours the workspace-only `source`
// condition must still get each package's build (the published exports do not name it).
const names = [
  '@cocart-sessions/core',
  '@cocart-sessions/client',
  '@cocart-sessions/server',
  '@cocart-sessions/tui',
];
for (const name of names) {
  const entry = import.meta.resolve(name);
  const exports = Object.keys(await import(name));
  console.log(`${name} ${entry.slice(entry.indexOf('/node_modules/') + 1)} ${exports.length > 0}`);
}
