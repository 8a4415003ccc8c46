/** Version tokens of resources that have no version column: a digest of their content. */
import { createHash } from "node:crypto";
import { canonicalJson, type JsonValue } from "../audit/chain";

export function contentVersion(content: JsonValue): string {
  return createHash("sha256").update(canonicalJson(content)).digest("hex").slice(0, 16);
}
