/**
 * How Debian's azure-cli (`az`, 2.45) signs in to the local Azure, unchanged and with no shim (pure):
 * its own config folder, the CA for Python's requests, the cloud registered from Resource Manager's
 * `/metadata/endpoints` (whose AD FS-form login endpoint lets MSAL skip instance discovery), and a
 * service principal sign-in whose secret is read from a file (`@file`), never from the command line.
 */

/** A suffix that never resolves: `az acr` only appends it to names it could not find through ARM. */
export const ACR_LOGIN_SERVER_SUFFIX = '.azurecr.invalid';

export interface AzureCliSetupInputs {
  instanceId: string;
  /** Resource Manager origin, e.g. https://127.0.0.1:41234 (no trailing slash: az appends /metadata/endpoints). */
  armOrigin: string;
  tenantId: string;
  clientId: string;
  /** File holding the service principal's secret (mode 0600). */
  secretFile: string;
  caCertificatePath: string;
  /** AZURE_CONFIG_DIR for this instance (removed with it). */
  configDirectory: string;
}

export interface AzureCliSetup {
  cloudName: string;
  /** Variables az needs: its config folder and the CA bundle for HTTPS. */
  environment: Record<string, string>;
  /** `az` argument lists, in order: register the cloud, make it active, sign in. */
  commands: string[][];
}

export function azureCliSetup(inputs: AzureCliSetupInputs): AzureCliSetup {
  const cloudName = `LocalAzure-${inputs.instanceId}`;
  return {
    cloudName,
    environment: { AZURE_CONFIG_DIR: inputs.configDirectory, REQUESTS_CA_BUNDLE: inputs.caCertificatePath },
    commands: [
      ['cloud', 'register', '--name', cloudName, '--endpoint-resource-manager', inputs.armOrigin.replace(/\/$/, ''), '--suffix-acr-login-server-endpoint', ACR_LOGIN_SERVER_SUFFIX],
      ['cloud', 'set', '--name', cloudName],
      ['login', '--service-principal', '--username', inputs.clientId, '--password', `@${inputs.secretFile}`, '--tenant', inputs.tenantId, '--output', 'none'],
    ],
  };
}
