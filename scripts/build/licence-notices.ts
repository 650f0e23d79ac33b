import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Metafile } from 'esbuild';

interface PackageInfo {
  name: string;
  version: string;
  license: string;
  folder: string;
}

const LICENCE_FILE = /^(licen[sc]e|copying|notice)(\.(md|txt))?$/i;

/** The npm packages whose code is in a bundle (from esbuild's metafile). */
export function bundledPackages(metafile: Metafile, root: string): PackageInfo[] {
  const folders = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1] !== undefined) folders.add(match[1]);
  }
  return [...folders]
    .map((folder) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(root, folder, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
        license?: string;
      };
      return { name: manifest.name ?? folder, version: manifest.version ?? '', license: manifest.license ?? 'see package', folder };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** THIRD-PARTY-NOTICES.txt: each bundled package, its licence and its licence text. */
export function licenceNotices(packages: PackageInfo[], root: string): string {
  const sections = packages.map((info) => {
    const folder = path.join(root, info.folder);
    const licenceFile = fs.readdirSync(folder).find((file) => LICENCE_FILE.test(file));
    const text = licenceFile ? fs.readFileSync(path.join(folder, licenceFile), 'utf8').trim() : `Licensed under ${info.license}.`;
    return `${'-'.repeat(78)}\n${info.name}@${info.version} (${info.license})\n${'-'.repeat(78)}\n\n${text}\n`;
  });
  return `This task bundles the following third-party packages.\n\n${sections.join('\n')}`;
}
