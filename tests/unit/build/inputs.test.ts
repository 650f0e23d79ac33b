import * as assert from 'node:assert/strict';
import { InputError } from '../../../tasks/common/errors';
import { inputSourceFromRecord } from '../../../tasks/common/input-reader';
import { type BuildInputs, readInputs } from '../../../tasks/BuildAndPushAiImageV1/src/inputs';

const base = { connectionType: 'azureRM', azureSubscription: 'conn-1', azureContainerRegistry: 'myregistry', repository: 'models/app', tags: '42' };
const read = (values: Record<string, string>): BuildInputs => readInputs(inputSourceFromRecord({ ...base, ...values }), { workingDirectory: '/repo', setSecret: () => undefined });
const fails = (values: Record<string, string | undefined>, input: string, message: RegExp) => {
  assert.throws(
    () => readInputs(inputSourceFromRecord({ ...base, ...values }), { workingDirectory: '/repo', setSecret: () => undefined }),
    (error: unknown) => error instanceof InputError && error.input === input && message.test(error.message),
  );
};

describe('BuildAndPushAiImage inputs', () => {
  it('reads an Azure Resource Manager connection with defaults', () => {
    const inputs = read({});
    assert.deepEqual(inputs.connection, { type: 'azureRM', connectionId: 'conn-1', registry: 'myregistry' });
    assert.equal(inputs.dockerfile, '/repo/Dockerfile');
    assert.equal(inputs.buildContext, '/repo');
    assert.deepEqual(inputs.tags, ['42']);
    assert.equal(inputs.addPipelineMetadata, true);
    assert.equal(inputs.push, true);
    assert.equal(inputs.cacheFromLatest, false);
    assert.deepEqual(inputs.model, { files: [] });
  });
  it("defaults the context to the Dockerfile's folder and resolves paths against the working directory", () => {
    const inputs = read({ dockerfile: 'app/serving/Dockerfile' });
    assert.equal(inputs.buildContext, '/repo/app/serving');
    assert.equal(read({ dockerfile: 'app/Dockerfile', buildContext: '.' }).buildContext, '/repo');
  });
  it("refuses Docker@2's '**/Dockerfile' search pattern, saying to give one path", () => {
    fails({ dockerfile: '**/Dockerfile' }, 'dockerfile', /must be the path of one Dockerfile, e\.g\. 'serving\/Dockerfile', relative to the repository root \(no wildcards.*got '\*\*\/Dockerfile'/);
    fails({ buildContext: 'serving/**' }, 'buildContext', /must be the path of one folder/);
  });
  it('reads a Docker registry connection', () => {
    const inputs = read({ connectionType: 'dockerregistry', dockerRegistryServiceConnection: 'd-1' });
    assert.deepEqual(inputs.connection, { type: 'dockerRegistry', connectionId: 'd-1' });
  });
  it('requires the registry with azureRM and the connection with dockerRegistry', () => {
    fails({ azureContainerRegistry: undefined }, 'azureContainerRegistry', /is required/);
    fails({ azureSubscription: '' }, 'azureSubscription', /is required/);
    fails({ connectionType: 'dockerRegistry' }, 'dockerRegistryServiceConnection', /is required/);
    fails({ connectionType: 'acr' }, 'connectionType', /one of 'azureRM', 'dockerRegistry'; got 'acr'/);
  });
  it('rejects an invalid repository, naming the rule', () => {
    fails({ repository: 'Models/App' }, 'repository', /lower case \(try 'models\/app'\)\); got 'Models\/App'/);
    fails({ repository: 'models/app:1' }, 'repository', /tag or digest/);
    fails({ repository: '' }, 'repository', /is required/);
  });
  it('reads tags from lines and commas, dropping duplicates', () => {
    assert.deepEqual(read({ tags: '42\nlatest, v1\n\n42' }).tags, ['42', 'latest', 'v1']);
  });
  it('rejects an invalid tag and an undefined pipeline variable in a tag', () => {
    fails({ tags: '42\n.bad' }, 'tags', /got '.bad'/);
    fails({ tags: '$(Build.BuildNumber)' }, 'tags', /pipeline variable that is not defined/);
    fails({ tags: ' \n ' }, 'tags', /is required/);
  });
  it('reads build arguments as KEY=VALUE, the value kept as written', () => {
    assert.deepEqual(read({ buildArguments: 'BASE_IMAGE=127.0.0.1:5443/base:1\nTOKEN=a=b==' }).buildArguments, [
      { key: 'BASE_IMAGE', value: '127.0.0.1:5443/base:1' },
      { key: 'TOKEN', value: 'a=b==' },
    ]);
  });
  it('rejects a malformed build argument without echoing its value', () => {
    assert.throws(
      () => read({ buildArguments: 'GOOD=1\nBAD KEY=hunter2' }),
      (error: unknown) => error instanceof InputError && error.input === 'buildArguments' && !error.message.includes('hunter2') && /KEY=VALUE/.test(error.message),
    );
    fails({ buildArguments: 'NOVALUE' }, 'buildArguments', /KEY=VALUE/);
    fails({ buildArguments: 'A=1\nA=2' }, 'buildArguments', /distinct keys/);
  });
  it('rejects lenient booleans and contradicting cache options', () => {
    fails({ push: 'yes' }, 'push', /'true' or 'false'; got 'yes'/);
    fails({ cacheFromLatest: 'true', noCache: 'true' }, 'cacheFromLatest', /both true/);
  });
  it('validates target and platform', () => {
    assert.equal(read({ target: 'serve', platform: 'linux/arm64/v8' }).platform, 'linux/arm64/v8');
    fails({ target: '1stage' }, 'target', /build stage/);
    fails({ platform: 'amd64' }, 'platform', /linux\/amd64/);
  });
  it('reads model metadata and keeps model files inside the context', () => {
    assert.deepEqual(read({ modelName: 'sentiment', modelVersion: '3', modelFiles: 'model/*.onnx\nmodel/vocab.txt' }).model, {
      name: 'sentiment',
      version: '3',
      files: ['model/*.onnx', 'model/vocab.txt'],
    });
    fails({ modelFiles: 'model.onnx' }, 'modelName', /needed when 'modelVersion' or 'modelFiles' is set/);
    fails({ modelName: 'm', modelFiles: '../secrets/key' }, 'modelFiles', /inside the build context/);
    fails({ modelName: 'm', modelFiles: '/etc/passwd' }, 'modelFiles', /inside the build context/);
    fails({ modelName: 'm', modelVersion: '$(ModelVersion)' }, 'modelVersion', /pipeline variable that is not defined \('\$\(ModelVersion\)' was not replaced\); got '\$\(ModelVersion\)'/);
  });
  it('reads labels as KEY=VALUE', () => {
    assert.deepEqual(read({ labels: 'team=ml\norg.example/owner=alice' }).labels, [
      { key: 'team', value: 'ml' },
      { key: 'org.example/owner', value: 'alice' },
    ]);
    fails({ labels: '=x' }, 'labels', /KEY=VALUE/);
  });
});
