import { z } from "zod";
import { idParamsSchema } from "@/lib/schemas/common";
import { EXPORT_FILES, buildRolloutExport } from "@/lib/server/services/gates/exports";
import { route } from "@/lib/server/http/route";

/**
 * GET /api/v1/rollouts/{id}/exports/{file}: alert-rules.yaml (Prometheus alerting rules mirroring
 * the gates), grafana-dashboard.json (old-vs-new dashboard), playbook.md (rollback playbook),
 * postmortem.md (draft from the audit trail, gate results and metrics). Served as attachments.
 */
export const GET = route({
  permission: "dashboard.read",
  apiKeys: true,
  params: idParamsSchema.extend({ file: z.enum(EXPORT_FILES) }),
  handler: async ({ actor, params, requestId }) => {
    const out = await buildRolloutExport(actor, params.id, params.file);
    return new Response(out.body, {
      status: 200,
      headers: {
        "content-type": out.contentType,
        "content-disposition": `attachment; filename="${out.filename}"`,
        "cache-control": "no-store",
        "x-request-id": requestId,
      },
    });
  },
});
