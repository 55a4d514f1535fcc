import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { PROJECT } from '../support/services';

const LOA = path.join(PROJECT, 'bin/loa.js');

/** A `loa` process whose output goes to a log file of the run; `ready` resolves once it printed `readyText`. */
export class LoaProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  private seen = '';

  constructor(args: string[], env: NodeJS.ProcessEnv, logFile: string, readyText: string) {
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n=== ${new Date().toISOString()} loa ${args.join(' ')} ===\n`);
    this.child = spawn(process.execPath, [LOA, ...args], { env, cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] });
    const write = (data: Buffer) => {
      fs.writeSync(out, data);
      if (this.seen.length < 4_000) this.seen += data.toString();
    };
    this.child.stdout!.on('data', write);
    this.child.stderr!.on('data', write);
    this.child.once('close', () => fs.closeSync(out));
    this.ready = new Promise((resolve, reject) => {
      // Each chunk is looked at too: the first 4,000 characters kept may end before the line (the worker writes its
      // lines together, many at a time).
      const check = (data: Buffer) => {
        if (this.seen.includes(readyText) || data.toString().includes(readyText)) {
          this.child.stdout!.off('data', check);
          resolve();
        }
      };
      this.child.stdout!.on('data', check);
      this.child.once('exit', (code, signal) =>
        reject(new Error(`loa ${args[0]} exited (${code ?? signal}) before it was ready: ${this.seen.slice(-800)}`)),
      );
    });
    this.ready.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends `signal` and resolves when the process has ended. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}

/** Runs `loa ARGS` to its end (an officer at the command line); rejects with its output when it fails. */
export function runLoa(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOA, ...args], { env, cwd: PROJECT });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`loa ${args[0]} ${args[1] ?? ''} failed (${code}): ${output.slice(-600)}`)),
    );
    child.stdin.end(input ?? '');
  });
}

/** The worker processes: a fixed number of slots, any of which can be killed and started again. */
export class WorkerPool {
  private readonly slots: LoaProcess[] = [];
  /** One kill-and-restart at a time per slot, so a slot never holds two processes. */
  private readonly busy: Array<Promise<unknown>> = [];
  private started = 0;
  private stopping = false;
  /** Worker processes that ended without being killed or stopped by the run: a product failure, reported. */
  readonly crashes: string[] = [];

  constructor(
    private readonly size: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logDir: string,
  ) {}

  async start(): Promise<void> {
    for (let slot = 0; slot < this.size; slot++) this.slots[slot] = this.spawn(slot);
    await Promise.all(this.slots.map((w) => w.ready));
  }

  private spawn(slot: number): LoaProcess {
    this.started++;
    const worker = new LoaProcess(['worker'], this.env, path.join(this.logDir, `worker-${slot}.log`), 'đang chạy');
    worker.child.once('exit', (code, signal) => {
      if (this.stopping || signal === 'SIGKILL' || this.slots[slot] !== worker) return;
      this.crashes.push(
        `worker slot ${slot} (pid ${worker.pid}) ended by itself (${code ?? signal}) at ${new Date().toISOString()}`,
      );
      // As a service manager would: start it again, so the run goes on and the crash is counted, not hidden.
      this.slots[slot] = this.spawn(slot);
    });
    return worker;
  }

  /** SIGKILLs the worker in `slot` and starts a new one there (not waiting for it to be ready). */
  killAndRestart(slot: number, restartAfterMs: number): Promise<{ pid: number | undefined }> {
    const next = (this.busy[slot] ?? Promise.resolve()).then(() => this.replace(slot, restartAfterMs));
    this.busy[slot] = next.catch(() => undefined);
    return next;
  }

  private async replace(slot: number, restartAfterMs: number): Promise<{ pid: number | undefined }> {
    const victim = this.slots[slot]!;
    const pid = victim.pid;
    await victim.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, restartAfterMs));
    this.slots[slot] = this.spawn(slot);
    return { pid };
  }

  get count(): number {
    return this.size;
  }

  get processesStarted(): number {
    return this.started;
  }

  /** SIGTERM to every worker: they drain and exit. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.busy);
    await Promise.all(this.slots.map((w) => w.stop('SIGTERM')));
  }

  /** Last resort at the end of the run. */
  async kill(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.map((w) => w.stop('SIGKILL')));
  }
}

/** A redis-server of the run's own on a fixed loopback port, nothing on disk, that can be restarted (empty) on that port. */
export class RestartableRedis {
  private child: ChildProcess | undefined;
  readonly url: string;

  constructor(readonly port: number) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let waited = 0; waited < 10_000; waited += 100) {
      if (
        await new Promise<boolean>((resolve) => {
          const socket = net.connect(this.port, '127.0.0.1', () => socket.end(() => resolve(true)));
          socket.on('error', () => resolve(false));
        })
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('redis-server did not start');
  }

  /** SIGKILL and start again on the same port: everything in it is gone, as after a crash without persistence. */
  async restart(): Promise<void> {
    await this.stop('SIGKILL');
    await this.start();
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}
