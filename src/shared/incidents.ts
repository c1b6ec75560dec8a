// Incidents: what the rules raise and the operators handle. One incident per track and rule
// while the condition lasts (updated, never duplicated); every action on it is audited.
import { z } from 'zod';
import type { Severity } from './rules';

export type IncidentState = 'new' | 'acknowledged' | 'in_progress' | 'closed' | 'false_alarm';

/** Operator states an incident moves through; `closed` and `false_alarm` are final until reopened. */
export const INCIDENT_STATES: readonly IncidentState[] = ['new', 'acknowledged', 'in_progress', 'closed', 'false_alarm'];

export interface Incident {
  id: string;
  cameraId: string;
  cameraName: string;
  ruleId: string;
  ruleName: string;
  /** The rule's type: presence, loitering, line-crossing, count, camera-offline, classifier. */
  type: string;
  severity: Severity;
  state: IncidentState;
  /** The track that raised it; null for camera-wide rules (count, offline, classifier). */
  trackId: number | null;
  label: string | null;
  /** When the condition started, was last seen, and ended (null while it still holds). */
  startedAt: number;
  updatedAt: number;
  endedAt: number | null;
  owner: string | null;
  /** Evidence lock: its recordings and tracks are kept whatever the retention says. */
  evidenceLock: boolean;
  /** Best-view thumbnail (a ref under the data dir's snapshots/), when there is one. */
  snapshotRef: string | null;
  details: Record<string, unknown>;
}

export type IncidentActionKind =
  | 'raised'
  | 'condition-ended'
  | 'acknowledge'
  | 'start'
  | 'close'
  | 'false-alarm'
  | 'reopen'
  | 'note'
  | 'assign'
  | 'lock'
  | 'unlock'
  /** Evidence of the incident was exported; the note names the export and its manifest hash. */
  | 'export';

/** One line of the audit log: who did what, when. `who` is 'vigil' for the engine's own entries. */
export interface IncidentAction {
  id: number;
  incidentId: string;
  at: number;
  who: string;
  action: IncidentActionKind;
  note: string | null;
}

const who = z.string().trim().min(1).max(80);
const note = z.string().trim().min(1).max(4000);

/** What an operator may do to an incident (POST /api/incidents/:id/actions). */
export const IncidentActionRequestSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('acknowledge'), who }),
  z.strictObject({ action: z.literal('start'), who }),
  z.strictObject({ action: z.literal('close'), who, note: note.optional() }),
  z.strictObject({ action: z.literal('false-alarm'), who, note: note.optional() }),
  z.strictObject({ action: z.literal('reopen'), who, note: note.optional() }),
  z.strictObject({ action: z.literal('note'), who, note }),
  z.strictObject({ action: z.literal('assign'), who, owner: who }),
  z.strictObject({ action: z.literal('lock'), who }),
  z.strictObject({ action: z.literal('unlock'), who }),
]);
export type IncidentActionRequest = z.infer<typeof IncidentActionRequestSchema>;

/** Query of GET /api/incidents. */
export const IncidentQuerySchema = z.strictObject({
  state: z.enum(['new', 'acknowledged', 'in_progress', 'closed', 'false_alarm', 'open']).optional(),
  camera: z.string().min(1).max(64).optional(),
  severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type IncidentQuery = z.infer<typeof IncidentQuerySchema>;
