/** Flag use cases, one per file (the HTTP contract: docs/api-management.md). */
import "server-only";

export { listFlags, type ListFlagsFilter } from "./list-flags";
export { flagExists, getFlag } from "./get-flag";
export { createFlag } from "./create-flag";
export { updateFlag } from "./update-flag";
export { archiveFlag } from "./archive-flag";
export { setKillSwitch } from "./set-kill-switch";
export { testEvaluateFlag, type FlagTestResult } from "./test-evaluate-flag";
export type { FlagContext } from "./flag-records";
export type { FlagActiveRollout, FlagView } from "./flag-view";
export { createFlagInTx } from "./create-flag";
export { updateFlagInTx, type DocumentField } from "./update-flag";
export { archiveFlagInTx } from "./archive-flag";
