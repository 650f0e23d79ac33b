/**
 * Host folders that stand in for a group's volumes: emptyDir and gitRepo get an empty folder,
 * secret volumes get their (base64-decoded) files, an Azure Files share gets a folder that lives as
 * long as the emulator instance and is shared by every group that mounts the same share.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VolumeSpec } from '../model/group-model';

export function prepareVolumeFolders(stateDirectory: string, dockerGroupName: string, volumes: readonly VolumeSpec[]): Map<string, string> {
  const folders = new Map<string, string>();
  for (const volume of volumes) {
    let folder: string;
    if (volume.azureFile) {
      folder = join(stateDirectory, 'aci', 'azure-files', safe(volume.azureFile.storageAccountName), safe(volume.azureFile.shareName));
      mkdirSync(folder, { recursive: true, mode: 0o755 });
    } else {
      folder = join(stateDirectory, 'aci', 'groups', dockerGroupName, 'volumes', safe(volume.name));
      mkdirSync(folder, { recursive: true, mode: 0o755 });
      for (const [file, base64] of Object.entries(volume.secret ?? {})) {
        writeFileSync(join(folder, safe(file)), Buffer.from(base64, 'base64'), { mode: 0o644 });
      }
    }
    folders.set(volume.name, folder);
  }
  return folders;
}

function safe(name: string): string {
  return name.replace(/[^a-zA-Z0-9_.-]/g, '_').replace(/^\.+/, '_');
}
