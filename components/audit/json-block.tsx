import type { JsonValue } from "@/lib/client/types";

/** Pretty-printed JSON with a caption; says "none" rather than printing `null`. */
export function JsonBlock({ label, value }: { label: string; value: JsonValue | null | undefined }) {
  const empty = value === null || value === undefined || (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);
  return (
    <figure className="json-block">
      <figcaption>{label}</figcaption>
      {empty ? <p className="muted small">none</p> : <pre>{JSON.stringify(value, null, 2)}</pre>}
    </figure>
  );
}
