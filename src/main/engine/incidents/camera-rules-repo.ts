// Each camera's rule set, stored whole: the API replaces it as a unit, and the evaluator is
// rebuilt from it as a unit, so there is nothing to gain from a row per zone or rule.
import { RuleSetSchema, type RuleSet } from '../../../shared/rules';
import type { Db } from '../store/database';

export const EMPTY_RULE_SET: RuleSet = { zones: [], lines: [], rules: [] };

export class CameraRulesRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  get(cameraId: string): RuleSet | null {
    const row = this.db.prepare('SELECT rule_set_json FROM camera_rules WHERE camera_id = ?').get(cameraId) as { rule_set_json: string } | undefined;
    // Parsed again so a set stored by an older version gets this version's defaults and checks.
    return row ? RuleSetSchema.parse(JSON.parse(row.rule_set_json)) : null;
  }

  /** Every camera's stored set. */
  all(): Map<string, RuleSet> {
    const rows = this.db.prepare('SELECT camera_id, rule_set_json FROM camera_rules').all() as { camera_id: string; rule_set_json: string }[];
    const sets = new Map<string, RuleSet>();
    for (const row of rows) {
      // A set this version cannot read stays stored (and visible to GET as an error) but is not run.
      const parsed = RuleSetSchema.safeParse(JSON.parse(row.rule_set_json));
      if (parsed.success) sets.set(row.camera_id, parsed.data);
    }
    return sets;
  }

  put(cameraId: string, set: RuleSet): void {
    this.db
      .prepare('INSERT INTO camera_rules (camera_id, rule_set_json, updated_at) VALUES (?, ?, ?) ON CONFLICT (camera_id) DO UPDATE SET rule_set_json = excluded.rule_set_json, updated_at = excluded.updated_at')
      .run(cameraId, JSON.stringify(set), this.now());
  }

  delete(cameraId: string): void {
    this.db.prepare('DELETE FROM camera_rules WHERE camera_id = ?').run(cameraId);
  }
}
