import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../lib/paths';
import { runImport, stripDescriptions } from '../scripts/import';

describe('npm run import', () => {
  it('regenerates imports/ byte for byte: the committed files are generated, never hand-edited', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-import-')), 'imports');
    try {
      runImport(out);
      const committed = path.join(repoRoot, 'imports');
      const names = fs.readdirSync(committed).sort();
      expect(fs.readdirSync(out).sort()).toEqual(names);
      for (const f of names) expect(fs.readFileSync(path.join(out, f), 'utf8') === fs.readFileSync(path.join(committed, f), 'utf8'), f).toBe(true);
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });

  it('strips schema descriptions but keeps fields that are named "description"', () => {
    const schema = {
      description: 'upstream prose',
      properties: {
        description: { type: 'string', description: 'more prose' },
        tags: { additionalProperties: { description: 'x', type: 'string' } },
      },
      items: { anyOf: [{ description: 'y' }] },
    };
    stripDescriptions(schema);
    expect(schema).toEqual({
      properties: { description: { type: 'string' }, tags: { additionalProperties: { type: 'string' } } },
      items: { anyOf: [{}] },
    });
  });
});
