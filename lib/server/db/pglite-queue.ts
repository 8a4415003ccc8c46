/**
 * Keeps each connection's extended-query exchange together on the one PGlite session.
 *
 * `@electric-sql/pglite-socket` (0.2.17) queues protocol messages from all its connections onto
 * one PGlite session, one message at a time, and keeps a connection's turn only while a
 * transaction is open. Outside a transaction, a parameterized query is several messages (Parse,
 * Bind, Describe, Execute, Sync); another connection's Parse landing between them replaces the
 * session's unnamed statement and the first connection's Bind fails ("bind message supplies 4
 * parameters, but prepared statement "" requires 2") or, worse, runs the wrong statement. Seen
 * under the demo's concurrent traffic.
 *
 * The fix here: after a message from a connection, the queue serves only that connection until
 * it ends the exchange (Sync, a simple Query, Terminate) or disconnects, exactly like the
 * transaction rule. Applied by replacing the server's queue methods; `assertPatchable` fails
 * start-up loudly if a pglite-socket upgrade changed the internals this relies on.
 */
import "server-only";

/** Message types after which a connection's exchange is complete. */
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const PROTOCOL_3 = 196608;

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

interface SessionDb {
  isInTransaction(): boolean;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolRawStream(message: Uint8Array, opts: { onRawData: (data: Uint8Array) => void }): Promise<unknown>;
  exec(sql: string): Promise<unknown>;
}

/** The shape of pglite-socket's internal QueryQueueManager that this module replaces. */
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: SessionDb;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** True when `message` leaves its connection in the middle of an exchange. */
export function continuesExchange(message: Uint8Array): boolean {
  if (message.length >= 8) {
    const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
    // Startup, SSL and cancel requests start with a length, not a type byte.
    const code = view.getInt32(4);
    if (view.getInt32(0) === message.length && (code === PROTOCOL_3 || code === 80877103 || code === 80877102)) return false;
  }
  const type = message[0];
  return type !== SYNC && type !== QUERY && type !== TERMINATE;
}

function assertPatchable(queue: unknown): asserts queue is QueryQueue {
  const q = queue as Partial<QueryQueue> | undefined;
  if (!q || !Array.isArray(q.queue) || typeof q.processQueue !== "function" || typeof q.clearQueueForHandler !== "function" || !q.db) {
    throw new Error("@electric-sql/pglite-socket changed its internal query queue; lib/server/db/pglite-queue.ts needs updating");
  }
}

/** Replaces the queue logic of a PGLiteSocketServer (call before `start()`). */
export function keepExchangesTogether(server: unknown): void {
  const queue = (server as { queryQueue?: unknown }).queryQueue;
  assertPatchable(queue);
  let midExchange = false;

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const sticky = this.lastHandlerId !== null && (midExchange || this.db.isInTransaction());
        const index = sticky ? this.queue.findIndex((m) => m.handlerId === this.lastHandlerId) : 0;
        // The connection whose turn it is has not sent its next message yet: wait for it
        // (enqueue calls processQueue again).
        if (index === -1) break;
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          midExchange = false;
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        midExchange = continuesExchange(item.message);
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }.bind(queue);

  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    // A connection that went away mid-exchange must not hold the session's turn.
    if (queue.lastHandlerId === handlerId && midExchange) {
      midExchange = false;
      void queue.processQueue();
    }
  };
}
