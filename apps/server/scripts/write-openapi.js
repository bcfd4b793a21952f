// Writes apps/server/openapi.json from the built server (run by `pnpm --filter @cocart-sessions/server openapi`).
import { writeFileSync } from 'node:fs';
import { openApiFileText } from '../dist/openapi.js';

const target = new URL('../openapi.json', import.meta.url);
writeFileSync(target, openApiFileText());
console.log(`wrote ${target.pathname}`);
