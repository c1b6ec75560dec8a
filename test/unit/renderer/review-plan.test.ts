import { describe, expect, it } from 'vitest';
import type { CameraView } from '../../../src/shared/cameras';
import { defaultCameras, exportRange, incidentRange, INCIDENT_MARGIN_MS, MAX_REVIEW_CAMERAS, toggleCamera, withCameraFirst } from '../../../src/renderer/features/review/review-plan';
import { closeExport, closeReview, openReview, requestExport, reviewStoreState, setMediaUrl, toggleReview } from '../../../src/renderer/features/review/review-store';
import { reviewKeyCommand } from '../../../src/renderer/features/review/useReviewKeys';

function camera(id: string, record: boolean): CameraView {
  return { id, name: id, options: { record } } as unknown as CameraView;
}

describe('which cameras review shows', () => {
  it('starts with a recording camera, else the first', () => {
    expect(defaultCameras([camera('a', false), camera('b', true), camera('c', true)])).toEqual(['b']);
    expect(defaultCameras([camera('a', false), camera('b', false)])).toEqual(['a']);
    expect(defaultCameras([])).toEqual([]);
  });

  it('plays at most four together', () => {
    let ids: string[] = [];
    for (const id of ['a', 'b', 'c', 'd', 'e']) ids = toggleCamera(ids, id);
    expect(ids).toEqual(['a', 'b', 'c', 'd']);
    expect(ids).toHaveLength(MAX_REVIEW_CAMERAS);
    expect(toggleCamera(ids, 'b')).toEqual(['a', 'c', 'd']);
  });

  it("puts an incident's camera first", () => {
    expect(withCameraFirst(['a', 'b', 'c', 'd'], 'e')).toEqual(['e', 'a', 'b', 'c']);
    expect(withCameraFirst(['a', 'b'], 'b')).toEqual(['b', 'a']);
  });
});

describe('export ranges', () => {
  it("covers an incident with margins; an open one up to a minute or its last update", () => {
    expect(incidentRange({ startedAt: 100_000, endedAt: 130_000 }, 999_999)).toEqual({ from: 100_000 - INCIDENT_MARGIN_MS, to: 130_000 + INCIDENT_MARGIN_MS });
    expect(incidentRange({ startedAt: 100_000, endedAt: null }, 120_000)).toEqual({ from: 90_000, to: 130_000 });
    expect(incidentRange({ startedAt: 100_000, endedAt: null }, 10_000_000)).toEqual({ from: 90_000, to: 170_000 });
    expect(incidentRange({ startedAt: 100_000, endedAt: null }, 10_000_000, 400_000)).toEqual({ from: 90_000, to: 410_000 });
  });

  it('uses the selection, else a minute around the playhead', () => {
    expect(exportRange({ from: 1, to: 2 }, 50_000)).toEqual({ from: 1, to: 2 });
    expect(exportRange(null, 50_000)).toEqual({ from: 20_000, to: 80_000 });
  });
});

describe('review requests', () => {
  it('opens review with a numbered request, toggles and closes', () => {
    openReview({ cameraId: 'a', at: 5 });
    const first = reviewStoreState();
    expect(first.open).toBe(true);
    expect(first.request).toMatchObject({ cameraId: 'a', at: 5 });
    openReview({ cameraId: 'a', at: 5 });
    expect(reviewStoreState().request!.seq).toBe(first.request!.seq + 1);
    toggleReview();
    expect(reviewStoreState().open).toBe(false);
    toggleReview();
    expect(reviewStoreState().open).toBe(true);
    closeReview();
    expect(reviewStoreState().open).toBe(false);
  });

  it('carries export requests and the media URL builder', () => {
    requestExport({ incidentId: 'i1', cameraIds: ['a'], from: 1, to: 2 });
    expect(reviewStoreState().exportRequest).toEqual({ incidentId: 'i1', cameraIds: ['a'], from: 1, to: 2 });
    closeExport();
    expect(reviewStoreState().exportRequest).toBeNull();
    const build = (path: string) => `${path}?token=t`;
    setMediaUrl(build);
    expect(reviewStoreState().mediaUrl!('/x')).toBe('/x?token=t');
    setMediaUrl(null);
  });
});

describe('review keys', () => {
  const key = (k: string, over: Partial<Parameters<typeof reviewKeyCommand>[0]> = {}) => reviewKeyCommand({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...over });

  it('plays with Space, steps with the arrows, pans with Shift+arrows', () => {
    expect(key(' ')).toEqual({ kind: 'toggle' });
    expect(key('ArrowLeft')).toEqual({ kind: 'step', sign: -1 });
    expect(key('ArrowRight')).toEqual({ kind: 'step', sign: 1 });
    expect(key('ArrowLeft', { shiftKey: true })).toEqual({ kind: 'pan', sign: -1 });
    expect(key('j')).toBeNull();
  });

  it('leaves typing and modified keys alone', () => {
    expect(key(' ', { targetTag: 'input' })).toBeNull();
    expect(key(' ', { targetTag: 'INPUT', targetType: 'search' })).toBeNull();
    // A camera chip's checkbox keeps the focus after a click: Space still plays.
    expect(key(' ', { targetTag: 'INPUT', targetType: 'checkbox' })).toEqual({ kind: 'toggle' });
    expect(key('ArrowLeft', { targetTag: 'TEXTAREA' })).toBeNull();
    expect(key(' ', { targetEditable: true })).toBeNull();
    expect(key('ArrowRight', { ctrlKey: true })).toBeNull();
  });
});
