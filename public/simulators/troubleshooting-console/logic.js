/**
 * Troubleshooting console simulator: a fictional computer's network, disks and services, and a
 * few commands (no DOM). `runCommand(state, line, t)` returns { state, lines } where lines are
 * output text built with the translation function t(key, vars).
 */

export const PUBLIC_RESOLVERS = Object.freeze(['1.1.1.1', '8.8.8.8', '9.9.9.9']);

export function createMachine(scenario) {
  return structuredClone({
    hostname: scenario.hostname,
    interfaces: scenario.interfaces,
    lan: scenario.lan ?? {},
    internet: scenario.internet ?? { up: false, hosts: [] },
    dnsServers: scenario.dnsServers ?? {},
    records: scenario.records ?? {},
    dhcp: scenario.dhcp ?? null,
    disks: scenario.disks ?? [],
    services: scenario.services ?? [],
  });
}

export function ipToInt(ip) {
  const parts = String(ip).split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return null;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

export function isIp(text) {
  return ipToInt(text) !== null;
}

function sameSubnet(a, b, mask) {
  const [x, y, m] = [ipToInt(a), ipToInt(b), ipToInt(mask)];
  if (x === null || y === null || m === null) return false;
  // Bitwise operators work on signed 32-bit integers: compare as unsigned.
  return (x & m) >>> 0 === (y & m) >>> 0;
}

/** The interface in use: the first connected one with a usable address. */
export function activeInterface(state) {
  return state.interfaces.find((nic) => nic.connected && nic.ip) ?? null;
}

function usable(nic) {
  return nic && nic.connected && nic.ip && !nic.ip.startsWith('169.254.');
}

/** Can this computer reach that IP? Returns { ok, reason, latency }. */
export function route(state, ip) {
  if (ip === '127.0.0.1') return { ok: true, latency: 0 };
  const nic = activeInterface(state);
  if (!nic || !nic.connected) return { ok: false, reason: 'noNetwork' };
  if (sameSubnet(nic.ip, ip, nic.mask)) {
    const host = state.lan[ip];
    return host && host.up && usable(nic) === true
      ? { ok: true, latency: host.latency ?? 2 }
      : { ok: false, reason: 'unreachable' };
  }
  if (!usable(nic) || !nic.gateway || !sameSubnet(nic.ip, nic.gateway, nic.mask))
    return { ok: false, reason: 'unreachable' };
  const gateway = state.lan[nic.gateway];
  if (!gateway || !gateway.up) return { ok: false, reason: 'timeout' };
  if (!state.internet.up) return { ok: false, reason: 'timeout' };
  const known = state.internet.hosts.includes(ip) || PUBLIC_RESOLVERS.includes(ip);
  return known ? { ok: true, latency: state.internet.latency ?? 21 } : { ok: false, reason: 'timeout' };
}

/** Name resolution with the active interface's DNS servers: { ip } or { error: 'noServer' | 'notFound' }. */
export function resolve(state, name) {
  if (isIp(name)) return { ip: name };
  const nic = activeInterface(state);
  const servers = nic?.dns ?? [];
  for (const server of servers) {
    const working = PUBLIC_RESOLVERS.includes(server) || state.dnsServers[server]?.working;
    if (!working || !route(state, server).ok) continue;
    const ip = state.records[name.toLowerCase()];
    return ip ? { ip, server } : { error: 'notFound', server };
  }
  return { error: 'noServer', server: servers[0] ?? null };
}

function findService(state, name) {
  const wanted = name.toLowerCase();
  return state.services.find((service) => service.name.toLowerCase() === wanted);
}

function setActiveNic(state, change) {
  const nic = activeInterface(state) ?? state.interfaces.find((candidate) => candidate.connected);
  if (!nic) return null;
  return {
    ...state,
    interfaces: state.interfaces.map((candidate) =>
      candidate === nic ? { ...candidate, ...change(candidate) } : candidate,
    ),
  };
}

/**
 * The device already using an IP address on this computer's network, or null: a host of the
 * scenario's `lan` (the router, the printer…, keyed by their address) or another network card of
 * this computer. Two devices cannot share an address, so setip refuses such an address.
 */
export function addressOwner(state, ip, nic = activeInterface(state)) {
  const wanted = ipToInt(ip);
  if (wanted === null) return null;
  const host = Object.keys(state.lan).find((address) => ipToInt(address) === wanted);
  if (host) return { kind: 'lan', ip: host };
  const card = state.interfaces.find(
    (candidate) => candidate !== nic && candidate.ip && ipToInt(candidate.ip) === wanted,
  );
  return card ? { kind: 'interface', name: card.name } : null;
}

function formatBytes(bytes, t) {
  return t('gb', { value: (bytes / 1e9).toFixed(1).replace('.', t('decimalSeparator')) });
}

const COMMANDS = [
  'help',
  'ipconfig',
  'ping',
  'nslookup',
  'setdns',
  'setip',
  'diskusage',
  'services',
  'service',
  'clear',
];

/** Runs one command line. Unknown commands and bad arguments give an explanation, never throw. */
export function runCommand(state, line, t) {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return { state, lines: [] };
  const [command, ...args] = words;
  const name = command.toLowerCase();
  const out = (key, vars) => t(key, vars);
  switch (name) {
    case 'help':
      return { state, lines: COMMANDS.map((cmd) => out(`help.${cmd}`)) };
    case 'clear':
      return { state, lines: [], clear: true };
    case 'ipconfig':
      return ipconfig(state, args, out);
    case 'ping': {
      if (!args[0]) return { state, lines: [out('usage.ping')] };
      const target = args[0];
      const resolved = resolve(state, target);
      if (resolved.error) return { state, lines: [out('ping.unknownHost', { host: target })] };
      const result = route(state, resolved.ip);
      const lines = [out('ping.header', { host: target, ip: resolved.ip })];
      for (let i = 0; i < 4; i++) {
        if (result.ok)
          lines.push(out('ping.reply', { ip: resolved.ip, time: Math.max(1, result.latency + (i % 2)) }));
        else if (result.reason === 'timeout') lines.push(out('ping.timeout'));
        else if (result.reason === 'noNetwork') lines.push(out('ping.generalFailure'));
        else lines.push(out('ping.unreachable'));
      }
      lines.push(
        out('ping.summary', { ip: resolved.ip, received: result.ok ? 4 : 0, lost: result.ok ? 0 : 4 }),
      );
      return { state, lines };
    }
    case 'nslookup': {
      if (!args[0]) return { state, lines: [out('usage.nslookup')] };
      const resolved = resolve(state, args[0]);
      const server = resolved.server ?? out('none');
      if (resolved.error === 'noServer')
        return { state, lines: [out('nslookup.server', { server }), out('nslookup.timeout', { server })] };
      if (resolved.error === 'notFound')
        return {
          state,
          lines: [out('nslookup.server', { server }), out('nslookup.notFound', { host: args[0] })],
        };
      return {
        state,
        lines: [
          out('nslookup.server', { server }),
          out('nslookup.answer', { host: args[0], ip: resolved.ip }),
        ],
      };
    }
    case 'setdns': {
      if (!args.length) return { state, lines: [out('usage.setdns')] };
      if (args[0].toLowerCase() === 'auto') {
        const nic = activeInterface(state);
        if (!nic?.dhcp) return { state, lines: [out('setdns.noDhcp')] };
        const next = setActiveNic(state, () => ({ dns: [...(state.dhcp?.lease?.dns ?? [])], dnsAuto: true }));
        return { state: next, lines: [out('setdns.auto')] };
      }
      if (!args.every(isIp)) return { state, lines: [out('usage.setdns')] };
      const next = setActiveNic(state, () => ({ dns: args, dnsAuto: false }));
      return next
        ? { state: next, lines: [out('setdns.done', { servers: args.join(', ') })] }
        : { state, lines: [out('ping.generalFailure')] };
    }
    case 'setip': {
      if (args[0]?.toLowerCase() === 'dhcp') {
        if (!state.dhcp?.available) {
          const next = setActiveNic(state, () => ({
            dhcp: true,
            ip: '169.254.36.112',
            mask: '255.255.0.0',
            gateway: '',
            dns: [],
          }));
          return { state: next ?? state, lines: [out('setip.dhcpFailed')] };
        }
        const lease = state.dhcp.lease;
        const next = setActiveNic(state, () => ({
          dhcp: true,
          ip: lease.ip,
          mask: lease.mask,
          gateway: lease.gateway,
          dns: [...lease.dns],
          dnsAuto: true,
        }));
        return { state: next ?? state, lines: [out('setip.dhcpOk', { ip: lease.ip })] };
      }
      if (args.length === 3 && args.every(isIp)) {
        const [ip, mask, gateway] = args;
        // The card setActiveNic changes: an address used by another device is refused.
        const card = activeInterface(state) ?? state.interfaces.find((candidate) => candidate.connected);
        if (ipToInt(ip) === ipToInt(gateway)) return { state, lines: [out('setip.isGateway', { ip })] };
        const owner = card ? addressOwner(state, ip, card) : null;
        if (owner) {
          const key = owner.kind === 'lan' ? 'setip.conflict' : 'setip.conflictCard';
          return { state, lines: [out(key, { ip, name: owner.name ?? '' })] };
        }
        const next = setActiveNic(state, (nic) => ({ dhcp: false, ip, mask, gateway, dns: nic.dns }));
        return { state: next ?? state, lines: [out('setip.static', { ip, mask, gateway })] };
      }
      return { state, lines: [out('usage.setip')] };
    }
    case 'diskusage': {
      const lines = [];
      for (const disk of state.disks) {
        lines.push(
          out('disk.line', {
            name: disk.name,
            used: formatBytes(disk.used, t),
            size: formatBytes(disk.size, t),
            free: formatBytes(disk.size - disk.used, t),
            percent: Math.round((disk.used / disk.size) * 100),
          }),
        );
        for (const folder of [...(disk.folders ?? [])].sort((a, b) => b.size - a.size)) {
          lines.push(out('disk.folder', { path: folder.path, size: formatBytes(folder.size, t) }));
        }
      }
      return { state, lines: lines.length ? lines : [out('disk.none')] };
    }
    case 'services':
      return {
        state,
        lines: [
          out('services.header'),
          ...state.services.map((service) =>
            out('services.line', {
              name: service.name.padEnd(12),
              label: service.label,
              status: out(`status.${service.status}`).padEnd(8),
              startup: out(`startup.${service.startup}`).padEnd(11),
            }),
          ),
        ],
      };
    case 'service': {
      const [action, serviceName] = args;
      if (!['start', 'stop', 'restart'].includes(action?.toLowerCase()) || !serviceName)
        return { state, lines: [out('usage.service')] };
      const service = findService(state, serviceName);
      if (!service) return { state, lines: [out('service.unknown', { name: serviceName })] };
      const verb = action.toLowerCase();
      if (verb === 'start' && service.status === 'running')
        return { state, lines: [out('service.alreadyRunning', { name: service.name })] };
      if (verb === 'stop' && service.status === 'stopped')
        return { state, lines: [out('service.alreadyStopped', { name: service.name })] };
      const status = verb === 'stop' ? 'stopped' : service.canStart === false ? 'stopped' : 'running';
      const next = {
        ...state,
        services: state.services.map((candidate) =>
          candidate === service ? { ...candidate, status } : candidate,
        ),
      };
      const key =
        verb === 'stop' ? 'service.stopped' : status === 'running' ? 'service.started' : 'service.failed';
      return { state: next, lines: [out(key, { name: service.name })] };
    }
    default:
      return { state, lines: [out('unknownCommand', { command })] };
  }
}

function ipconfig(state, args, out) {
  const option = (args[0] ?? '').toLowerCase();
  if (option === '/renew') {
    const nic = state.interfaces.find((candidate) => candidate.connected);
    if (!nic) return { state, lines: [out('ipconfig.noMedia')] };
    if (!nic.dhcp) return { state, lines: [out('ipconfig.notDhcp', { name: nic.name })] };
    if (!state.dhcp?.available) return { state, lines: [out('ipconfig.renewFailed', { name: nic.name })] };
    const lease = state.dhcp.lease;
    const next = setActiveNic(state, (current) => ({
      ip: lease.ip,
      mask: lease.mask,
      gateway: lease.gateway,
      dns: current.dnsAuto === false ? current.dns : [...lease.dns],
    }));
    return { ...ipconfig(next, [], out), state: next };
  }
  if (option === '/flushdns') return { state, lines: [out('ipconfig.flushed')] };
  if (option && option !== '/all') return { state, lines: [out('usage.ipconfig')] };
  const all = option === '/all';
  const lines = [out('ipconfig.title')];
  if (all) lines.push(out('ipconfig.host', { name: state.hostname }));
  for (const nic of state.interfaces) {
    lines.push('', out('ipconfig.adapter', { name: nic.name }));
    if (!nic.connected) {
      lines.push(out('ipconfig.disconnected'));
      if (all) lines.push(out('ipconfig.mac', { mac: nic.mac }));
      continue;
    }
    if (all) {
      lines.push(out('ipconfig.description', { text: nic.description ?? nic.name }));
      lines.push(out('ipconfig.mac', { mac: nic.mac }));
      lines.push(out('ipconfig.dhcp', { value: out(nic.dhcp ? 'yes' : 'no') }));
    }
    lines.push(out('ipconfig.ip', { ip: nic.ip || out('none') }));
    lines.push(out('ipconfig.mask', { mask: nic.mask || out('none') }));
    lines.push(out('ipconfig.gateway', { gateway: nic.gateway || out('none') }));
    if (all) lines.push(out('ipconfig.dns', { servers: nic.dns?.length ? nic.dns.join(', ') : out('none') }));
  }
  return { state, lines };
}

/**
 * The answer posted to the player: the checks named by the scenario's `report`, in order, e.g.
 * "gateway=ok;internet=ok;names=fail;service:spooler=running".
 * Checks: gateway (ping the gateway), internet (ping the first internet host), names (resolve the
 * first record), service:<name> (its status).
 */
export function consoleAnswer(state, report = []) {
  return report
    .map((check) => {
      if (check.startsWith('service:')) {
        const service = findService(state, check.slice(8));
        return `${check}=${service ? service.status : 'unknown'}`;
      }
      const nic = activeInterface(state);
      if (check === 'gateway')
        return `gateway=${nic?.gateway && route(state, nic.gateway).ok ? 'ok' : 'fail'}`;
      if (check === 'internet')
        return `internet=${state.internet.hosts[0] && route(state, state.internet.hosts[0]).ok ? 'ok' : 'fail'}`;
      if (check === 'names') {
        const name = Object.keys(state.records)[0];
        const resolved = name ? resolve(state, name) : { error: 'notFound' };
        return `names=${resolved.ip && route(state, resolved.ip).ok ? 'ok' : 'fail'}`;
      }
      return `${check}=unknown`;
    })
    .join(';');
}
