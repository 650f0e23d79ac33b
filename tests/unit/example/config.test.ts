import assert from 'node:assert/strict';
import path from 'node:path';
import { readConfig } from '../../../examples/model-app/src/config';

describe('example: server configuration', () => {
  it('has defaults for every setting', () => {
    assert.deepEqual(readConfig({}, '/srv/model'), {
      host: '0.0.0.0', port: 8080, modelName: 'iris', modelDir: path.resolve('/srv/model'),
      loadDelayInMs: 0, logLevel: 'info', shutdownTimeoutInMs: 10_000,
    });
  });

  it('reads PORT, MODEL_NAME, MODEL_DIR, MODEL_LOAD_DELAY_SECONDS, LOG_LEVEL and HOST', () => {
    const config = readConfig({ PORT: '9000', MODEL_NAME: 'flowers', MODEL_DIR: '/m', MODEL_LOAD_DELAY_SECONDS: '2.5', LOG_LEVEL: 'DEBUG', HOST: '127.0.0.1' }, '/x');
    assert.deepEqual(
      [config.port, config.modelName, config.modelDir, config.loadDelayInMs, config.logLevel, config.host],
      [9000, 'flowers', path.resolve('/m'), 2500, 'debug', '127.0.0.1'],
    );
  });

  it('names the variable, the value and what it accepts when a value is wrong', () => {
    assert.throws(() => readConfig({ PORT: 'abc' }, '/x'), /PORT must be an integer from 0 to 65535; got 'abc'/);
    assert.throws(() => readConfig({ PORT: '8080.5' }, '/x'), /PORT must be an integer/);
    assert.throws(() => readConfig({ MODEL_LOAD_DELAY_SECONDS: '-1' }, '/x'), /MODEL_LOAD_DELAY_SECONDS must be a number from 0 to 3600; got '-1'/);
    assert.throws(() => readConfig({ LOG_LEVEL: 'loud' }, '/x'), /LOG_LEVEL must be one of debug, info, warn, error; got 'loud'/);
    assert.throws(() => readConfig({ MODEL_NAME: 'a/b' }, '/x'), /MODEL_NAME must be/);
  });
});
