// Material outside the repository that some tests need: read through environment variables
// the project defines (npm test points them at ../shared). Missing material fails the test
// with a clear message; it never silently skips it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

function required(name: 'VIGIL_MODEL_PATH' | 'VIGIL_TEST_MEDIA', file: string): string {
  const dir = process.env[name];
  if (!dir) throw new Error(`${name} is not set: run the tests with \`npm test\` (it points ${name} at ../shared) or set it to the folder holding ${file}.`);
  const path = join(dir, file);
  if (!existsSync(path)) throw new Error(`${path} does not exist (${name}=${dir}).`);
  return path;
}

/** The folder holding yolox_nano.onnx. */
export function modelDir(): string {
  required('VIGIL_MODEL_PATH', 'yolox_nano.onnx');
  return process.env.VIGIL_MODEL_PATH!;
}

export function testMedia(file: string): string {
  return required('VIGIL_TEST_MEDIA', file);
}
