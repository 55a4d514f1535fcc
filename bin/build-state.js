// Whether the compiled build in dist/ is current: made after every file it was made from was last changed.
// bin/loa.js asks on every start, so this is one stat per source file and directory, stopping at the first newer one.
const fs = require('node:fs');
const path = require('node:path');

/** What the build is made from (tsconfig.build.json), relative to the project root; assets beside the code included. */
const SOURCES = ['src', 'channels', 'worker', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
/** Written last by scripts/build.js, with the time the build started as its modification time. */
const STAMP = 'dist/.built';

/** True when `entry` (a file, or a directory and everything in it) was changed after `since` (ms since the epoch). */
function changedSince(entry, since) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return true; // a source the build was made from is gone
  }
  // A directory's own time moves when a file in it is added, removed or renamed.
  if (stat.mtimeMs > since) return true;
  if (!stat.isDirectory()) return false;
  for (const name of fs.readdirSync(entry)) if (changedSince(path.join(entry, name), since)) return true;
  return false;
}

function buildIsCurrent(root) {
  let built;
  try {
    built = fs.statSync(path.join(root, STAMP)).mtimeMs;
  } catch {
    return false;
  }
  return !SOURCES.some((source) => changedSince(path.join(root, source), built));
}

module.exports = { SOURCES, STAMP, buildIsCurrent };
