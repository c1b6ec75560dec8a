// The one contract between renderer and engine. The engine validates every request body
// against these schemas; the renderer's client is typed by the same route map, so a
// change here breaks the build on whichever side falls behind.
import type { CameraCreate, CameraUpdate, CameraView, CameraState, LiveStreamInfo, StreamRole } from './cameras';
import type { AnalysisJob, AnalysisResult } from './analysis';
import type { DetectionsEvent, DetectMode } from './detection';
import type { Incident, IncidentAction, IncidentActionRequest } from './incidents';
import type { RuleSet } from './rules';
import type { RecordingSegmentView, ReviewTrack, Timeline } from './review';
import type { ExportCreate, ExportJob } from './exports';
import type { ReasonCode, CameraReason, DetectReason, IncidentReason } from './reasons';

export const API_VERSION = 1;

/** Every error response: `{ error: { code, message, issues? } }` with an HTTP status. */
export interface ApiErrorBody {
  error: {
    code: ReasonCode;
    message: string;
    /** Field-level problems for VALIDATION_FAILED, each with its own reason code when known. */
    issues?: { path: string; code: ReasonCode | string; message: string }[];
  };
}

export interface HealthCamera {
  id: string;
  name: string;
  state: CameraState;
  reason: CameraReason | null;
  restarts: number;
  /** Bytes per second of live video received from FFmpeg, over the last few seconds. */
  bytesPerSecond: number;
  subscribers: number;
  /** Fragments skipped for slow viewers since start. */
  skippedFragments: number;
  /** From a fragment's last byte out of FFmpeg to its WebSocket send, over recent sends. */
  deliveryLatencyMs: { p50: number; p95: number; count: number };
  detect: HealthCameraDetect;
  /** Continuous recording; absent when the engine records nothing. */
  recording?: HealthCameraRecording;
}

export interface HealthCameraRecording {
  /** paused: recording is on for this camera but stopped by the engine (reason says why). */
  state: 'recording' | 'paused' | 'off';
  /** RECORDING_DISK_FULL while paused; UNSUPPORTED_CODEC when MP4 cannot hold the camera's codec. */
  reason: IncidentReason | CameraReason | null;
}

export interface HealthCameraDetect {
  mode: DetectMode;
  /** Why the camera is motion-only or degraded (no model, hardware decoding unavailable…). */
  reason: DetectReason | null;
  /** Analyses a second achieved over the last 10 s. */
  detectFps: number;
  /** Share of the picture moving (0-1) in the last motion frame. */
  motionScore: number;
  motionActive: boolean;
  /** Pictures replaced by newer ones while waiting for the detector. */
  droppedFrames: number;
  liveTracks: number;
}

export interface HealthInference {
  state: 'off' | 'starting' | 'ready' | 'unavailable' | 'restarting';
  reason: DetectReason | null;
  message: string | null;
  model: string | null;
  /** Execution provider actually used: cpu, cuda, dml, coreml. */
  provider: string | null;
  fallbacks: { provider: string; reason: string }[];
  workers: number;
  restarts: number;
  latencyMs: { p50: number; p95: number; count: number };
  /** Batches waiting for a worker plus batches in flight. */
  queueDepth: number;
}

export interface Health {
  ok: boolean;
  version: string;
  uptimeSeconds: number;
  ffmpeg: { path: string | null; version: string | null; source: 'env' | 'ffmpeg-static' | 'path' | null; error: string | null };
  eventLoopLagMs: { p50: number; p99: number; max: number };
  inference: HealthInference;
  memory: { rssBytes: number; heapUsedBytes: number };
  cameras: HealthCamera[];
}

