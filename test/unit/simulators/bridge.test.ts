import { expect } from 'chai';
import { acceptSimulatorMessage, simulatorUrl } from '../../../public/js/simulator-bridge.js';
import {
  MAX_ANSWER_BYTES,
  clampHeight,
  createMessage,
  readQuery,
  selectScenario,
  translate,
  utf8Length,
} from '../../../public/simulators/shared/protocol.js';

const frame = { name: 'the simulator iframe window' };
const otherFrame = { name: 'another window' };

function event(data: unknown, overrides: Record<string, unknown> = {}) {
  return { source: frame, origin: 'null', data, ...overrides };
}

function message(overrides: Record<string, unknown> = {}) {
  return {
    source: 'pix-lti-simulator',
    version: 1,
    simulator: 'mail-client',
    challenge: 'ch-4.1-phishing-2-s',
    type: 'answer',
    answer: 'reported:m4',
    ...overrides,
  };
}

describe('simulators: parent-side validation (acceptSimulatorMessage)', () => {
  it('accepts a well-formed answer from the simulator iframe and returns a frozen copy', () => {
    const data = message();
    const accepted = acceptSimulatorMessage(event(data), frame);
    expect(accepted).to.deep.equal(data);
    expect(accepted).to.not.equal(data);
    expect(Object.isFrozen(accepted)).to.equal(true);
  });

  it('accepts ready and height messages, and clamps and rounds the height', () => {
    const ready = message({ type: 'ready' });
    delete (ready as Record<string, unknown>).answer;
    expect(acceptSimulatorMessage(event(ready), frame)?.type).to.equal('ready');
    const height = (value: number) => {
      const data: Record<string, unknown> = { ...message({ type: 'height', height: value }) };
      delete data.answer;
      return acceptSimulatorMessage(event(data), frame)?.height;
    };
    expect(height(640.4)).to.equal(640);
    expect(height(12)).to.equal(100);
    expect(height(99999)).to.equal(2000);
    expect(height(-5)).to.equal(100);
  });

  it('accepts a message sent without a challenge id (preview) as challenge ""', () => {
    expect(acceptSimulatorMessage(event(message({ challenge: '' })), frame)?.challenge).to.equal('');
  });

  describe('refuses forged or stray messages', () => {
    const cases: [string, unknown, unknown?][] = [
      ['from another window', event(message(), { source: otherFrame })],
      ['from no window', event(message(), { source: null })],
      ['from a same-origin document (not sandboxed)', event(message(), { origin: 'https://tool.example' })],
      ['from another origin', event(message(), { origin: 'https://evil.example' })],
      ['with an origin spelled differently', event(message(), { origin: 'NULL' })],
      ['whose data is a string', event(JSON.stringify(message()))],
      ['whose data is an array', event([message()])],
      ['whose data is null', event(null)],
      ['whose data is a class instance', event(Object.assign(new (class Forged {})(), message()))],
      ['with the wrong source tag', event(message({ source: 'pix' }))],
      ['with another protocol version', event(message({ version: 2 }))],
      ['with the version as text', event(message({ version: '1' }))],
      ['with an unknown type', event(message({ type: 'navigate' }))],
      ['with an extra key', event(message({ url: 'https://evil.example' }))],
      ['with a missing key', event((({ challenge: _c, ...rest }) => rest)(message()))],
      ['with an answer on a height message', event(message({ type: 'height', height: 300 }))],
      ['with an invalid simulator id', event(message({ simulator: '../admin' }))],
      ['with an invalid challenge id', event(message({ challenge: 'javascript:alert(1)' }))],
      [
        'with a non-numeric height',
        event({ ...(({ answer: _a, ...rest }) => rest)(message()), type: 'height', height: '300' }),
      ],
      [
        'with a NaN height',
        event({ ...(({ answer: _a, ...rest }) => rest)(message()), type: 'height', height: Number.NaN }),
      ],
      [
        'with an infinite height',
        event({ ...(({ answer: _a, ...rest }) => rest)(message()), type: 'height', height: Infinity }),
      ],
      ['with a non-string answer', event(message({ answer: { reported: 'm4' } }))],
      ['with an answer of 10 241 bytes', event(message({ answer: 'a'.repeat(MAX_ANSWER_BYTES + 1) }))],
      ['with an answer over 10 kB in multi-byte characters', event(message({ answer: 'é'.repeat(5121) }))],
      ['that is not an event', null],
    ];
    for (const [label, forged] of cases) {
      it(label, () => {
        expect(acceptSimulatorMessage(forged, frame)).to.equal(null);
      });
    }

    it('when the iframe window is unknown', () => {
      expect(acceptSimulatorMessage(event(message()), null)).to.equal(null);
      expect(acceptSimulatorMessage(event(message(), { source: undefined }), undefined)).to.equal(null);
    });

    it('from a previous challenge or another simulator when the expected ones are given', () => {
      const expected = { simulator: 'mail-client', challenge: 'ch-4.1-phishing-2-s' };
      expect(acceptSimulatorMessage(event(message()), frame, expected)).to.not.equal(null);
      expect(
        acceptSimulatorMessage(event(message({ challenge: 'ch-4.1-phishing-4-s' })), frame, expected),
      ).to.equal(null);
      expect(acceptSimulatorMessage(event(message({ simulator: 'file-manager' })), frame, expected)).to.equal(
        null,
      );
    });
  });

  it('accepts an answer of exactly 10 240 bytes', () => {
    const answer = 'a'.repeat(MAX_ANSWER_BYTES - 4) + '€a'; // € is 3 bytes
    expect(utf8Length(answer)).to.equal(MAX_ANSWER_BYTES);
    expect(acceptSimulatorMessage(event(message({ answer })), frame)?.answer).to.equal(answer);
  });

  it('builds the iframe address with lang, challenge and scenario', () => {
    expect(simulatorUrl('mail-client', { lang: 'en', challenge: 'ch-4.1-phishing-2-s' })).to.equal(
      '/simulators/mail-client/index.html?lang=en&challenge=ch-4.1-phishing-2-s',
    );
    expect(simulatorUrl('spreadsheet', { lang: 'de', scenario: 'orders' })).to.equal(
      '/simulators/spreadsheet/index.html?lang=fr&scenario=orders',
    );
  });
});

