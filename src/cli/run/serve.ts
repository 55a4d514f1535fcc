import { ValidationError } from '../../domain/errors';
import { config } from '../context';

/** A port is a whole number from 1 to 65535; LOA_PORT=abc is an error, not a silent 8080. */
function checkPort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port < 1 || port > 65535)
    throw new ValidationError(
      process.env.LOA_PORT === text ? 'LOA_PORT' : '--port',
      `"${text}" không phải cổng hợp lệ; dùng một số từ 1 đến 65535, ví dụ 8080`,
    );
  return port;
}

/** `loa serve` */
export async function serve(options: { port: string; host: string }): Promise<void> {
  const port = checkPort(options.port);
  const { composeProcess } = require('../../compose') as typeof import('../../compose');
  const { buildServer } = require('../../http/server') as typeof import('../../http/server');
  const { createLogger } = require('../../log') as typeof import('../../log');
  const parts = await composeProcess(config, { checkIntegrity: true });
  const { db, adapters, queues, clock } = parts;
  const app = await buildServer(db, config, { logger: createLogger('loa-serve'), adapters, queues, clock });
  const address = await app.listen({ port, host: options.host }).catch(async (error: unknown) => {
    await app.close();
    await parts.close();
    throw error;
  });
  console.log(`Loa đang phục vụ tại ${address} — nguồn tin: ${address}/rss.xml`);
  await new Promise<void>((resolve) => {
    const stop = () =>
      void app
        .close()
        .then(() => parts.close())
        .then(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
