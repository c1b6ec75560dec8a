// `/api/cameras/:id/rules`: a camera's zones, lines and rules, read and replaced as a whole.
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { RuleSetSchema, ruleReferenceProblem, type RuleSet } from '../../../shared/rules';
import { describeReason } from '../../../shared/reasons';
import { EngineError } from '../engine-error';
import type { IncidentService } from '../incidents/incident-service';
import type { RouteResult } from './camera-routes';
import { readJson, validate } from './request-body';

// The set's fields without its cross-checks: references are checked below so that a rule
// naming another camera's zone gets RULE_REFERENCE_INVALID, not a generic validation failure.
const RuleSetFields = z.strictObject(RuleSetSchema.shape);

export async function ruleRoutes(incidents: IncidentService, req: IncomingMessage, pathname: string): Promise<RouteResult | 'method' | null> {
  const match = /^\/api\/cameras\/([A-Za-z0-9-]{1,64})\/rules$/.exec(pathname);
  if (!match) return null;
  const cameraId = match[1]!;
  if (req.method === 'GET') return { status: 200, body: incidents.rules(cameraId) };
  if (req.method !== 'PUT') return 'method';
  // An unknown camera is a 404 whatever the body says.
  incidents.requireCamera(cameraId);
  const fields = validate(RuleSetFields, await readJson(req));
  checkReferences(cameraId, fields);
  // Whatever the full schema still finds (ids that repeat) is a plain validation failure.
  const set = validate(RuleSetSchema, fields);
  return { status: 200, body: incidents.putRules(cameraId, set) };
}

/** Every zone, line and rule belongs to this camera, and every rule's zone or line exists here. */
function checkReferences(cameraId: string, set: RuleSet): void {
  const issues: { path: string; code: string; message: string }[] = [];
  const own = (key: 'zones' | 'lines' | 'rules', items: readonly { cameraId: string }[]) =>
    items.forEach((item, index) => {
      if (item.cameraId !== cameraId) issues.push({ path: `${key}.${index}.cameraId`, code: 'RULE_REFERENCE_INVALID', message: `belongs to camera ${item.cameraId}, not ${cameraId}` });
    });
  own('zones', set.zones);
  own('lines', set.lines);
  own('rules', set.rules);
  set.rules.forEach((rule, index) => {
    const problem = ruleReferenceProblem(rule, set.zones, set.lines);
    if (problem) issues.push({ path: `rules.${index}`, code: 'RULE_REFERENCE_INVALID', message: problem });
  });
  if (issues.length) throw new EngineError('RULE_REFERENCE_INVALID', `${describeReason('RULE_REFERENCE_INVALID')} ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, 400, issues);
}
