/** The shapes passed between the API server's HTTP layer and its handlers. */
import type { IncomingHttpHeaders } from 'node:http';
import type { ServedResourceType } from '../store/resource-types';
import type { ResourceRequest } from './request-info';

export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
}

export interface ApiRequest {
  info: ResourceRequest;
  type: ServedResourceType;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  user: UserInfo;
}

export interface WatchSink {
  send(event: { type: string; object: unknown }): void;
  end(): void;
  onClose(listener: () => void): void;
}

export type ApiResult =
  | { kind: 'json'; status: number; body: unknown; warnings?: string[] }
  | { kind: 'text'; status: number; body: string }
  | { kind: 'watch'; start(sink: WatchSink): void };

export const json = (status: number, body: unknown, warnings?: string[]): ApiResult => ({ kind: 'json', status, body, ...(warnings && warnings.length > 0 ? { warnings } : {}) });
