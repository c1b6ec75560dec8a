// Tables of the alerts feature, applied as one numbered migration (store/migrations.ts). The
// alert settings (site name, policies) live in the engine's `settings` table as one JSON value.
export const ALERTS_SCHEMA = `
  CREATE TABLE alert_recipients (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    -- Normalized: a JID for WhatsApp, the URL for a webhook.
    address TEXT NOT NULL,
    name TEXT NOT NULL,
    groups_json TEXT NOT NULL DEFAULT '[]',
    may_acknowledge INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1,
    -- A webhook's HMAC signing secret, sealed (secrets/secret-box.ts).
    secret_sealed TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (channel, address)
  );

  -- The outbox: every alert to every recipient, stored before anything is sent. A row's
  -- idempotency key goes with every attempt, so a receiver can drop a repeat after a crash.
  CREATE TABLE alert_outbox (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    incident_id TEXT,
    policy_id TEXT,
    camera_id TEXT,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    -- 0 low .. 3 critical: a backlog is worked off most severe first.
    severity_rank INTEGER NOT NULL,
    -- Null for a suppressed alert, which went to nobody.
    channel TEXT,
    recipient_id TEXT,
    recipient_name TEXT,
    address TEXT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'expired', 'suppressed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    expires_at INTEGER NOT NULL,
    reason TEXT,
    message TEXT,
    provider_id TEXT,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    sent_at INTEGER,
    delivered_at INTEGER
  );
  -- What each channel's dispatcher claims: its queued rows, most severe and oldest first
  -- (walked in order, so a backlog of thousands is never sorted per claim).
  CREATE INDEX alert_outbox_queue ON alert_outbox (channel, severity_rank DESC, created_at) WHERE state = 'queued';
  -- When a channel's next queued row is due.
  CREATE INDEX alert_outbox_due ON alert_outbox (channel, next_attempt_at) WHERE state = 'queued';
  CREATE INDEX alert_outbox_sending ON alert_outbox (state) WHERE state = 'sending';
  CREATE INDEX alert_outbox_created ON alert_outbox (created_at, id);
  CREATE INDEX alert_outbox_incident ON alert_outbox (incident_id);
  -- A quoted WhatsApp reply names the message it answers by the provider's id.
  CREATE INDEX alert_outbox_provider ON alert_outbox (provider_id) WHERE provider_id IS NOT NULL;

  -- The policy's memory of each subject (an incident, or a camera down without a rule) per
  -- policy: whether it was alerted, which updates went out, when it escalates. Escalations
  -- are due from these rows, so they survive a restart.
  CREATE TABLE alert_subjects (
    subject_key TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    incident_id TEXT,
    camera_id TEXT NOT NULL,
    type TEXT NOT NULL,
    alerted INTEGER NOT NULL,
    suppressed_reason TEXT,
    raised_at INTEGER NOT NULL,
    acknowledged_told INTEGER NOT NULL DEFAULT 0,
    ended_told INTEGER NOT NULL DEFAULT 0,
    escalate_at INTEGER,
    escalated_at INTEGER,
    PRIMARY KEY (subject_key, policy_id)
  );
  CREATE INDEX alert_subjects_escalate ON alert_subjects (escalate_at) WHERE escalate_at IS NOT NULL;

  -- Cooldown and digest per policy, camera and rule type.
  CREATE TABLE alert_throttle (
    throttle_key TEXT PRIMARY KEY,
    policy_id TEXT NOT NULL,
    camera_id TEXT NOT NULL,
    camera_name TEXT NOT NULL,
    type TEXT NOT NULL,
    last_alert_at INTEGER,
    digest_count INTEGER NOT NULL DEFAULT 0,
    digest_since INTEGER,
    digest_due_at INTEGER,
    -- Rule names of the held-back alerts, for the digest's text.
    digest_rules_json TEXT NOT NULL DEFAULT '[]',
    digest_severity TEXT
  );
  CREATE INDEX alert_throttle_digest ON alert_throttle (digest_due_at) WHERE digest_due_at IS NOT NULL;

  -- Alerts a policy sent in the last hour (its maximum per hour); older rows are pruned.
  CREATE TABLE alert_rate (
    id INTEGER PRIMARY KEY,
    policy_id TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX alert_rate_policy ON alert_rate (policy_id, at);
`;
