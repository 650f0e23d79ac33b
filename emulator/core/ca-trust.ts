/**
 * Makes this Node process trust the local Azure's CA, for in-process clients in tests (NODE_EXTRA_CA_CERTS
 * is only read when a process starts; child processes get it from agentEnvironment()). Adds the CA to
 * every TLS context built with the default trust store, as the `syswide-cas` package does.
 */
import tls from 'node:tls';

interface NativeContext {
  addCACert(pem: string): void;
}

const trusted = new Set<string>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const original = tls.createSecureContext;
  const patched: typeof tls.createSecureContext = (options) => {
    const secureContext = original(options);
    if (options?.ca === undefined) {
      const native = secureContext.context as NativeContext;
      for (const pem of trusted) native.addCACert(pem);
    }
    return secureContext;
  };
  (tls as { createSecureContext: typeof tls.createSecureContext }).createSecureContext = patched;
}

/** Trusts `caPem` in this process until the returned function is called. */
export function trustCertificateAuthorityInProcess(caPem: string): () => void {
  install();
  trusted.add(caPem);
  return () => {
    trusted.delete(caPem);
  };
}
