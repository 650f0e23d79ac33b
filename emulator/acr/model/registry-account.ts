/** A registry's identities: admin user, service principals (client id + secret), and ACR refresh tokens. */
import { timingSafeEqual } from 'node:crypto';
import { findApplication, type Directory } from '../../identity/model/directory';
import { ALL_ACTIONS, allowedActions, type RegistryAction, type RoleAssignment } from './registry-roles';
import type { RegistryTokens } from './registry-tokens';

export const TOKEN_USERNAME = '00000000-0000-0000-0000-000000000000';

export interface RegistryAccount {
  name: string;
  resourceGroup: string;
  location: string;
  loginServer: string;
  adminUserEnabled: boolean;
  adminUsername: string;
  adminPasswords: readonly [string, string];
  createdAt: Date;
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The subject (object id, or 'admin') that `username`/`password` authenticate as, else undefined. */
export function identifyCaller(account: RegistryAccount, directory: Directory, tokens: RegistryTokens, username: string, password: string): string | undefined {
  if (username === TOKEN_USERNAME) return tokens.checkRefreshToken(password);
  if (account.adminUserEnabled && username.toLowerCase() === account.adminUsername.toLowerCase() && account.adminPasswords.some((p) => same(p, password))) {
    return 'admin';
  }
  const app = findApplication(directory, username);
  if (app?.secrets.some((secret) => same(secret, password))) return app.objectId;
  return undefined;
}

/** The subject of the refresh tokens the emulator's own `pushImage` helper uses (acts like the admin user). */
export const PUSH_HELPER_SUBJECT = 'local-azure-push-helper';

/**
 * What a caller identified by `identifyCaller` may do on the registry `registryId`: everything for the
 * admin user (and the push helper), else what its role assignments allow (nothing without a role).
 */
export function callerActions(subject: string, registryId: string, assignments: readonly RoleAssignment[]): readonly RegistryAction[] {
  if (subject === 'admin' || subject === PUSH_HELPER_SUBJECT) return ALL_ACTIONS;
  return allowedActions(assignments, subject, registryId);
}
