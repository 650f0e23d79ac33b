/** Reads the networking inputs: ports, the kind of IP address, its DNS name label and the subnets of a private group. */
import { invalidInput, missingInput } from '../../common/errors';
import type { InputReader } from '../../common/input-reader';
import { DNS_NAME_LABEL_REUSE_POLICIES, INPUT, IP_ADDRESS_TYPES, type InputName, optional } from './input-names';
import { checkDnsNameLabel, checkSubnetId, parsePorts } from './input-rules';
import type { DeployInputs } from './input-types';

type NetworkInputs = Pick<DeployInputs, 'ports' | 'ipAddressType' | 'dnsNameLabel' | 'dnsNameLabelReusePolicy' | 'subnetIds'>;

export function readNetworkInputs(read: InputReader<InputName>): NetworkInputs {
  const ipAddressType = read.enumValue(INPUT.ipAddressType, IP_ADDRESS_TYPES, 'Public');
  const ports = parsePorts(INPUT.ports, read.string(INPUT.ports) ?? '');
  if (ipAddressType !== 'None' && ports.length === 0) {
    throw missingInput(INPUT.ports, `An IP address of type '${ipAddressType}' needs at least one port (e.g. '80'); set 'ipAddressType' to 'None' for a group without an address.`);
  }
  return {
    ports,
    ipAddressType,
    ...optional('dnsNameLabel', readDnsNameLabel(read, ipAddressType)),
    dnsNameLabelReusePolicy: read.enumValue(INPUT.dnsNameLabelReusePolicy, DNS_NAME_LABEL_REUSE_POLICIES, 'Unsecure'),
    subnetIds: readSubnetIds(read, ipAddressType),
  };
}

function readDnsNameLabel(read: InputReader<InputName>, ipAddressType: DeployInputs['ipAddressType']): string | undefined {
  const label = read.string(INPUT.dnsNameLabel);
  if (label === undefined) return undefined;
  if (ipAddressType !== 'Public') {
    throw invalidInput(INPUT.dnsNameLabel, "empty unless 'ipAddressType' is 'Public' (only a public address has a DNS name)", label);
  }
  return checkDnsNameLabel(INPUT.dnsNameLabel, label);
}

function readSubnetIds(read: InputReader<InputName>, ipAddressType: DeployInputs['ipAddressType']): string[] {
  const ids = read.lines(INPUT.subnetIds).map((id) => checkSubnetId(INPUT.subnetIds, id));
  if (ipAddressType === 'Private' && ids.length === 0) {
    throw missingInput(INPUT.subnetIds, 'A private IP address needs a subnet delegated to Microsoft.ContainerInstance/containerGroups.');
  }
  if (ipAddressType !== 'Private' && ids.length > 0) {
    throw invalidInput(INPUT.subnetIds, "empty unless 'ipAddressType' is 'Private' (a group in a virtual network has a private address)", ids[0] ?? '');
  }
  return ids;
}
