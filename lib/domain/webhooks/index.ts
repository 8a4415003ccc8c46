/** Public API of the webhook domain: events, payloads (with Slack text), signatures, retry schedule. */
export * from "./events";
export * from "./payload";
export * from "./signature";
export * from "./backoff";
export * from "./target";
