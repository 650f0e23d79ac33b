/** The kubeconfig `npm run local-azure` hands out: every cluster, local-accounts ones with their admin certificate, Entra ID ones with a token. */
import type { LocalAksCluster } from '../aks-service';
import { mergeKubeconfigs } from './kubeconfig';

export function localKubeconfig(clusters: readonly LocalAksCluster[], entraToken: string): string {
  const texts = clusters.map((cluster) => cluster.adminKubeconfig() ?? cluster.tokenKubeconfig(entraToken));
  const first = clusters.find((cluster) => cluster.localAccounts);
  const current = first ? `${first.name}-admin` : (clusters[0]?.name ?? '');
  return mergeKubeconfigs(texts, current);
}
