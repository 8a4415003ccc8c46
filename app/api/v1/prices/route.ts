/**
 * The model price table: GET (anyone who can read the dashboard), PUT replaces the whole table
 * (admins: price.manage; audited as `price.update`).
 */
import { modelPricesBodySchema } from "@/lib/schemas/prices";
import { route } from "@/lib/server/http/route";
import { listPrices, replacePrices } from "@/lib/server/services/metrics/prices";

export const GET = route({
  permission: "dashboard.read",
  handler: async () => ({ prices: await listPrices() }),
});

export const PUT = route({
  permission: "price.manage",
  body: modelPricesBodySchema,
  handler: async ({ actor, body, requestId }) => ({ prices: await replacePrices(actor, body.prices, { requestId }) }),
});
