import { strict as assert } from 'node:assert';
import { chooseNodeHandler, nodeKnobs } from '../../../scripts/agent/node-handler';

const both = { Node20_1: { target: 'dist/index.js' }, Node24: { target: 'dist/index.js' } };
const off = { useNode24: false, useNode24WithHandlerData: false };

describe('Node handler choice (TaskRunner.cs GetHandler, NodeHandler.cs GetNodeLocation)', () => {
  it('picks the Node24 handler but runs it on Node 20 unless asked (the agent default)', () => {
    assert.deepEqual(chooseNodeHandler(both, off), { handler: 'Node24', target: 'dist/index.js', nodeMajor: 20 });
  });

  it('runs on Node 24 with AGENT_USE_NODE24_WITH_HANDLER_DATA for a task with Node24 data, or with AGENT_USE_NODE24 for any task', () => {
    assert.equal(chooseNodeHandler(both, { ...off, useNode24WithHandlerData: true }).nodeMajor, 24);
    assert.equal(chooseNodeHandler({ Node20_1: { target: 'a.js' } }, { ...off, useNode24WithHandlerData: true }).nodeMajor, 20);
    assert.equal(chooseNodeHandler({ Node20_1: { target: 'a.js' } }, { ...off, useNode24: true }).nodeMajor, 24);
  });

  it('refuses tasks without a Node20_1 or Node24 handler', () => {
    assert.throws(() => chooseNodeHandler({ Node16: { target: 'a.js' } }, off), /Node16/);
    assert.throws(() => chooseNodeHandler({}, off), /no Node handler/);
  });

  it('reads the knobs from job variables first, then the agent environment', () => {
    assert.deepEqual(nodeKnobs({ agent_use_node24: 'TRUE' }, {}), { useNode24: true, useNode24WithHandlerData: false });
    assert.deepEqual(nodeKnobs({}, { AGENT_USE_NODE24_WITH_HANDLER_DATA: 'true' }), { useNode24: false, useNode24WithHandlerData: true });
  });
});
