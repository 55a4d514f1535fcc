#!/usr/bin/env node
// Runs the compiled build (dist/, made by scripts/build.js on `npm ci` and by scripts/setup.sh) when it is newer than
// every source file; otherwise the TypeScript sources through tsx, so `npx loa` never runs a stale build.
const path = require('node:path');
const { buildIsCurrent } = require('./build-state');

let main;
if (buildIsCurrent(path.join(__dirname, '..'))) {
  main = require('../dist/src/cli/main.js').main;
} else {
  require('tsx/cjs/api').register();
  main = require('../src/cli/main.ts').main;
}
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
