import { describe, expect, it } from 'vitest';
import { BREED_GROUPS, breedGrouper, FEW_SHOT_MAX_PHOTOS } from '../../cli/breed-groups.js';

const ids = (facts: Parameters<(typeof BREED_GROUPS)[number]['has']>[0]) =>
  BREED_GROUPS.filter((g) => g.has(facts)).map((g) => g.id);

describe('breed groups', () => {
  it('splits cats from dogs, dogs by training photos, and marks the breeds ImageNet has', () => {
    expect(ids({ species: 'cat', imagenet: true, trainPhotos: 160 })).toEqual(['cats', 'imagenet-mapped']);
    expect(ids({ species: 'dog', imagenet: false, trainPhotos: 190 })).toEqual(['dogs', 'data-rich-dogs']);
    expect(ids({ species: 'dog', imagenet: true, trainPhotos: FEW_SHOT_MAX_PHOTOS })).toEqual([
      'dogs',
      'few-shot-dogs',
      'imagenet-mapped',
    ]);
    expect(ids({ species: 'dog', imagenet: false, trainPhotos: FEW_SHOT_MAX_PHOTOS + 1 })).toEqual([
      'dogs',
      'data-rich-dogs',
    ]);
    // A model that does not say how many photos it saw has no few-shot split.
    expect(ids({ species: 'dog', imagenet: false, trainPhotos: undefined })).toEqual(['dogs']);
    expect(ids({ species: undefined, imagenet: false, trainPhotos: 3 })).toEqual([]);
  });

  it("reads ImageNet membership from training's Oxford map and counts from the model's labels", async () => {
    const groupsOf = await breedGrouper(
      new Map([
        ['shiba inu', 9],
        ['american pit bull terrier', 10],
      ]),
    );
    // Shiba Inu is no ImageNet class; the pit bull is one (American Staffordshire terrier).
    expect(groupsOf({ breed: 'Shiba Inu', species: 'dog', targets: ['Shiba Inu'] })).toEqual([
      'dogs',
      'few-shot-dogs',
    ]);
    expect(
      groupsOf({
        breed: 'American Pit Bull Terrier',
        species: 'dog',
        targets: ['American Pit Bull Terrier'],
      }),
    ).toEqual(['dogs', 'few-shot-dogs', 'imagenet-mapped']);
    expect(groupsOf({ breed: 'Persian', species: 'cat', targets: [] })).toEqual(['cats', 'imagenet-mapped']);
    expect(groupsOf({ breed: 'Abyssinian', species: 'cat', targets: ['Abyssinian'] })).toEqual(['cats']);
  });
});
