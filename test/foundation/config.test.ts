import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config/load.js';
import { UsageError } from '../../src/lib/errors.js';

describe('configuration', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archivist-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function problemsOf(config: unknown): Promise<string[]> {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify(config));
    try {
      await loadConfig({ file, env: {}, cwd: dir });
    } catch (error) {
      if (error instanceof UsageError) return [...error.problems];
      throw error;
    }
    return [];
  }

  it('has working defaults with no file at all', async () => {
    const config = await loadConfig({ env: { HOME: dir }, cwd: dir });
    expect(config.source).toBeNull();
    expect(config.sites).toEqual([]);
    expect(config.paths).toEqual({
      state: join(dir, '.local', 'state', 'archivist'),
      work: join(dir, '.local', 'state', 'archivist', 'work'),
      output: join(dir, '.local', 'state', 'archivist', 'output'),
    });
    expect(config.engine.kind).toBe('whisper-cpp');
    expect(config.cablecast).toBeUndefined();
  });

  it('resolves relative paths against the config file and lets the environment override it', async () => {
    const file = join(dir, 'config.json');
    await writeFile(
      file,
      JSON.stringify({ sites: [{ key: 'flex1', name: 'Birchwood', share: 'shares/flex-1' }], cablecast: { url: 'https://old.example' } }),
    );
    const config = await loadConfig({
      file,
      env: {
        CABLECAST_URL: 'https://cablecast.example/CablecastAPI/v1',
        CABLECAST_PASSWORD: 'pw',
        DATABASE_URL: 'postgres://db/x',
        STATE_DIRECTORY: '/var/lib/archivist',
        CACHE_DIRECTORY: '/var/cache/archivist',
      },
      cwd: dir,
    });
    expect(config.sites[0]?.share).toBe(join(dir, 'shares', 'flex-1'));
    expect(config.cablecast).toMatchObject({ url: 'https://cablecast.example/CablecastAPI/v1', password: 'pw', verifyTls: true });
    expect(config.database.url).toBe('postgres://db/x');
    expect(config.paths).toEqual({ state: '/var/lib/archivist', work: '/var/cache/archivist/work', output: '/var/lib/archivist/output' });
  });

  it("takes paths.state from the file (relative to it) over systemd's STATE_DIRECTORY; ARCHIVIST_STATE_DIR over both", async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ paths: { state: 'state' } }));
    const env = { HOME: dir, STATE_DIRECTORY: '/var/lib/archivist' };
    const config = await loadConfig({ file, env, cwd: '/' });
    expect(config.paths).toEqual({ state: join(dir, 'state'), work: join(dir, 'state', 'work'), output: join(dir, 'state', 'output') });
    const overridden = await loadConfig({ file, env: { ...env, ARCHIVIST_STATE_DIR: 'elsewhere' }, cwd: dir });
    expect(overridden.paths.state).toBe(join(dir, 'elsewhere'));
  });

  it('reads secrets from systemd credentials', async () => {
    const credentials = join(dir, 'credentials');
    await mkdir(credentials);
    await writeFile(join(credentials, 'cablecast-password'), 'from-credential\n');
    await writeFile(join(credentials, 'database-url'), 'postgres://archivist:pw@db/archivist\n');
    const config = await loadConfig({
      env: { CABLECAST_URL: 'https://cablecast.example', CREDENTIALS_DIRECTORY: credentials, HOME: dir },
      cwd: dir,
    });
    expect(config.cablecast?.password).toBe('from-credential');
    expect(config.database.url).toBe('postgres://archivist:pw@db/archivist');
  });

  it('names every problem by its path', async () => {
    expect(
      await problemsOf({
        sites: [
          { key: 'Flex 1', name: 'Birchwood', share: 3 },
          { key: 'flex2', name: 'Grant' },
        ],
        engine: { kind: 'openai-whisper', computeType: 'int8' },
        cablecast: { url: 'ftp://x', password: 'a', passwordFile: '/b' },
        captions: { maxRows: 4 },
        extra: true,
      }),
    ).toEqual([
      'sites[0].key: expected lower-case letters, digits, "-" or "_" (e.g. "flex1")',
      'sites[0].share: expected a string, got number',
      'sites[1].share: required (a string)',
      'engine.computeType: only faster-whisper has --compute_type',
      'cablecast.url: expected an http:// or https:// URL',
      'cablecast.passwordFile: give either password or passwordFile, not both',
      'captions.maxRows: expected 1, 2 or 3',
      '(top level): unknown key "extra"',
    ]);
  });

  it('refuses heartbeats too far apart for the lease', async () => {
    expect(await problemsOf({ jobs: { leaseSeconds: 60, heartbeatSeconds: 45 } })).toEqual([
      'jobs.heartbeatSeconds: must be at most half of jobs.leaseSeconds',
    ]);
    expect(await problemsOf({ jobs: { leaseSeconds: 60, heartbeatSeconds: 30 } })).toEqual([]);
  });

  it('has the captions settings on by default as documented, and names what is wrong in them', async () => {
    const config = await loadConfig({ env: { HOME: dir }, cwd: dir });
    expect(config.captions).toMatchObject({ hallucinations: 'drop', vocabulary: [], substitutions: [], profanity: 'keep' });
    expect(
      await problemsOf({
        sites: [{ key: 'flex1', name: 'Birchwood', share: '/mnt/flex-1', vocabulary: ['Louismet', ' '] }],
        captions: {
          hallucinations: 'off',
          profanity: 'bleep',
          substitutions: [
            { from: '... --', to: 'x' },
            { from: 'Council member', to: ' ' },
          ],
        },
      }),
    ).toEqual([
      'sites[0].vocabulary[1]: expected a name or place, not an empty string',
      'captions.hallucinations: expected one of "drop", "keep"',
      'captions.substitutions[0].from: expected the words to find (each with a letter or digit)',
      'captions.substitutions[1].to: expected the words to put in their place',
      'captions.profanity: expected one of "keep", "mask"',
    ]);
  });

  it('skips silence by default, and refuses padding that would leave nothing to skip', async () => {
    const config = await loadConfig({ env: { HOME: dir }, cwd: dir });
    expect(config.engine.skipSilence).toEqual({ enabled: true, thresholdDb: -40, minSeconds: 10, paddingSeconds: 1 });
    expect(await problemsOf({ engine: { skipSilence: { minSeconds: 2, paddingSeconds: 1, thresholdDb: 3 } } })).toEqual([
      'engine.skipSilence.thresholdDb: expected dBFS from -120 to 0 (e.g. -40)',
      'engine.skipSilence.minSeconds: minSeconds must be more than twice paddingSeconds, or nothing would be left to skip',
    ]);
    expect(await problemsOf({ engine: { skipSilence: { enabled: false } } })).toEqual([]);
  });

  it('refuses a site key used twice', async () => {
    const site = { key: 'flex1', name: 'A', share: '/mnt/flex-1' };
    expect(await problemsOf({ sites: [site, site] })).toEqual(['sites[1].key: "flex1" is used twice']);
  });

  it('checks cablecast.mediaHosts entries as host names', async () => {
    const cablecast = (mediaHosts: unknown) => ({ cablecast: { url: 'https://cablecast.example', mediaHosts } });
    expect(await problemsOf(cablecast(['media.example.org', 'cdn.example.org:8443']))).toEqual([]);
    const problems = await problemsOf(cablecast(['media.example.org', 'https://cdn.example.org/vods', 'user@cdn.example.org']));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^cablecast\.mediaHosts\[1\]: expected a host name/);
    expect(problems[1]).toMatch(/^cablecast\.mediaHosts\[2\]: expected a host name/);
  });

  it('bounds PostgreSQL calls by default, and takes other bounds', async () => {
    const defaults = await loadConfig({ env: { HOME: dir }, cwd: dir });
    expect(defaults.database).toMatchObject({
      connectTimeoutSeconds: 10,
      statementTimeoutSeconds: 30,
      lockTimeoutSeconds: 10,
      idleInTransactionTimeoutSeconds: 60,
    });
    expect(await problemsOf({ database: { statementTimeoutSeconds: 0 } })).toEqual([
      expect.stringMatching(/^database\.statementTimeoutSeconds: /) as unknown,
    ]);
  });
});
