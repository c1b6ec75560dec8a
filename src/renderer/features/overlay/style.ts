// How a tracked object looks on the overlay: colour by class, caption, line style. Pure.
import type { TrackedObject } from '../../../shared/detection';

export type ObjectClass = 'person' | 'vehicle' | 'animal' | 'other';

const VEHICLES = new Set(['vehicle', 'bicycle', 'car', 'motorbike', 'motorcycle', 'bus', 'train', 'truck', 'boat', 'aeroplane', 'airplane', 'van']);
const ANIMALS = new Set(['animal', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe']);

export function objectClass(label: string): ObjectClass {
  const l = label.trim().toLowerCase();
  if (l === 'person' || l === 'people' || l === 'pedestrian') return 'person';
  if (VEHICLES.has(l)) return 'vehicle';
  if (ANIMALS.has(l)) return 'animal';
  return 'other';
}

/**
 * Bright, saturated and far apart so they read on dark night pictures and on each other:
 * amber people, cyan vehicles, pink animals, light grey for anything else.
 */
export const CLASS_COLOURS: Record<ObjectClass, string> = {
  person: '#ffc23d',
  vehicle: '#3fd0ff',
  animal: '#ff7ad9',
  other: '#e2e6ea',
};

export function objectColour(label: string): string {
  return CLASS_COLOURS[objectClass(label)];
}

/** "person 87% #12" */
export function caption(object: Pick<TrackedObject, 'label' | 'score' | 'trackId'>): string {
  const score = Number.isFinite(object.score) ? Math.round(Math.max(0, Math.min(1, object.score)) * 100) : 0;
  return `${object.label} ${score}% #${object.trackId}`;
}

/**
 * Only what the model saw in this frame is drawn: lost tracks are predictions, and boxes
 * where nobody stands any more clutter a busy grid and mislead the operator.
 */
export function isDrawn(object: Pick<TrackedObject, 'state'>): boolean {
  return object.state === 'new' || object.state === 'active';
}

/** Tentative tracks (seen once, not yet confirmed) are dashed. */
export function isDashed(object: Pick<TrackedObject, 'state'>): boolean {
  return object.state === 'new';
}

/** Caption font size (CSS px) for a tile this tall: small tiles stay legible, big ones calm. */
export function captionFontSize(tileHeight: number): number {
  return Math.max(10, Math.min(14, Math.round(tileHeight / 30)));
}
