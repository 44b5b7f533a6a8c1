/** What a benchmark reads from POST /predict's answer. */
export interface PredictAnswer {
  imageSha256: string;
  cached: boolean;
  model: { version: string };
  predictions: { breed: string }[];
}

/** The body of POST /predictions that saves a predict answer's top breed. */
export function saveBodyOf(answer: PredictAnswer, confidence: number): string {
  return JSON.stringify({
    breed: answer.predictions[0]?.breed,
    confidence,
    imageSha256: answer.imageSha256,
    modelVersion: answer.model.version,
    source: 'model',
  });
}

/** The answer's JSON; any non-2xx fails the run, naming what answered it. */
export async function expectStatus(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Sends `count` requests, `parallel` at a time, failing on any non-2xx: seeding, not measuring. */
export async function seed(
  count: number,
  parallel: number,
  send: (i: number) => Promise<Response>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const res = await send(next++);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`seeding answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
