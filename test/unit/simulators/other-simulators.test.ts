import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import {
  acceptAll,
  activeVendorCount,
  consentAnswer,
  createConsentState,
  refuseAll,
  reopen,
  save,
  setConsent,
  setObjection,
} from '../../../public/simulators/cookie-consent/logic.js';
import {
  createMailState,
  deleteMail,
  domainOf,
  hostOf,
  linksOf,
  mailAnswer,
  mailsInFolder,
  parseBody,
  reportPhishing,
  restoreMail,
  unreport,
} from '../../../public/simulators/mail-client/logic.js';
import {
  createPrivacyState,
  limitPastPosts,
  privacyAnswer,
  removeApp,
  setPostAudience,
  setSetting,
  visibleTo,
} from '../../../public/simulators/privacy-settings/logic.js';
import {
  ShareError,
  addPerson,
  createShareState,
  removePerson,
  setAccess,
  setDownload,
  setExpiry,
  setLinkRole,
  setRole,
  shareAnswer,
} from '../../../public/simulators/share-dialog/logic.js';
import { selectScenario, translate } from '../../../public/simulators/shared/protocol.js';
import {
  consoleAnswer,
  createMachine,
  resolve,
  route,
  runCommand,
} from '../../../public/simulators/troubleshooting-console/logic.js';

describe('simulators: mail client', () => {
  const scenario = {
    account: { name: 'A', address: 'a@example.org' },
    mails: [
      {
        id: 'm1',
        from: { name: 'X', address: 'x@bank.example' },
        date: '2025-01-02T00:00:00Z',
        subject: 's1',
        body: 'Hi [here](https://bank.example.evil.example/login) now',
      },
      {
        id: 'm2',
        from: { name: 'Y', address: 'y@example.org' },
        date: '2025-01-03T00:00:00Z',
        subject: 's2',
        body: 'One\n\nTwo',
      },
    ],
  };

  it('lists folders most recent first and moves messages between folders', () => {
    let state = createMailState(scenario);
    expect(mailsInFolder(state, 'inbox').map((mail) => mail.id)).to.deep.equal(['m2', 'm1']);
    state = reportPhishing(state, 'm1');
    expect(mailsInFolder(state, 'spam').map((mail) => mail.id)).to.deep.equal(['m1']);
    expect(mailAnswer(state)).to.equal('reported:m1');
    state = reportPhishing(state, 'm2');
    expect(mailAnswer(state)).to.equal('reported:m1,m2');
    state = unreport(state, 'm2');
    state = deleteMail(state, 'm1');
    expect(mailAnswer(state)).to.equal('reported:none');
    state = restoreMail(state, 'm1');
    expect(mailsInFolder(state, 'inbox')).to.have.length(2);
    expect(() => reportPhishing(state, 'm9')).to.throw(RangeError);
  });

  it('parses bodies into paragraphs and links, and reads domains', () => {
    expect(parseBody('One\n\nTwo [a](https://x.example/)')).to.deep.equal([
      [{ text: 'One' }],
      [{ text: 'Two ' }, { text: 'a', href: 'https://x.example/' }],
    ]);
    expect(
      linksOf(scenario.mails[0] as { body: string }).map((link) => hostOf(link.href ?? '')),
    ).to.deep.equal(['bank.example.evil.example']);
    expect(domainOf('Someone@Bank.Example')).to.equal('bank.example');
    expect(hostOf('not a url')).to.equal('');
  });
});

