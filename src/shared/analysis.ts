// Offline analysis of footage (a USB export from another DVR): the same pipeline as live
// cameras, run over a file as fast as the detector allows, deterministic on CPU.
import type { Box } from './detection';
import type { ReasonCode } from './reasons';

/** The JSON written by `npm run analyze -- <video> --json out.json` and returned by the API. */
export interface AnalysisResult {
  model: string;
  /** Source picture size the boxes refer to. */
  width: number;
  height: number;
  fps: number;
  frames: { t: number; detections: { label: string; score: number; box: Box; trackId: number }[] }[];
}

export type AnalysisState = 'queued' | 'running' | 'done' | 'failed';

export interface AnalysisJob {
  id: string;
  fileName: string;
  state: AnalysisState;
  /** 0-1, from the video's duration. */
  progress: number;
  createdAt: number;
  /** Count of frames analysed and of distinct tracks found so far. */
  frames: number;
  tracks: number;
  error: { code: ReasonCode; message: string } | null;
}

/** Largest upload accepted for analysis. */
export const MAX_ANALYSIS_BYTES = 4 * 1024 * 1024 * 1024;
