import { describe, expect, it } from 'vitest';
import { engineInvocation } from '../../src/lib/transcription/command-line.js';
import type { EngineConfig } from '../../src/lib/transcription/engine-config.js';

const base = { model: 'models/ggml-base.en.bin', language: 'en', args: [] as string[] };

describe('engineInvocation', () => {
  it('gives whisper-cli one -f and one -of per input, in order, and reads <of>.json', () => {
    const engine: EngineConfig = { ...base, kind: 'whisper-cpp', threads: 2 };
    const inv = engineInvocation(engine, ['/w/in/0000.wav', '/w/in/0001.wav'], '/w/out');
    expect(inv.command).toBe('whisper-cli');
    expect(inv.args).toEqual([
      '-m',
      'models/ggml-base.en.bin',
      '-l',
      'en',
      '-t',
      '2',
      '-ojf',
      '-pp',
      '-f',
      '/w/in/0000.wav',
      '-of',
      '/w/out/0000',
      '-f',
      '/w/in/0001.wav',
      '-of',
      '/w/out/0001',
    ]);
    expect(inv.outputs).toEqual(['/w/out/0000.json', '/w/out/0001.json']);
  });

  it('passes all inputs to openai-whisper in one run and reads <output_dir>/<stem>.json', () => {
    const engine: EngineConfig = { ...base, kind: 'openai-whisper', model: 'large-v2', args: ['--beam_size', '5'] };
    const inv = engineInvocation(engine, ['/w/in/0000.wav', '/w/in/0001.wav'], '/w/out');
    expect(inv.command).toBe('whisper');
    expect(inv.args).toEqual([
      '/w/in/0000.wav',
      '/w/in/0001.wav',
      '--model',
      'large-v2',
      '--language',
      'en',
      '--word_timestamps',
      'True',
      '--beam_size',
      '5',
      '--verbose',
      'False',
      '--output_format',
      'json',
      '--output_dir',
      '/w/out',
    ]);
    expect(inv.outputs).toEqual(['/w/out/0000.json', '/w/out/0001.json']);
    expect(inv.args).not.toContain('--vad_filter');
    expect(inv.args).not.toContain('--compute_type');
  });

  it('adds the faster-whisper flags, and sends a model path to --model_directory', () => {
    const engine: EngineConfig = {
      ...base,
      kind: 'faster-whisper',
      model: '/srv/models/ct2-large-v2',
      device: 'cuda',
      computeType: 'int8_float16',
    };
    const inv = engineInvocation(engine, ['/w/in/0000.wav'], '/w/out');
    expect(inv.command).toBe('whisper-ctranslate2');
    expect(inv.args).toEqual(
      expect.arrayContaining([
        '--model_directory',
        '/srv/models/ct2-large-v2',
        '--device',
        'cuda',
        '--compute_type',
        'int8_float16',
        '--vad_filter',
        'True',
      ]),
    );
    expect(inv.args).not.toContain('--model');
    const named = engineInvocation({ ...engine, model: 'large-v2', vad: false }, ['/w/in/0000.wav'], '/w/out');
    expect(named.args).toEqual(expect.arrayContaining(['--model', 'large-v2']));
    expect(named.args).not.toContain('--vad_filter');
  });

  it('lets the Python CLIs detect the language when asked for "auto"', () => {
    const inv = engineInvocation({ ...base, kind: 'openai-whisper', model: 'base', language: 'auto' }, ['/a.wav'], '/o');
    expect(inv.args).not.toContain('--language');
    const cpp = engineInvocation({ ...base, kind: 'whisper-cpp', language: 'auto' }, ['/a.wav'], '/o');
    expect(cpp.args).toEqual(expect.arrayContaining(['-l', 'auto']));
  });

  it('honours a command override', () => {
    expect(engineInvocation({ ...base, kind: 'whisper-cpp', command: '/opt/whisper/bin/whisper-cli' }, ['/a.wav'], '/o').command).toBe(
      '/opt/whisper/bin/whisper-cli',
    );
  });

  it('refuses inputs whose outputs would collide', () => {
    expect(() => engineInvocation({ ...base, kind: 'openai-whisper' }, ['/x/a.wav', '/y/a.wav'], '/o')).toThrow(/distinct file stems/);
  });
});