/** HTTP routes: `METHOD path` -> request body and response body. `:id` is a camera id. */
export interface ApiRoutes {
  'GET /api/health': { body: undefined; response: Health };
  'GET /api/cameras': { body: undefined; response: CameraView[] };
  'POST /api/cameras': { body: CameraCreate; response: CameraView };
  'GET /api/cameras/:id': { body: undefined; response: CameraView };
  'PATCH /api/cameras/:id': { body: CameraUpdate; response: CameraView };
  'DELETE /api/cameras/:id': { body: undefined; response: { deleted: string } };
  /** Body: the video file's bytes (application/octet-stream); query `name` (file name) and optional `fps` (1-30, default 5). */
  'POST /api/analysis': { body: Blob; response: AnalysisJob };
  'GET /api/analysis': { body: undefined; response: AnalysisJob[] };
  'GET /api/analysis/:id': { body: undefined; response: AnalysisJob & { result: AnalysisResult | null } };
  /** Zones, lines and rules of one camera; PUT replaces them as a whole (validated by RuleSetSchema). */
  'GET /api/cameras/:id/rules': { body: undefined; response: RuleSet };
  'PUT /api/cameras/:id/rules': { body: RuleSet; response: RuleSet };
  /** Query: state (or 'open' = not closed/false alarm), camera, severity, from, to, limit (IncidentQuerySchema). Newest first, most severe first within the same second. */
  'GET /api/incidents': { body: undefined; response: Incident[] };
  'GET /api/incidents/:id': { body: undefined; response: Incident & { actions: IncidentAction[] } };
  'POST /api/incidents/:id/actions': { body: IncidentActionRequest; response: Incident };
  // -- review routes (timeline, recordings, tracks, snapshots) --
  /** Query: from, to, buckets (TimelineQuerySchema). Recording coverage, incident markers and detection density. */
  'GET /api/cameras/:id/timeline': { body: undefined; response: Timeline };
  /** Query: from, to, limit (RangeQuerySchema). Segments overlapping the range, oldest first. */
  'GET /api/cameras/:id/recordings': { body: undefined; response: RecordingSegmentView[] };
  /** Query: from, to, limit (RangeQuerySchema). Stored tracks overlapping the range, with their paths. */
  'GET /api/cameras/:id/tracks': { body: undefined; response: ReviewTrack[] };
  // Media routes (not JSON, so not in this map; token in the query): GET /api/recordings/:segmentId
  // (video/mp4, Range requests) and GET /api/incidents/:id/snapshot (image/jpeg, the frame with boxes).
  // -- export routes (evidence export jobs) --
  /** Body: ExportCreateSchema. Queues an export job (one runs at a time); 202 with the job. */
  'POST /api/exports': { body: ExportCreate; response: ExportJob };
  /** Every job of this run plus the finished exports found on disk, newest first. */
  'GET /api/exports': { body: undefined; response: ExportJob[] };
  'GET /api/exports/:id': { body: undefined; response: ExportJob };
  /** Cancels a queued or running job, or deletes a finished one's folder. */
  'DELETE /api/exports/:id': { body: undefined; response: ExportJob };
  // Not JSON, so not in this map (token in the query): GET /api/exports/:id/archive streams the
  // finished folder as a ZIP (application/zip, Content-Disposition: attachment).
  // -- alert routes (policies, recipients, outbox, channels) --
  /** Site name, time zone, camera-offline watch and every policy; PUT replaces them as a whole (AlertSettingsSchema). */
  'GET /api/alerts/settings': { body: undefined; response: import('./alerts').AlertSettings };
  'PUT /api/alerts/settings': { body: import('./alerts').AlertSettingsInput; response: import('./alerts').AlertSettings };
  'GET /api/alerts/recipients': { body: undefined; response: import('./alerts').Recipient[] };
  /** A WhatsApp number is checked on WhatsApp (when the channel can) and stored as a JID. */
  'POST /api/alerts/recipients': { body: import('./alerts').RecipientCreate; response: import('./alerts').Recipient };
  'PATCH /api/alerts/recipients/:id': { body: import('./alerts').RecipientUpdate; response: import('./alerts').Recipient };
  /** Refused (409 ALERT_RECIPIENT_IN_USE) while a policy names the recipient. */
  'DELETE /api/alerts/recipients/:id': { body: undefined; response: { deleted: string } };
  'GET /api/alerts/channels': { body: undefined; response: import('./alerts').ChannelStatus[] };
  /** Query: state, channel, kind, incident, recipient, before, limit (DeliveryQuerySchema). Newest first. */
  'GET /api/alerts/deliveries': { body: undefined; response: import('./alerts').DeliveryPage };
  /** A failed or expired delivery queued again (same idempotency key). */
  'POST /api/alerts/deliveries/:id/retry': { body: undefined; response: import('./alerts').Delivery };
  /** A test alert through the outbox to the chosen (or all enabled) recipients and channels. */
  'POST /api/alerts/test': { body: import('./alerts').TestSend; response: { deliveries: import('./alerts').Delivery[] } };
  // -- whatsapp routes (link, unlink, number check) --
  /** The WhatsApp channel's status (state, reason, linked number, pending QR payload or pairing code). */
  'GET /api/alerts/whatsapp': { body: undefined; response: import('./alerts').ChannelStatus };
  /** Starts linking (or reconnects a linked number); answers once the QR payload or pairing code is there. */
  'POST /api/alerts/whatsapp/link': { body: import('./whatsapp').WhatsAppLinkRequest; response: import('./alerts').ChannelStatus };
  /** Logs the linked device out (when connected) and wipes the stored link. */
  'POST /api/alerts/whatsapp/unlink': { body: Record<string, never>; response: import('./alerts').ChannelStatus };
  /** Asks WhatsApp whether a number (or group) can receive alerts; `jid` is the address to store. */
  'POST /api/alerts/whatsapp/check': { body: import('./whatsapp').WhatsAppCheckRequest; response: import('./whatsapp').WhatsAppCheckResult };
}
export type ApiRoute = keyof ApiRoutes;

/**
 * Events pushed on the `/api/events` WebSocket as JSON text messages.
 */
export type EngineEvent =
  | { type: 'hello'; apiVersion: number; cameras: CameraView[] }
  | { type: 'camera.status'; camera: CameraView }
  | { type: 'camera.added'; camera: CameraView }
  | { type: 'camera.updated'; camera: CameraView }
  | { type: 'camera.removed'; id: string }
  | DetectionsEvent
  | { type: 'analysis.updated'; job: AnalysisJob }
  | { type: 'incident.updated'; incident: Incident }
  // -- export events --
  | { type: 'export.updated'; job: ExportJob }
  // -- alert events --
  | { type: 'alert.channel'; status: import('./alerts').ChannelStatus }
  | { type: 'alert.delivery'; delivery: import('./alerts').Delivery }
  | { type: 'alert.banner'; banner: import('./alerts').AlertBanner }
  ;

/**
 * Live video WebSocket `/api/live?camera=<id>&stream=main|sub&token=<token>`.
 * The server first sends one JSON text message `LiveHello`, then binary messages: the
 * init segment (ftyp+moov), then media fragments (moof+mdat, one video frame each),
 * starting at a keyframe. When the source restarts, a new `LiveHello` text message and a
 * new init segment follow; the player must reset its SourceBuffer then.
 */
export interface LiveHello {
  type: 'live.hello';
  camera: string;
  stream: LiveStreamInfo;
}
export type LiveStreamRole = StreamRole;

/** Close codes of the live WebSocket (4000-4999 are the application's). */
export const LIVE_CLOSE = { CAMERA_NOT_RUNNING: 4404, CAMERA_RESTARTED: 4012, TOO_SLOW: 4008 } as const;

/** Query parameter and header names. */
export const TOKEN_QUERY = 'token';
export const TOKEN_HEADER = 'authorization';
