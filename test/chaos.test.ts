import { spawn } from 'node:child_process';
import path from 'node:path';

import { DATABASE_KINDS } from './support/databases';
import { PROJECT } from './support/services';

/**
 * The CI-sized chaos run (`npm run chaos -- --small`) on each database: about 200 publications on the four
 * channels while workers are SIGKILLed, Redis is flushed and restarted, the fake platforms fail, and publishing is
 * paused. It fails on any duplicate, any loss, an unconfirmed publication the log does not explain, or a worker
 * that ended by itself. PostgreSQL is not restarted here: other suites may be using the same server.
 */
jest.setTimeout(300_000);

function runChaos(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [require.resolve('tsx/cli'), path.join(PROJECT, 'scripts/chaos.ts'), '--small', ...args],
      { cwd: PROJECT, env: { ...process.env, LOA_DATABASE_URL: '' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(DATABASE_KINDS)('npm run chaos -- --small on %s', (kind) => {
  test('no duplicate and nothing lost under kills, Redis loss, platform faults and a pause', async () => {
    const run = await runChaos(kind === 'postgres' ? ['--postgres'] : []);
    // The whole summary in the failure message: per channel figures, problems, the kept run folder.
    const summary = `${run.stdout}\n${run.stderr.split('\n').slice(-15).join('\n')}`;
    expect({ code: run.code, ends: /duplicates 0\nlost 0\n$/.test(run.stdout), summary }).toEqual({
      code: 0,
      ends: true,
      summary,
    });
    expect(run.stdout).toMatch(/^rss +50 +50 /m);
    expect(run.stdout).toMatch(/faults: [1-9]\d* worker SIGKILLs, 1 Redis FLUSHALL, 1 Redis restart/);
  });
});
