#!/usr/bin/env node
// The bin `cocart-sessions`. Built, cli/main.js is one bundle of the command line (scripts/bundle-bin.js).
import { enableCompileCache } from 'node:module';

// V8 keeps the code it compiles in the OS temp directory, so later launches skip compiling it. On
// before anything else loads: everything is imported after this line, to be covered too.
enableCompileCache();
await import('./cli/main.js');
