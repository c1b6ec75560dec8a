// Which cameras review plays together (up to four), as chips in the review header.
import type { CameraView } from '../../../shared/cameras';
import { MAX_REVIEW_CAMERAS } from './review-plan';

export interface CameraPickerProps {
  cameras: readonly CameraView[];
  selected: readonly string[];
  onToggle(cameraId: string): void;
}

export function CameraPicker({ cameras, selected, onToggle }: CameraPickerProps) {
  const full = selected.length >= MAX_REVIEW_CAMERAS;
  return (
    <div className="review-cameras" role="group" aria-label={`Cameras to review (up to ${MAX_REVIEW_CAMERAS})`} data-testid="review-cameras">
      {cameras.map((camera) => {
        const on = selected.includes(camera.id);
        return (
          <label key={camera.id} className={`review-camera-chip${on ? ' on' : ''}`} title={camera.options.record ? `${camera.name}: recording` : `${camera.name}: not recording`}>
            <input type="checkbox" data-testid={`review-camera-${camera.id}`} checked={on} disabled={!on && full} onChange={() => onToggle(camera.id)} />
            {camera.options.record && <span className="review-rec-dot" aria-label="recording" />}
            {camera.name}
          </label>
        );
      })}
      {cameras.length === 0 && <span className="muted">No cameras.</span>}
    </div>
  );
}
