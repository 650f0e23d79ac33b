/** `npx tsx scripts/icons.ts`: draws the extension icon and the task icons (PNG, no image tools needed). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildAndPushIcon, deployToAciIcon, deployToAksIcon, extensionIcon, smokeTestIcon } from './icons/designs';
import { encodePng } from './icons/png';
import { type Layer, render } from './icons/raster';

const ROOT = path.resolve(__dirname, '..');

const ICONS: { file: string; size: number; layers: () => Layer[] }[] = [
  { file: 'images/extension-icon.png', size: 128, layers: extensionIcon },
  { file: 'tasks/BuildAndPushAiImageV1/icon.png', size: 32, layers: buildAndPushIcon },
  { file: 'tasks/DeployToAciV1/icon.png', size: 32, layers: deployToAciIcon },
  { file: 'tasks/DeployToAksV1/icon.png', size: 32, layers: deployToAksIcon },
  { file: 'tasks/SmokeTestModelV1/icon.png', size: 32, layers: smokeTestIcon },
];

for (const icon of ICONS) {
  const target = path.join(ROOT, icon.file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, encodePng(icon.size, icon.size, render(icon.size, icon.layers(), icon.size <= 32 ? 8 : 5)));
  console.log(`${icon.file} (${icon.size}x${icon.size})`);
}
