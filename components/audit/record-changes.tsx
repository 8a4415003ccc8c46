import { diffRecords, type FieldChange } from "@/lib/domain/audit/diff-records";
import type { JsonValue } from "@/lib/client/types";
import { Badge, type BadgeTone } from "../ui/badge";

const KIND: Record<FieldChange["kind"], { label: string; tone: BadgeTone }> = {
  added: { label: "added", tone: "success" },
  removed: { label: "removed", tone: "danger" },
  changed: { label: "changed", tone: "warning" },
};

/** A value as it is stored: strings quoted, so `"5"` and `5` read differently. */
function Value({ value }: { value: JsonValue }) {
  return <code className="diff-value">{JSON.stringify(value, null, typeof value === "object" && value !== null ? 2 : undefined)}</code>;
}

/** What one audit record changed, field by field (secrets stay redacted as they were stored). */
export function RecordChanges({ before, after }: { before: JsonValue | null; after: JsonValue | null }) {
  const changes = diffRecords(before, after);
  if (changes.length === 0) {
    return <p className="muted small">{before === null && after === null ? "This record stores no document." : "No field changed."}</p>;
  }
  return (
    <ul className="diff-list" aria-label="Changed fields" data-testid="record-changes">
      {changes.map((c) => (
        <li key={c.path} className={`diff-item diff-${c.kind}`}>
          <span className="diff-head">
            <Badge tone={KIND[c.kind].tone}>{KIND[c.kind].label}</Badge>
            <code className="diff-path">{c.path}</code>
          </span>
          <span className="diff-values">
            {c.kind !== "added" && (
              <span className="diff-side">
                <span className="diff-side-label">before</span>
                <Value value={c.before} />
              </span>
            )}
            {c.kind !== "removed" && (
              <span className="diff-side">
                <span className="diff-side-label">after</span>
                <Value value={c.after} />
              </span>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
