/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The control room's core loop, end to end: a zone with a presence rule on a camera where
// people walk raises an incident in the alarm queue; the operator acknowledges it, adds a
// note and closes it, and every step is in the audit trail.
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/shared/incidents';
import type { RuleSet } from '../../src/shared/rules';
import { launchChromium, startHeadlessHost, type HostProcess } from '../support/headless-host';
import { modelDir } from '../support/test-media';
import { DEMO_CLIP } from '../support/test-engine';

let browser: Browser;
let host: HostProcess;

beforeAll(async () => {
  modelDir();
  browser = await launchChromium();
  host = await startHeadlessHost(['--no-demo']);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('alarm queue', () => {
  it('raises an incident from a zone rule, and the operator acknowledges, notes and closes it', async () => {
    const camera = (await host.api<{ id: string }>('POST', '/api/cameras', { name: 'Plaza', mainUrl: pathToFileURL(DEMO_CLIP).href, options: { record: false } })).body;
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(host.url);
    await expect.poll(() => page.locator(`[data-testid="camera-tile"][data-camera-id="${camera.id}"]`).getAttribute('data-state'), { timeout: 30_000 }).toBe('live');

    // The lower half of the picture, where people walk all the time.
    const rules: RuleSet = {
      zones: [{ id: 'walkway', cameraId: camera.id, name: 'Walkway', kind: 'zone', polygon: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] }],
      lines: [],
      rules: [{ id: 'people', cameraId: camera.id, name: 'People on the walkway', type: 'presence', classes: ['person'], zoneId: 'walkway', minScore: 0.4, minDurationMs: 0, severity: 'critical', enabled: true, schedule: [], timeZone: 'UTC' }],
    };
    const saved = Date.now();
    expect((await host.api('PUT', `/api/cameras/${camera.id}/rules`, rules)).status).toBe(200);

    const row = page.getByTestId('incident-row').first();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000, interval: 100 }).toBe('new');
    const firstIncident = (await host.api<Incident[]>('GET', '/api/incidents?state=open')).body.at(-1)!;
    // People are in the zone from the start: the first incident is raised within 2 s of the rule.
    expect(firstIncident.startedAt - saved).toBeLessThan(2000);
    expect(await row.getAttribute('data-severity')).toBe('critical');

    const id = (await row.getAttribute('data-incident-id'))!;
    const mine = page.locator(`[data-testid="incident-row"][data-incident-id="${id}"]`);
    await page.getByTestId('operator-name-input').fill('Night Shift');
    await page.getByTestId('operator-name-save').click();
    await mine.click();
    await expect.poll(() => page.getByTestId('incident-detail').getAttribute('data-incident-id')).toBe(id);

    await page.getByTestId('incident-action-acknowledge').click();
    await expect.poll(() => page.getByTestId('incident-detail').getAttribute('data-state')).toBe('acknowledged');
    await page.getByTestId('incident-action-note').click();
    await page.getByTestId('incident-prompt-input').fill('Guard sent to the walkway.');
    await page.getByTestId('incident-prompt-submit').click();
    await page.getByTestId('incident-action-close').click();
    const prompt = page.getByTestId('incident-prompt-input');
    if (await prompt.isVisible()) {
      await prompt.fill('All clear.');
      await page.getByTestId('incident-prompt-submit').click();
    }
    await expect.poll(() => page.getByTestId('incident-detail').getAttribute('data-state')).toBe('closed');

    const detail = (await host.api<Incident & { actions: { action: string; who: string; note: string | null }[] }>('GET', `/api/incidents/${id}`)).body;
    expect(detail.state).toBe('closed');
    const trail = detail.actions.map((a) => `${a.action}:${a.who}`);
    expect(trail[0]).toBe('raised:vigil');
    expect(trail).toEqual(expect.arrayContaining(['acknowledge:Night Shift', 'note:Night Shift', 'close:Night Shift']));
    expect(detail.actions.find((a) => a.action === 'note')!.note).toBe('Guard sent to the walkway.');
    // A closed incident leaves the queue.
    await expect.poll(() => page.locator(`[data-testid="incident-row"][data-incident-id="${id}"]`).count()).toBe(0);
    await page.screenshot({ path: 'test-results/incidents.png' });
    await page.close();
  });
});
