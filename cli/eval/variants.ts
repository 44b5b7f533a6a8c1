import sharp from 'sharp';
import { UnprocessableImageError } from '../../shared/errors.js';
import { isTop1Correct, speciesAccuracy, topKAccuracy } from './accuracy.js';
import { type PhotoAnswer, toAnswer } from './answer.js';
import { accepted, type GateMethod } from './not-pet.js';
import { isScored, type Observation, type Rate, type Share, share } from './observation.js';
import type { EvalRun, Failure } from './run-eval.js';
import { mcnemarExact } from './stats.js';

/** A degraded copy of a photo, as phones and chat apps send them. */
export interface Variant {
  id: string;
  title: string;
  make(bytes: Buffer): Promise<Buffer>;
}

/** Re-encoding drops EXIF, so the orientation the API would apply is applied first. */
const upright = (bytes: Buffer) => sharp(bytes).rotate();

// Only the named change: the small copy is lossless; the grey one is near-lossless JPEG, because a
// lossless grey copy of a 12 MP photo could exceed the API's upload limit.
export const VARIANTS: readonly Variant[] = [
  {
    id: 'downscaled-96',
    title: 'downscaled to 96 px on the long side',
    make: (b) => upright(b).resize(96, 96, { fit: 'inside', withoutEnlargement: true }).png().toBuffer(),
  },
  {
    id: 'greyscale',
    title: 'greyscale (JPEG quality 95)',
    make: (b) => upright(b).greyscale().jpeg({ quality: 95 }).toBuffer(),
  },
  {
    id: 'jpeg-q20',
    title: 'JPEG quality 20',
    make: (b) => upright(b).flatten({ background: '#ffffff' }).jpeg({ quality: 20 }).toBuffer(),
  },
];

/** The variant's bytes; a photo sharp cannot re-encode is unusable for it, not a crash. */
export const prepare = (variant: Variant) => (bytes: Buffer) =>
  variant.make(bytes).catch((cause: unknown) => {
    throw new UnprocessableImageError('CORRUPT_IMAGE', `could not make the ${variant.id} copy`, cause);
  });

export interface VariantReport {
  id: string;
  title: string;
  evaluated: number;
  top1: Rate;
  top3: Rate;
  species: Rate;
  /** Pets refused as "not a pet", decided as the not-a-pet rates are. */
  petsRefused: Share & { n: number; count: number };
  /**
   * Top-1 against the original photos, over the photos scored both ways: right only on the original,
   * right only on the variant, the difference in share (variant minus original) and McNemar's p.
   */
  paired: { n: number; originalOnly: number; variantOnly: number; difference: number | null; p: number };
  failures: Failure[];
  answers: PhotoAnswer[];
}

export function variantReport(
  variant: Variant,
  run: EvalRun,
  original: readonly Observation[],
  method: GateMethod,
): VariantReport {
  const { observations } = run;
  const before = new Map(original.filter(isScored).map((o) => [o.name, isTop1Correct(o)]));
  const pairs = observations
    .filter((o) => isScored(o) && before.has(o.name))
    .map((o) => ({ original: before.get(o.name) as boolean, variant: isTop1Correct(o) }));
  const originalOnly = pairs.filter((p) => p.original && !p.variant).length;
  const variantOnly = pairs.filter((p) => !p.original && p.variant).length;
  const refused = observations.filter((o) => !accepted(o, method)).length;
  const { unknown: _, ...species } = speciesAccuracy(observations);
  return {
    id: variant.id,
    title: variant.title,
    evaluated: observations.length,
    top1: topKAccuracy(observations, 1),
    top3: topKAccuracy(observations, 3),
    species,
    petsRefused: { n: observations.length, count: refused, ...share(refused, observations.length) },
    paired: {
      n: pairs.length,
      originalOnly,
      variantOnly,
      difference: pairs.length === 0 ? null : (variantOnly - originalOnly) / pairs.length,
      p: mcnemarExact(originalOnly, variantOnly),
    },
    failures: run.failures,
    answers: observations.map(toAnswer),
  };
}
