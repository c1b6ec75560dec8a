// Evidence export jobs: what the export dialog asks the engine for, and what it is told back.
// An export is one folder per job (docs/evidence.md); the engine makes one at a time, and a
// finished one is downloaded as a ZIP (browser) or copied to a chosen folder (desktop).
import { z } from 'zod';
import type { ReasonCode } from './reasons';

/** Footage kept around an incident's own time, before and after, so the lead-up and aftermath are in. */
export const INCIDENT_MARGIN_MS = 15_000;
/** The longest range one export may cover: a day of footage per camera is already tens of GB. */
export const EXPORT_MAX_RANGE_MS = 24 * 3600_000;
/** The most cameras one export may hold. */
export const EXPORT_MAX_CAMERAS = 16;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an id');
const time = z.number().int().min(0);

/**
 * POST /api/exports. Either an incident (its camera, plus any extra `cameraIds`; the range is
 * the incident's time with INCIDENT_MARGIN_MS around it unless `from` and `to` are given), or
 * cameras with a range. `who` is the operator the incident's audit trail names.
 */
export const ExportCreateSchema = z
  .strictObject({
    incidentId: id.optional(),
    cameraIds: z.array(id).max(EXPORT_MAX_CAMERAS).optional(),
    from: time.optional(),
    to: time.optional(),
    title: z.string().trim().min(1).max(200).optional(),
    burnInBoxes: z.boolean().default(false),
    who: z.string().trim().min(1).max(80),
  })
  .superRefine((body, ctx) => {
    const hasRange = body.from !== undefined || body.to !== undefined;
    if (body.incidentId === undefined && (!body.cameraIds?.length || body.from === undefined || body.to === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'EXPORT_TARGET_INVALID', path: ['incidentId'] });
      return;
    }
    if (hasRange && (body.from === undefined || body.to === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'EXPORT_BAD_RANGE', path: [body.from === undefined ? 'from' : 'to'] });
      return;
    }
    if (body.from !== undefined && body.to !== undefined) {
      if (body.to <= body.from) ctx.addIssue({ code: 'custom', message: 'EXPORT_BAD_RANGE', path: ['to'] });
      else if (body.to - body.from > EXPORT_MAX_RANGE_MS) ctx.addIssue({ code: 'custom', message: 'EXPORT_RANGE_TOO_LONG', path: ['to'] });
    }
  });
export type ExportCreate = z.input<typeof ExportCreateSchema>;
export type ExportCreateParsed = z.output<typeof ExportCreateSchema>;

export type ExportJobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ExportJob {
  /** Also the export folder's name under the data dir's exports/. */
  id: string;
  state: ExportJobState;
  /** 0-1 by bytes processed; 1 only when done. */
  progress: number;
  title: string;
  incidentId: string | null;
  cameraIds: string[];
  from: number;
  to: number;
  burnInBoxes: boolean;
  /** Who asked for it (null for an export found on disk from an earlier run without one). */
  who: string | null;
  createdAt: number;
  finishedAt: number | null;
  /** Why it failed or was cancelled: an EXPORT_* code (or FFMPEG_MISSING, EVIDENCE_KEY_DAMAGED). */
  reason: ReasonCode | null;
  message: string | null;
  /** When done: the signing key's fingerprint, the manifest's SHA-256, and what the folder holds. */
  fingerprint: string | null;
  manifestSha256: string | null;
  files: number | null;
  bytes: number | null;
}

/** True while the job may still change. */
export function isExportActive(job: Pick<ExportJob, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running';
}