describe('simulators: privacy settings', () => {
  const scenario = {
    settings: {
      email: 'friends',
      phone: 'public',
      defaultAudience: 'public',
      tagReview: false,
      locationSharing: 'always',
    },
    posts: [
      { id: 'p1', audience: 'public', text: 'a', date: '2025-01-01' },
      { id: 'p2', audience: 'friendsOfFriends', text: 'b', date: '2025-01-02' },
      { id: 'p3', audience: 'onlyMe', text: 'c', date: '2025-01-03' },
    ],
    apps: [
      { id: 'quiz', name: 'Quiz', permissions: ['messages'] },
      { id: 'run', name: 'Run', permissions: ['location'] },
    ],
  };

  it('shows each kind of viewer what their audience allows', () => {
    const state = createPrivacyState(scenario);
    expect(visibleTo(state, 'public')).to.deep.equal({ profile: ['phone'], posts: ['p1'] });
    expect(visibleTo(state, 'friendOfFriend')).to.deep.equal({ profile: ['phone'], posts: ['p1', 'p2'] });
    expect(visibleTo(state, 'friend')).to.deep.equal({ profile: ['email', 'phone'], posts: ['p1', 'p2'] });
  });

  it('changes settings, post audiences and apps, and reports the requested keys', () => {
    let state = createPrivacyState(scenario);
    state = setSetting(state, 'phone', 'onlyMe');
    state = setSetting(state, 'tagReview', true);
    state = setSetting(state, 'locationSharing', 'whileUsing');
    state = setPostAudience(state, 'p1', 'friends');
    state = removeApp(state, 'quiz');
    expect(privacyAnswer(state, ['phone', 'tagReview', 'locationSharing', 'post:p1', 'apps'])).to.equal(
      'phone=onlyMe;tagReview=on;locationSharing=whileUsing;post:p1=friends;apps=run',
    );
    expect(privacyAnswer(removeApp(state, 'run'), ['apps'])).to.equal('apps=none');
    expect(() => setSetting(state, 'phone', 'everyone')).to.throw(RangeError);
    expect(() => setSetting(state, 'adsPartners', false)).to.throw(RangeError);
    expect(() => createPrivacyState({ settings: { unknown: true } })).to.throw(RangeError);
  });

  it('limits past posts to the chosen audience without widening narrower ones', () => {
    const state = limitPastPosts(createPrivacyState(scenario), 'friends');
    expect(state.posts.map((post) => post.audience)).to.deep.equal(['friends', 'friends', 'onlyMe']);
  });
});

describe('simulators: cookie consent', () => {
  const scenario = {
    purposes: [
      { id: 'necessary', required: true, vendors: [] },
      { id: 'analytics', vendors: ['A'] },
      { id: 'ads', vendors: ['B', 'C'] },
      { id: 'profile', legitimateInterest: true, vendors: ['B', 'D'] },
    ],
  };

  it('starts with nothing accepted and reports pending until a choice is saved', () => {
    const state = createConsentState(scenario);
    expect(consentAnswer(state)).to.equal('consent:pending');
    expect(consentAnswer(save(state))).to.equal('consent:analytics=off,ads=off,profile=on');
  });

  it('"refuse all" leaves legitimate-interest purposes on; an objection turns them off', () => {
    let state = refuseAll(createConsentState(scenario));
    expect(consentAnswer(state)).to.equal('consent:analytics=off,ads=off,profile=on');
    expect(activeVendorCount(state)).to.equal(2);
    state = setObjection(reopen(state), 'profile', true);
    state = setConsent(state, 'analytics', true);
    expect(consentAnswer(save(state))).to.equal('consent:analytics=on,ads=off,profile=off');
    expect(consentAnswer(acceptAll(state))).to.equal('consent:analytics=on,ads=on,profile=on');
    expect(setConsent(state, 'necessary', false).consent.necessary).to.equal(true);
    expect(() => setObjection(state, 'ads', true)).to.throw(RangeError);
  });
});

