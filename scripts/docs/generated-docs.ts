/** Every generated block in docs/, by file and marker name; `npm run docs` writes them all. */
import path from 'node:path';
import { projectRoot } from '../../shared/config.js';
import { configReference } from './config-reference.js';
import { errorReference } from './error-reference.js';

export interface GeneratedBlock {
  file: string;
  name: string;
  render: () => string;
}

export const generatedBlocks: GeneratedBlock[] = [
  {
    file: path.join(projectRoot, 'docs', 'configuration.md'),
    name: 'env-reference',
    render: () => configReference(),
  },
  { file: path.join(projectRoot, 'docs', 'api.md'), name: 'error-codes', render: errorReference },
];
