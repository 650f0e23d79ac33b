import { TaskError } from '../errors';
import { type ConnectionSource, findConnection, httpsUrl } from './connection-source';

/** The four ways an Azure Resource Manager service connection authenticates. */
export type AzureRmScheme =
  | 'ServicePrincipalKey'
  | 'ServicePrincipalCertificate'
  | 'WorkloadIdentityFederation'
  | 'ManagedServiceIdentity';

/**
 * An Azure Resource Manager service connection, read once and validated. The cloud (authority,
 * Resource Manager URL, audience) comes from the connection, so sovereign clouds, Azure Stack and the
 * local emulator work with the same code. Secrets in it are registered for masking when read.
 */
export interface AzureRmConnection {
  readonly id: string;
  readonly scheme: AzureRmScheme;
  readonly clientId?: string;
  /** Empty for a managed identity connection that names no tenant. */
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly subscriptionName?: string;
  /** e.g. https://management.azure.com/ (always ends with '/'). */
  readonly resourceManagerUrl: string;
  /** e.g. https://login.microsoftonline.com/ (always https, ends with '/'). */
  readonly authorityHost: string;
  /** The token audience, e.g. https://management.core.windows.net/. */
  readonly audience: string;
  readonly secret?: string;
  readonly certificatePem?: string;
  readonly idToken?: string;
  readonly msiClientId?: string;
}

const PUBLIC_CLOUD_AUTHORITY = 'https://login.microsoftonline.com/';

/** Reads the connection whose id an input holds; its secrets are masked the moment they are read. */
export function readAzureRmConnection(source: ConnectionSource, connectionId: string, inputName: string): AzureRmConnection {
  const { where, url, scheme, auth, secretAuth, data } = findConnection(source, connectionId, inputName, 'an Azure Resource Manager');
  const rawScheme = scheme ?? '';
  const required = (value: string | undefined, key: string, what: string): string => {
    if (value === undefined) throw new TaskError(`${where} has no ${what} (authorization parameter '${key}'). Edit the service connection and set it.`);
    return value;
  };
  const requiredAuth = (key: string, what: string): string => required(auth(key), key, what);
  const requiredSecret = (key: string, what: string): string => required(secretAuth(key), key, what);

  const resourceManagerUrl = httpsUrl(url, `${where}: its Resource Manager URL`);
  const subscriptionId = data('subscriptionId');
  if (subscriptionId === undefined) {
    throw new TaskError(
      `${where} names no subscription (it may be scoped to a management group or a machine learning workspace). ` +
        `Use a connection scoped to the subscription that holds the registry or the container group.`,
    );
  }
  const environmentAuthorityUrl = data('environmentAuthorityUrl');
  const environment = data('environment');
  if (environmentAuthorityUrl === undefined && environment !== undefined && environment.toLowerCase() !== 'azurecloud') {
    throw new TaskError(`${where} is for the cloud '${environment}' but names no Entra ID authority (data 'environmentAuthorityUrl'). Recreate the service connection.`);
  }
  const common = {
    id: connectionId,
    subscriptionId,
    ...optional('subscriptionName', data('subscriptionName')),
    resourceManagerUrl,
    authorityHost: httpsUrl(environmentAuthorityUrl ?? PUBLIC_CLOUD_AUTHORITY, `${where}: its Entra ID authority (data 'environmentAuthorityUrl')`),
    audience: data('activeDirectoryServiceEndpointResourceId') ?? resourceManagerUrl,
  };

  switch (rawScheme.toLowerCase()) {
    case 'serviceprincipal': {
      const clientId = requiredAuth('serviceprincipalid', 'service principal (application) id');
      const tenantId = requiredAuth('tenantid', 'tenant id');
      const authenticationType = (auth('authenticationType') ?? 'spnKey').toLowerCase();
      if (authenticationType === 'spnkey') {
        const key = requiredSecret('serviceprincipalkey', 'service principal secret');
        return { ...common, scheme: 'ServicePrincipalKey', clientId, tenantId, secret: key };
      }
      if (authenticationType === 'spncertificate') {
        const pem = requiredSecret('servicePrincipalCertificate', 'service principal certificate');
        if (!/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
          throw new TaskError(`${where} has a certificate without a private key. Give the connection a PEM file that holds both the certificate and its unencrypted private key.`);
        }
        if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
          throw new TaskError(`${where} has a private key but no certificate. Give the connection a PEM file that holds both the certificate and its private key.`);
        }
        return { ...common, scheme: 'ServicePrincipalCertificate', clientId, tenantId, certificatePem: pem };
      }
      throw new TaskError(`${where} uses the service principal authentication type '${auth('authenticationType') ?? ''}'; this task supports 'spnKey' (secret) and 'spnCertificate'.`);
    }
    case 'workloadidentityfederation': {
      const clientId = requiredAuth('serviceprincipalid', 'service principal (application) id');
      const tenantId = requiredAuth('tenantid', 'tenant id');
      return { ...common, scheme: 'WorkloadIdentityFederation', clientId, tenantId, ...optional('idToken', secretAuth('idToken')) };
    }
    case 'managedserviceidentity':
      return { ...common, scheme: 'ManagedServiceIdentity', tenantId: auth('tenantid') ?? '', ...optional('msiClientId', data('msiclientId')) };
    case '':
      throw new TaskError(`${where} has no authentication scheme. Recreate it as an Azure Resource Manager service connection.`);
    default:
      throw new TaskError(
        `${where} uses the authentication scheme '${rawScheme}', which this task does not support. ` +
          `Use an Azure Resource Manager service connection with workload identity federation, a service principal (secret or certificate) or a managed identity.`,
      );
  }
}

/** The scope to ask Entra ID for, for Resource Manager calls (the Azure CLI's form: audience + '/.default'). */
export function armScope(connection: Pick<AzureRmConnection, 'audience'>): string {
  return `${connection.audience}/.default`;
}

export function describeScheme(scheme: AzureRmScheme): string {
  switch (scheme) {
    case 'ServicePrincipalKey':
      return 'service principal with a secret';
    case 'ServicePrincipalCertificate':
      return 'service principal with a certificate';
    case 'WorkloadIdentityFederation':
      return 'workload identity federation';
    case 'ManagedServiceIdentity':
      return 'managed identity';
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
