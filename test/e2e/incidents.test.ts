/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The control room's core loop, end to end in Chromium: the operator DRAWS a zone over a
// demo camera in the zone editor and gives it a presence rule for people; a person entering
// it raises an incident in the alarm queue within 2 s; the operator acknowledges it, adds a
// note and closes it (every step in the audit trail), then exports it from the export dialog;
// the downloaded archive verifies as a recipient would check it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyExport } from '../../src/main/engine/evidence/verify-export';
import type { Incident, IncidentAction } from '../../src/shared/incidents';
import type { RecordingSegmentView, ReviewTrack } from '../../src/shared/review';
import type { RuleSet } from '../../src/shared/rules';
import { launchChromium, startHeadlessHost, type HostProcess } from '../support/headless-host';
import { modelDir } from '../support/test-media';
import { DEMO_CLIP } from '../support/test-engine';

let browser: Browser;
let host: HostProcess;
let scratch: string;

beforeAll(async () => {
  modelDir();
  scratch = mkdtempSync(join(tmpdir(), 'vigil-e2e-export-'));
  browser = await launchChromium();
  host = await startHeadlessHost(['--no-demo']);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Clicks a point of the picture (0-1 coordinates) on the zone editor's canvas. */
async function clickPicture(page: Page, x: number, y: number): Promise<void> {
  const canvas = page.getByTestId('zones-canvas');
  const box = (await canvas.boundingBox())!;
  // The picture's content rect inside the canvas (letterboxed to the video's aspect).
  const [cx, cy, cw, ch] = (await canvas.getAttribute('data-content'))!.split(',').map(Number) as [number, number, number, number];
  await page.mouse.click(box.x + cx + x * cw, box.y + cy + y * ch);
}

describe('alarm queue', () => {
  it('raises an incident from a zone drawn in the editor within 2 s; the operator handles and exports it', async () => {
    // A demo camera (the shipped clip, recording off like the demo site's), then recording on.
    const camera = (await host.api<{ id: string }>('POST', '/api/cameras', { name: 'Plaza', mainUrl: pathToFileURL(DEMO_CLIP).href, options: { record: false } })).body;
    const patched = await host.api<{ options: { record: boolean } }>('PATCH', `/api/cameras/${camera.id}`, { options: { record: true } });
    expect(patched.status).toBe(200);
    expect(patched.body.options.record).toBe(true);

    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(host.url);
    await expect.poll(() => page.locator(`[data-testid="camera-tile"][data-camera-id="${camera.id}"]`).getAttribute('data-state'), { timeout: 30_000 }).toBe('live');

    // The zone editor: draw the lower half of the picture, where people walk, with the mouse.
    await page.getByTestId('toggle-cameras').click();
    await page.locator(`[data-testid="camera-row"][data-camera-id="${camera.id}"] [data-testid="zones-open"]`).click();
    const editor = page.getByTestId('zones-editor');
    await expect.poll(() => editor.getAttribute('data-load'), { timeout: 15_000 }).toBe('ready');
    await expect.poll(() => page.locator('.zones-picture').getAttribute('data-state'), { timeout: 30_000 }).toBe('live');
    await page.getByTestId('zones-tool-zone').click();
    for (const [x, y] of [[0.02, 0.5], [0.98, 0.5], [0.98, 0.98], [0.02, 0.98]] as const) await clickPicture(page, x, y);
    expect(await page.getByTestId('zones-canvas').getAttribute('data-draft-points')).toBe('4');
    // Clicking the first point again closes the shape.
    await clickPicture(page, 0.02, 0.5);
    const zone = page.getByTestId('zone-item');
    await expect.poll(() => zone.count()).toBe(1);
    expect(await zone.getAttribute('data-points')).toBe('4');
    await zone.getByTestId('zone-name').fill('Walkway');

    // A presence rule for people in it, through the editor's rule form.
    await page.getByTestId('rule-type').selectOption('presence');
    await page.getByTestId('rule-add').click();
    const rule = page.getByTestId('rule-item');
    await rule.getByTestId('rule-name').fill('People on the walkway');
    await rule.getByTestId('rule-severity').selectOption('critical');
    await rule.getByTestId('rule-min-score').fill('0.4');
    expect(await rule.locator('[data-testid="rule-class"][data-class="person"]').isChecked()).toBe(true);
    expect(await rule.getByTestId('rule-zone').inputValue()).toBe(await zone.getAttribute('data-zone-id'));

    // The moment a row first shows in the queue, as the page sees it (same clock as the engine).
    await page.evaluate(() => {
      const w = window as unknown as { firstRowAt: number | null };
      w.firstRowAt = null;
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-testid="incident-row"]')) {
          w.firstRowAt = Date.now();
          observer.disconnect();
        }
      }).observe(document.body, { subtree: true, childList: true });
    });
    await page.getByTestId('zones-save').click();
    await expect.poll(() => page.getByTestId('zones-saved').count(), { timeout: 10_000 }).toBe(1);
    const saved = (await host.api<RuleSet>('GET', `/api/cameras/${camera.id}/rules`)).body;
    expect(saved.zones).toHaveLength(1);
    expect(saved.zones[0]!.polygon.every(([x, y]) => x >= 0 && x <= 1 && y >= 0.49 && y <= 1)).toBe(true);
    expect(saved.rules[0]).toMatchObject({ type: 'presence', classes: ['person'], zoneId: saved.zones[0]!.id, severity: 'critical', minScore: 0.4 });
    await page.getByTestId('zones-close').click();

    const row = page.getByTestId('incident-row').first();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000, interval: 100 }).toBe('new');
    const shownAt = (await page.evaluate(() => (window as unknown as { firstRowAt: number | null }).firstRowAt))!;
    const id = (await row.getAttribute('data-incident-id'))!;
    const incident = (await host.api<Incident>('GET', `/api/incidents/${id}`)).body;
    expect(incident.label).toBe('person');
    expect(await row.getAttribute('data-severity')).toBe('critical');
    // From the person's first moment in the zone (the incident's start) to the queue showing it.
    expect(shownAt - incident.startedAt).toBeLessThan(2000);
    // The stored track agrees: a person whose feet are in the zone at that moment.
    await expect
      .poll(async () => {
        const found = (await host.api<ReviewTrack[]>('GET', `/api/cameras/${camera.id}/tracks?from=${incident.startedAt - 2000}&to=${incident.startedAt + 2000}`)).body;
        return found.filter((t) => t.label === 'person' && t.samples.some((s) => Math.abs(s.t - incident.startedAt) <= 1000 && s.box[3] >= t.frameHeight * 0.5));
      }, { timeout: 10_000 })
      .not.toHaveLength(0);

    const mine = page.locator(`[data-testid="incident-row"][data-incident-id="${id}"]`);
    // The queue asks who is on duty once it shows: actions and exports are audited under the name.
    await page.getByTestId('operator-name-input').fill('Night Shift');
    await page.getByTestId('operator-name-save').click();
    await mine.click();
    const detailPanel = page.getByTestId('incident-detail');
    await expect.poll(() => detailPanel.getAttribute('data-incident-id')).toBe(id);
    await page.getByTestId('incident-action-acknowledge').click();
    await expect.poll(() => detailPanel.getAttribute('data-state')).toBe('acknowledged');
    await page.getByTestId('incident-action-note').click();
    await page.getByTestId('incident-prompt-input').fill('Guard sent to the walkway.');
    await page.getByTestId('incident-prompt-submit').click();
    await page.getByTestId('incident-action-close').click();
    const prompt = page.getByTestId('incident-prompt-input');
    if (await prompt.isVisible()) {
      await prompt.fill('All clear.');
      await page.getByTestId('incident-prompt-submit').click();
    }
    await expect.poll(() => detailPanel.getAttribute('data-state')).toBe('closed');
    const detail = (await host.api<Incident & { actions: IncidentAction[] }>('GET', `/api/incidents/${id}`)).body;
    const trail = detail.actions.map((a) => `${a.action}:${a.who}`);
    expect(trail[0]).toBe('raised:vigil');
    expect(trail).toEqual(expect.arrayContaining(['acknowledge:Night Shift', 'note:Night Shift', 'close:Night Shift']));
    expect(detail.actions.find((a) => a.action === 'note')!.note).toBe('Guard sent to the walkway.');
    // A closed incident leaves the queue; its details stay open.
    await expect.poll(() => mine.count()).toBe(0);

    // Export from the incident: recording has footage of it by now (10 s segments).
    await expect
      .poll(async () => (await host.api<RecordingSegmentView[]>('GET', `/api/cameras/${camera.id}/recordings?from=${incident.startedAt}&to=${incident.startedAt + 1}`)).body.length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    await page.getByTestId('incident-export').click();
    const dialog = page.getByTestId('export-dialog');
    await expect.poll(() => dialog.getAttribute('data-state')).toBe('form');
    expect(await dialog.locator(`[data-testid="export-camera"][data-camera-id="${camera.id}"]`).isChecked()).toBe(true);
    expect(await page.getByTestId('export-who').inputValue()).toBe('Night Shift');
    await page.getByTestId('export-title').fill('Walkway, night of the 14th');
    await page.getByTestId('export-start').click();
    await expect.poll(() => dialog.getAttribute('data-state'), { timeout: 90_000, interval: 250 }).toBe('done');
    const fingerprint = (await page.getByTestId('export-fingerprint').getAttribute('data-fingerprint'))!;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    await page.screenshot({ path: 'test-results/incidents-export.png' });

    // The browser's "Download archive" link, fetched as the browser would.
    const href = (await page.getByTestId('export-download').getAttribute('href'))!;
    const response = await fetch(new URL(href, host.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="vigil-evidence-Walkway-night-of-the-14th-[A-Za-z0-9-]+\.zip"$/);
    const zip = join(scratch, 'export.zip');
    writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
    expect(spawnSync('unzip', ['-t', zip], { encoding: 'utf8' }).status).toBe(0);
    execFileSync('unzip', ['-q', zip, '-d', join(scratch, 'unzipped')]);
    const jobId = (await dialog.getAttribute('data-job-id'))!;
    const result = await verifyExport(join(scratch, 'unzipped', jobId), { expectedFingerprint: fingerprint });
    expect(result.problems).toEqual([]);
    expect(result.manifest).toMatchObject({ title: 'Walkway, night of the 14th', incidentId: id, exportedBy: 'Night Shift' });
    expect(result.manifest!.cameras[0]!.file).not.toBeNull();

    // The export is in the incident's audit trail, shown in the detail.
    await expect.poll(() => page.locator('[data-testid="incident-audit-entry"][data-action="export"]').getAttribute('data-who'), { timeout: 10_000 }).toBe('Night Shift');
    await page.getByTestId('export-close').click();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.screenshot({ path: 'test-results/incidents.png' });
    await page.close();
  });
});
