import * as assert from 'node:assert/strict';
import { namesRegistryHost, parseImageReference, repositoryProblem, tagProblem, withoutLoginServer } from '../../../tasks/common/docker/image-reference';

describe("Docker's image reference grammar", () => {
  for (const valid of ['app', 'models/sentiment', 'a/b/c', 'my-app', 'my--app', 'my_app', 'my__app', 'my.app', 'a1/2b', 'x'.repeat(200)]) {
    it(`accepts repository '${valid.slice(0, 30)}'`, () => assert.equal(repositoryProblem(valid), undefined));
  }
  const invalid: [string, RegExp][] = [
    ['Models/Sentiment', /lower case \(try 'models\/sentiment'\)/],
    ['app:1.0', /tag or digest/],
    ['app@sha256:abc', /tag or digest/],
    ['/app', /start or end with '\/'/],
    ['app/', /start or end with '\/'/],
    ['a//b', /empty path component/],
    ['-app', /path component '-app'/],
    ['app_', /path component 'app_'/],
    ['a___b', /path component 'a___b'/],
    ['a..b', /path component 'a..b'/],
    ['my app', /path component 'my app'/],
    ['', /empty/],
  ];
  for (const [value, reason] of invalid) {
    it(`rejects repository '${value}'`, () => assert.match(repositoryProblem(value) ?? '', reason));
  }
  it('limits the full name, login server included, to 255 characters', () => {
    assert.equal(repositoryProblem('a'.repeat(230), 'myregistry.azurecr.io'), undefined);
    assert.match(repositoryProblem('a'.repeat(240), 'myregistry.azurecr.io') ?? '', /262 characters long; Docker allows at most 255/);
  });

  for (const valid of ['1', 'latest', 'v1.2.3', '2024_01_01', 'A-b.C_d', 'x'.repeat(128), '_private']) {
    it(`accepts tag '${valid.slice(0, 30)}'`, () => assert.equal(tagProblem(valid), undefined));
  }
  for (const [value, reason] of [
    ['.hidden', /must not start with '.' or '-'/],
    ['-dash', /must not start/],
    ['a/b', /may only hold/],
    ['a:b', /may only hold/],
    ['x'.repeat(129), /129 characters long/],
    ['$(Build.BuildNumber)', /'\$\(Build\.BuildNumber\)', a pipeline variable that is not defined/],
  ] as [string, RegExp][]) {
    it(`rejects tag '${value.slice(0, 30)}'`, () => assert.match(tagProblem(value) ?? '', reason));
  }

  it('strips a login server the user pasted in front of the repository, and only that one', () => {
    assert.equal(withoutLoginServer('myregistry.azurecr.io/models/a', 'myregistry.azurecr.io'), 'models/a');
    assert.equal(withoutLoginServer('MyRegistry.azurecr.io/models/a', 'myregistry.azurecr.io'), 'models/a');
    assert.equal(withoutLoginServer('other.azurecr.io/models/a', 'myregistry.azurecr.io'), 'other.azurecr.io/models/a');
    assert.equal(withoutLoginServer('models/a', '127.0.0.1:5443'), 'models/a');
  });
});

describe('one image reference grammar', () => {
  const hosts = ['myregistry.azurecr.io', '127.0.0.1:5443', 'localhost', 'localhost:5000', 'Registry.Example.com', '[::1]:5000'];
  const paths = ['library', 'models', 'my-team', 'a__b'];

  for (const host of hosts) {
    it(`'${host}' names a registry host, in Build's check and in the deploy tasks' parser alike`, () => {
      assert.equal(namesRegistryHost(host), true);
      assert.equal(parseImageReference('image', `${host}/models/app:1`).registry, host.toLowerCase());
    });
  }
  for (const path of paths) {
    it(`'${path}' is a path component, in Build's check and in the deploy tasks' parser alike`, () => {
      assert.equal(namesRegistryHost(path), false);
      const parsed = parseImageReference('image', `${path}/app:1`);
      assert.equal(parsed.registry, undefined);
      assert.equal(parsed.repository, `${path}/app`);
    });
  }
});