describe('simulators: share dialog', () => {
  const scenario = {
    file: 'f.docx',
    owner: { name: 'Owner', email: 'owner@example.org' },
    organisation: 'Org',
    people: [{ email: 'b@example.org', name: 'B', role: 'viewer' }],
    access: 'organisation',
    linkRole: 'editor',
  };

  it('adds, changes and removes people, refusing invalid or duplicate addresses', () => {
    let state = createShareState(scenario);
    state = addPerson(state, ' A@Example.org ', 'commenter');
    state = setRole(state, 'b@example.org', 'editor');
    expect(shareAnswer(state, ['people'])).to.equal('people=a@example.org:commenter,b@example.org:editor');
    const code = (operation: () => unknown) => {
      try {
        operation();
        return 'none';
      } catch (error) {
        return error instanceof ShareError ? error.code : 'other';
      }
    };
    expect(code(() => addPerson(state, 'not-an-address'))).to.equal('badEmail');
    expect(code(() => addPerson(state, 'a@example.org'))).to.equal('alreadyShared');
    expect(code(() => addPerson(state, 'owner@example.org'))).to.equal('isOwner');
    expect(code(() => setRole(state, 'a@example.org', 'owner'))).to.equal('badRole');
    state = removePerson(removePerson(state, 'a@example.org'), 'b@example.org');
    expect(shareAnswer(state, ['people'])).to.equal('people=none');
  });

  it('titles the dialog and the page with the file name in both languages, no placeholder left', () => {
    const read = (file: string): unknown =>
      JSON.parse(
        readFileSync(new URL(`../../../public/simulators/share-dialog/${file}`, import.meta.url), 'utf8'),
      );
    const i18n = read('i18n.json') as Record<'fr' | 'en', Record<string, string>>;
    for (const lang of ['fr', 'en'] as const) {
      const data = selectScenario(read('scenarios.json'), { lang })?.data ?? {};
      // The state's `file` (not in the ShareState type) is what app.js puts in the heading.
      const { file } = createShareState(data);
      // What app.js shows as the dialog's heading, and what the bridge makes the page's title.
      const heading = translate(i18n[lang], 'dialogTitle', { file });
      const pageTitle = translate(i18n[lang], 'title');
      expect(heading, lang).to.contain(String(data.file)).and.not.match(/[{}]/);
      expect(pageTitle, lang).to.not.match(/[{}]/);
    }
  });

  it('reports link access, expiry and download', () => {
    let state = createShareState(scenario);
    expect(shareAnswer(state, ['link'])).to.equal('link=organisation:editor');
    state = setLinkRole(setAccess(state, 'anyone'), 'viewer');
    state = setDownload(setExpiry(state, '7d'), false);
    expect(shareAnswer(state, ['link', 'expiry', 'download'])).to.equal(
      'link=anyone:viewer;expiry=7d;download=off',
    );
    expect(shareAnswer(setAccess(state, 'restricted'), ['link'])).to.equal('link=restricted');
    expect(() => setAccess(createShareState({ ...scenario, organisation: null }), 'organisation')).to.throw(
      ShareError,
    );
  });
});

