/** The smallest save the placeholder model (and the bundled one) accepts: for tests about anything but its fields. */
export const MINIMAL_SAVE = {
  breed: 'Pug',
  confidence: 0.9,
  imageSha256: 'a'.repeat(64),
  modelVersion: 'v1',
  source: 'model',
} as const;
