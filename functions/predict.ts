import { httpFunction } from './runtime/http-function.js';

/** POST /predict: the top breeds in a photo (raw image body, base64 from API Gateway, or multipart). */
export const handler = httpFunction('predict');
