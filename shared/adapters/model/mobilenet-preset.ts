import type { Species } from '../../ports/model.js';
import type { ModelDescription } from './model-metadata.js';

export const MOBILENET_PRESET = 'mobilenet';

/** Google's hosted TF.js MobileNet v1 0.75/224: a Keras layers model, 1000 ImageNet classes, no background. */
export const MOBILENET_URL =
  'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.75_224/model.json';

// ImageNet-1k: 151-268 are the 118 dog breeds, 281-285 the domestic cats (tabby, tiger, Persian,
// Siamese, Egyptian); 286-293 are wild cats and stay null.
function imagenetSpecies(index: number): Species | null {
  if (index >= 151 && index <= 268) return 'dog';
  if (index >= 281 && index <= 285) return 'cat';
  return null;
}

/**
 * The preset's metadata. Google hosts no label file beside the model, so the labels come from the
 * pinned npm package @tensorflow-models/mobilenet@2.1.1 (Apache-2.0), the list published for exactly
 * this model; imported lazily so that deployments serving their own model do not load it.
 */
export async function mobilenetDescription(): Promise<ModelDescription> {
  const { IMAGENET_CLASSES } = await import('@tensorflow-models/mobilenet/dist/imagenet_classes.js');
  const labels = Array.from({ length: 1000 }, (_, index) => {
    const label = IMAGENET_CLASSES[index];
    if (label === undefined) throw new Error(`ImageNet class ${index} is missing from the label list.`);
    return label;
  });
  return {
    name: 'mobilenet_v1_0.75_224',
    version: 'tfjs-mobilenet-v1-0.75-224',
    labels,
    species: labels.map((_, index) => imagenetSpecies(index)),
    inputSize: [224, 224],
    // Keras MobileNet's preprocess_input: x / 127.5 - 1; centre crop scores better than stretching.
    preprocessing: { resize: 'center-crop', scale: 2, offset: -1 },
    output: 'probabilities',
    untrained: false,
    petGate: undefined,
    unsureBelow: undefined,
  };
}
