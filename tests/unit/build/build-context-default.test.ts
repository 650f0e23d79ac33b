import { strict as assert } from 'node:assert';
import { readInputs } from '../../../tasks/BuildAndPushAiImageV1/src/inputs';
import { inputSourceFromRecord } from '../../../tasks/common/input-reader';
import { readTaskDefinition } from '../../contract/task-definitions';

const SOURCES = '/agent/_work/1/s';
const base = { azureSubscription: 'c', azureContainerRegistry: 'r', repository: 'models/iris', tags: '1' };

describe('BuildAndPushAiImage buildContext default (the agent roots every filePath input)', () => {
  it("declares the '**' sentinel as its default, as Docker@2 does", () => {
    const input = (readTaskDefinition('BuildAndPushAiImageV1').inputs ?? []).find((candidate) => candidate.name === 'buildContext');
    assert.equal(input?.type, 'filePath');
    assert.equal(input?.defaultValue, '**');
  });

  it("takes the Dockerfile's folder for the sentinel, rooted by the agent or not", () => {
    for (const buildContext of [`${SOURCES}/**`, '**', '']) {
      const inputs = readInputs(inputSourceFromRecord({ ...base, dockerfile: `${SOURCES}/serving/Dockerfile`, buildContext }), { workingDirectory: SOURCES, setSecret: () => undefined });
      assert.equal(inputs.buildContext, `${SOURCES}/serving`, buildContext);
    }
  });

  it("takes the repository root when the agent gives it (an explicit '.' or an emptied field)", () => {
    const inputs = readInputs(inputSourceFromRecord({ ...base, dockerfile: `${SOURCES}/serving/Dockerfile`, buildContext: SOURCES }), { workingDirectory: SOURCES, setSecret: () => undefined });
    assert.equal(inputs.buildContext, SOURCES);
  });

  it('still refuses other wildcards', () => {
    assert.throws(() => readInputs(inputSourceFromRecord({ ...base, buildContext: `${SOURCES}/serving/**` }), { workingDirectory: SOURCES, setSecret: () => undefined }), /buildContext/);
  });
});
