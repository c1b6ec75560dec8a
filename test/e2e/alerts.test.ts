/// <reference lib="dom" />
// Alerts end to end, in Debian's Chromium against the real headless host: the operator opens
// the Alerts panel, reads what WhatsApp is (not linked here, and never to be relied on alone),
// adds a webhook recipient (a real HTTP receiver on 127.0.0.1) and a policy through the forms,
// and sends a test alert: the receiver gets the POST with its idempotency key, the in-app
// banner shows and the delivery log says what happened. Then a rule on a camera showing the
// demo clip raises an incident from the people walking in it, and the alert for it reaches the
// receiver and the banner, naming the camera and the rule. A bad webhook address is refused
// with its reason. WhatsApp's servers are never contacted: nothing is linked, so no worker runs.
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertSettings, ChannelStatus, Delivery, DeliveryPage, Recipient } from '../../src/shared/alerts';
import type { Incident } from '../../src/shared/incidents';
import { ALERT_REASONS } from '../../src/shared/reasons';
import type { RuleSet } from '../../src/shared/rules';
import { launchChromium, startHeadlessHost, type HostProcess } from '../support/headless-host';
import { DEMO_CLIP, until } from '../support/test-engine';
import { modelDir } from '../support/test-media';
import { startReceiver, type ReceivedPost, type WebhookReceiver } from '../unit/alerts/webhook-receiver';

let browser: Browser;
let host: HostProcess;
let receiver: WebhookReceiver;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  modelDir(); // the incident path needs the real detector
  receiver = await startReceiver();
  browser = await launchChromium();
  host = await startHeadlessHost(['--no-demo']);
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await host?.stop();
  await receiver?.close();
});

const deliveries = async () => (await host.api<DeliveryPage>('GET', '/api/alerts/deliveries?limit=100')).body.deliveries;
const row = (d: Delivery) => page.locator(`[data-testid="alerts-delivery"][data-delivery-id="${d.id}"]`);

