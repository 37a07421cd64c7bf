import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { toolEndpoints } from '../../../src/lti/domain/tool-endpoints.js';
import { PROJECT_ROOT } from '../../../src/shared/infrastructure/embedded-db/engine-binary.js';

/** lti-config/canvas-developer-key.json: what a Canvas admin pastes, checked against the tool's URLs. */

const PLACEHOLDER = 'https://pix-lti.example.org';
const endpoints = toolEndpoints(PLACEHOLDER);

interface Placement {
  placement: string;
  message_type: string;
  target_link_uri: string;
}

const key = JSON.parse(
  readFileSync(path.join(PROJECT_ROOT, 'lti-config', 'canvas-developer-key.json'), 'utf8'),
) as {
  title: string;
  description: string;
  oidc_initiation_url: string;
  target_link_uri: string;
  public_jwk_url: string;
  redirect_uris: string[];
  scopes: string[];
  extensions: Array<{
    platform: string;
    domain: string;
    privacy_level: string;
    settings: { placements: Placement[] };
  }>;
};

describe('Unit | LTI | lti-config: Canvas developer key', () => {
  it('names the tool and points at its login, launch and keyset URLs', () => {
    expect(key.title).to.equal('Pix LTI');
    expect(key.description).to.be.a('string').and.not.equal('');
    expect(key.oidc_initiation_url).to.equal(endpoints.loginUrl);
    expect(key.target_link_uri).to.equal(endpoints.launchUrl);
    expect(key.public_jwk_url).to.equal(endpoints.keysetUrl);
    expect(key.redirect_uris).to.deep.equal([endpoints.launchUrl]);
  });

  it('asks for the AGS line item, result and score scopes and NRPS', () => {
    expect(key.scopes).to.have.members([
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
    ]);
  });

  it('is a public Canvas extension with the three placements and their message types', () => {
    expect(key.extensions).to.have.length(1);
    const [extension] = key.extensions;
    expect(extension).to.include({
      platform: 'canvas.instructure.com',
      privacy_level: 'public',
      domain: endpoints.domain,
    });
    const placements = extension?.settings.placements ?? [];
    expect(placements.map((p) => [p.placement, p.message_type])).to.deep.equal([
      ['course_navigation', 'LtiResourceLinkRequest'],
      ['assignment_selection', 'LtiDeepLinkingRequest'],
      ['link_selection', 'LtiDeepLinkingRequest'],
    ]);
  });

  it('sends every placement to the launch URL, which is also the redirect URI', () => {
    const placements = key.extensions.flatMap((extension) => extension.settings.placements);
    for (const placement of placements) {
      expect(placement.target_link_uri, placement.placement).to.equal(endpoints.launchUrl);
      expect(key.redirect_uris).to.include(placement.target_link_uri);
    }
  });

  it('uses only the placeholder base URL, so that one substitution adapts it', () => {
    const urls = JSON.stringify(key).match(/https?:\/\/[^"]+/g) ?? [];
    const ours = urls.filter((url) => !url.startsWith('https://purl.imsglobal.org/'));
    expect(ours.length).to.be.greaterThan(5);
    for (const url of ours) expect(url.startsWith(`${PLACEHOLDER}/`), url).to.equal(true);
  });
});
