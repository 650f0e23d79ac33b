/**
 * emulator/README.md names the routes fault injection and the request log use; the route tables are the
 * truth. Both ways: every route the README names is served, and every route served is in the README.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_SERVER_ONLY } from '../../emulator/kubernetes/runtime/api-server-only';
import { useLocalAzure } from './local-azure-fixture';

const FAMILIES = ['entra', 'managedIdentity', 'devops', 'arm', 'acr', 'aci', 'aks'];

/** `a.{b,c}.d` -> a.b.d, a.c.d */
function expandBraces(text: string): string[] {
  const match = /\{([^{}]*)\}/.exec(text);
  if (!match) return [text];
  const before = text.slice(0, match.index);
  const after = text.slice(match.index + match[0].length);
  return (match[1] ?? '').split(',').flatMap((choice) => expandBraces(`${before}${choice.trim()}${after}`));
}

/** Every `family.name` in inline code in the README (quoted examples and prefixes such as `'acr.*'` are not names). */
function documentedRouteNames(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const [, code] of markdown.matchAll(/`([^`\n]+)`/g)) {
    if (code === undefined || !/^[A-Za-z]+\.[A-Za-z0-9.{},/]+$/.test(code)) continue;
    for (const name of expandBraces(code)) if (FAMILIES.includes(name.split('.')[0] ?? '')) names.add(name);
  }
  return names;
}

describe('emulator/README.md route names', function () {
  const azure = useLocalAzure({ kubernetesRuntime: API_SERVER_ONLY });
  const readme = readFileSync(join(__dirname, '..', '..', 'emulator', 'README.md'), 'utf8');

  it('reads brace groups and skips quoted examples and prefixes', () => {
    assert.deepEqual([...documentedRouteNames("`aci.{get,list}` `'arm.*'` `acr.v2.base` `other.thing` `aks.managedClusters.{get}`")], ['aci.get', 'aci.list', 'acr.v2.base', 'aks.managedClusters.get']);
  });

  it('names only routes the route tables serve', () => {
    const served = new Set(azure().routes().map((route) => route.name));
    const unknown = [...documentedRouteNames(readme)].filter((name) => !served.has(name));
    assert.deepEqual(unknown, [], `The README names routes no route table serves: ${unknown.join(', ')}`);
  });

  it('names every route the route tables serve', () => {
    const documented = documentedRouteNames(readme);
    const missing = [...new Set(azure().routes().map((route) => route.name))].filter((name) => !documented.has(name));
    assert.deepEqual(missing, [], `Routes missing from emulator/README.md: ${missing.join(', ')}`);
  });

  it('serves no two routes at one method and path of a front, each in a known family', () => {
    const keys = azure().routes().map((route) => `${route.front} ${route.method} ${route.path}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const route of azure().routes()) assert.ok(FAMILIES.includes(route.name.split('.')[0] ?? ''), `${route.name} has no known family`);
  });
});
