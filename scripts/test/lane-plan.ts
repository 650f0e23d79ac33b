/**
 * Which test files run in which lane (a mocha process of its own; lanes run side by side). Most of the
 * end-to-end time is waiting on Docker, deadlines and polls, not CPU, so lanes overlap well on 2 cores.
 *
 * Suites that share state outside their own local Azure stay in one lane, one after the other:
 * e2e/demo and e2e/pipeline (the last lane of a pass) build on the engine's shared base image
 * `ai-model-deploy/base-node:<major>` and `npm start` keeps `.cache/local-run`. Everything else owns
 * its local Azure, registry, ports, images and DNS names; what two lanes can still touch at once is
 * made safe where it lives (the example app's dist/, the task bundles, the .vsix staging, test images
 * built with --no-cache).
 */

export interface LaneSpec {
  name: string;
  /** Paths under the repository (folders end with '/'): a file goes to the lane with its longest matching prefix. */
  prefixes: readonly string[];
}

export interface PlannedLane {
  name: string;
  files: string[];
}

/**
 * The machine's Node (20): every suite, in lanes of similar length (serial times measured on a loaded
 * 2-core machine: the fault matrix's build half ~5-7 min over its 5 local Azures, the other lanes 2-5 min).
 */
export const MAIN_LANES: readonly LaneSpec[] = [
  { name: 'fault matrix build', prefixes: ['tests/reliability/fault-matrix-build.test.ts'] },
  { name: 'reliability', prefixes: ['tests/reliability/'] },
  { name: 'aks', prefixes: ['tests/emulator/aks-', 'tests/e2e/aks/'] },
  { name: 'e2e build and deploy', prefixes: ['tests/e2e/build/', 'tests/e2e/deploy/'] },
  { name: 'emulator', prefixes: ['tests/emulator/'] },
  // Also every file no other lane names: nothing is left out.
  { name: 'unit, smoke and pipeline', prefixes: ['tests/'] },
];

/** Node 24 (the tasks' Node24 handler): the suites that exercise the bundled tasks. */
export const NODE24_LANES: readonly LaneSpec[] = [
  { name: 'e2e build and deploy', prefixes: ['tests/e2e/build/', 'tests/e2e/deploy/'] },
  { name: 'unit, smoke and pipeline', prefixes: ['tests/'] },
];

/** The folders under tests/ that `npm test` runs on the machine's Node. */
export const ALL_SUITES = ['unit', 'contract', 'mock', 'emulator', 'e2e', 'reliability'];

/** The folders the Node 24 pass takes its files from (the demo runs on the machine's Node only). */
export const NODE24_SUITES = ['unit', 'contract', 'mock', 'e2e/tasks', 'e2e/build', 'e2e/deploy', 'e2e/smoke', 'e2e/pipeline'];

/** Each file in exactly one lane: the one whose prefix matches it longest; files no lane matches are returned apart. Pure. */
export function planLanes(files: readonly string[], specs: readonly LaneSpec[]): { lanes: PlannedLane[]; unplaced: string[] } {
  const lanes = specs.map((spec) => ({ name: spec.name, files: [] as string[] }));
  const unplaced: string[] = [];
  for (const file of files) {
    let best: { index: number; length: number } | undefined;
    specs.forEach((spec, index) => {
      for (const prefix of spec.prefixes) {
        if (file.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = { index, length: prefix.length };
      }
    });
    if (best === undefined) unplaced.push(file);
    else lanes[best.index]?.files.push(file);
  }
  return { lanes: lanes.filter((lane) => lane.files.length > 0), unplaced };
}
