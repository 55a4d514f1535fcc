#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx loa` never runs a stale build.
require('tsx/cjs/api').register();
require('../src/cli/main.ts').main(process.argv).then(
  (code) => { process.exitCode = code; },
  (error) => { console.error(error); process.exitCode = 1; },
);
