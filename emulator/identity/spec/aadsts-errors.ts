/** Entra ID's errors as it documents them: the OAuth error, the AADSTS code and Entra ID's wording. */
export interface AadError {
  /** OAuth error: invalid_client, unauthorized_client, invalid_request, invalid_resource, invalid_scope, ... */
  error: string;
  /** The AADSTS number, e.g. 7000215. */
  code: number;
  message: string;
}

export const aad = {
  tenantNotFound: (tenant: string): AadError => ({
    error: 'invalid_tenant',
    code: 90002,
    message: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  }),
  missingParameter: (name: string): AadError => ({
    error: 'invalid_request',
    code: 900144,
    message: `The request body must contain the following parameter: '${name}'.`,
  }),
  unsupportedGrantType: (grantType: string): AadError => ({
    error: 'unsupported_grant_type',
    code: 70003,
    message: `The app requested an unsupported grant type '${grantType}'.`,
  }),
  unknownClient: (clientId: string, tenantName: string): AadError => ({
    error: 'unauthorized_client',
    code: 700016,
    message: `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  }),
  invalidScope: (scope: string): AadError => ({
    error: 'invalid_scope',
    code: 1002012,
    message: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  }),
  unknownResource: (resource: string, tenantName: string): AadError => ({
    error: 'invalid_resource',
    code: 500011,
    message: `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  }),
  wrongSecret: (clientId: string): AadError => ({
    error: 'invalid_client',
    code: 7000215,
    message: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  }),
  noCredential: (): AadError => ({
    error: 'invalid_client',
    code: 7000218,
    message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  malformedAssertion: (): AadError => ({ error: 'invalid_request', code: 50027, message: 'JWT token is invalid or malformed.' }),
  unsupportedAssertionType: (type: string): AadError => ({
    error: 'invalid_request',
    code: 700027,
    message: `Client assertion type '${type}' is not supported; use 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.`,
  }),
  unknownCertificate: (thumbprint: string): AadError => ({
    error: 'invalid_client',
    code: 700027,
    message: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app.]`,
  }),
  badSignature: (): AadError => ({ error: 'invalid_client', code: 700027, message: 'Client assertion failed signature validation.' }),
  wrongAssertionAudience: (audience: string, expected: string): AadError => ({
    error: 'invalid_client',
    code: 700027,
    message: `Client assertion contains an invalid audience '${audience}'; expected '${expected}'.`,
  }),
  assertionSubjectMismatch: (): AadError => ({
    error: 'invalid_client',
    code: 700021,
    message: "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
  }),
  assertionNotValidNow: (now: Date, notBefore: Date | undefined, expiry: Date | undefined): AadError => ({
    error: 'invalid_client',
    code: 700024,
    message: `Client assertion is not within its valid time range. Current time: ${now.toISOString()}, assertion valid from ${notBefore?.toISOString() ?? 'unspecified'}, expiry time of assertion ${expiry?.toISOString() ?? 'unspecified'}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
  }),
  noFederatedIssuer: (issuer: string): AadError => ({
    error: 'invalid_client',
    code: 700211,
    message: `No matching federated identity record found for presented assertion issuer '${issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
  }),
  noFederatedAudience: (audience: string): AadError => ({
    error: 'invalid_client',
    code: 700212,
    message: `No matching federated identity record found for presented assertion audience '${audience}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
  }),
  noFederatedSubject: (subject: string, issuer: string): AadError => ({
    error: 'invalid_client',
    code: 700213,
    message: `No matching federated identity record found for presented assertion subject '${subject}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. Assertion Issuer: '${issuer}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
  }),
  federatedSignature: (): AadError => ({
    error: 'invalid_client',
    code: 50013,
    message: 'Assertion failed signature validation. [Reason - The key was not found.]',
  }),
};
