import type { Command } from 'commander';
import { openStore } from '../store';
import { config, lazy } from './context';

export function register(program: Command): void {
  program
    .command('serve')
    .description('chạy máy chủ web: nguồn tin RSS của cổng thông tin tại /rss.xml')
    .option('--port <cổng>', 'cổng (đặt sẵn bằng biến LOA_PORT)', String(config.port))
    .option('--host <địa chỉ>', 'địa chỉ lắng nghe', '127.0.0.1')
    .action(async (options: { port: string; host: string }) => {
      const db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit });
      const { buildServer } = lazy<typeof import('../http/server')>('../http/server');
      const app = await buildServer(db, config);
      const address = await app.listen({ port: Number(options.port), host: options.host });
      console.log(`Loa đang phục vụ tại ${address} — nguồn tin: ${address}/rss.xml`);
      await new Promise<void>((resolve) => {
        const stop = () => void app.close().then(() => db.close()).then(resolve);
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
