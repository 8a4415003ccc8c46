/** Config as code: export an environment as documents, and apply documents in one transaction. */
import "server-only";

export { exportConfig } from "./export-config";
export { applyConfig, type ApplyResult } from "./apply-config";
