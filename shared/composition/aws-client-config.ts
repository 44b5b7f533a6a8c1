/**
 * SDK client settings from configuration. An endpoint on this machine is one of the local protocol
 * emulators (tools/local-aws): it checks no signature, but the SDK signs every request, so it gets
 * fixed dummy credentials, which also keeps real ones from ever being sent to a local port.
 */
export function awsClientConfig(region: string, endpoint: string | undefined) {
  if (endpoint === undefined) return { region };
  const host = new URL(endpoint).hostname;
  const local = host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
  return local
    ? { region, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
    : { region, endpoint };
}
