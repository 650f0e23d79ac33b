/** The fault registry on its own: matching by route name and prefix, counts, probabilities with an injected random source. */
import assert from 'node:assert/strict';
import { createFaultRegistry } from '../../emulator/core/faults';

describe('local Azure: fault registry', function () {
  it('matches exact names case-insensitively, prefixes with *, and every route with *', function () {
    const faults = createFaultRegistry();
    faults.addHttpFault({ route: 'ACI.containerGroups.get', kind: 'status', status: 500, count: 1 });
    faults.addHttpFault({ route: 'acr.*', kind: 'latency', latencyInMs: 5, count: 1 });
    faults.addHttpFault({ route: '*', kind: 'reset', count: 1 });
    assert.equal(faults.takeHttpFault('arm.resourceGroups.get')?.kind, 'reset');
    assert.equal(faults.takeHttpFault('acr.oauth2.token')?.kind, 'latency');
    assert.equal(faults.takeHttpFault('aci.containergroups.GET')?.status, 500);
    assert.equal(faults.takeHttpFault('aci.containerGroups.get'), undefined);
  });

  it('applies a fault without a count to every matching request until cleared', function () {
    const faults = createFaultRegistry();
    faults.addHttpFault({ route: 'x', kind: 'status', status: 503, retryAfterInSeconds: 2 });
    assert.equal(faults.takeHttpFault('x')?.retryAfterInSeconds, 2);
    assert.equal(faults.takeHttpFault('x')?.retryAfterInSeconds, 2);
    faults.clear();
    assert.equal(faults.takeHttpFault('x'), undefined);
  });

  it('applies a probability fault only when the random draw is below the probability, and counts only applied ones', function () {
    const draws = [0.9, 0.1, 0.3, 0.05];
    const faults = createFaultRegistry(() => draws.shift() ?? 1);
    faults.addHttpFault({ route: 'x', kind: 'status', status: 500, probability: 0.2, count: 2 });
    assert.equal(faults.takeHttpFault('x'), undefined);
    assert.equal(faults.takeHttpFault('x')?.status, 500);
    assert.equal(faults.takeHttpFault('x'), undefined);
    assert.equal(faults.takeHttpFault('x')?.status, 500);
    assert.equal(faults.takeHttpFault('x'), undefined, 'the count of 2 is used up');
  });

  it('refuses a status fault without a status', function () {
    assert.throws(() => createFaultRegistry().addHttpFault({ route: 'x', kind: 'status' }), /needs a status/);
  });

  it('hands scenario faults to the matching container group only', function () {
    const faults = createFaultRegistry();
    faults.addScenarioFault({ kind: 'containerCrash', containerGroupName: 'cg-a', count: 1 });
    assert.equal(faults.takeScenarioFault('containerCrash', 'cg-b'), undefined);
    assert.equal(faults.takeScenarioFault('imagePullFails', 'cg-a'), undefined);
    assert.equal(faults.takeScenarioFault('containerCrash', 'CG-A')?.kind, 'containerCrash');
    assert.equal(faults.takeScenarioFault('containerCrash', 'cg-a'), undefined);
  });
});
