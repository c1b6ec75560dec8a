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
  CLIP_MODEL_MISSING: 'No clip classifier model is set up (VIGIL_CLIP_MODEL names none, or its file is not on the model path): classifier rules raise nothing.',
  CLIP_MODEL_CORRUPT: 'The clip classifier model cannot be loaded (damaged, not ONNX, or not the file its checksum names): classifier rules raise nothing.',
  CLIP_MODEL_INCOMPATIBLE: 'The clip classifier model does not match its manifest entry (frames, input layout and size, labels): classifier rules raise nothing.',
  CLIP_FOLDER_INVALID: 'The evaluation folder must hold one subfolder per label of the model, with video clips in them.',
  CLIP_UNREADABLE: 'A clip cannot be decoded by FFmpeg.',
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
  RECORDING_NOT_FOUND: 'That recording is no longer on disk (removed by retention, or never indexed). Lock an incident\'s evidence to keep its footage.',
  SNAPSHOT_NOT_FOUND: 'This incident has no snapshot: no analysed picture of its camera was available when it was raised.',
} as const;
export type IncidentReason = keyof typeof INCIDENT_REASONS;

/** Evidence export: what the export dialog shows when an export cannot be made. */
export const EXPORT_REASONS = {
  // -- export reasons --
  EXPORT_TARGET_INVALID: 'Name either an incident, or one or more cameras with a start and an end time.',
  EXPORT_BAD_RANGE: 'The export range must end after it starts.',
  EXPORT_RANGE_TOO_LONG: 'An export covers at most 24 hours: choose a shorter range.',
  EXPORT_NO_FOOTAGE: 'None of the chosen cameras recorded anything in this range: turn recording on for the camera, or choose another range.',
  EXPORT_EXISTS: 'An export folder with this name already exists; exports never overwrite each other.',
  EXPORT_SOURCE_MISSING: 'A recording or snapshot of this range is no longer on disk (removed by retention?). Lock an incident\'s evidence to keep its footage.',
  EXPORT_CANCELLED: 'The export was cancelled; nothing was kept.',
  EXPORT_FAILED: 'The export failed (FFmpeg or the disk); the message says why. Nothing was kept.',
  EXPORT_NOT_FINISHED: 'This export is not finished: wait until it is done before downloading or saving it.',
  EXPORT_ARCHIVE_FAILED: 'The archive could not be sent: the export folder changed or could not be read.',
  EVIDENCE_KEY_DAMAGED: 'The evidence signing key is damaged or was sealed with another secret key: restore it from backup before exporting.',
} as const;
export type ExportReason = keyof typeof EXPORT_REASONS;

/** Alerts: channels, recipients, policies and deliveries. */
export const ALERT_REASONS = {
  // -- alert reasons (policy, outbox, webhook, desktop) --
  ALERT_COOLDOWN: 'Held back: another alert for this camera and rule type went out within the cooldown. It is counted in the next digest.',
  ALERT_RATE_LIMITED: 'Held back: the policy reached its maximum alerts per hour. It is counted in the next digest.',
  ALERT_QUIET_HOURS: 'Held back: quiet hours (only critical alerts go out, when the policy allows it).',
  ALERT_EXPIRED: 'Not sent in time (30 minutes): an alert that late would mislead more than help. Check the channel.',
  ALERT_CHANNEL_UNAVAILABLE: 'This channel is not set up on this engine.',
  ALERT_SEND_FAILED: 'The channel failed while sending; the message says why.',
  ALERT_RECIPIENT_UNKNOWN: 'No such recipient: it may have been deleted.',
  ALERT_RECIPIENT_DISABLED: 'The recipient is switched off or was deleted; nothing was sent.',
  ALERT_RECIPIENT_EXISTS: 'A recipient with this address already exists on this channel.',
  ALERT_RECIPIENT_IN_USE: 'Policies still name this recipient: remove it from them first.',
  ALERT_WEBHOOK_URL_INVALID: 'The webhook address must be an http:// or https:// URL with a host and without a user name or password.',
  ALERT_WEBHOOK_REJECTED: 'The webhook answered with a client error (4xx): it will not be retried. Check the URL and secret.',
  ALERT_WEBHOOK_SERVER_ERROR: 'The webhook answered with a server error (5xx); retrying with backoff.',
  ALERT_WEBHOOK_RATE_LIMITED: 'The webhook asked to slow down (429); retrying after the time it asked for.',
  ALERT_WEBHOOK_TIMEOUT: 'The webhook did not answer in time; retrying with backoff.',
  ALERT_WEBHOOK_UNREACHABLE: 'The webhook could not be reached (refused, no route or name not found); retrying with backoff.',
  ALERT_RETRY_INVALID: 'Only a failed or expired delivery can be sent again.',
  ALERT_POLICY_INVALID: 'A policy names a recipient that does not exist.',
  ALERT_ACK_UNAUTHORISED: 'A reply came from someone who is not a recipient allowed to acknowledge: ignored.',
  ALERT_ACK_UNKNOWN: 'A reply did not name an incident that was alerted: ignored.',
  // -- whatsapp reasons --
  WHATSAPP_NOT_LINKED: 'WhatsApp is not linked: link the site\'s own WhatsApp number in Alerts settings (QR code or pairing code).',
  WHATSAPP_LINK_EXPIRED: 'The QR code or pairing code expired before the phone confirmed it: start linking again.',
  WHATSAPP_PAIRING_FAILED: 'WhatsApp did not issue a pairing code for this number: check the number (with country code) or link with the QR code.',
  WHATSAPP_LOGGED_OUT: 'WhatsApp logged this device out (removed on the phone, or the number was banned or restricted): the link was wiped; link again.',
  WHATSAPP_CONNECTION_REPLACED: 'Another session with this link took over the connection (is Vigil running twice with the same data?): WhatsApp was stopped to avoid a reconnect fight; stop the other one, then reconnect.',
  WHATSAPP_STALE_VERSION: 'WhatsApp rejected this client version (405): update Vigil, which ships a newer Baileys; WhatsApp is not retried until then.',
  WHATSAPP_DISCONNECTED: 'The connection to WhatsApp dropped; reconnecting with backoff. Alerts wait in the outbox.',
  WHATSAPP_RATE_LIMITED: 'WhatsApp refused the message: this number is sending too much or is temporarily restricted (429/463). Not retried automatically; use the other channels.',
  WHATSAPP_NUMBER_INVALID: 'Not a usable phone number: enter the full international number with country code (e.g. +49 171 1234567).',
  WHATSAPP_NUMBER_NOT_ON_WHATSAPP: 'This number has no WhatsApp account.',
  WHATSAPP_GROUP_NOT_FOUND: 'This WhatsApp group does not exist or the linked number is not a member of it.',
  WHATSAPP_SEND_FAILED: 'WhatsApp did not accept the message.',
  WHATSAPP_SEND_CANCELLED: 'The send was cancelled before WhatsApp confirmed it; it will be tried again.',
  WHATSAPP_WORKER_CRASHED: 'The WhatsApp worker process stopped unexpectedly and is being restarted.',
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