describe('simulators: troubleshooting console', () => {
  const t = (key: string, vars: Record<string, unknown> = {}) =>
    `${key}${Object.keys(vars).length ? ` ${JSON.stringify(vars)}` : ''}`;
  const scenario = {
    hostname: 'PC',
    interfaces: [
      {
        name: 'Ethernet',
        connected: true,
        dhcp: true,
        ip: '192.168.1.23',
        mask: '255.255.255.0',
        gateway: '192.168.1.1',
        dns: ['192.168.1.250'],
        mac: 'AA',
      },
    ],
    lan: { '192.168.1.1': { up: true } },
    internet: { up: true, hosts: ['198.51.100.7'] },
    dnsServers: { '192.168.1.1': { working: true } },
    records: { 'test.example': '198.51.100.7' },
    dhcp: {
      available: true,
      lease: { ip: '192.168.1.37', mask: '255.255.255.0', gateway: '192.168.1.1', dns: ['192.168.1.1'] },
    },
    services: [{ name: 'spooler', label: 'Print spooler', status: 'stopped', startup: 'auto' }],
    disks: [{ name: 'C:', size: 100e9, used: 40e9, folders: [{ path: 'C:\\Users', size: 30e9 }] }],
  };

  it('routes to the LAN and the Internet, and resolves names with the configured DNS server', () => {
    const machine = createMachine(scenario);
    expect(route(machine, '192.168.1.1').ok).to.equal(true);
    expect(route(machine, '198.51.100.7').ok).to.equal(true);
    expect(route(machine, '203.0.113.99').ok).to.equal(false);
    expect(resolve(machine, 'test.example').error).to.equal('noServer');
    expect(consoleAnswer(machine, ['gateway', 'internet', 'names'])).to.equal(
      'gateway=ok;internet=ok;names=fail',
    );
  });

  it('fixes the DNS with setdns, and reports it', () => {
    const { state } = runCommand(createMachine(scenario), 'setdns auto', t);
    expect(resolve(state, 'test.example').ip).to.equal('198.51.100.7');
    expect(consoleAnswer(state, ['names'])).to.equal('names=ok');
    const manual = runCommand(createMachine(scenario), 'setdns 192.168.1.1', t).state;
    expect(consoleAnswer(manual, ['names'])).to.equal('names=ok');
    expect(runCommand(createMachine(scenario), 'setdns nonsense', t).lines).to.deep.equal(['usage.setdns']);
  });

  it('moves between DHCP and a fixed address with setip', () => {
    let machine = runCommand(
      createMachine(scenario),
      'setip 192.168.0.50 255.255.255.0 192.168.0.1',
      t,
    ).state;
    expect(consoleAnswer(machine, ['gateway', 'internet'])).to.equal('gateway=fail;internet=fail');
    expect(runCommand(machine, 'ipconfig /renew', t).lines[0]).to.contain('ipconfig.notDhcp');
    machine = runCommand(machine, 'setip dhcp', t).state;
    expect(consoleAnswer(machine, ['gateway', 'internet', 'names'])).to.equal(
      'gateway=ok;internet=ok;names=ok',
    );
  });

  it('refuses with setip an address already used by another device, the gateway or another card', () => {
    const withPrinter = {
      ...scenario,
      lan: { ...scenario.lan, '192.168.1.20': { up: true } },
      interfaces: [
        ...scenario.interfaces,
        { ...scenario.interfaces[0], name: 'Wi-Fi', connected: false, dhcp: false, ip: '192.168.1.77' },
      ],
    };
    const machine = createMachine(withPrinter);
    const attempts: [string, string][] = [
      ['setip 192.168.1.20 255.255.255.0 192.168.1.1', 'setip.conflict'], // the printer's address
      ['setip 192.168.001.020 255.255.255.0 192.168.1.1', 'setip.conflict'], // the same, written otherwise
      ['setip 192.168.1.1 255.255.255.0 192.168.1.254', 'setip.conflict'], // the router's address
      ['setip 192.168.1.1 255.255.255.0 192.168.1.1', 'setip.isGateway'],
      ['setip 192.168.1.77 255.255.255.0 192.168.1.1', 'setip.conflictCard'], // the Wi-Fi card's address
    ];
    for (const [command, message] of attempts) {
      const result = runCommand(machine, command, t);
      expect(result.lines, command).to.have.length(1);
      expect(result.lines[0], command).to.contain(message);
      expect(result.state, command).to.deep.equal(machine); // nothing changed
    }
    // A free address of the same network is accepted, and so is the card's own address.
    const free = runCommand(machine, 'setip 192.168.1.60 255.255.255.0 192.168.1.1', t).state;
    expect(free.interfaces[0]?.ip).to.equal('192.168.1.60');
    expect(consoleAnswer(free, ['gateway'])).to.equal('gateway=ok');
    const same = runCommand(machine, 'setip 192.168.1.23 255.255.255.0 192.168.1.1', t);
    expect(same.lines[0]).to.contain('setip.static');
  });

  it('starts and stops services', () => {
    let machine = createMachine(scenario);
    expect(consoleAnswer(machine, ['service:spooler'])).to.equal('service:spooler=stopped');
    machine = runCommand(machine, 'service start SPOOLER', t).state;
    expect(consoleAnswer(machine, ['service:spooler'])).to.equal('service:spooler=running');
    expect(runCommand(machine, 'service start spooler', t).lines[0]).to.contain('service.alreadyRunning');
    expect(runCommand(machine, 'service start nope', t).lines[0]).to.contain('service.unknown');
  });

  it('prints ping, ipconfig, diskusage and help output, and explains unknown commands', () => {
    const machine = createMachine(scenario);
    const ping = runCommand(machine, 'ping 192.168.1.1', t).lines;
    expect(ping.filter((line) => line.startsWith('ping.reply'))).to.have.length(4);
    expect(runCommand(machine, 'ping test.example', t).lines[0]).to.contain('ping.unknownHost');
    expect(
      runCommand(machine, 'ping 203.0.113.99', t).lines.filter((line) => line === 'ping.timeout'),
    ).to.have.length(4);
    expect(runCommand(machine, 'ipconfig /all', t).lines.join('\n')).to.contain('192.168.1.250');
    expect(runCommand(machine, 'diskusage', t).lines).to.have.length(2);
    expect(runCommand(machine, 'help', t).lines.length).to.be.greaterThan(5);
    expect(runCommand(machine, 'format c:', t).lines[0]).to.contain('unknownCommand');
    expect(runCommand(machine, '   ', t).lines).to.deep.equal([]);
    expect(runCommand(machine, 'clear', t).clear).to.equal(true);
  });
});
