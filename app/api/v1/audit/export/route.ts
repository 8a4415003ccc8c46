import { route } from "@/lib/server/http/route";
import { auditExportQuerySchema } from "@/lib/schemas/audit";
import { csvHeader, csvRow, iterateAudit } from "@/lib/server/services/audit";

/**
 * Streams the matching records oldest first, as CSV or a JSON array. The query is validated and
 * the first page read before the 200 is sent, so a bad filter or an unreachable database is a
 * problem+json answer rather than a stream cut after its first bytes.
 */
export const GET = route({
  permission: "audit.read",
  query: auditExportQuerySchema,
  handler: async ({ query }) => {
    const { format, ...filters } = query;
    const encoder = new TextEncoder();
    const records = iterateAudit(filters);
    let next = await records.next();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode(format === "csv" ? csvHeader() : "["));
        let first = true;
        for (; !next.done; next = await records.next()) {
          const r = next.value;
          controller.enqueue(encoder.encode(format === "csv" ? csvRow(r) : `${first ? "" : ","}\n${JSON.stringify(r)}`));
          first = false;
        }
        if (format === "json") controller.enqueue(encoder.encode("\n]\n"));
        controller.close();
      },
    });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    return new Response(stream, {
      headers: {
        "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json",
        "content-disposition": `attachment; filename="rollgate-audit-${stamp}.${format}"`,
      },
    });
  },
});
