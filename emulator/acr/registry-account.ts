/** A registry's identities: admin user, service principals (client id + secret), and ACR refresh tokens. */
import { timingSafeEqual } from 'node:crypto';
import { findApplication, type Directory } from '../identity/directory';
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

/** What any authenticated identity may do: everything (the emulator has no RBAC; see README). */
export const GRANTED_ACTIONS = ['pull', 'push', 'delete', 'metadata_read', 'metadata_write'];
