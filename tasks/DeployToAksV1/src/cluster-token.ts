/**
 * The Entra ID token an AKS-managed Entra ID cluster accepts: for the AKS server application, from the
 * service connection's own credential (any of its four schemes), as kubelogin's `get-token` would get it.
 * @azure/identity caches it until shortly before it expires; each new token is masked once.
 */
import type { TokenCredential } from '@azure/core-auth';
import { TaskError } from '../../common/errors';
import type { BearerTokenSource } from './kube-client';

export function clusterTokenSource(credential: TokenCredential, serverAppId: string, setSecret: (value: string) => void): BearerTokenSource {
  let last: string | undefined;
  return async () => {
    const token = await credential.getToken(`${serverAppId}/.default`);
    if (!token?.token) throw new TaskError(`Entra ID returned no token for the AKS server application ${serverAppId}.`);
    if (token.token !== last) {
      setSecret(token.token);
      last = token.token;
    }
    return token.token;
  };
}
