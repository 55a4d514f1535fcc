import { Worker } from 'node:worker_threads';

/**
 * The thread's code, plain JavaScript run with `eval` so it is the same under tsx, jest and the compiled build. Each
 * message is a list of files; each is written whole (its folder made when missing), in order, and one answer comes
 * back for the list: done, or the first error with its code.
 */
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
parentPort.on('message', ({ id, files }) => {
  try {
    for (const [file, body] of files) {
      try {
        fs.writeFileSync(file, body);
      } catch (error) {
        if (error.code !== 'ENOENT') throw error;
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, body);
      }
    }
    parentPort.postMessage({ id });
  } catch (error) {
    const { message, code, errno, syscall, path: where } = error;
    parentPort.postMessage({ id, error: { message, code, errno, syscall, path: where } });
  }
});
`;

/** A failed write's error as the thread sends it: the system error's fields the messages are made from. */
type Reply = {
  id: number;
  error?: { message: string; code?: string; errno?: number; syscall?: string; path?: string };
};

/**
 * Creates files on a thread of their own. A radio publication creates two new files, and making a file's inode is
 * the dearest step of the radio path: on an ext4 without a journal it searches past every inode freed recently
 * (ext4_new_inode → recently_deleted in a perf profile: 0.9 ms a radio publication, 37 % of the worker's main thread
 * in a burst). On the thread it runs beside the main thread's database and Redis work, on the machine's other core;
 * the main thread pays one message each way for both files.
 *
 * The thread starts with the first write, and holds the process open only while a write is waiting. If it dies,
 * the writes waiting fail with that error and the next write starts a new thread.
 */
export class FileThread {
  private thread: { worker: Worker; waiting: Map<number, Waiter> } | null = null;
  private next = 0;

  /** Writes `files` ([path, content]) in order; rejects with the first failure's error (code, syscall, path kept). */
  write(files: Array<[string, string]>): Promise<void> {
    const { worker, waiting } = this.started();
    const id = this.next++;
    return new Promise<void>((resolve, reject) => {
      if (waiting.size === 0) worker.ref();
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, files });
    });
  }

  /** Ends the thread (a write still waiting fails). */
  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    if (thread) await thread.worker.terminate();
  }

  private started(): { worker: Worker; waiting: Map<number, Waiter> } {
    if (this.thread) return this.thread;
    const worker = new Worker(SOURCE, { eval: true });
    const waiting = new Map<number, Waiter>();
    const thread = { worker, waiting };
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiter = waiting.get(reply.id);
      if (!waiter) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) worker.unref();
      if (!reply.error) return waiter.resolve();
      const { message, ...fields } = reply.error;
      waiter.reject(Object.assign(new Error(message), fields));
    });
    // A thread that died fails only its own writes; the next write starts another.
    const fail = (error: Error) => {
      if (this.thread === thread) this.thread = null;
      for (const waiter of waiting.values()) waiter.reject(error);
      waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`luồng ghi tệp đã dừng (mã ${code})`)));
    this.thread = thread;
    return thread;
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}
