/**
 * The local Azure's certificates: a CA of its own, a server certificate for 127.0.0.1/localhost signed
 * by it, and self-signed client certificates (for service principals). Made with the openssl CLI.
 */
import { execFile } from 'node:child_process';
import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertificateAuthority {
  certificatePem: string;
  certificatePath: string;
  keyPath: string;
}

export interface KeyAndCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 30_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed: ${stderr.trim() || String(error)}`);
  }
}

/** Creates a CA (EC P-256, 30 days) in `directory`. */
export async function createCertificateAuthority(directory: string, commonName: string): Promise<CertificateAuthority> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const keyPath = join(directory, 'ca.key');
  const certificatePath = join(directory, 'ca.crt');
  await openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certificatePath, '-days', '30', '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { certificatePem: await readFile(certificatePath, 'utf8'), certificatePath, keyPath };
}

/** A TLS server certificate for 127.0.0.1 and localhost, signed by the CA. */
export async function createServerCertificate(ca: CertificateAuthority, directory: string): Promise<KeyAndCertificate> {
  const keyPath = join(directory, 'server.key');
  const certificatePath = join(directory, 'server.crt');
  await openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certificatePath, '-days', '30', '-subj', '/CN=127.0.0.1',
    '-CA', ca.certificatePath, '-CAkey', ca.keyPath,
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-addext', 'basicConstraints=critical,CA:FALSE',
    '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment',
    '-addext', 'extendedKeyUsage=serverAuth',
  ]);
  return { certificatePem: await readFile(certificatePath, 'utf8'), privateKeyPem: await readFile(keyPath, 'utf8') };
}

/** A self-signed RSA certificate, as `New-SelfSignedCertificate` would make for a service principal. */
export async function createSelfSignedClientCertificate(directory: string, name: string): Promise<KeyAndCertificate> {
  const keyPath = join(directory, `${name}.key`);
  const certificatePath = join(directory, `${name}.crt`);
  await openssl([
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certificatePath,
    '-days', '30', '-subj', `/CN=${name}`,
  ]);
  return { certificatePem: await readFile(certificatePath, 'utf8'), privateKeyPem: await readFile(keyPath, 'utf8') };
}

export interface SignedCertificateRequest {
  /** File name stem in `directory`. */
  name: string;
  /** An openssl subject, e.g. `/O=system:masters/CN=masterclient`. */
  subject: string;
  usage: 'server' | 'client';
  /** Subject alternative names for a server certificate: `IP:127.0.0.1`, `DNS:kubernetes`, ... */
  altNames?: readonly string[];
}

/** A certificate (EC P-256, 30 days) signed by `ca`, for a TLS server or a TLS client. */
export async function createSignedCertificate(ca: CertificateAuthority, directory: string, request: SignedCertificateRequest): Promise<KeyAndCertificate> {
  const keyPath = join(directory, `${request.name}.key`);
  const certificatePath = join(directory, `${request.name}.crt`);
  const extensions =
    request.usage === 'server'
      ? ['-addext', `subjectAltName=${(request.altNames ?? ['IP:127.0.0.1']).join(',')}`, '-addext', 'extendedKeyUsage=serverAuth']
      : ['-addext', 'extendedKeyUsage=clientAuth'];
  await openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certificatePath, '-days', '30', '-subj', request.subject,
    '-CA', ca.certificatePath, '-CAkey', ca.keyPath,
    '-addext', 'basicConstraints=critical,CA:FALSE',
    '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment',
    ...extensions,
  ]);
  return { certificatePem: await readFile(certificatePath, 'utf8'), privateKeyPem: await readFile(keyPath, 'utf8') };
}
