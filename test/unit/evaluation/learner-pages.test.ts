import { expect } from 'chai';
import { answerBody } from '../../../src/evaluation/application/learner-routes.js';
import { renderRosace } from '../../../src/evaluation/application/rosace.js';

describe('Unit | Evaluation | learner pages', () => {
  describe('answerBody', () => {
    it('rebuilds answer[key] fields into an object (QROC/QROCM)', () => {
      expect(answerBody({ position: '3', 'answer[nom]': 'Dupont', 'answer[ville]': 'Lyon' })).to.deep.equal({
        answer: { nom: 'Dupont', ville: 'Lyon' },
      });
    });

    it('keeps a single answer (QCU) and repeated answers (QCM)', () => {
      expect(answerBody({ answer: '2' })).to.deep.equal({ answer: '2' });
      expect(answerBody({ answer: ['1', '3'] })).to.deep.equal({ answer: ['1', '3'] });
    });
  });

  describe('renderRosace', () => {
    const areas = [
      { code: '1', name: 'Information', color: '#f1a141' },
      { code: '2', name: 'Communication', color: '#564da6' },
    ];
    const competence = (code: string, areaCode: string, level: number) => ({ code, areaCode, level });

    it('draws one background sector per competence and a filled one per competence above level 0', () => {
      const svg = renderRosace(
        {
          areas,
          maxLevel: 6,
          competences: [competence('1.1', '1', 3), competence('1.2', '1', 0), competence('2.1', '2', 6)],
        } as never,
        'Rosace <test>',
      );
      expect(svg).to.match(/^<svg class="rosace"[^>]*role="img"/);
      expect(svg).to.contain('aria-label="Rosace &#60;test&#62;"');
      expect(svg.match(/fill-opacity="0.18"/g)).to.have.length(3);
      expect(svg.match(/<path d="[^"]+" fill="#[0-9a-f]{6}"\/>/g)).to.have.length(2);
      expect(svg).to.contain('fill="#564da6"').and.to.contain('>2.1</text>');
    });
  });
});
