// Rules contract: the zones, lines and rules an operator draws on a camera's picture, which
// the engine's rule evaluator turns into incident triggers. Everything geometric is in 0-1
// picture coordinates (x to the right, y down, the same as CameraOptions.motionMasks), so a
// zone drawn on the main stream applies unchanged to the smaller detect stream.
import { z } from 'zod';

/** Ids are UUIDs or slugs; the limit keeps them usable as keys and in URLs. */
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "-" and "_", 1-64 of them');
const name = z.string().trim().min(1).max(80);
const unit = z.number().min(0).max(1);
export const PicturePointSchema = z.tuple([unit, unit]);
export type PicturePoint = z.infer<typeof PicturePointSchema>;

/** A day is long enough for any duration a rule can sensibly wait for. */
const DAY_MS = 24 * 60 * 60 * 1000;
const durationMs = z.number().int().min(0).max(DAY_MS);

export const ZoneSchema = z.strictObject({
  id,
  cameraId: id,
  name,
  /** 'mask': objects standing inside are ignored by every rule of the camera (a public road, a TV screen). */
  kind: z.enum(['zone', 'mask']),
  polygon: z.array(PicturePointSchema).min(3).max(64),
});
export type Zone = z.infer<typeof ZoneSchema>;

/**
 * Which way across a line counts. Side 'a' is on the left of the segment walked from
 * points[0] to points[1] as seen on screen: for a line drawn left to right, 'a' is above it;
 * for one drawn top to bottom, 'a' is to the right of it.
 */
export const CrossingDirectionSchema = z.enum(['a-to-b', 'b-to-a', 'both']);
export type CrossingDirection = z.infer<typeof CrossingDirectionSchema>;

export const LineSchema = z
  .strictObject({
    id,
    cameraId: id,
    name,
    points: z.tuple([PicturePointSchema, PicturePointSchema]),
    /** The direction the line was drawn for (the UI's arrow); a rule may override it. */
    direction: CrossingDirectionSchema,
  })
  .refine(({ points: [[x1, y1], [x2, y2]] }) => Math.hypot(x2 - x1, y2 - y1) >= 0.01, {
    message: 'the two ends of a line must be apart (at least 1 % of the picture)',
    path: ['points'],
  });
export type Line = z.infer<typeof LineSchema>;

/** 'HH:MM' on a 24-hour clock; `to` may also be '24:00', the end of the day. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00 to 23:59');
const clockEnd = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM, 00:00 to 24:00');

/** Minutes since local midnight of an 'HH:MM' accepted by the schema. */
export function clockMinutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/**
 * One weekly window in which a rule is armed, in the rule's time zone, on local wall-clock
 * time. `days` are the days the window starts on (0 = Sunday, as Date.getDay); when `to` is
 * earlier than `from` the window runs past midnight into the next day (Fri 22:00-06:00 ends
 * on Saturday morning).
 */
export const ScheduleWindowSchema = z
  .strictObject({
    days: z
      .array(z.number().int().min(0).max(6))
      .min(1)
      .max(7)
      .refine((days) => new Set(days).size === days.length, 'days repeat'),
    from: clockTime,
    to: clockEnd,
  })
  .refine((w) => clockMinutes(w.from) !== clockMinutes(w.to), {
    message: 'from and to are the same time; use 00:00 to 24:00 for a whole day',
    path: ['to'],
  });
export type ScheduleWindow = z.infer<typeof ScheduleWindowSchema>;

const validZones = new Map<string, boolean>();
/** True for a time zone this runtime's Intl knows (IANA names such as 'Europe/London', and 'UTC'). */
export function isKnownTimeZone(timeZone: string): boolean {
  let known = validZones.get(timeZone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      known = true;
    } catch {
      known = false;
    }
    if (validZones.size < 1000) validZones.set(timeZone, known);
  }
  return known;
}

export const TimeZoneSchema = z.string().min(1).max(64).refine(isKnownTimeZone, 'unknown time zone');

export const SeveritySchema = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;

/** Detector labels ('person', 'car'); at least one, so a rule never silently matches everything. */
const classes = z
  .array(z.string().trim().min(1).max(40))
  .min(1)
  .max(32)
  .refine((labels) => new Set(labels).size === labels.length, 'classes repeat');

const common = {
  id,
  name,
  cameraId: id,
  severity: SeveritySchema,
  enabled: z.boolean(),
  /** When the rule is armed; empty means always. */
  schedule: z.array(ScheduleWindowSchema).max(28),
  /** The zone the schedule's wall-clock times are read in, e.g. 'Europe/London'. */
  timeZone: TimeZoneSchema,
};

