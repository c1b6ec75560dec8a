/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Detection end to end: the headless host with the real model, the demo site, and the grid in
// Debian's Chromium drawing boxes over people as they walk; then footage imported in the UI.
import { describe, expect, it } from 'vitest';
import { demoHostInChromium } from '../support/headless-host';
import { DEMO_CLIP } from '../support/test-engine';

const e2e = demoHostInChromium();

describe('detection in the control room', () => {
  it('draws boxes over the people walking on the demo tiles, on the frame they belong to', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(e2e.host.url);
    await page.getByTestId('layout-9').click();
    // Every demo view has people walking: most tiles should show boxes within a few seconds.
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="overlay"]')].filter((c) => Number(c.getAttribute('data-boxes')) > 0).length >= 6,
      undefined,
      { timeout: 60_000, polling: 250 },
    );
    // The frame drawn is the one on screen: its media time is within a second of the video's.
    const drift = await page.$$eval('[data-testid="camera-tile"]', (tiles) =>
      tiles
        .map((tile) => {
          const canvas = tile.querySelector('[data-testid="overlay"]');
          const video = tile.querySelector('video');
          const at = canvas?.getAttribute('data-media-time');
          return at && video ? Math.abs(Number(at) - video.currentTime) : null;
        })
        .filter((d): d is number => d !== null),
    );
    expect(drift.length).toBeGreaterThanOrEqual(6);
    for (const seconds of drift) expect(seconds).toBeLessThan(1);
    await expect.poll(() => page.getByTestId('detector-status').getAttribute('data-provider')).toBe('cpu');
    await page.screenshot({ path: 'test-results/overlays-9.png' });

    // The grid toggle hides every box; the tile toggle alone hides that tile's.
    await page.getByTestId('overlays-toggle').click();
    await expect.poll(() => page.$$eval('[data-testid="overlay"]', (cs) => cs.reduce((n, c) => n + Number(c.getAttribute('data-boxes')), 0))).toBe(0);
    await page.getByTestId('overlays-toggle').click();
    await page.close();
  });

  it('analyses imported footage and offers the result for download', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(e2e.host.url);
    await page.getByTestId('analyse-open').click();
    await page.getByTestId('analyse-file').setInputFiles(DEMO_CLIP);
    await page.getByTestId('analyse-submit').click();
    const job = page.getByTestId('analysis-job').first();
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 120_000, interval: 500 }).toBe('done');
    expect(await page.getByTestId('analysis-summary').first().getAttribute('data-labels')).toMatch(/person:\d+/);
    const download = page.waitForEvent('download');
    await page.getByTestId('analysis-download').first().click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('vtest-640x360.vigil.json');
    await page.close();
  });
});
