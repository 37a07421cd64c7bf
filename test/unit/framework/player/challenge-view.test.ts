import { expect } from 'chai';
import { presentChallenge } from '../../../../src/framework/application/challenge-view.js';
import { answerFromForm } from '../../../../src/framework/application/content-routes.js';
import type { Challenge } from '../../../../src/framework/domain/models.js';

const options = {
  filesBaseUrl: '/content/files',
  simulatorsBaseUrl: '/simulators',
  defaultInputLabel: (position: number) => `Answer ${position}`,
};

function challenge(overrides: Partial<Challenge>): Challenge {
  return {
    id: 'ch-1.1-webBrowsing-2-a',
    skillId: '@webBrowsing2',
    type: 'QCU',
    status: 'validated',
    locales: ['fr', 'en'],
    instruction: { fr: 'Quel **navigateur** ?', en: 'Which **browser**?' },
    proposals: { fr: '- Un\n- *Deux*', en: '- One\n- *Two*' },
    solution: { type: 'QCU', answer: 2 },
    attachments: [],
    focused: false,
    accessibility: { blind: true, colorBlind: true },
    irt: { discrimination: 1, difficulty: -1.5, source: 'derived' },
    author: 'writer-a',
    reviewer: 'reviewer-r1',
    ...overrides,
  };
}

describe('Unit | Framework | challenge view', () => {
  it('renders a QCU as radio choices with Markdown, in the requested locale', () => {
    const view = presentChallenge(challenge({}), 'en', options);
    expect(view.instructionHtml).to.equal('<p>Which <strong>browser</strong>?</p>\n');
    expect(view.choices).to.deep.equal([
      { value: '1', html: 'One' },
      { value: '2', html: '<em>Two</em>' },
    ]);
    expect(view.multiple).to.equal(false);
    expect(view.inputsHtml).to.equal('');
  });

  it('marks a QCM as multiple', () => {
    const view = presentChallenge(
      challenge({ type: 'QCM', solution: { type: 'QCM', answers: [1, 2] } }),
      'fr',
      options,
    );
    expect(view.multiple).to.equal(true);
    expect(view.choices.map((choice) => choice.value)).to.deep.equal(['1', '2']);
  });

  it('puts text inputs and selects where their blocks stand, with a label for each', () => {
    const view = presentChallenge(
      challenge({
        type: 'QROCM-ind',
        proposals: {
          fr: 'Ville : ${city#Paris§Ville de départ} et mode ${mode#options=train|avion}',
          en: 'City: ${city#London§Departure city} and mode ${mode#options=train|plane}',
        },
      }),
      'en',
      options,
    );
    expect(view.inputKeys).to.deep.equal(['city', 'mode']);
    expect(view.inputsHtml).to.include(
      'City: <input type="text" id="ch-1-1-webBrowsing-2-a-city" name="answer[city]" aria-label="Departure city"',
    );
    expect(view.inputsHtml).to.include('placeholder="London"');
    expect(view.inputsHtml).to.include(
      '<select id="ch-1-1-webBrowsing-2-a-mode" name="answer[mode]" aria-label="Answer 2" required>',
    );
    expect(view.inputsHtml).to.include('<option value="plane">plane</option>');
    expect(view.inputsHtml).not.to.include('${');
  });

  it('strips scripts and inline handlers that a content file might contain', () => {
    const view = presentChallenge(
      challenge({
        instruction: {
          fr: 'x',
          en: 'Look <script>alert(1)</script><img src=x onerror="alert(2)"> [here](javascript:alert(3))',
        },
      }),
      'en',
      options,
    );
    expect(view.instructionHtml).not.to.match(/script|onerror|javascript:/);
  });

  it('lists attachments with download URLs, type and size, and builds the sandboxed simulator URL', () => {
    const view = presentChallenge(
      challenge({
        attachments: [{ path: '1.3/ventes 2025.csv', mediaType: 'text/csv', sizeBytes: 2048 }],
        embed: {
          simulatorId: 'mail-client',
          title: { fr: 'Messagerie', en: 'Mail' },
          height: 600,
          autoReply: true,
        },
        timer: 90,
        focused: true,
      }),
      'fr',
      options,
    );
    expect(view.attachments).to.deep.equal([
      {
        url: '/content/files/1.3/ventes%202025.csv',
        fileName: 'ventes 2025.csv',
        extension: 'CSV',
        mediaType: 'text/csv',
        sizeBytes: 2048,
      },
    ]);
    expect(view.embed).to.deep.equal({
      src: '/simulators/mail-client/index.html?lang=fr&challenge=ch-1.1-webBrowsing-2-a',
      title: 'Messagerie',
      height: 600,
      autoReply: true,
    });
    expect(view).to.include({ timer: 90, focused: true });
  });

  it('reads a form answer for each type', () => {
    expect(answerFromForm('QCU', { answer: '2' })).to.equal('2');
    expect(answerFromForm('QCM', { answer: ['1', '3'] })).to.equal('1,3');
    expect(answerFromForm('QCM', { answer: '3' })).to.equal('3');
    expect(answerFromForm('QCM', {})).to.equal('');
    expect(answerFromForm('QROC', { answer: { city: 'Lyon' } })).to.equal('Lyon');
    expect(answerFromForm('QROCM-ind', { answer: { a: 'x', b: 'y', c: ['z'] } })).to.deep.equal({
      a: 'x',
      b: 'y',
    });
    expect(() => answerFromForm('QROCM-dep', { answer: 'flat' })).to.throw('does not fit');
  });
});
