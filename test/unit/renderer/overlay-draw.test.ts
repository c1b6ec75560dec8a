import { describe, expect, it } from 'vitest';
import type { TrackedObject } from '../../../src/shared/detection';
import { containRect, mapBox, placeCaption } from '../../../src/renderer/features/overlay/geometry';
import { planOverlay } from '../../../src/renderer/features/overlay/plan';
import { caption, captionFontSize, CLASS_COLOURS, isDashed, objectClass, objectColour } from '../../../src/renderer/features/overlay/style';
import { overlayShown, parseOverlaysEnabled, parseOverlaysOff, toggleCameraOverlay } from '../../../src/renderer/features/overlay/overlay-prefs';

describe('object-fit: contain', () => {
  it('letterboxes a wide picture in a tall element and pillarboxes a tall one', () => {
    expect(containRect(400, 400, 1920, 1080)).toEqual({ x: 0, y: 87.5, width: 400, height: 225 });
    expect(containRect(800, 300, 640, 480)).toEqual({ x: 200, y: 0, width: 400, height: 300 });
    expect(containRect(640, 360, 1280, 720)).toEqual({ x: 0, y: 0, width: 640, height: 360 });
  });

  it('survives unknown sizes', () => {
    expect(containRect(0, 300, 640, 480)).toEqual({ x: 0, y: 0, width: 0, height: 0 });
    expect(containRect(300, 200, 0, 0)).toEqual({ x: 0, y: 0, width: 300, height: 200 });
  });
});

describe('boxes onto the content rect', () => {
  const content = { x: 0, y: 87.5, width: 400, height: 225 };

  it('scales from frame pixels and offsets by the bars', () => {
    expect(mapBox([320, 180, 640, 360], 640, 360, content)).toEqual({ x: 200, y: 87.5 + 112.5, width: 200, height: 112.5 });
    expect(mapBox([0, 0, 64, 36], 640, 360, content)).toEqual({ x: 0, y: 87.5, width: 40, height: 22.5 });
  });

  it('clips to the picture, orders corners and drops empty boxes', () => {
    expect(mapBox([-100, -100, 64, 36], 640, 360, content)).toEqual({ x: 0, y: 87.5, width: 40, height: 22.5 });
    expect(mapBox([64, 36, 0, 0], 640, 360, content)).toEqual({ x: 0, y: 87.5, width: 40, height: 22.5 });
    expect(mapBox([700, 10, 800, 20], 640, 360, content)).toBeNull();
    expect(mapBox([10, 10, 10.5, 20], 640, 360, content)).toBeNull();
    expect(mapBox([0, 0, 10, 10], 0, 360, content)).toBeNull();
  });

  it('puts captions above the box, or inside when there is no room, within bounds', () => {
    const bounds = { x: 0, y: 0, width: 400, height: 300 };
    expect(placeCaption({ x: 50, y: 100, width: 40, height: 40 }, 80, 16, bounds)).toEqual({ x: 50, y: 84, width: 80, height: 16 });
    expect(placeCaption({ x: 50, y: 5, width: 40, height: 40 }, 80, 16, bounds)).toEqual({ x: 50, y: 5, width: 80, height: 16 });
    expect(placeCaption({ x: 380, y: 100, width: 20, height: 40 }, 80, 16, bounds).x).toBe(320);
    expect(placeCaption({ x: 50, y: 295, width: 40, height: 5 }, 80, 16, bounds).y).toBe(279);
  });
});

describe('overlay plan', () => {
  const objects: TrackedObject[] = [
    { label: 'person', classId: 0, score: 0.874, box: [0, 0, 320, 180], trackId: 12, state: 'active' },
    { label: 'car', classId: 2, score: 0.5, box: [320, 180, 640, 360], trackId: 3, state: 'new' },
    { label: 'bus', classId: 5, score: 0.6, box: [100, 100, 200, 200], trackId: 5, state: 'lost' },
    { label: 'dog', classId: 16, score: 0.7, box: [10, 10, 20, 20], trackId: 4, state: 'ended' },
  ];
  const frame = { mediaTime: { main: 1, sub: 1 }, frameWidth: 640, frameHeight: 360, objects, receivedAt: 0 };

  it('maps every drawn object into the video content rect (video size may differ from the analysed size)', () => {
    const plan = planOverlay(frame, 400, 400, 1920, 1080);
    expect(plan.content).toEqual({ x: 0, y: 87.5, width: 400, height: 225 });
    expect(plan.items).toHaveLength(2); // lost (predicted) and ended tracks are not drawn
    expect(plan.items[0]).toEqual({ rect: { x: 0, y: 87.5, width: 200, height: 112.5 }, colour: CLASS_COLOURS.person, caption: 'person 87% #12', dashed: false, trackId: 12 });
    expect(plan.items[1]).toMatchObject({ colour: CLASS_COLOURS.vehicle, caption: 'car 50% #3', dashed: true });
  });

  it('uses the analysed frame size until the video knows its own', () => {
    expect(planOverlay(frame, 400, 400, 0, 0).content).toEqual({ x: 0, y: 87.5, width: 400, height: 225 });
  });
});

describe('overlay style', () => {
  it('colours by class', () => {
    expect(objectClass('person')).toBe('person');
    expect(['car', 'truck', 'bus', 'motorbike', 'bicycle'].map(objectClass)).toEqual(['vehicle', 'vehicle', 'vehicle', 'vehicle', 'vehicle']);
    expect(['dog', 'cat', 'Bird'].map(objectClass)).toEqual(['animal', 'animal', 'animal']);
    expect(objectClass('backpack')).toBe('other');
    expect(new Set(Object.values(CLASS_COLOURS)).size).toBe(4);
    expect(objectColour('truck')).toBe(CLASS_COLOURS.vehicle);
  });

  it('captions with score and track, dashes tentative tracks, sizes the font', () => {
    expect(caption({ label: 'person', score: 0.995, trackId: 7 })).toBe('person 100% #7');
    expect(caption({ label: 'cat', score: Number.NaN, trackId: 1 })).toBe('cat 0% #1');
    expect(isDashed({ state: 'new' })).toBe(true);
    expect(isDashed({ state: 'active' })).toBe(false);
    expect(captionFontSize(100)).toBe(10);
    expect(captionFontSize(360)).toBe(12);
    expect(captionFontSize(2000)).toBe(14);
  });
});

describe('overlay switches', () => {
  it('is on unless stored false; off list is clean', () => {
    expect(parseOverlaysEnabled(undefined)).toBe(true);
    expect(parseOverlaysEnabled(false)).toBe(false);
    expect(parseOverlaysEnabled('false')).toBe(true);
    expect(parseOverlaysOff(['a', 'a', 3, '', 'b'])).toEqual(['a', 'b']);
    expect(parseOverlaysOff('a')).toEqual([]);
  });

  it('shows a tile only when both the grid and the tile are on; toggles one camera', () => {
    expect(overlayShown(true, [], 'a')).toBe(true);
    expect(overlayShown(true, ['a'], 'a')).toBe(false);
    expect(overlayShown(false, [], 'a')).toBe(false);
    expect(toggleCameraOverlay(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggleCameraOverlay(['a', 'b'], 'a')).toEqual(['b']);
  });
});
