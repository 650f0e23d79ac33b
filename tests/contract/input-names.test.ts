import { strict as assert } from 'node:assert';
import { INPUT as BUILD_AND_PUSH } from '../../tasks/BuildAndPushAiImageV1/src/inputs';
import { INPUT as DEPLOY_TO_ACI } from '../../tasks/DeployToAciV1/src/inputs';
import { INPUT as DEPLOY_TO_AKS } from '../../tasks/DeployToAksV1/src/inputs';
import { INPUT as SMOKE_TEST } from '../../tasks/SmokeTestModelV1/src/inputs';
import { readTaskDefinition } from './task-definitions';

const DECLARED_IN_CODE: Record<string, Record<string, string>> = {
  BuildAndPushAiImageV1: BUILD_AND_PUSH,
  DeployToAciV1: DEPLOY_TO_ACI,
  DeployToAksV1: DEPLOY_TO_AKS,
  SmokeTestModelV1: SMOKE_TEST,
};

describe('input names: code and task.json agree', () => {
  for (const [folder, input] of Object.entries(DECLARED_IN_CODE)) {
    it(`${folder}: src/inputs.ts INPUT holds exactly the inputs task.json declares`, () => {
      assert.ok(input !== undefined && typeof input === 'object', `${folder}/src/inputs.ts exports no INPUT object`);
      const inCode = [...new Set(Object.values(input))].sort();
      const inTaskJson = (readTaskDefinition(folder).inputs ?? []).map((i) => i.name).sort();
      assert.deepEqual(inCode, inTaskJson);
    });
  }
});
