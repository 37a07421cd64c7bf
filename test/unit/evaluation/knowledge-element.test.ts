import { expect } from 'chai';
import { buildEngineIndex } from '../../../src/evaluation/domain/engine-index.js';
import {
  computeSkillStates,
  latestKnowledgeElements,
  readSkillStates,
  SkillState,
} from '../../../src/evaluation/domain/knowledge-element.js';
import { buildFramework, ke } from '../../support/builders/evaluation/framework-builder.js';

const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1, 0, minutes));

describe('knowledge elements: only the latest non-reset KE per skill counts', () => {
  it('keeps the latest KE of each skill by createdAt, whatever the list order', () => {
    const kes = [
      ke('@web2', 'invalidated', { createdAt: at(5) }),
      ke('@web2', 'validated', { createdAt: at(1) }),
      ke('@web1', 'validated', { createdAt: at(0) }),
    ];
    expect(latestKnowledgeElements(kes).map((k) => [k.skillId, k.status])).to.deep.equal([
      ['@web2', 'invalidated'],
      ['@web1', 'validated'],
    ]);
  });

  it('breaks a createdAt tie by list order: the later element wins', () => {
    const kes = [
      ke('@web2', 'validated', { createdAt: at(1) }),
      ke('@web2', 'invalidated', { createdAt: at(1) }),
    ];
    expect(latestKnowledgeElements(kes).map((k) => k.status)).to.deep.equal(['invalidated']);
  });

  it('drops a skill whose latest KE is a reset one, but not one reset then assessed again', () => {
    const kes = [
      ke('@web1', 'validated', { createdAt: at(0) }),
      ke('@web1', 'reset', { createdAt: at(10) }),
      ke('@web2', 'validated', { createdAt: at(0) }),
      ke('@web2', 'reset', { createdAt: at(10) }),
      ke('@web2', 'invalidated', { createdAt: at(20) }),
    ];
    expect(latestKnowledgeElements(kes).map((k) => [k.skillId, k.status])).to.deep.equal([
      ['@web2', 'invalidated'],
    ]);
  });

  describe('skill states for the engine', () => {
    const index = buildEngineIndex(buildFramework({ '1.1': { web: [1, 2, 3, 4] }, '1.2': { data: [1] } }));
    const stateOf = (states: Int8Array, id: string) => states[index.skillIdxById.get(id) ?? -1];

    it('codes direct/inferred and validated/invalidated, reset as untested', () => {
      const states = computeSkillStates(index, [
        ke('@web1', 'validated', { source: 'inferred' }),
        ke('@web2', 'validated'),
        ke('@web3', 'invalidated'),
        ke('@web4', 'invalidated', { source: 'inferred', createdAt: at(0) }),
        ke('@web4', 'reset', { createdAt: at(1) }),
      ]);
      expect(['@web1', '@web2', '@web3', '@web4'].map((id) => stateOf(states, id))).to.deep.equal([
        SkillState.inferredValidated,
        SkillState.directValidated,
        SkillState.directInvalidated,
        SkillState.untested,
      ]);
    });

    it('leaves skills outside the scope untested', () => {
      const scope = index.competenceByCode.get('1.1')?.scope;
      const states = computeSkillStates(index, [ke('@data1', 'validated', { competenceCode: '1.2' })], {
        scope,
      });
      expect(stateOf(states, '@data1')).to.equal(SkillState.untested);
    });

    it('ignores invalidated KEs up to the improving cutoff, never validated ones', () => {
      const states = computeSkillStates(
        index,
        [
          ke('@web1', 'validated', { createdAt: at(0) }),
          ke('@web2', 'invalidated', { createdAt: at(0) }),
          ke('@web3', 'invalidated', { createdAt: at(30) }),
        ],
        { ignoreInvalidatedUpTo: at(10).getTime() },
      );
      expect(['@web1', '@web2', '@web3'].map((id) => stateOf(states, id))).to.deep.equal([
        SkillState.directValidated,
        SkillState.untested,
        SkillState.directInvalidated,
      ]);
    });

    it('counts every alive direct answer by level, superseded ones included, not those before a reset', () => {
      const view = readSkillStates(index, [
        ke('@web2', 'validated', { createdAt: at(0) }),
        ke('@web2', 'reset', { createdAt: at(1) }),
        ke('@web2', 'invalidated', { createdAt: at(2) }),
        ke('@web2', 'validated', { createdAt: at(3) }),
        ke('@web3', 'invalidated', { createdAt: at(3) }),
        ke('@web1', 'validated', { createdAt: at(3), source: 'inferred' }),
      ]);
      expect([...view.aliveAttempts]).to.deep.equal([0, 0, 2, 1, 0, 0, 0, 0, 0]);
      expect([...view.aliveSuccesses]).to.deep.equal([0, 0, 1, 0, 0, 0, 0, 0, 0]);
    });
  });
});
