import { Badge, type BadgeTone } from "../ui/badge";

/** Colour an action by its verb so failures and destructive changes stand out in a list. */
export function actionTone(action: string): BadgeTone {
  if (/(failed|blocked|rollback|rolled_back|deactivate|revoke|kill|reject|abort|delete)/.test(action)) return "danger";
  if (/(create|reactivate|approve|promote|complete)/.test(action)) return "success";
  if (/(update|pause|change|edit)/.test(action)) return "warning";
  if (action.startsWith("auth.")) return "neutral";
  return "info";
}

/** The action identifier exactly as recorded (`rollout.transition`), in code type. */
export function ActionBadge({ action }: { action: string }) {
  return (
    <Badge tone={actionTone(action)} mono>
      <code className="action-id">{action}</code>
    </Badge>
  );
}
