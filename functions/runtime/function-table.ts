/**
 * Which operations of shared/http/operations.ts each HTTP function serves, and whether it loads the
 * model (true), only its labels ('labels': no weights, no TF.js) or nothing of it. serverless.yml
 * routes exactly these (test/packaging/lambda checks the packaged template against this table), and
 * the local API Gateway simulation of the tests routes from it too. No side effects: importing it
 * starts nothing.
 */
export const httpFunctions = {
  predict: { operations: ['predict'], model: true },
  // Saving checks the breed against the model's labels, read from its metadata.json alone.
  'save-prediction': { operations: ['savePrediction'], model: 'labels' },
  // Reading the history, a page of it or one row: one function, so one cold start serves both.
  'list-predictions': { operations: ['listPredictions', 'getPrediction'], model: false },
  'delete-prediction': { operations: ['deletePrediction'], model: false },
  'model-info': { operations: ['modelInfo'], model: true },
  // Readiness reports the model, so the probes' function loads it.
  health: { operations: ['health', 'ready'], model: true },
} as const satisfies Record<string, { operations: readonly string[]; model: boolean | 'labels' }>;

export type HttpFunctionName = keyof typeof httpFunctions;
