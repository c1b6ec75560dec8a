// Free space on the recordings volume. Recording must stop before the disk is full: SQLite,
// logs and the OS share the volume, and a full disk fails them all, not only the footage.
import { statfsSync } from 'node:fs';

export interface DiskSpace {
  freeBytes: number;
  totalBytes: number;
}

/** Reads the space of the volume holding `dir`; injectable so tests can fill a disk. */
export type DiskSpaceProbe = (dir: string) => DiskSpace;

export const statfsProbe: DiskSpaceProbe = (dir) => {
  const stats = statfsSync(dir);
  // bavail, not bfree: blocks reserved for root are no use to a service account.
  return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
};

const MIN_FREE_BYTES = 2 * 1024 ** 3;
const MIN_FREE_SHARE = 0.03;

/** Less than 2 GB or 3 % free, whichever is more: a large volume keeps room to breathe. */
export function isNearlyFull(space: DiskSpace): boolean {
  return space.freeBytes < Math.max(MIN_FREE_BYTES, space.totalBytes * MIN_FREE_SHARE);
}
