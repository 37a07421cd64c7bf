import { expect } from 'chai';
import { LOCALES } from '../../../src/framework/domain/models.js';

describe('smoke', () => {
  it('loads TypeScript through tsx', () => {
    expect(LOCALES).to.deep.equal(['fr', 'en']);
  });
});
