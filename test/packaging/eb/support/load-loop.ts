export interface LoadOutcome {
  /** performance.now() when the request was sent. */
  sentAt: number;
  status?: number;
  connectionClose?: boolean;
  /** The socket-level error code when no response came (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET...). */
  error?: string;
}

export interface LoadLoop {
  outcomes: LoadOutcome[];
  stop(): Promise<void>;
}

function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
}

/** `workers` concurrent fetch loops (keep-alive connections, as a load balancer keeps them) until stopped. */
export function loadLoop(workers: number, request: () => Promise<Response>): LoadLoop {
  const outcomes: LoadOutcome[] = [];
  let stopped = false;
  const worker = async () => {
    while (!stopped) {
      const sentAt = performance.now();
      try {
        const res = await request();
        await res.arrayBuffer();
        outcomes.push({
          sentAt,
          status: res.status,
          connectionClose: res.headers.get('connection') === 'close',
        });
      } catch (error) {
        outcomes.push({ sentAt, error: errorCode(error) });
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };
  const running = Array.from({ length: workers }, worker);
  return {
    outcomes,
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}
