import { expect } from 'chai';
import { CookieJar, parseSetCookie } from '../../support/lti-platform/cookie-jar.js';
import {
  autoSubmitForm,
  decodeHtmlEntities,
  escapeHtml,
  parseForms,
  parseSingleForm,
} from '../../support/lti-platform/html.js';

describe('Unit | LTI platform emulator | cookie jar', () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const jar = () => new CookieJar({ now: () => now });

  it('keeps host-only cookies for their host and path, ignoring the port', () => {
    const cookies = jar();
    cookies.store('http://127.0.0.1:4000/login', [
      'stateabc=s%3Aiss.sig; Max-Age=60; Path=/; HttpOnly; SameSite=Lax',
    ]);
    cookies.store('http://127.0.0.1:4000/app/launch', ['scoped=1']);
    expect(cookies.headerFor('http://127.0.0.1:5000/launch')).to.equal('stateabc=s%3Aiss.sig');
    expect(cookies.headerFor('http://127.0.0.1:4000/app/page')).to.equal('scoped=1; stateabc=s%3Aiss.sig');
    expect(cookies.headerFor('http://localhost:4000/launch')).to.equal(undefined);
    expect(cookies.get('stateabc')).to.include({ httpOnly: true, sameSite: 'Lax', hostOnly: true });
  });

  it('expires cookies by Max-Age or Expires, and deletes them on Max-Age=0', () => {
    const cookies = jar();
    cookies.store('http://tool.test/', [
      'short=1; Max-Age=60',
      `dated=1; Expires=${new Date(now + 1000).toUTCString()}`,
    ]);
    expect(cookies.all().map(({ name }) => name)).to.deep.equal(['short', 'dated']);
    cookies.store('http://tool.test/', ['short=; Max-Age=0']);
    expect(cookies.headerFor('http://tool.test/')).to.equal('dated=1');
    now += 2000;
    expect(cookies.headerFor('http://tool.test/')).to.equal(undefined);
  });

  it('sends Secure cookies over https only, and domain cookies to subdomains', () => {
    const cookies = jar();
    cookies.store('https://tool.example.org/', [
      'sec=1; Secure; SameSite=None',
      'wide=1; Domain=example.org',
    ]);
    expect(cookies.headerFor('http://tool.example.org/')).to.equal('wide=1');
    expect(cookies.headerFor('https://tool.example.org/')).to.equal('sec=1; wide=1');
    expect(cookies.headerFor('https://other.example.org/')).to.equal('wide=1');
    cookies.store('https://tool.example.org/', ['foreign=1; Domain=evil.org']);
    expect(cookies.get('foreign')).to.equal(undefined);
  });

  it('removes, clones and parses', () => {
    const cookies = jar();
    cookies.store('http://tool.test/', ['statex=1', 'lti=2']);
    const copy = cookies.clone();
    expect(copy.remove((cookie) => cookie.name.startsWith('state'))).to.equal(1);
    expect(copy.headerFor('http://tool.test/')).to.equal('lti=2');
    expect(cookies.headerFor('http://tool.test/')).to.equal('statex=1; lti=2');
    expect(parseSetCookie('novalue', new URL('http://tool.test/'), now)).to.equal(undefined);
    expect(parseSetCookie('a=b=c; Path=/x', new URL('http://tool.test/y/z'), now)).to.include({
      value: 'b=c',
      path: '/x',
    });
  });
});

describe('Unit | LTI platform emulator | HTML forms', () => {
  it('writes an auto-submitting form that reads back', () => {
    const html = autoSubmitForm('https://tool.test/launch?a=1&b=2', { id_token: 'x.y.z', state: 'a"b<c>' });
    expect(html).to.include('.submit()');
    expect(parseSingleForm(html)).to.deep.equal({
      action: 'https://tool.test/launch?a=1&b=2',
      method: 'POST',
      fields: { id_token: 'x.y.z', state: 'a"b<c>' },
    });
  });

  it("reads ltijs's deep linking form and other attribute orders", () => {
    const ltijsForm = `<form id="ltijs_submit" style="display: none;" action="https://lms.test/dl" method="POST">
  <input type="hidden" name="JWT" value="a.b.c" />
</form>`;
    expect(parseSingleForm(ltijsForm)).to.deep.equal({
      action: 'https://lms.test/dl',
      method: 'POST',
      fields: { JWT: 'a.b.c' },
    });
    const other = `<FORM method=post action='/x'><input value='1' name=first><textarea name="t">a &amp; b</textarea></FORM>`;
    expect(parseForms(other)).to.deep.equal([
      { action: '/x', method: 'POST', fields: { first: '1', t: 'a & b' } },
    ]);
    expect(() => parseSingleForm('<p>no form</p>')).to.throw(/found 0/);
  });

  it('escapes and decodes entities', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).to.equal(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    expect(decodeHtmlEntities('&#x41;&#66;&amp;&quot;&unknown;')).to.equal('AB&"&unknown;');
  });
});
