import { appendFile, chmod, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Site } from '../../src/lib/config/schema.js';
import { UsageError } from '../../src/lib/errors.js';
import { scanShare } from '../../src/lib/sources/scan-share.js';
import { titleMatcher } from '../../src/lib/sources/title-patterns.js';

describe('title patterns', () => {
  it('match whole words, any case, with spaces, dashes or underscores between words', () => {
    const wbl = titleMatcher(['white bear lake', 'wbl'], 'sites[0].patterns');
    expect(wbl('White_Bear-Lake City Council')).toBe(true);
    expect(wbl('WBL Planning')).toBe(true);
    expect(wbl('White Bear Township')).toBe(false);
    const grant = titleMatcher(['grant'], 'sites[1].patterns');
    expect(grant('Grant City Council')).toBe(true);
    expect(grant('Grantsburg Library grants')).toBe(false);
  });
  it('take /regular expressions/ and report a bad one with its place', () => {
    expect(titleMatcher(['/^lake ?elmo/i'], 'x')('LakeElmo Council')).toBe(true);
    expect(() => titleMatcher(['/([/'], 'sites[2].patterns')).toThrow(UsageError);
  });
  it('match everything when a site has none', () => {
    expect(titleMatcher([], 'x')('anything')).toBe(true);
  });
});

describe('share scanning', () => {
  let share: string;
  const site = (over: Partial<Site> = {}): Site => ({ key: 'flex1', name: 'Birchwood', share, patterns: ['birchwood'], depth: 1, ...over });
  const old = new Date(Date.now() - 3_600_000);
  const options = { extensions: ['mp4', 'mov', 'mxf'], settleSeconds: 300, recheckMs: 0 };

  async function recording(name: string, mtime: Date = old): Promise<string> {
    const path = join(share, name);
    await writeFile(path, 'video');
    await utimes(path, mtime, mtime);
    return path;
  }

  beforeEach(async () => {
    share = await mkdtemp(join(tmpdir(), 'archivist-share-'));
  });
  afterEach(async () => {
    await rm(share, { recursive: true, force: true });
  });

  it('finds recordings in any letter case and down to the configured depth, newest first', async () => {
    await recording('17601-1-Birchwood Council (20220111).MP4', new Date(Date.now() - 7_200_000));
    await mkdir(join(share, 'archive', 'deeper'), { recursive: true });
    await recording('archive/17602-1-Birchwood Planning (20220112).mov');
    await recording('archive/deeper/17603-1-Birchwood Parks (20220113).mxf');
    const result = await scanShare(site(), options);
    expect(result.recordings.map((r) => r.showId)).toEqual([17602, 17601]);
  });

  it("skips captioned files, our outputs, settling files and other sites' titles", async () => {
    await recording('17601-1-Birchwood Council (20220111).mp4');
    await writeFile(join(share, '17601-1-Birchwood Council (20220111).SCC'), '');
    await recording('17604-1-Birchwood Council (20220114).captioned.mov');
    await recording('17604-1-Birchwood Council (20220114).burned.mp4');
    await recording('17605-1-Birchwood Council (20220115).mp4', new Date());
    await recording('17606-1-Oakdale Council (20220116).mp4');
    await recording('.archivist-0a1b2c-17607.mp4.tmp');
    const result = await scanShare(site(), options);
    expect(result.recordings).toEqual([]);
    expect(result.skipped.map((s) => s.reason).sort()).toEqual(['captioned', 'ours', 'ours', 'pattern', 'settling']);
  });

  it('skips a file whose size changes between two looks', async () => {
    const path = await recording('17601-1-Birchwood Council (20220111).mp4');
    const result = await scanShare(site(), {
      ...options,
      betweenLooks: async () => {
        await appendFile(path, 'more frames');
        await utimes(path, old, old);
      },
    });
    expect(result.recordings).toEqual([]);
    expect(result.skipped).toEqual([expect.objectContaining({ path, reason: 'growing' })]);
  });

  it('leaves out files older than the lookback window', async () => {
    await recording('17601-1-Birchwood Council (20220111).mp4', new Date('2022-01-11T20:00:00Z'));
    const result = await scanShare(site(), { ...options, since: new Date(Date.now() - 7 * 86_400_000) });
    expect(result.recordings).toEqual([]);
  });

  it('finds recordings with odd characters in their names, and reports a name that is not valid UTF-8', async () => {
    await recording(`17601-1-Birchwood "Council" #1 100% it's [draft]&more (20220111).mp4`);
    const invalid = Buffer.concat([Buffer.from(join(share, '17602-1-Birchwood Caf')), Buffer.from([0xe9]), Buffer.from(' (20220112).mp4')]);
    await writeFile(invalid, 'video');
    await utimes(invalid, old, old);
    const result = await scanShare(site(), options);
    expect(result.recordings.map((r) => r.showId)).toEqual([17601]);
    expect(result.skipped).toEqual([expect.objectContaining({ reason: 'unreadable' })]);
    expect(result.skipped[0]?.detail).toMatch(/not valid UTF-8/);
  });

  it.skipIf(process.getuid?.() === 0)('passes over an unreadable folder, reporting it, and still finds the rest', async () => {
    await recording('17601-1-Birchwood Council (20220111).mp4');
    await mkdir(join(share, 'locked'));
    await chmod(join(share, 'locked'), 0o000);
    try {
      const result = await scanShare(site(), options);
      expect(result.error).toBeUndefined();
      expect(result.recordings.map((r) => r.showId)).toEqual([17601]);
      expect(result.skipped).toEqual([expect.objectContaining({ path: join(share, 'locked'), reason: 'unreadable' })]);
    } finally {
      await chmod(join(share, 'locked'), 0o755);
    }
  });

  it('reports a share that is missing instead of finding nothing', async () => {
    const result = await scanShare(site({ share: join(share, 'not-mounted') }), options);
    expect(result.error).toBe(`share ${join(share, 'not-mounted')} does not exist (not mounted?)`);
  });
});
