/**
 * Builds the placeholder model in models/placeholder/: a tiny untrained CNN with the 37 Oxford-IIIT
 * Pet breeds as labels, so the service runs end to end before a trained model exists. Seeded
 * initialisers make every run write byte-identical files (check: rerun, then `git diff models/`).
 *
 *   npx tsx scripts/make-placeholder-model.ts [outDir]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';

const CATS = [
  'Abyssinian',
  'Bengal',
  'Birman',
  'Bombay',
  'British Shorthair',
  'Egyptian Mau',
  'Maine Coon',
  'Persian',
  'Ragdoll',
  'Russian Blue',
  'Siamese',
  'Sphynx',
];
const DOGS = [
  'American Bulldog',
  'American Pit Bull Terrier',
  'Basset Hound',
  'Beagle',
  'Boxer',
  'Chihuahua',
  'English Cocker Spaniel',
  'English Setter',
  'German Shorthaired',
  'Great Pyrenees',
  'Havanese',
  'Japanese Chin',
  'Keeshond',
  'Leonberger',
  'Miniature Pinscher',
  'Newfoundland',
  'Pomeranian',
  'Pug',
  'Saint Bernard',
  'Samoyed',
  'Scottish Terrier',
  'Shiba Inu',
  'Staffordshire Bull Terrier',
  'Wheaten Terrier',
  'Yorkshire Terrier',
];
const INPUT = 128;

function buildModel(): tf.LayersModel {
  // Explicit names and seeds: auto-generated names carry global counters, unseeded weights differ per run.
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const bias = (seed: number) => tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed });
  return tf.sequential({
    name: 'pettracker_placeholder',
    layers: [
      tf.layers.conv2d({
        name: 'conv1',
        inputShape: [INPUT, INPUT, 3],
        filters: 8,
        kernelSize: 3,
        strides: 2,
        activation: 'relu',
        kernelInitializer: init(1),
        biasInitializer: bias(2),
      }),
      tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }),
      tf.layers.conv2d({
        name: 'conv2',
        filters: 16,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(3),
        biasInitializer: bias(4),
      }),
      tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }),
      tf.layers.globalAveragePooling2d({ name: 'pool3' }),
      // Logits, no softmax: the adapter applies it, as it must for many exported models.
      tf.layers.dense({
        name: 'logits',
        units: CATS.length + DOGS.length,
        kernelInitializer: init(5),
        biasInitializer: bias(6),
      }),
    ],
  });
}

const metadata = {
  name: 'pettracker-placeholder',
  version: 'placeholder-1',
  labels: [...CATS, ...DOGS],
  species: [...CATS.map(() => 'cat'), ...DOGS.map(() => 'dog')],
  inputSize: [INPUT, INPUT],
  resize: 'center-crop',
  normalization: { scale: 2, offset: -1 },
  output: 'logits',
  untrained: true,
};

/** tfjs-node's file:// saver is not available here: write model.json + weights.bin ourselves. */
function fileSaver(outDir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const modelJson = {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    };
    await writeFile(path.join(outDir, 'model.json'), `${JSON.stringify(modelJson)}\n`);
    await writeFile(path.join(outDir, 'weights.bin'), Buffer.from(weightData));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

export async function writePlaceholderModel(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const model = buildModel();
  try {
    await model.save(fileSaver(outDir));
  } finally {
    model.dispose();
  }
  await writeFile(path.join(outDir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'models', 'placeholder'));
  await writePlaceholderModel(outDir);
  console.log(`placeholder model written to ${outDir}`);
}
