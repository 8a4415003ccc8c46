import { unknownApiEndpoint } from "@/lib/server/http/problem";

/** Any /api path that no route file claims answers problem+json 404, for every method, not the HTML page. */
export const GET = unknownApiEndpoint;
export const HEAD = unknownApiEndpoint;
export const POST = unknownApiEndpoint;
export const PUT = unknownApiEndpoint;
export const PATCH = unknownApiEndpoint;
export const DELETE = unknownApiEndpoint;
