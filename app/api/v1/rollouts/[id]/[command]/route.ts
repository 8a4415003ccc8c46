import { route } from "@/lib/server/http/route";
import { readTextLimited } from "@/lib/server/http/body";
import { zodProblem } from "@/lib/server/http/zod-problem";
import { getEnv } from "@/lib/env";
import { DomainError } from "@/lib/domain/errors";
import { rolloutCommandBodySchema, rolloutCommandParamsSchema, type RolloutCommandBody } from "@/lib/schemas/rollouts";
import { getRollout, runRolloutCommand } from "@/lib/server/services/rollouts";

/**
 * POST /api/v1/rollouts/{id}/{command} with an optional JSON body {comment?, expectedVersion?}.
 * The route only needs a signed-in caller (or a manage key); the service checks the command's
 * own permission (approve/reject: reviewer, skip_analysis: admin, the rest: operator).
 */
export const POST = route({
  permission: "dashboard.read",
  apiKeys: true,
  params: rolloutCommandParamsSchema,
  handler: async ({ actor, params, request, requestId }) => {
    const body = await optionalBody(request);
    const result = await runRolloutCommand(actor, { rolloutId: params.id, command: params.command, comment: body.comment, expectedVersion: body.expectedVersion }, { requestId });
    return { ...result, rollout: await getRollout(actor, params.id) };
  },
});

/** An empty body means no comment and no version check, so `curl -X POST …/pause` works. */
async function optionalBody(request: Request): Promise<RolloutCommandBody> {
  const text = await readTextLimited(request, getEnv().ROLLGATE_MAX_BODY_BYTES);
  if (text.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DomainError("invalid_input", `Request body is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = rolloutCommandBodySchema.safeParse(json);
  if (!parsed.success) throw zodProblem(parsed.error, "body");
  return parsed.data;
}
