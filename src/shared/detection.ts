// Detection contract: what the engine found in a camera's picture, as the UI and the
// offline analysis JSON see it. Boxes are [x1, y1, x2, y2] in pixels of the source picture
// whose size travels with them (`frameWidth`/`frameHeight`), so a viewer of any size can
// scale them.

export type Box = [x1: number, y1: number, x2: number, y2: number];

/** One object found by the model in one frame, before tracking. */
export interface Detection {
  label: string;
  classId: number;
  score: number;
  box: Box;
}

export type TrackState = 'new' | 'active' | 'lost' | 'ended';

/** A detection with a stable identity over time. */
export interface TrackedObject extends Detection {
  trackId: number;
  state: TrackState;
}

/** Model formats Vigil can decode. */
export type ModelFormat = 'yolox' | 'ultralytics';

/** One entry of models/manifest.json. */
export interface ModelManifestEntry {
  id: string;
  file: string;
  format: ModelFormat;
  /** Model input [width, height]. */
  inputSize: [number, number];
  /** Class names in model output order. */
  labels: string[];
  licence: string;
  sourceUrl: string;
  sha256: string;
  /** Optional: the classes Vigil reports (others are ignored), by label. */
  reportLabels?: string[];
}

/** Per-camera detection mode, shown on the tile and in health. */
export type DetectMode = 'off' | 'detecting' | 'motion-only';

/** Pushed on /api/events for live overlays, at most detect fps per camera. */
export interface DetectionsEvent {
  type: 'detections';
  camera: string;
  /** Engine wall-clock ms when the analysed frame left FFmpeg. */
  frameAt: number;
  /**
   * The analysed frame's time on each live stream's media timeline (seconds, the same clock
   * as video.currentTime in the player), so overlays are drawn on the frame they belong to.
   */
  mediaTime: { main: number | null; sub: number | null };
  frameWidth: number;
  frameHeight: number;
  objects: TrackedObject[];
}
