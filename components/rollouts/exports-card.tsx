import { Card, CardBody, CardHeader } from "../ui/card";

const FILES = [
  { file: "alert-rules.yaml", label: "Prometheus alert rules", hint: "mirrors the gates; passes promtool check rules" },
  { file: "grafana-dashboard.json", label: "Grafana dashboard", hint: "old vs new, per arm" },
  { file: "playbook.md", label: "Rollback playbook", hint: "what to do, who to tell" },
  { file: "postmortem.md", label: "Post-mortem draft", hint: "timeline, impact, trigger, follow-ups" },
] as const;

/** Downloads generated from this rollout's gates, audit trail and metrics. */
export function ExportsCard({ rolloutId }: { rolloutId: string }) {
  return (
    <Card data-testid="rollout-exports">
      <CardHeader title="Exports" description="Generated from this rollout's gates, audit trail and metrics." />
      <CardBody flush>
        <ul className="list">
          {FILES.map((f) => (
            <li key={f.file} className="list-item">
              <div>
                <a className="link" href={`/api/v1/rollouts/${encodeURIComponent(rolloutId)}/exports/${f.file}`} download>
                  {f.label}
                </a>
                <div className="muted small">{f.hint}</div>
              </div>
            </li>
          ))}
        </ul>
      </CardBody>
    </Card>
  );
}
