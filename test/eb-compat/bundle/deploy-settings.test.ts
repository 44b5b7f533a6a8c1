import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeploySettings, settingsWarnings } from '../../../eb-compat/bundle/deploy-settings.js';
import { repoRoot } from '../../support/fixtures.js';

const example = JSON.parse(
  readFileSync(path.join(repoRoot, 'eb-compat', 'deploy-settings.example.json'), 'utf8'),
);

describe('settingsWarnings', () => {
  it('points a pg store without a CA bundle at the document that says where to get one', () => {
    const warnings = settingsWarnings(parseDeploySettings(example));
    const warning = warnings.find((w) => w.startsWith('store.caBundleFile is not set'));
    expect(warning).toContain('sslmode=verify-full');
    const doc = warning?.match(/\((docs\/[\w-]+\.md), step (\d+)\)/);
    expect(doc, warning).not.toBeNull();
    const text = readFileSync(path.join(repoRoot, doc?.[1] as string), 'utf8');
    const step = text.slice(text.indexOf(`**${doc?.[2]}.`), text.indexOf(`**${Number(doc?.[2]) + 1}.`));
    expect(step).toContain('store.caBundleFile');
    expect(step).toContain('global-bundle.pem');
  });

  it('warns about a pg store without sslmode, and about example settings', () => {
    const url = example.store.url.replace('?sslmode=verify-full', '');
    const warnings = settingsWarnings(parseDeploySettings({ ...example, store: { ...example.store, url } }));
    expect(warnings).toEqual([
      'store.url has no sslmode: RDS for PostgreSQL 15+ refuses plain connections.',
      'these are example settings: not deployable.',
    ]);
  });
});