describe('simulators: shared protocol module', () => {
  it('reads lang, challenge and scenario from the query string, ignoring invalid values', () => {
    expect(
      readQuery(
        'https://tool.example/simulators/mail-client/index.html?lang=en&challenge=ch-4.1-phishing-2-s&scenario=finance-team',
      ),
    ).to.deep.equal({
      lang: 'en',
      challenge: 'ch-4.1-phishing-2-s',
      scenario: 'finance-team',
      origin: 'https://tool.example',
    });
    expect(
      readQuery('https://tool.example/x/index.html?lang=de&challenge=%3Cscript%3E&scenario=../x'),
    ).to.deep.equal({
      lang: 'fr',
      challenge: '',
      scenario: '',
      origin: 'https://tool.example',
    });
  });

  it('creates messages that the parent accepts, and refuses to create invalid ones', () => {
    const answer = createMessage('mail-client', 'ch-4.1-phishing-2-s', 'answer', { answer: 'reported:m4' });
    expect(acceptSimulatorMessage(event(answer), frame)).to.deep.equal(answer);
    const height = createMessage('mail-client', '', 'height', { height: 5000 });
    expect(height.height).to.equal(2000);
    expect(acceptSimulatorMessage(event(createMessage('mail-client', '', 'ready')), frame)?.type).to.equal(
      'ready',
    );
    expect(() => createMessage('Mail Client', '', 'ready')).to.throw(TypeError);
    expect(() =>
      createMessage('mail-client', '', 'answer', { answer: 'x'.repeat(MAX_ANSWER_BYTES + 1) }),
    ).to.throw(RangeError);
    expect(() => createMessage('mail-client', '', 'height', {})).to.throw(TypeError);
    expect(() => createMessage('mail-client', '', 'navigate')).to.throw(TypeError);
  });

  it('clamps heights and measures UTF-8 sizes', () => {
    expect(clampHeight(50)).to.equal(100);
    expect(clampHeight(2500)).to.equal(2000);
    expect(utf8Length('aé€😀')).to.equal(1 + 2 + 3 + 4);
  });

  it('selects the scenario: explicit name, then the challenge mapping, then the default', () => {
    const file = {
      default: 'basic',
      challenges: { 'ch-1.1-x-2-s': 'advanced' },
      scenarios: { basic: { fr: { n: 1 }, en: { n: 2 } }, advanced: { fr: { n: 3 } } },
    };
    expect(selectScenario(file, { lang: 'en' })).to.deep.equal({ name: 'basic', data: { n: 2 } });
    expect(selectScenario(file, { challenge: 'ch-1.1-x-2-s', lang: 'en' })).to.deep.equal({
      name: 'advanced',
      data: { n: 3 },
    });
    expect(selectScenario(file, { challenge: 'ch-1.1-x-2-s', scenario: 'basic' })).to.deep.equal({
      name: 'basic',
      data: { n: 1 },
    });
    expect(selectScenario(file, { scenario: 'toString' })?.name).to.equal('basic');
    expect(selectScenario(null)).to.equal(null);
  });

  it('translates with placeholders and falls back to the key', () => {
    expect(translate({ hello: 'Bonjour {name} !' }, 'hello', { name: 'Camille' })).to.equal(
      'Bonjour Camille !',
    );
    expect(translate({ hello: 'Hi {name}' }, 'hello')).to.equal('Hi {name}');
    expect(translate({}, 'missing.key')).to.equal('missing.key');
  });
});
