// Headless host: the engine plus the built renderer over HTTP, under plain Node. This is what
// `npm start` runs without a display, what end-to-end tests drive, and what a second
// workstation opens in a browser.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startEngine } from './engine/engine';
import { DEFAULT_PORT, parseHostOptions, UsageError } from './host-options';

async function main(): Promise<void> {
  let options;
  try {
    options = parseHostOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`vigil: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const root = resolve(__dirname, '..', '..');
  const rendererDir = resolve(root, 'out', 'renderer');
  const log = (line: string) => console.error(`[${new Date().toISOString()}] ${line}`);
  process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (error) => log(`unhandled rejection: ${(error as Error)?.stack ?? String(error)}`));

  const common = { dataDir: options.dataDir, token: options.token, rendererDir: existsSync(rendererDir) ? rendererDir : null, resourcesDir: resolve(root, 'resources'), appDir: root, demoSite: options.demoSite, log };
  // The default port may be taken by another program: then any free one; an explicit port must be honoured.
  const engine = await startEngine({ ...common, port: options.port, portFallback: options.port === DEFAULT_PORT });
  if (!common.rendererDir) log('renderer not built (out/renderer missing): serving the API only. Run `npm run build`.');
  console.log(`Vigil ready: http://127.0.0.1:${engine.port}/?token=${engine.token}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping cameras`);
    await engine.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(`vigil: could not start: ${(error as Error).message}`);
  process.exit(1);
});
