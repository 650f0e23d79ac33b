import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../../tasks/common/errors';
import { collectModelFiles, globToRegExp, hashFile, literalPrefix } from '../../../tasks/BuildAndPushAiImageV1/src/model-files';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('model files', () => {
  let context: string;
  before(() => {
    context = fs.mkdtempSync(path.join(os.tmpdir(), 'build-model-files-'));
    const write = (relative: string, content: string) => {
      fs.mkdirSync(path.dirname(path.join(context, relative)), { recursive: true });
      fs.writeFileSync(path.join(context, relative), content);
    };
    write('model/iris.onnx', 'weights');
    write('model/labels.json', '["a","b"]');
    write('model/nested/extra.onnx', 'more weights');
    write('src/server.js', 'code');
  });
  after(() => fs.rmSync(context, { recursive: true, force: true }));

  it('turns globs into anchored expressions', () => {
    assert.ok(globToRegExp('model/*.onnx').test('model/iris.onnx'));
    assert.ok(!globToRegExp('model/*.onnx').test('model/nested/extra.onnx'));
    assert.ok(globToRegExp('model/**/*.onnx').test('model/nested/extra.onnx'));
    assert.ok(globToRegExp('model/**/*.onnx').test('model/iris.onnx'));
    assert.ok(globToRegExp('**').test('a/b/c'));
    assert.ok(globToRegExp('m?del/a.b').test('model/a.b'));
    assert.ok(!globToRegExp('model/a.b').test('model/aXb'));
    assert.equal(literalPrefix('model/**/*.onnx'), 'model');
    assert.equal(literalPrefix('*.onnx'), '');
  });

  it('hashes files as a stream', async () => {
    assert.deepEqual(await hashFile(path.join(context, 'model/iris.onnx')), { sha256: sha256('weights'), size: 7 });
  });

  it('collects literal paths, folders and globs, sorted and without duplicates', async () => {
    const files = await collectModelFiles(context, ['model/*.onnx', 'model/labels.json', 'model']);
    assert.deepEqual(
      files.map((f) => f.path),
      ['model/iris.onnx', 'model/labels.json', 'model/nested/extra.onnx'],
    );
    assert.deepEqual(files[0], { path: 'model/iris.onnx', sha256: sha256('weights'), size: 7 });
  });

  it('fails on a pattern that matches nothing, naming it and the context', async () => {
    await assert.rejects(
      collectModelFiles(context, ['model/*.onnx', 'weights/*.bin']),
      (error: unknown) => error instanceof InputError && error.input === 'modelFiles' && error.message.includes("'weights/*.bin' matches no file") && error.message.includes(context),
    );
  });
});
