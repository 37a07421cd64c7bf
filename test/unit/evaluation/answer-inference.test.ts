import { expect } from 'chai';
import { applyAnswer, type AnswerToApply } from '../../../src/evaluation/domain/answer-inference.js';
import { buildEngineIndex, buildScope } from '../../../src/evaluation/domain/engine-index.js';
import {
  latestKnowledgeElements,
  type KnowledgeElement,
} from '../../../src/evaluation/domain/knowledge-element.js';
import { DomainError } from '../../../src/shared/domain/errors.js';
import { buildFramework, challengeId } from '../../support/builders/evaluation/framework-builder.js';

const index = buildEngineIndex(
  buildFramework({ '1.1': { web: [1, 2, 3, 4, 5], mail: [2, 3] } }, { challengesPerSkill: 2 }),
);
const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1, 0, minutes));

function answer(skillId: string, correct: boolean, answerIndex = 0, k = 0): AnswerToApply {
  return { assessmentId: 'a1', answerIndex, challengeId: challengeId(skillId, k), correct };
}

function summary(kes: readonly KnowledgeElement[]): string[] {
  return kes.map((k) => `${k.skillId} ${k.source} ${k.status} ${k.earnedPix}`);
}

describe('applyAnswer: from an answer to knowledge elements', () => {
  it('a correct answer validates the skill directly and infers the untested easier skills of its tube', () => {
    const { created } = applyAnswer({
      index,
      knowledgeElements: [],
      answer: answer('@web3', true),
      createdAt: at(0),
    });
    expect(summary(created)).to.deep.equal([
      '@web3 direct validated 4',
      '@web1 inferred validated 4',
      '@web2 inferred validated 4',
    ]);
    expect(created.every((k) => k.createdAt.getTime() === at(0).getTime() && k.answerIndex === 0)).to.equal(
      true,
    );
    expect(created[0]?.challengeId).to.equal('ch-web3');
  });

  it('a wrong answer invalidates the skill directly and infers the untested harder skills, with 0 pix', () => {
    const { created } = applyAnswer({
      index,
      knowledgeElements: [],
      answer: answer('@web3', false),
      createdAt: at(0),
    });
    expect(summary(created)).to.deep.equal([
      '@web3 direct invalidated 0',
      '@web4 inferred invalidated 0',
      '@web5 inferred invalidated 0',
    ]);
  });

  it('never infers onto an assessed skill, and never across tubes', () => {
    const first = applyAnswer({
      index,
      knowledgeElements: [],
      answer: answer('@web2', false),
      createdAt: at(0),
    });
    const second = applyAnswer({
      index,
      knowledgeElements: first.created,
      answer: answer('@web1', true, 1),
      createdAt: at(1),
      algorithm: 'pix',
    });
    expect(summary(second.created)).to.deep.equal(['@web1 direct validated 4']);
    const mail = applyAnswer({
      index,
      knowledgeElements: [],
      answer: answer('@mail3', true),
      createdAt: at(0),
    });
    expect(summary(mail.created)).to.deep.equal(['@mail3 direct validated 4', '@mail2 inferred validated 4']);
  });

  it("'pix': an answer on an already assessed skill creates nothing", () => {
    const first = applyAnswer({
      index,
      knowledgeElements: [],
      answer: answer('@web3', false),
      createdAt: at(0),
      algorithm: 'pix',
    });
    const again = applyAnswer({
      index,
      knowledgeElements: first.created,
      answer: answer('@web4', true, 1),
      createdAt: at(1),
      algorithm: 'pix',
    });
    expect(again).to.deep.equal({ created: [], alreadyApplied: false });
  });

  it("'improved': a confirmation supersedes the skill's KE and flips the contradicted inferred KEs only", () => {
    const slip = applyAnswer({
      index,
      knowledgeElements: [],
      answer: answer('@web2', false),
      createdAt: at(0),
      algorithm: 'improved',
    });
    const confirm = applyAnswer({
      index,
      knowledgeElements: slip.created,
      answer: answer('@web4', true, 1),
      createdAt: at(1),
      algorithm: 'improved',
    });
    expect(summary(confirm.created)).to.deep.equal([
      '@web4 direct validated 4',
      '@web1 inferred validated 4',
      '@web3 inferred validated 4',
    ]);
    const latest = latestKnowledgeElements([...slip.created, ...confirm.created]);
    expect(summary(latest)).to.deep.equal([
      '@web2 direct invalidated 0',
      '@web3 inferred validated 4',
      '@web4 direct validated 4',
      '@web5 inferred invalidated 0',
      '@web1 inferred validated 4',
    ]);
  });

  it('is idempotent: the same (assessment, position) applied again creates nothing', () => {
    const first = applyAnswer({
      index,
      knowledgeElements: [],
      answer: answer('@web3', true),
      createdAt: at(0),
    });
    const resubmitted = applyAnswer({
      index,
      knowledgeElements: first.created,
      answer: answer('@web3', false),
      createdAt: at(5),
    });
    expect(resubmitted).to.deep.equal({ created: [], alreadyApplied: true });
  });

  it('creates nothing for a skill outside the targeted scope', () => {
    const webOnly = buildScope(index, 'web', [
      index.skillIdxById.get('@web1') ?? -1,
      index.skillIdxById.get('@web2') ?? -1,
    ]);
    const outside = applyAnswer({
      index,
      scope: webOnly,
      knowledgeElements: [],
      answer: answer('@mail2', true),
      createdAt: at(0),
    });
    expect(outside.created).to.deep.equal([]);
    const inside = applyAnswer({
      index,
      scope: webOnly,
      knowledgeElements: [],
      answer: answer('@web2', true),
      createdAt: at(0),
    });
    expect(summary(inside.created)).to.deep.equal(['@web2 direct validated 4', '@web1 inferred validated 4']);
  });

  it('rejects an unknown challenge', () => {
    expect(() =>
      applyAnswer({
        index,
        knowledgeElements: [],
        answer: { assessmentId: 'a', answerIndex: 0, challengeId: 'nope', correct: true },
        createdAt: at(0),
      }),
    )
      .to.throw(DomainError)
      .with.property('code', 'UNKNOWN_CHALLENGE');
  });
});