export const PresenceRuleSchema = z.strictObject({
  ...common,
  type: z.literal('presence'),
  classes,
  zoneId: id,
  /** Detections less sure than this do not count. */
  minScore: unit,
  /** How long an object must be in the zone before it is an incident; 0 for at once. */
  minDurationMs: durationMs,
});

export const LoiteringRuleSchema = z.strictObject({
  ...common,
  type: z.literal('loitering'),
  classes,
  zoneId: id,
  /** Time in the zone, from when the object entered, that counts as loitering (1 s to a day). */
  dwellMs: durationMs.min(1000),
});

export const LineCrossingRuleSchema = z.strictObject({
  ...common,
  type: z.literal('line-crossing'),
  classes,
  lineId: id,
  /** Overrides the line's own direction; absent means the line's. */
  direction: CrossingDirectionSchema.optional(),
});

export const CountRuleSchema = z.strictObject({
  ...common,
  type: z.literal('count'),
  classes,
  zoneId: id,
  atLeast: z.number().int().min(1).max(1000),
  minDurationMs: durationMs,
});

export const CameraOfflineRuleSchema = z.strictObject({
  ...common,
  type: z.literal('camera-offline'),
  /** How long the camera may be down before it is an incident (a reconnect takes seconds). */
  afterMs: durationMs.min(1000),
});

export const ClassifierRuleSchema = z.strictObject({
  ...common,
  type: z.literal('classifier'),
  /** Scores for this zone's crop; absent means scores for the whole picture. */
  zoneId: id.optional(),
  /** The clip classifier's label, e.g. 'violence'. */
  label: z.string().trim().min(1).max(40),
  threshold: unit,
  minDurationMs: durationMs,
});

export const RuleSchema = z.discriminatedUnion('type', [
  PresenceRuleSchema,
  LoiteringRuleSchema,
  LineCrossingRuleSchema,
  CountRuleSchema,
  CameraOfflineRuleSchema,
  ClassifierRuleSchema,
]);
export type Rule = z.infer<typeof RuleSchema>;
export type RuleType = Rule['type'];
export type PresenceRule = z.infer<typeof PresenceRuleSchema>;
export type LoiteringRule = z.infer<typeof LoiteringRuleSchema>;
export type LineCrossingRule = z.infer<typeof LineCrossingRuleSchema>;
export type CountRule = z.infer<typeof CountRuleSchema>;
export type CameraOfflineRule = z.infer<typeof CameraOfflineRuleSchema>;
export type ClassifierRule = z.infer<typeof ClassifierRuleSchema>;

/**
 * A whole configuration (all cameras, or one), checked as a unit: ids are unique, and every
 * rule names a zone (not a mask) or line of its own camera.
 */
export const RuleSetSchema = z
  .strictObject({
    zones: z.array(ZoneSchema).max(1000),
    lines: z.array(LineSchema).max(1000),
    rules: z.array(RuleSchema).max(2000),
  })
  .superRefine((set, ctx) => {
    const repeated = (items: { id: string }[], key: 'zones' | 'lines' | 'rules') => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', message: `id ${item.id} repeats`, path: [key, index, 'id'] });
        seen.add(item.id);
      });
    };
    repeated(set.zones, 'zones');
    repeated(set.lines, 'lines');
    repeated(set.rules, 'rules');
    set.rules.forEach((rule, index) => {
      const problem = ruleReferenceProblem(rule, set.zones, set.lines);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['rules', index] });
    });
  });
export type RuleSet = z.infer<typeof RuleSetSchema>;

/** Why a rule's zone or line reference cannot be used, or null when it can. */
export function ruleReferenceProblem(rule: Rule, zones: readonly Zone[], lines: readonly Line[]): string | null {
  if (rule.type === 'line-crossing') {
    const line = lines.find((l) => l.id === rule.lineId);
    if (!line) return `line ${rule.lineId} does not exist`;
    if (line.cameraId !== rule.cameraId) return `line ${rule.lineId} belongs to another camera`;
    return null;
  }
  if (rule.type === 'camera-offline' || rule.zoneId === undefined) return null;
  const zone = zones.find((z) => z.id === rule.zoneId);
  if (!zone) return `zone ${rule.zoneId} does not exist`;
  if (zone.cameraId !== rule.cameraId) return `zone ${rule.zoneId} belongs to another camera`;
  if (zone.kind === 'mask') return `zone ${rule.zoneId} is a mask: nothing inside it is watched`;
  return null;
}
