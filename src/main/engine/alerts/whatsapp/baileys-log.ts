// Baileys logs through a pino-shaped logger. This one forwards warnings and errors to the
// engine's log as one line each, with the message and an error's message only: Baileys puts
// whole stanzas, JIDs and key material into its log objects, and none of that may reach a
// log file. Below warn (Baileys is chatty) nothing is formatted at all.
import type { ILogger } from '@whiskeysockets/baileys/lib/Utils/logger';

export type BaileysLogLevel = 'warn' | 'error' | 'silent';

const RANK: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, silent: Infinity };

export function baileysLogger(write: (line: string) => void, level: BaileysLogLevel = 'warn'): ILogger {
  const threshold = RANK[level]!;
  const emit = (at: 'warn' | 'error', obj: unknown, msg?: string) => {
    if (RANK[at]! < threshold) return;
    const text = typeof obj === 'string' ? obj : (msg ?? '');
    const error = typeof obj === 'object' && obj !== null ? ((obj as { err?: unknown; error?: unknown }).err ?? (obj as { error?: unknown }).error) : undefined;
    const detail = error instanceof Error ? `: ${error.message}` : '';
    write(`baileys ${at}: ${text.slice(0, 200)}${detail.slice(0, 200)}`);
  };
  const logger: ILogger = {
    level,
    child: () => logger,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (obj, msg) => emit('warn', obj, msg),
    error: (obj, msg) => emit('error', obj, msg),
  };
  return logger;
}
