import { expect } from 'chai';
import { parseForms, parseSingleForm } from '../../support/lti-platform/index.js';
import { startToolWithPlatform, type ToolWithPlatform } from '../../support/tool-fixture.js';

describe('Acceptance | LTI | deep linking', function () {
  this.timeout(60_000);
  let tool: ToolWithPlatform;

  before(async () => {
    tool = await startToolWithPlatform('deep-linking');
  });

  after(async () => {
    await tool?.stop();
  });

  async function openPicker(locale?: string) {
    const response = await tool.client.launch({
      user: 'teacher-1',
      messageType: 'LtiDeepLinkingRequest',
      ...(locale && { launchPresentation: { locale } }),
    });
    expect(response.status, response.body.slice(0, 300)).to.equal(200);
    return response;
  }

  it('shows the teacher an activity picker listing positioning scopes, practice and mock certification', async () => {
    const page = await openPicker('en');
    expect(page.body).to.include('<h1>Choose a Pix activity</h1>');
    expect(page.body).to.include('value="all"');
    expect(page.body).to.include('value="area:4"');
    expect(page.body).to.include('value="competence:4.1"');
    expect(page.body.match(/<fieldset disabled>/g)).to.have.length(2);
  });

  it('answers with a signed LtiDeepLinkingResponse that the platform accepts, with a line item', async () => {
    const page = await openPicker();
    const [picker] = parseForms(page.body);
    const submitted = await tool.client.request(new URL(picker?.action ?? '', page.url).toString(), {
      method: 'POST',
      form: { choice: 'area:4' },
    });
    expect(submitted.status).to.equal(200);
    const returnForm = parseSingleForm(submitted.body);
    expect(returnForm.action.startsWith(tool.emulator.baseUrl)).to.equal(true);
    expect(Object.keys(returnForm.fields)).to.deep.equal(['JWT']);
    const back = await tool.client.request(returnForm.action, { method: 'POST', form: returnForm.fields });
    expect(back.status).to.be.within(200, 299);

    const event = tool.emulator.lastEvent('deep-linking');
    expect(event?.ok, JSON.stringify(event?.errors)).to.equal(true);
    expect(event?.contentItems).to.have.length(1);
    const [item] = event?.contentItems ?? [];
    expect(item).to.deep.include({
      type: 'ltiResourceLink',
      url: `${tool.server.url}/lti/launch`,
      custom: { activity: 'positioning', scope: 'area:4' },
    });
    expect((item as { lineItem?: unknown }).lineItem).to.deep.equal({
      scoreMaximum: 144,
      label: 'Positionnement – domaine 4 Protection et sécurité',
      resourceId: 'positioning:area:4',
      tag: 'pix-lti',
    });
    expect(event?.lineItems.map((lineItem) => lineItem.scoreMaximum)).to.deep.equal([144]);

    // A learner who opens the new link lands on that activity.
    const link = event?.resourceLinks[0];
    const launch = await tool.client.launch({ user: 'learner-1', resourceLinkId: link?.id ?? '' });
    expect(launch.status).to.equal(200);
    expect(launch.body).to.include('<h1>Positionnement – domaine 4 Protection et sécurité</h1>');
  });

  it('refuses an unknown choice with the picker and a message, sending nothing to the platform', async () => {
    const before = tool.emulator.events('deep-linking').length;
    const page = await openPicker();
    const [picker] = parseForms(page.body);
    const submitted = await tool.client.request(new URL(picker?.action ?? '', page.url).toString(), {
      method: 'POST',
      form: { choice: 'competence:9.9' },
    });
    expect(submitted.status).to.equal(400);
    expect(submitted.body).to.include('role="alert"');
    expect(tool.emulator.events('deep-linking')).to.have.length(before);
  });
});
