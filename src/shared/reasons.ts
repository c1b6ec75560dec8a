// Reason codes are the contract between engine and operator: every failure the engine can
// name has one, the API returns it, and the UI shows it next to a sentence the operator can
// act on. Codes are stable strings; the sentences may be reworded.

export const CAMERA_REASONS = {
  AUTH_FAILED: 'Wrong user name or password for this camera.',
  NOT_FOUND: 'The stream path or file does not exist.',
  REFUSED: 'The camera refused the connection (wrong port, or the service is down).',
  TIMEOUT: 'The camera did not answer in time.',
  UNREACHABLE: 'The camera host cannot be reached (name not resolved or no route).',
  NOT_VIDEO: 'The source holds no playable video stream.',
  UNSUPPORTED_CODEC: 'The video codec cannot be played or converted.',
  RESOLUTION_UNSUPPORTED: 'The stream reports a resolution outside what Vigil accepts.',
  STALLED: 'No video arrived for too long; restarting.',
  KILLED: 'The camera process was killed from outside Vigil.',
  CRASHED: 'The camera process ended unexpectedly.',
  ENDED: 'The source ended the stream.',
  FFMPEG_MISSING: 'FFmpeg was not found: install it or set VIGIL_FFMPEG_PATH.',
  DEVICE_BUSY: 'The capture device is missing or in use by another program.',
} as const;
export type CameraReason = keyof typeof CAMERA_REASONS;

/** Why a camera runs motion-only, or what detection fell back to. */
export const DETECT_REASONS = {
  MODEL_MISSING: 'No detection model was found on the model path: cameras run motion-only. Run `npm run models:fetch` or set VIGIL_MODEL_PATH.',
  MODEL_CORRUPT: 'The detection model file cannot be loaded (damaged or not an ONNX model): cameras run motion-only.',
  MODEL_INCOMPATIBLE: 'The detection model has inputs or outputs of a shape Vigil cannot use: cameras run motion-only.',
  MODEL_CHECKSUM_MISMATCH: 'The detection model does not match its checksum in models/manifest.json.',
  MODEL_MANIFEST_INVALID: 'models/manifest.json is not valid.',
  INFERENCE_UNAVAILABLE: 'The inference runtime (onnxruntime-node) could not be loaded: cameras run motion-only.',
  INFERENCE_WORKER_CRASHED: 'The inference worker stopped unexpectedly and is being restarted.',
  PROVIDER_FALLBACK: 'The preferred execution provider is not available; running on the next one.',
  HWACCEL_UNAVAILABLE: 'Hardware decoding is not available for this camera; decoding in software.',
  ANALYSIS_NOT_VIDEO: 'The file holds no video that FFmpeg can decode.',
  ANALYSIS_TOO_LARGE: 'The file is larger than Vigil analyses (4 GiB).',
  ANALYSIS_FAILED: 'The analysis stopped with an error.',
} as const;
export type DetectReason = keyof typeof DETECT_REASONS;

export const API_REASONS = {
  BAD_JSON: 'The request body is not valid JSON.',
  VALIDATION_FAILED: 'The request does not match the expected fields.',
  UNKNOWN_FIELD: 'The request has a field this version does not know.',
  UNSUPPORTED_MEDIA_TYPE: 'Send the request body as application/json.',
  UNAUTHORIZED: 'Missing or wrong access token.',
  FORBIDDEN_ORIGIN: 'Requests from this origin are not allowed.',
  RESOURCE_NOT_FOUND: 'No such camera, job or API route.',
  METHOD_NOT_ALLOWED: 'This method is not allowed here.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  CAMERA_LIMIT: 'This workstation already has the maximum number of cameras.',
  URL_INVALID: 'The stream address is not a valid URL.',
  URL_SCHEME_UNSUPPORTED: 'This kind of stream address is not supported: use rtsp://, rtmp://, http(s)://, file:// or device:.',
  RESOLUTION_OUT_OF_RANGE: 'The requested resolution is outside the supported range.',
  INTERNAL: 'The engine hit an unexpected error; it keeps running.',
} as const;
export type ApiReason = keyof typeof API_REASONS;

export const INCIDENT_REASONS = {
  INCIDENT_TRANSITION_INVALID: 'That action is not possible in the incident\'s current state.',
  RULE_REFERENCE_INVALID: 'A rule names a zone or line that this camera does not have.',
  RECORDING_DISK_FULL: 'Recording paused: the disk is nearly full. It resumes when space is freed.',
} as const;
export type IncidentReason = keyof typeof INCIDENT_REASONS;

/** Evidence export: what the export dialog shows when an export cannot be made. */
export const EXPORT_REASONS = {
  // -- export reasons --
} as const;
export type ExportReason = keyof typeof EXPORT_REASONS;

/** Alerts: channels, recipients, policies and deliveries. */
export const ALERT_REASONS = {
  // -- alert reasons (policy, outbox, webhook, desktop) --
  // -- whatsapp reasons --
} as const;
export type AlertReason = keyof typeof ALERT_REASONS;

export type ReasonCode = CameraReason | ApiReason | DetectReason | IncidentReason | ExportReason | AlertReason;

export function describeReason(code: string): string {
  return (
    (CAMERA_REASONS as Record<string, string>)[code] ??
    (DETECT_REASONS as Record<string, string>)[code] ??
    (INCIDENT_REASONS as Record<string, string>)[code] ??
    (EXPORT_REASONS as Record<string, string>)[code] ??
    (ALERT_REASONS as Record<string, string>)[code] ??
    (API_REASONS as Record<string, string>)[code] ??
    code
  );
}
