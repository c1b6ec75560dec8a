// The caches Baileys keeps while it runs (message retry counters, device lists, call offers,
// group metadata, recently sent messages, the Signal key cache), each with a maximum size and
// an age limit: a worker that runs for months must not grow with every contact it ever saw.
// Least recently used entries go first. Implements Baileys' CacheStore (and the batch calls
// of its PossiblyExtendedCacheStore) without cloning: Baileys mutates some cached objects.
import type { Clock } from './clock';
import { systemClock } from './clock';

export interface BoundedCacheOptions {
  maxEntries: number;
  ttlMs: number;
}

export class BoundedCache<V = unknown> {
  // A Map iterates in insertion order: re-inserting on read makes the first entry the least recently used.
  private readonly entries = new Map<string, { value: V; expires: number }>();

  constructor(
    private readonly options: BoundedCacheOptions,
    private readonly clock: Clock = systemClock,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get<T = V>(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= this.clock.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value as unknown as T;
  }

  set<T = V>(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, { value: value as unknown as V, expires: this.clock.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  del(key: string): void {
    this.entries.delete(key);
  }

  flushAll(): void {
    this.entries.clear();
  }

  async mget<T = V>(keys: string[]): Promise<Record<string, T | undefined>> {
    return Object.fromEntries(keys.map((key) => [key, this.get<T>(key)]));
  }

  mset<T = V>(entries: { key: string; value: T }[]): void {
    for (const { key, value } of entries) this.set(key, value);
  }

  mdel(keys: string[]): void {
    for (const key of keys) this.del(key);
  }
}
