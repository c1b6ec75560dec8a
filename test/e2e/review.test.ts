/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Review end to end: a demo camera records for real (FFmpeg's 10 s segments, indexed in
// SQLite) while the real model tracks the people walking; in Debian's Chromium the operator
// opens review, sees the recorded span on the timeline, plays the recording (the <video>'s
// currentTime advances and frames decode) with the stored boxes drawn over it, seeks by
// clicking the timeline, and steps with the keyboard.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CameraView } from '../../src/shared/cameras';
import type { Incident } from '../../src/shared/incidents';
import type { RecordingSegmentView, ReviewTrack } from '../../src/shared/review';
import type { RuleSet } from '../../src/shared/rules';
import { demoHostInChromium } from '../support/headless-host';
import { until } from '../support/test-engine';

const e2e = demoHostInChromium();

interface PlayerSample {
  segment: string | null;
  currentTime: number;
  frames: number;
  boxes: number;
  state: string | null;
}

function samplePlayer(page: Page, cameraId: string): Promise<PlayerSample> {
  return page.evaluate((id) => {
    const video = document.querySelector<HTMLVideoElement>(`[data-testid="review-video-${id}"]`);
    const overlay = document.querySelector(`[data-testid="review-overlay-${id}"]`);
    return {
      segment: video?.getAttribute('data-segment-id') ?? null,
      currentTime: video?.currentTime ?? -1,
      frames: video?.getVideoPlaybackQuality().totalVideoFrames ?? -1,
      boxes: Number(overlay?.getAttribute('data-boxes') ?? 0),
      state: document.querySelector(`[data-testid="review-player-${id}"]`)?.getAttribute('data-state') ?? null,
    };
  }, cameraId);
}

const clockTime = async (page: Page) => Number(await page.getByTestId('review-clock').getAttribute('data-t'));

describe('review of recordings', () => {
  it('plays a recording with its stored boxes, from the timeline', async () => {
    // The demo site is set up just after the host is ready. Two cameras record.
    const cameras = await until('the demo cameras', async () => {
      const list = (await e2e.host.api<CameraView[]>('GET', '/api/cameras')).body;
      return list.length >= 2 ? list : null;
    }, 60_000);
    const [camera, second] = [cameras[0]!, cameras[1]!];
    for (const { id } of [camera, second]) {
      const patched = await e2e.host.api<CameraView>('PATCH', `/api/cameras/${id}`, { options: { record: true } });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(patched.body.options.record).toBe(true);
    }
    const recordFrom = Date.now();

    // Two closed segments (~20 s of footage) and tracks stored inside them.
    const q = () => `from=${recordFrom - 60_000}&to=${Date.now() + 60_000}`;
    const segments = await until(
      'two closed segments',
      async () => {
        const res = await e2e.host.api<RecordingSegmentView[]>('GET', `/api/cameras/${camera.id}/recordings?${q()}`);
        expect(res.status).toBe(200);
        return res.body.length >= 2 ? res.body : null;
      },
      60_000,
    );
    const recorded = { from: segments[0]!.startMs, to: segments.at(-1)!.endMs };
    const tracks = await until(
      'tracks stored inside the recorded span',
      async () => {
        const res = await e2e.host.api<ReviewTrack[]>('GET', `/api/cameras/${camera.id}/tracks?from=${recorded.from}&to=${recorded.to}`);
        expect(res.status).toBe(200);
        return res.body.some((t) => t.samples.some((s) => s.t >= recorded.from && s.t <= recorded.to)) ? res.body : null;
      },
      30_000,
    );
    expect(tracks.length).toBeGreaterThan(0);

    const page = await e2e.browser.newPage({ viewport: { width: 1600, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(e2e.host.url);
    await page.getByTestId('review-open').click();
    const panel = page.getByTestId('review-panel');
    await expect.poll(() => panel.count()).toBe(1);
    // The live grid makes way for review, and its players stop (no decoding behind review).
    expect(await page.getByTestId('grid-area').isVisible()).toBe(false);
    const gridTimes = () => page.$$eval('[data-testid="camera-tile"] video', (videos) => (videos as HTMLVideoElement[]).map((v) => v.currentTime));
    await page.waitForTimeout(1000);
    const hiddenBefore = await gridTimes();
    await page.waitForTimeout(1500);
    expect(await gridTimes()).toEqual(hiddenBefore);
    // Review opens on a recording camera (the first in the grid's order); continue with `camera` alone.
    const chip = (id: string) => page.getByTestId(`review-camera-${id}`);
    expect([await chip(camera.id).isChecked(), await chip(second.id).isChecked()].filter(Boolean)).toHaveLength(1);
    await chip(camera.id).check();
    await chip(second.id).uncheck();
    await expect.poll(() => page.locator('[data-testid="review-timeline-row"]').count()).toBe(1);

    // The timeline shows the recorded span (last hour by default), and zooms to 10 minutes.
    await page.getByTestId('review-zoom-10m').click();
    const row = page.locator(`[data-testid="review-timeline-row"][data-camera-id="${camera.id}"]`);
    await expect.poll(async () => Number(await row.getAttribute('data-coverage-ms')), { timeout: 15_000 }).toBeGreaterThan(15_000);
    expect(await row.getAttribute('data-error')).toBeNull();
    expect(await page.getByTestId('review-zoom-10m').getAttribute('aria-pressed')).toBe('true');

    // The wheel zooms around the pointer; a drag pans; a shift-drag selects a range to export.
    const timeline = page.getByTestId('review-timeline');
    const view = async () => ({ from: Number(await timeline.getAttribute('data-from')), to: Number(await timeline.getAttribute('data-to')) });
    const plotBox = (await page.locator('.review-timeline-plot').boundingBox())!;
    const rowMid = (await row.boundingBox())!.y + 28;
    const before10m = await view();
    const pointerX = plotBox.x + plotBox.width * 0.75;
    const underPointer = before10m.from + 0.75 * (before10m.to - before10m.from);
    await page.mouse.move(pointerX, rowMid);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => { const v = await view(); return v.to - v.from; }).toBeLessThan(10 * 60_000 * 0.6);
    const zoomed = await view();
    expect(Math.abs(zoomed.from + 0.75 * (zoomed.to - zoomed.from) - underPointer)).toBeLessThan(2000);
    await page.getByTestId('review-zoom-10m').click();
    await expect.poll(async () => { const v = await view(); return v.to - v.from; }).toBe(10 * 60_000);
    const beforePan = await view();
    await page.mouse.move(plotBox.x + 200, rowMid);
    await page.mouse.down();
    await page.mouse.move(plotBox.x + 300, rowMid, { steps: 5 });
    await page.mouse.move(plotBox.x + 400, rowMid, { steps: 5 });
    await page.mouse.up();
    // Dragged 200 px to the right: the view moved 200 px worth of time earlier.
    const expectedShift = (200 / plotBox.width) * (beforePan.to - beforePan.from);
    await expect.poll(async () => Math.abs(beforePan.from - (await view()).from - expectedShift)).toBeLessThan(1000);
    const panned = await view();
    expect(panned.to - panned.from).toBe(beforePan.to - beforePan.from);
    await page.getByTestId('review-zoom-10m').click();
    await page.keyboard.down('Shift');
    await page.mouse.move(plotBox.x + 200, rowMid);
    await page.mouse.down();
    await page.mouse.move(plotBox.x + 400, rowMid, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const selected = page.getByTestId('review-selection');
    const span = (await view()).to - (await view()).from;
    expect(Number(await selected.getAttribute('data-to')) - Number(await selected.getAttribute('data-from'))).toBeCloseTo((200 / plotBox.width) * span, -3);
    await page.getByTestId('review-selection-clear').click();

    // Clicking the timeline seeks: before the recording started there is no footage...
    const clickAt = async (t: number) => {
      const timeline = page.getByTestId('review-timeline');
      const [from, to] = [Number(await timeline.getAttribute('data-from')), Number(await timeline.getAttribute('data-to'))];
      const plot = (await page.locator('.review-timeline-plot').boundingBox())!;
      const rowBox = (await row.boundingBox())!;
      await page.mouse.click(plot.x + ((t - from) / (to - from)) * plot.width, rowBox.y + rowBox.height / 2);
    };
    await clickAt(recorded.from - 90_000);
    await expect.poll(() => page.getByTestId(`review-gap-${camera.id}`).count()).toBe(1);
    expect(Math.abs((await clockTime(page)) - (recorded.from - 90_000))).toBeLessThan(3000);
    // ...and playing from there skips the gap to where the footage starts.
    await page.getByTestId('review-play').click();
    await expect.poll(async () => (await samplePlayer(page, camera.id)).state, { timeout: 15_000 }).toBe('playing');
    expect(await clockTime(page)).toBeGreaterThanOrEqual(recorded.from - 1000);
    await page.getByTestId('review-play').click();
    await expect.poll(() => page.getByTestId('review-transport').getAttribute('data-playing')).toBe('false');

    // Into the first recorded segment: the clock goes there and the picture shows.
    const target = segments[0]!.startMs + 4000;
    await clickAt(target);
    await expect.poll(async () => Math.abs((await clockTime(page)) - target)).toBeLessThan(3000);
    await expect.poll(async () => (await samplePlayer(page, camera.id)).state, { timeout: 15_000 }).toBe('playing');

    // Play: currentTime advances and frames are decoded on the element on screen.
    await page.getByTestId('review-play').click();
    expect(await page.getByTestId('review-transport').getAttribute('data-playing')).toBe('true');
    const advanced = await until(
      'the recording playing',
      async () => {
        const a = await samplePlayer(page, camera.id);
        await page.waitForTimeout(1500);
        const b = await samplePlayer(page, camera.id);
        return a.segment === b.segment && b.currentTime - a.currentTime > 0.8 && b.frames - a.frames > 5 ? { a, b } : null;
      },
      30_000,
    );
    expect(advanced.b.currentTime).toBeGreaterThan(advanced.a.currentTime);

    // The stored boxes of the people walking are drawn over the recording.
    await page.waitForFunction((id) => Number(document.querySelector(`[data-testid="review-overlay-${id}"]`)?.getAttribute('data-boxes')) > 0, camera.id, { timeout: 20_000, polling: 100 });
    const drawnAt = Number(await page.getByTestId(`review-overlay-${camera.id}`).getAttribute('data-media-wall'));
    expect(drawnAt).toBeGreaterThanOrEqual(recorded.from - 1000);
    expect(drawnAt).toBeLessThanOrEqual(recorded.to + 1000);
    await page.screenshot({ path: 'test-results/review.png' });

    // Playback crosses into the next segment (the preloaded element takes over).
    const firstSegment = (await samplePlayer(page, camera.id)).segment;
    await page.getByTestId('review-speed-4').click();
    await expect.poll(async () => (await samplePlayer(page, camera.id)).segment, { timeout: 20_000 }).not.toBe(firstSegment);

    // Space pauses; Left steps back 10 s on the clock.
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('review-transport').getAttribute('data-playing')).toBe('false');
    const before = await clockTime(page);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => clockTime(page)).toBe(before - 10_000);

    // Two cameras on one clock: each plays its own segment for the same wall-clock moment.
    await chip(second.id).check();
    await expect.poll(() => page.locator('[data-testid="review-timeline-row"]').count()).toBe(2);
    await page.getByTestId('review-speed-1').click();
    // Space plays even with the camera chip focused (and leaves the chip ticked).
    await chip(second.id).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('review-transport').getAttribute('data-playing')).toBe('true');
    expect(await chip(second.id).isChecked()).toBe(true);
    const walls = async () => {
      const lists = await Promise.all(
        [camera, second].map(async ({ id }) => (await e2e.host.api<RecordingSegmentView[]>('GET', `/api/cameras/${id}/recordings?from=${recordFrom - 60_000}&to=${Date.now() + 60_000}`)).body),
      );
      const sample = await page.evaluate((ids) => ids.map((id) => {
        const video = document.querySelector<HTMLVideoElement>(`[data-testid="review-video-${id}"]`);
        return { segment: Number(video?.getAttribute('data-segment-id')), currentTime: video?.currentTime ?? -1, paused: video?.paused ?? true };
      }), [camera.id, second.id]);
      return sample.map((s, i) => {
        const segment = lists[i]!.find((seg) => seg.id === s.segment);
        return segment && !s.paused ? segment.startMs + s.currentTime * 1000 : null;
      });
    };
    const inSync = await until(
      'both players playing',
      async () => {
        const [a, b] = await walls();
        return a !== null && a !== undefined && b !== null && b !== undefined ? { a, b } : null;
      },
      30_000,
    );
    // The drift correction re-seeks past 0.3 s; allow a frame or two of sampling on top.
    expect(Math.abs(inSync.a - inSync.b)).toBeLessThan(450);
    await page.keyboard.press('Space');
    await page.screenshot({ path: 'test-results/review-two-cameras.png' });

    // Live goes back to the grid.
    await page.getByTestId('review-live').click();
    await expect.poll(() => panel.count()).toBe(0);
    expect(await page.getByTestId('grid-area').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("opens review at an incident from its detail, shows its snapshot, and exports it", async () => {
    const camera = (await e2e.host.api<CameraView[]>('GET', '/api/cameras')).body.find((c) => c.options.record)!;
    // People walk in the lower half of the picture all the time.
    const rules: RuleSet = {
      zones: [{ id: 'walkway', cameraId: camera.id, name: 'Walkway', kind: 'zone', polygon: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] }],
      lines: [],
      rules: [{ id: 'people', cameraId: camera.id, name: 'People on the walkway', type: 'presence', classes: ['person'], zoneId: 'walkway', minScore: 0.4, minDurationMs: 0, severity: 'high', enabled: true, schedule: [], timeZone: 'UTC' }],
    };
    expect((await e2e.host.api('PUT', `/api/cameras/${camera.id}/rules`, rules)).status).toBe(200);
    const incident = await until('an incident', async () => (await e2e.host.api<Incident[]>('GET', `/api/incidents?state=open&camera=${camera.id}`)).body[0], 30_000);

    const page = await e2e.browser.newPage({ viewport: { width: 1600, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(e2e.host.url);
    await page.locator(`[data-testid="incident-row"][data-incident-id="${incident.id}"]`).click();
    await expect.poll(() => page.getByTestId('incident-detail').getAttribute('data-incident-id')).toBe(incident.id);

    // The engine's snapshot of the incident, boxes drawn in, loads as an image.
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="incident-snapshot"]');
      return img !== null && img.complete && img.naturalWidth > 0;
    }, undefined, { timeout: 20_000, polling: 250 });

    // Review opens on the incident's camera, a few seconds before it started.
    await page.getByTestId('incident-review').click();
    await expect.poll(() => page.getByTestId('review-panel').count()).toBe(1);
    expect(await page.getByTestId(`review-camera-${camera.id}`).isChecked()).toBe(true);
    await expect.poll(async () => Math.abs((await clockTime(page)) - (incident.startedAt - 5000))).toBeLessThan(1000);
    // Its marker is on the timeline. A group walking in raises several incidents at once,
    // which share one marker: each click opens the next of them, and jumps to it.
    const marker = page.locator(`[data-testid="review-timeline-row"][data-camera-id="${camera.id}"] [data-incident-ids~="${incident.id}"]`);
    await expect.poll(() => marker.count(), { timeout: 15_000 }).toBe(1);
    const ids = (await marker.getAttribute('data-incident-ids'))!.split(' ');
    const selectedId = () => page.getByTestId('review-selected-incident').getAttribute('data-incident-id', { timeout: 1000 }).catch(() => null);
    for (let i = 0; i < ids.length && (await selectedId()) !== incident.id; i++) await marker.click();
    expect(await selectedId()).toBe(incident.id);
    await expect.poll(() => clockTime(page)).toBe(incident.startedAt - 5000);
    const selection = page.getByTestId('review-selection');
    expect(Number(await selection.getAttribute('data-from'))).toBeLessThan(incident.startedAt);
    expect(Number(await selection.getAttribute('data-to'))).toBeGreaterThan(incident.startedAt);
    await page.screenshot({ path: 'test-results/review-incident.png' });
    // Its footage plays once the segment holding it is closed (up to 10 s after it started).
    await expect.poll(() => page.getByTestId(`review-player-${camera.id}`).getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');

    // Export… hands the incident's camera and range to the export dialog.
    await page.getByTestId('review-export').click();
    const dialog = page.getByTestId('export-dialog');
    await expect.poll(() => dialog.count()).toBe(1);
    await page.getByTestId('export-close').click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
