import type { Species } from '../shared/ports/model.js';
import { labelKey, OXFORD_IMAGENET_MAP, readLabelMap } from './train/labels.js';

/**
 * At most this many training photos makes a breed few-shot. In pets-train the 21 sparse dog breeds
 * have 1-12 photos and every other breed 148-190, so any bound in between splits them alike.
 */
export const FEW_SHOT_MAX_PHOTOS = 20;

/** What puts a breed in a group. */
export interface BreedFacts {
  species: Species | null | undefined;
  /** ImageNet-1k has the breed as a class: the head starts from, and is pulled towards, its column. */
  imagenet: boolean;
  /** Photos of the breed the model was trained on; undefined when its metadata does not say. */
  trainPhotos: number | undefined;
}

export interface BreedGroup {
  id: string;
  title: string;
  /** A word for a table cell. */
  short: string;
  has(breed: BreedFacts): boolean;
}

const fewShot = (b: BreedFacts) => b.trainPhotos !== undefined && b.trainPhotos <= FEW_SHOT_MAX_PHOTOS;

/**
 * The groups the model card and the eval report give figures for, in this order. The first four split
 * cats from dogs and the dogs by training data; ImageNet-mapped cuts across them.
 */
export const BREED_GROUPS: readonly BreedGroup[] = [
  { id: 'cats', title: 'cats', short: 'cat', has: (b) => b.species === 'cat' },
  { id: 'dogs', title: 'dogs', short: 'dog', has: (b) => b.species === 'dog' },
  {
    id: 'data-rich-dogs',
    title: `dogs with more than ${FEW_SHOT_MAX_PHOTOS} training photos`,
    short: 'data-rich',
    has: (b) => b.species === 'dog' && b.trainPhotos !== undefined && !fewShot(b),
  },
  {
    id: 'few-shot-dogs',
    title: `few-shot dogs (${FEW_SHOT_MAX_PHOTOS} training photos or fewer)`,
    short: 'few-shot',
    has: (b) => b.species === 'dog' && fewShot(b),
  },
  { id: 'imagenet-mapped', title: 'breeds ImageNet has', short: 'ImageNet', has: (b) => b.imagenet },
];

/**
 * The groups of a breed: its species, the model's training photos of its label (keyed by labelKey),
 * and whether the Oxford-ImageNet map training uses (cli/train/oxford-imagenet.csv) gives it a class.
 */
export async function breedGrouper(trainPhotos: ReadonlyMap<string, number> | undefined) {
  const imagenet = await readLabelMap(OXFORD_IMAGENET_MAP);
  return (breed: { breed: string; species: Species | undefined; targets: readonly string[] }): string[] => {
    const label = breed.targets[0] ?? breed.breed;
    const facts: BreedFacts = {
      species: breed.species,
      imagenet: imagenet.get(labelKey(breed.breed))?.baseClass !== undefined,
      trainPhotos: trainPhotos?.get(labelKey(label)),
    };
    return BREED_GROUPS.filter((g) => g.has(facts)).map((g) => g.id);
  };
}
