// How other features reach review without wiring props through the app: the header button
// and the incident detail ask for review (or an export) here, and the review host, mounted
// once by the app, answers. Also hands out same-origin media URLs (recordings, snapshots),
// which need the client's token in the query because <video> and <img> send no headers.
import { useSyncExternalStore } from 'react';

/** Where review should open: a camera and a moment, and the incident it is about. */
export interface ReviewRequest {
  cameraId?: string;
  at?: number;
  incidentId?: string;
  /** A range to select for export (the incident's span). */
  range?: { from: number; to: number };
  /** Bumped per request, so the same incident asked twice still moves the playhead. */
  seq: number;
}

/** What the export dialog starts with (its `initial` prop). */
export interface ExportRequest {
  incidentId?: string;
  cameraIds: string[];
  from: number;
  to: number;
}

export interface ReviewStoreState {
  open: boolean;
  request: ReviewRequest | null;
  exportRequest: ExportRequest | null;
  mediaUrl: ((path: string) => string) | null;
}

let state: ReviewStoreState = { open: false, request: null, exportRequest: null, mediaUrl: null };
let seq = 0;
const listeners = new Set<() => void>();

function set(change: Partial<ReviewStoreState>): void {
  state = { ...state, ...change };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function openReview(request: Omit<ReviewRequest, 'seq'> = {}): void {
  set({ open: true, request: { ...request, seq: ++seq } });
}

export function closeReview(): void {
  set({ open: false });
}

export function toggleReview(): void {
  if (state.open) closeReview();
  else openReview();
}

export function requestExport(request: ExportRequest): void {
  set({ exportRequest: request });
}

export function closeExport(): void {
  set({ exportRequest: null });
}

/** Set by the review host with the API client's URL builder; null until it mounts. */
export function setMediaUrl(build: ((path: string) => string) | null): void {
  if (build !== state.mediaUrl) set({ mediaUrl: build });
}

export function useReviewStore(): ReviewStoreState {
  return useSyncExternalStore(subscribe, () => state);
}

/** The media URL builder (re-renders once the host provided it). */
export function useMediaUrl(): ((path: string) => string) | null {
  return useSyncExternalStore(subscribe, () => state.mediaUrl);
}

/** The state for tests and the host; not for rendering (use the hooks). */
export function reviewStoreState(): ReviewStoreState {
  return state;
}
