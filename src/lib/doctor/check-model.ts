import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { EngineConfig } from '../transcription/engine-config.js';
import { errnoCode } from '../errors.js';
import type { DoctorCheck } from './check.js';

/**
 * whisper.cpp needs its ggml model file on disk; a name like "base.en" is what the Python
 * CLIs resolve themselves (they may download it, which a sealed host cannot).
 */
export async function checkModel(engine: EngineConfig): Promise<{ ok: boolean; detail: string }> {
  const looksLikePath = engine.model.includes('/') || engine.model.endsWith('.bin');
  if (engine.kind !== 'whisper-cpp' && !looksLikePath) {
    return { ok: true, detail: `model name "${engine.model}": the engine finds or downloads it itself` };
  }
  try {
    await access(engine.model, constants.R_OK);
    return { ok: true, detail: `${engine.model} is readable` };
  } catch (error) {
    const code = errnoCode(error);
    return {
      ok: false,
      detail: `${engine.model}: ${code === 'ENOENT' ? 'no such file (engine.model)' : `not readable (${code ?? 'error'})`}`,
    };
  }
}

export const modelCheck: DoctorCheck = async ({ engine }) => {
  const model = await checkModel(engine);
  return [{ name: 'model', status: model.ok ? 'ok' : 'fail', exitCode: 2, where: engine.model, detail: model.detail }];
};
