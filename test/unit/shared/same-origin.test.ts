import { expect } from 'chai';
import { crossSiteReason } from '../../../src/shared/application/same-origin.js';

describe('Unit | Shared | cross-site writes', () => {
  const tool = 'https://pix-lti.example.org';

  it('lets the tool’s own pages write, and clients that send neither header', () => {
    expect(crossSiteReason({ secFetchSite: 'same-origin', origin: tool }, tool)).to.equal(undefined);
    expect(crossSiteReason({ origin: tool }, tool)).to.equal(undefined);
    expect(crossSiteReason({ secFetchSite: 'same-origin' }, tool)).to.equal(undefined);
    expect(crossSiteReason({ secFetchSite: 'none' }, tool)).to.equal(undefined);
    expect(crossSiteReason({}, tool)).to.equal(undefined);
  });

  it('refuses a write the browser marks cross-site', () => {
    expect(crossSiteReason({ secFetchSite: 'cross-site' }, tool)).to.equal('SEC_FETCH_SITE_CROSS_SITE');
    expect(crossSiteReason({ secFetchSite: 'Cross-Site', origin: tool }, tool)).to.equal(
      'SEC_FETCH_SITE_CROSS_SITE',
    );
  });

  it('refuses a write from another origin, an opaque one included', () => {
    for (const origin of [
      'https://lms.example.org',
      'http://pix-lti.example.org',
      'https://pix-lti.example.org:8443',
      'https://sub.pix-lti.example.org',
      'null',
      '',
    ]) {
      expect(crossSiteReason({ secFetchSite: 'same-site', origin }, tool), origin).to.equal('FOREIGN_ORIGIN');
    }
  });
});
