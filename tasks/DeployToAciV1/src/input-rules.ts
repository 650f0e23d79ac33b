/**
 * Azure Container Instances' naming and value rules, checked where inputs are read (before any call
 * to Azure). Each function returns the parsed value or throws an InputError naming the input.
 */
import { RESERVED_TAG_PREFIX } from '../../common/chained-variables';
import { invalidInput } from '../../common/errors';

export type Protocol = 'TCP' | 'UDP';
export interface PortSpec {
  port: number;
  protocol: Protocol;
}

export const MAX_PORTS = 5;

/** Container group and container names: 1-63, lowercase letters, digits, '-', not at either end, no '--'. */
export function checkResourceName(input: string, value: string): string {
  const ok = value.length >= 1 && value.length <= 63 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(value) && !value.includes('--');
  if (!ok) {
    throw invalidInput(
      input,
      "1 to 63 characters: lowercase letters, digits and '-', not starting or ending with '-' and without '--'",
      value,
    );
  }
  return value;
}

/** DNS name labels: 5-63, lowercase letters, digits, '-', starting with a letter, ending with a letter or digit. */
export function checkDnsNameLabel(input: string, value: string): string {
  if (!/^[a-z][a-z0-9-]{3,61}[a-z0-9]$/.test(value)) {
    throw invalidInput(
      input,
      "5 to 63 characters: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
      value,
    );
  }
  return value;
}

/** `80`, `80/TCP 8081/udp`, `80,443` or one per line; at most 5 distinct ports. */
export function parsePorts(input: string, value: string): PortSpec[] {
  const tokens = value.split(/[\s,;]+/).filter((token) => token !== '');
  const accepts = "up to 5 ports from 1 to 65535, each 'port' or 'port/TCP' or 'port/UDP', separated by spaces, commas or new lines (e.g. '80' or '80/TCP 8081/TCP')";
  const ports: PortSpec[] = [];
  for (const token of tokens) {
    const match = /^(\d{1,5})(?:\/(tcp|udp))?$/i.exec(token);
    const port = Number(match?.[1]);
    if (!match || !Number.isInteger(port) || port < 1 || port > 65535) throw invalidInput(input, accepts, token);
    const protocol = (match[2]?.toUpperCase() ?? 'TCP') as Protocol;
    if (ports.some((existing) => existing.port === port)) throw invalidInput(input, 'distinct ports', `${port} given twice`);
    ports.push({ port, protocol });
  }
  if (ports.length > MAX_PORTS) throw invalidInput(input, accepts, `${ports.length} ports: ${value.trim()}`);
  return ports;
}


/** `/subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}` */
export function checkSubnetId(input: string, value: string): string {
  const pattern = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
  if (!pattern.test(value)) {
    throw invalidInput(input, "subnet resource IDs, one per line: '/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>'", value);
  }
  return value;
}

/** `/subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}` */
export function checkUserAssignedIdentityId(input: string, value: string): string {
  const pattern = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i;
  if (!pattern.test(value)) {
    throw invalidInput(
      input,
      "a user-assigned identity's resource ID: '/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>'",
      value,
    );
  }
  return value;
}

/** Tag names: up to 512 characters without `< > % & \ ? /`; values up to 256 characters; at most 50 tags. */
export function checkTag(input: string, name: string, value: string): void {
  if (name.length > 512 || /[<>%&\\?/]/.test(name)) {
    throw invalidInput(input, "tag names of up to 512 characters without '<', '>', '%', '&', '\\', '?' or '/'", name);
  }
  if (name.toLowerCase().startsWith(RESERVED_TAG_PREFIX)) {
    throw invalidInput(input, `tag names that do not start with '${RESERVED_TAG_PREFIX}' (reserved for the task's own bookkeeping)`, name);
  }
  if (value.length > 256) throw invalidInput(input, 'tag values of up to 256 characters', `${name}=${value.slice(0, 40)}`);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function checkGuid(input: string, value: string, what: string): string {
  if (!GUID.test(value)) throw invalidInput(input, what, value);
  return value;
}
