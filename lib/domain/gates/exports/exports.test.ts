import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { exportFixture } from "./fixtures";
import { grafanaDashboard } from "./grafana-dashboard";
import { postmortemDraft, rollbackPlaybook } from "./markdown";
import { alertName, prometheusAlertRules } from "./prometheus-rules";

interface RuleFile {
  groups: { name: string; interval: string; rules: { alert: string; expr: string; for: string; labels: Record<string, string>; annotations: Record<string, string> }[] }[];
}

describe("prometheusAlertRules", () => {
  const text = prometheusAlertRules(exportFixture());
  const file = parse(text) as RuleFile;
  const rules = file.groups[0]!.rules;
  const byGate = (gate: string) => rules.find((r) => r.labels.gate === gate)!;

  test("one rule per mirrored gate plus four burn-rate rules per SLO", () => {
    expect(rules.map((r) => r.alert)).toEqual([
      "RollgateGateSuccessRate",
      "RollgateGateErrorRate",
      "RollgateGateP95Latency",
      "RollgateGateUpstream5xx",
      "RollgateSloBurnSupportAvailability1h",
      "RollgateSloBurnSupportAvailability6h",
      "RollgateSloBurnSupportAvailability1d",
      "RollgateSloBurnSupportAvailability3d",
    ]);
  });

  test("gates without Prometheus series are named in a comment, not silently dropped", () => {
    expect(text).toMatch(/# Not mirrored \(no Prometheus series for them\): sample ratio \(sample ratio\), quality \(quality score\)/);
  });

  test("critical gates page, others open a ticket", () => {
    expect(byGate("success rate").labels.severity).toBe("page");
    expect(byGate("p95 latency").labels.severity).toBe("ticket");
    expect(byGate("success rate").labels.rollout_id).toBe("9b2f4c1e-0000-4000-8000-000000000001");
  });

  test("expressions mirror the gate semantics", () => {
    const rid = 'rollout_id="9b2f4c1e-0000-4000-8000-000000000001"';
    expect(byGate("error rate").expr).toBe(
      `((sum(rate(rollgate_arm_outcomes_total{${rid},arm="treatment",outcome="error"}[10m])) or vector(0)) / sum(rate(rollgate_arm_outcomes_total{${rid},arm="treatment"}[10m]))) > 0.05` +
        ` and on() (sum(increase(rollgate_arm_outcomes_total{${rid},arm="treatment"}[10m])) >= 500)`,
    );
    expect(byGate("p95 latency").expr).toContain(") > 1.2 * (histogram_quantile(0.95");
    // not_worse with margin 0 uses the 1% minimum margin: treatment success < 0.99 × control
    expect(byGate("success rate").expr).toContain(") < 0.99 * (1 - ");
    expect(byGate("upstream 5xx").expr).toBe('(sum(rate(http_requests_total{code=~"5.."}[5m]))) >= 1');
  });

  test("burn-rate rules pair a long and a short window", () => {
    const page = rules.find((r) => r.alert === "RollgateSloBurnSupportAvailability1h")!;
    expect(page.expr).toBe('rollgate_slo_burn_rate{slo_id="slo-1",window="1h"} >= 14.4 and ignoring(window) rollgate_slo_burn_rate{slo_id="slo-1",window="5m"} >= 14.4');
    expect(page.labels.severity).toBe("page");
  });

  test.each([
    ["p95 latency", "P95Latency"],
    ["success-rate (main)", "SuccessRateMain"],
    ["!!!", "Unnamed"],
  ])("alertName(%s)", (name, suffix) => {
    expect(alertName("RollgateGate", name)).toBe(`RollgateGate${suffix}`);
  });
});

describe("grafanaDashboard", () => {
  const dash = grafanaDashboard(exportFixture()) as {
    panels: { id: number; title: string; targets: { expr: string; refId: string; legendFormat: string }[]; gridPos: { x: number; y: number } }[];
    uid: string;
    schemaVersion: number;
    __inputs: { name: string }[];
  };

  test("has uniquely numbered, non-overlapping panels comparing both arms", () => {
    expect(dash.schemaVersion).toBe(39);
    expect(dash.__inputs[0]!.name).toBe("DS_PROMETHEUS");
    const ids = dash.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = dash.panels.map((p) => `${p.gridPos.x},${p.gridPos.y}`);
    expect(new Set(cells).size).toBe(cells.length);
    const success = dash.panels.find((p) => p.title === "Success rate")!;
    expect(success.targets.map((t) => t.legendFormat)).toEqual(["control (gpt-4o)", "treatment (gpt-4.1)"]);
    expect(success.targets.map((t) => t.refId)).toEqual(["A", "B"]);
    expect(dash.panels.map((p) => p.title)).toContain("SLO error budget remaining");
    expect(dash.uid.length).toBeLessThanOrEqual(40);
  });

  test("survives a JSON round trip unchanged", () => {
    expect(JSON.parse(JSON.stringify(dash))).toEqual(dash);
  });
});

describe("markdown", () => {
  test("playbook names the rollback command, the critical gates and the verification", () => {
    const md = rollbackPlaybook(exportFixture());
    expect(md).toContain("# Rollback playbook: support-bot.model (production)");
    expect(md).toContain("curl -X POST http://127.0.0.1:3000/api/v1/rollouts/9b2f4c1e-0000-4000-8000-000000000001/rollback");
    expect(md).toContain("- stage 1: 'success rate': treatment success rate not significantly worse than control (min 100 samples) — critical");
    expect(md).toContain("Expect variant `gpt-4o` for every user.");
  });

  test("post-mortem has the timeline, the trigger, the impact and the detection time", () => {
    const md = postmortemDraft(exportFixture());
    expect(md).toContain("It ended **rolled back** at 2026-11-24 14:02:10 UTC, 52 min after it started.");
    expect(md).toContain("- 2026-11-24 14:02:10 UTC — Rollgate (automatic): Rolled back at 14:02 UTC");
    expect(md).toContain("The first failing gate was **'success rate'** (critical) at 2026-11-24 14:02:04 UTC in stage 2");
    // control error rate 1.1% → 11 expected failures of 1000; 82 observed → 71 extra
    expect(md).toContain("About **71 extra failed requests**");
    expect(md).toContain("**6 s**");
    expect(md).toContain("at most 5.0% of users on the treatment");
  });
});
