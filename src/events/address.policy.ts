/**
 * Which addresses a webhook may reach. By default only public ones: loopback, private (RFC 1918, unique
 * local), link-local (cloud metadata at 169.254.169.254), CGNAT, multicast and unspecified addresses are
 * refused, checked on the address the name resolved to at connect time (a name that resolves to a private
 * address, or changes to one, is refused too). `GEOPERA_WEBHOOK_ALLOW_PRIVATE=1` allows them (air-gapped
 * sites post to their own network).
 */
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) blocked.addSubnet(net, bits, 'ipv6');

/** Whether an IP address is loopback, private, link-local or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  return blocked.check(address, 'ipv6');
}

/** Why a webhook URL cannot be used (scheme, credentials, a literal private address), or undefined when it can. */
export function webhookUrlProblem(url: string, allowPrivate: boolean): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not an absolute URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `only http(s) URLs are allowed, not ${u.protocol}`;
  if (u.username || u.password) return 'the URL must not carry credentials';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (host === 'localhost' || (isIP(host) !== 0 && isPrivateAddress(host)))) {
    return `${host} is a private address (set GEOPERA_WEBHOOK_ALLOW_PRIVATE=1 to allow them)`;
  }
  return undefined;
}