describe('alerts', () => {
  let cameraId: string;
  let recipient: Recipient;

  it('shows WhatsApp as not linked with its disclaimer, refuses a bad webhook address, and takes a webhook and a policy from the forms', async () => {
    // The camera starts now, so that its pipeline runs by the time the rule is set below.
    const camera = await host.api<{ id: string }>('POST', '/api/cameras', { name: 'Plaza', mainUrl: pathToFileURL(DEMO_CLIP).href, options: { record: false } });
    expect(camera.status, JSON.stringify(camera.body)).toBe(201);
    cameraId = camera.body.id;

    await page.goto(host.url);
    await page.getByTestId('alerts-open').click();
    const panel = page.getByTestId('alerts-panel');
    await expect.poll(() => panel.count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('alerts-open').getAttribute('aria-pressed')).toBe('true');

    // WhatsApp: not linked, and the card says plainly what it is and is not.
    const card = page.getByTestId('whatsapp-card');
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 10_000 }).toBe('needs-link');
    expect(await page.getByTestId('whatsapp-state').textContent()).toBe('Not linked');
    expect(await page.getByTestId('whatsapp-reason').getAttribute('data-code')).toBe('WHATSAPP_NOT_LINKED');
    expect(await page.getByTestId('whatsapp-linked-as').count()).toBe(0);
    expect(await page.getByTestId('whatsapp-link').isVisible()).toBe(true);
    const disclaimer = (await page.getByTestId('whatsapp-disclaimer').textContent())!;
    expect(disclaimer).toMatch(/^Unofficial integration/);
    expect(disclaimer).toContain("site's own WhatsApp number");
    expect(disclaimer).toMatch(/best effort/i);
    expect(disclaimer).toContain('never make WhatsApp the only channel for life-safety alarms');
    expect(await page.getByTestId('alerts-whatsapp-warning').textContent()).toContain('Never make it the only channel for life-safety alarms');
    const channels = (await host.api<ChannelStatus[]>('GET', '/api/alerts/channels')).body;
    expect(channels.find((c) => c.kind === 'whatsapp')).toMatchObject({ state: 'needs-link', linkedAs: null });
    expect(await page.getByTestId('alerts-channel-webhook').getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('alerts-channel-desktop').getAttribute('data-state')).toBe('ready');

    // A webhook with credentials in its URL is refused with the reason, and nothing is stored.
    await page.getByTestId('alerts-add-webhook').click();
    const form = page.getByTestId('alerts-add-recipient');
    await form.getByTestId('alerts-recipient-name').fill('Alarm centre');
    await form.getByTestId('alerts-recipient-address').fill('http://guard:hunter2@127.0.0.1:9/hook');
    await form.getByTestId('alerts-recipient-submit').click();
    const refused = page.getByTestId('alerts-add-error');
    await expect.poll(() => refused.getAttribute('data-code'), { timeout: 10_000 }).toBe('ALERT_WEBHOOK_URL_INVALID');
    expect(await refused.textContent()).toContain(ALERT_REASONS.ALERT_WEBHOOK_URL_INVALID);
    // A scheme other than http(s) is refused the same way.
    await form.getByTestId('alerts-recipient-address').fill('ftp://127.0.0.1/hook');
    await form.getByTestId('alerts-recipient-submit').click();
    await expect.poll(() => refused.textContent()).toContain(ALERT_REASONS.ALERT_WEBHOOK_URL_INVALID);
    expect(await refused.getAttribute('data-code')).toBe('ALERT_WEBHOOK_URL_INVALID');
    expect((await host.api<Recipient[]>('GET', '/api/alerts/recipients')).body).toEqual([]);

    // The real receiver's address: added, the form closes and the recipient is listed.
    await form.getByTestId('alerts-recipient-address').fill(receiver.url);
    await form.getByTestId('alerts-recipient-submit').click();
    await expect.poll(() => page.getByTestId('alerts-add-recipient').count(), { timeout: 10_000 }).toBe(0);
    const listed = page.locator('[data-testid="alerts-recipient"][data-channel="webhook"]');
    await expect.poll(() => listed.count()).toBe(1);
    const stored = (await host.api<Recipient[]>('GET', '/api/alerts/recipients')).body;
    expect(stored).toHaveLength(1);
    recipient = stored[0]!;
    expect(recipient).toMatchObject({ channel: 'webhook', address: receiver.url, name: 'Alarm centre', enabled: true, hasSecret: false });
    expect(await listed.getAttribute('data-recipient-id')).toBe(recipient.id);

    // A policy to the webhook and this workstation's banner, through the policy form.
    await page.getByTestId('alerts-add-policy').click();
    const policyForm = page.getByTestId('alerts-policy-form');
    await policyForm.getByTestId('alerts-policy-name').fill('Control room');
    // A new policy starts with the desktop channel ticked.
    expect(await policyForm.getByTestId('alerts-policy-channel-desktop').isChecked()).toBe(true);
    await policyForm.getByTestId('alerts-policy-channel-webhook').check();
    await policyForm.locator(`[data-testid="alerts-policy-recipient"][data-recipient-id="${recipient.id}"]`).check();
    await policyForm.getByTestId('alerts-policy-save').click();
    await expect.poll(() => page.getByTestId('alerts-policy-form').count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByTestId('alerts-policy-error').count()).toBe(0);
    await expect.poll(() => page.getByTestId('alerts-policy').count()).toBe(1);
    const settings = (await host.api<AlertSettings>('GET', '/api/alerts/settings')).body;
    expect(settings.policies).toHaveLength(1);
    expect(settings.policies[0]).toMatchObject({ name: 'Control room', enabled: true, recipientIds: [recipient.id], minSeverity: 'low', ruleTypes: [], cameraIds: [] });
    expect([...settings.policies[0]!.channels].sort()).toEqual(['desktop', 'webhook']);
    expect(receiver.posts).toEqual([]);
  });

  it('sends a test alert to the webhook and the in-app banner, and logs both deliveries', async () => {
    await page.getByTestId('alerts-test-send').click();

    // The receiver gets one POST, with the alert's idempotency key in a header and the body.
    const post = await until('the test alert at the receiver', () => receiver.posts.find((p) => p.event === 'alert.test'), 15_000);
    expect(post.key).toMatch(/^[0-9a-f]{64}$/);
    expect(post.body).toMatchObject({ event: 'alert.test', kind: 'test', site: 'Vigil site', idempotencyKey: post.key, alertId: post.alertId });
    expect(String(post.body.text)).toContain('Test alert from Vigil at Vigil site');
    expect(post.signature).toBeUndefined(); // no secret set

    // The banner over the app.
    const banner = page.locator('[data-testid="alert-banner"][data-kind="test"]');
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(1);
    expect(await banner.locator('.alert-banner-title').textContent()).toBe('Test alert · Vigil site');

    // The delivery log: delivered to the webhook (2xx), sent as a banner (no one can confirm a look).
    const tests = await until('both test deliveries settled', async () => {
      const list = (await deliveries()).filter((d) => d.kind === 'test');
      return list.length === 2 && list.every((d) => d.state === 'delivered' || d.state === 'sent') ? list : null;
    }, 15_000);
    const webhook = tests.find((d) => d.channel === 'webhook')!;
    const desktop = tests.find((d) => d.channel === 'desktop')!;
    expect(webhook).toMatchObject({ state: 'delivered', recipientId: recipient.id, idempotencyKey: post.key, attempts: 1, reason: null });
    expect(desktop.state).toBe('sent');
    await expect.poll(() => row(webhook).getAttribute('data-state'), { timeout: 10_000 }).toBe('delivered');
    await expect.poll(() => row(desktop).getAttribute('data-state'), { timeout: 10_000 }).toBe('sent');
    expect(await row(webhook).getByTestId('alerts-delivery-state').textContent()).toBe('Delivered');
    expect(await row(desktop).getByTestId('alerts-delivery-state').textContent()).toBe('Sent');
    expect(await row(webhook).textContent()).toContain('Webhook to Alarm centre');
    expect(receiver.posts.filter((p) => p.event === 'alert.test')).toHaveLength(1);
    await page.screenshot({ path: 'test-results/alerts-test-send.png' });
  });

  it('alerts the webhook and the banner when a rule on a camera raises an incident', async () => {
    // People walk in the lower half of the demo clip all the time.
    const rules: RuleSet = {
      zones: [{ id: 'walkway', cameraId, name: 'Walkway', kind: 'zone', polygon: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] }],
      lines: [],
      rules: [{ id: 'people', cameraId, name: 'People on the walkway', type: 'presence', classes: ['person'], zoneId: 'walkway', minScore: 0.4, minDurationMs: 0, severity: 'high', enabled: true, schedule: [], timeZone: 'UTC' }],
    };
    const put = await host.api('PUT', `/api/cameras/${cameraId}/rules`, rules);
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    const post: ReceivedPost = await until('the incident alert at the receiver', () => receiver.posts.find((p) => p.event === 'alert.incident'), 60_000);
    const subject = post.body.subject as Record<string, unknown>;
    const incidentId = String(subject.incidentId);
    expect(subject).toMatchObject({ cameraId, cameraName: 'Plaza', ruleId: 'people', ruleName: 'People on the walkway', type: 'presence', zone: 'Walkway', label: 'person' });
    expect(post.body).toMatchObject({ kind: 'incident', severity: 'high', idempotencyKey: post.key, policy: { name: 'Control room' }, acknowledge: `ACK ${incidentId.slice(0, 8)}` });
    const text = String(post.body.text);
    expect(text).toContain('HIGH alert at Vigil site');
    expect(text).toContain('Camera: Plaza');
    expect(text).toContain('Rule: People on the walkway (presence)');
    expect(text).toContain('Zone: Walkway');
    expect(text).toMatch(/Objects: person \d+ %/);
    expect(post.key).toMatch(/^[0-9a-f]{64}$/);
    // The incident it names is real, on that camera, from that rule.
    const incident = await host.api<Incident>('GET', `/api/incidents/${incidentId}`);
    expect(incident.status).toBe(200);
    expect(incident.body).toMatchObject({ id: incidentId, cameraId, ruleId: 'people', label: 'person' });

    // The banner names the camera and the rule; high severity stays until dismissed.
    const banner = page.locator(`[data-testid="alert-banner"][data-kind="incident"]`).first();
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(1);
    expect(await banner.getAttribute('data-severity')).toBe('high');
    expect(await banner.locator('.alert-banner-title').textContent()).toBe('HIGH · Plaza · People on the walkway');
    expect(await banner.locator('.alert-banner-text').textContent()).toContain('Camera: Plaza');

    // Both deliveries of that incident in the log.
    const ofIncident = await until('the incident deliveries settled', async () => {
      const list = (await deliveries()).filter((d) => d.incidentId === incidentId && d.kind === 'incident');
      return list.length === 2 && list.every((d) => d.state === 'delivered' || d.state === 'sent') ? list : null;
    }, 15_000);
    const webhook = ofIncident.find((d) => d.channel === 'webhook')!;
    expect(webhook).toMatchObject({ state: 'delivered', idempotencyKey: post.key, recipientId: recipient.id });
    expect(ofIncident.find((d) => d.channel === 'desktop')!.state).toBe('sent');
    await expect.poll(() => row(webhook).getAttribute('data-state'), { timeout: 10_000 }).toBe('delivered');
    expect(await row(webhook).textContent()).toContain('HIGH · Plaza · People on the walkway');
    // One first alert per incident and recipient: the key never arrives twice.
    expect(receiver.posts.filter((p) => p.key === post.key)).toHaveLength(1);
    await page.screenshot({ path: 'test-results/alerts-incident.png' });
    expect(pageErrors).toEqual([]);
  });
});
