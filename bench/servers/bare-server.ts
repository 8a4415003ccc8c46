/**
 * Benchmark reference: a bare node:http server answering every request with a fixed JSON body
 * (BENCH_BARE_BODY, the same bytes the evaluation endpoint returns) after reading the request.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { answerStatsRequests } from "./process-stats";

const body = Buffer.from(process.env.BENCH_BARE_BODY ?? '{"ok":true}');
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  process.send!({ type: "ready", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
answerStatsRequests();
process.on("message", (m: { type: string }) => {
  if (m.type === "stop") process.exit(0);
});
