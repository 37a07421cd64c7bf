import path from 'node:path';
import ejs from 'ejs';
import type { Request, Response } from 'express';
import { resolveLocale } from '../../src/shared/domain/locale.js';
import type { LaunchStore } from '../../src/lti/infrastructure/launch-store.js';
import { ltiProvider } from '../../src/lti/infrastructure/lti-provider.js';
import type { I18n } from '../../src/shared/infrastructure/i18n/i18n.js';
import { PROJECT_ROOT } from '../../src/shared/infrastructure/embedded-db/engine-binary.js';
import {
  createPlatformEmulator,
  ltijsToolRegistration,
  ROLE,
  type PlatformConfig,
  type PlatformEmulator,
} from './lti-platform/index.js';

/**
 * The local demo LMS of `npm start` (development only): a one-course platform, built on the test
 * platform emulator, whose /demo page lets anyone act as one of two learners or the teacher, launch
 * the tool in an iframe, add an activity through deep linking, and read the gradebook the tool wrote.
 * It runs on its own origin (<host>:<DEMO_LMS_PORT>).
 */

export const DEMO_CLIENT_ID = 'pix-lti-demo';
export const DEMO_DEPLOYMENT_ID = 'demo-deployment';
export const DEMO_COURSE_ID = 'demo-course';

interface DemoPerson {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly string[];
}

const PEOPLE: readonly [DemoPerson, ...DemoPerson[]] = [
  {
    id: 'learner-camille',
    name: 'Camille Martin',
    email: 'camille.martin@example.org',
    roles: [ROLE.learner],
  },
  { id: 'learner-sacha', name: 'Sacha Petit', email: 'sacha.petit@example.org', roles: [ROLE.learner] },
  {
    id: 'teacher-dominique',
    name: 'Dominique Bernard',
    email: 'dominique.bernard@example.org',
    roles: [ROLE.instructor],
  },
];

export interface DemoLms {
  readonly url: string;
  readonly emulator: PlatformEmulator;
  stop(): Promise<void>;
}

export async function startDemoLms(options: {
  toolPublicUrl: string;
  port: number;
  /**
   * The demo's host. By default the tool's own hostname when it is local (same site, another port),
   * so that plain-HTTP development works; a browser test sets 127.0.0.1 against https://localhost to
   * embed the tool cross-site, as a real LMS does.
   */
  host?: string;
  i18n: I18n;
  /** Keeps the compiled page (the browser tests); development recompiles it on every request. */
  cacheView?: boolean;
  /** PEM certificate to trust when fetching the tool's JWKS (the browser tests' self-signed one). */
  trustedToolCa?: string;
  /** Registers the demo platform and its deployment in the tool (idempotent). */
  register(platform: PlatformConfig['ltijsRegistration'], deploymentId: string): Promise<void>;
}): Promise<DemoLms> {
  const toolHost = new URL(options.toolPublicUrl).hostname;
  const emulator = createPlatformEmulator({
    ...(options.trustedToolCa !== undefined && { trustedToolCa: options.trustedToolCa }),
    host: options.host ?? (toolHost === 'localhost' ? 'localhost' : '127.0.0.1'),
    port: options.port,
    courses: [
      {
        id: DEMO_COURSE_ID,
        title: 'Culture numérique — démo',
        members: PEOPLE.map(({ id, name, email, roles }) => ({
          user: { id, name, email },
          roles: [...roles],
        })),
        resourceLinks: [
          {
            id: 'demo-positioning-area-4',
            title: 'Positionnement – Protection et sécurité',
            custom: { activity: 'positioning', scope: 'area:4' },
            lineItem: {
              scoreMaximum: 144,
              label: 'Positionnement – Protection et sécurité',
              resourceId: 'positioning:area:4',
              tag: 'pix-lti',
            },
          },
        ],
      },
    ],
  });
  const { url } = await emulator.start();
  emulator.registerTool(
    ltijsToolRegistration(`${options.toolPublicUrl}/lti`, {
      clientId: DEMO_CLIENT_ID,
      appRoute: '/launch',
      deploymentIds: [DEMO_DEPLOYMENT_ID],
      name: 'Pix LTI',
    }),
  );
  await options.register(emulator.platformConfig(DEMO_CLIENT_ID).ltijsRegistration, DEMO_DEPLOYMENT_ID);

  const view = path.join(PROJECT_ROOT, 'views', 'demo', 'lms.ejs');
  const render = async (req: Request, res: Response) => {
    const locale = resolveLocale(
      typeof req.query.lang === 'string' ? req.query.lang : undefined,
      req.get('accept-language'),
    );
    const t = options.i18n.t(locale);
    const person = PEOPLE.find((candidate) => candidate.id === req.query.as) ?? PEOPLE[0];
    const links = emulator.gradebook.resourceLinks(DEMO_COURSE_ID);
    const open =
      typeof req.query.open === 'string' ? links.find((link) => link.id === req.query.open) : undefined;
    const teacher = person.roles.includes(ROLE.instructor);
    const deepLinking = teacher && req.query.add === '1';
    const frameUrl = open
      ? emulator.prepareLaunch({
          user: person.id,
          resourceLinkId: open.id,
          launchPresentation: { locale, document_target: 'iframe' },
        }).browserStartUrl
      : deepLinking
        ? emulator.prepareLaunch({
            user: person.id,
            messageType: 'LtiDeepLinkingRequest',
            launchPresentation: { locale, document_target: 'iframe' },
          }).browserStartUrl
        : undefined;
    const gradebook = emulator.gradebookOf(DEMO_COURSE_ID).map((entry) => ({
      label: entry.lineItem.label,
      scoreMaximum: entry.lineItem.scoreMaximum,
      scores: PEOPLE.filter((candidate) => candidate.roles.includes(ROLE.learner)).map((learner) => ({
        name: learner.name,
        score: entry.latest[learner.id],
      })),
    }));
    const html = await ejs.renderFile(
      view,
      {
        t,
        locale,
        otherLocale: locale === 'fr' ? 'en' : 'fr',
        people: PEOPLE,
        person,
        teacher,
        links,
        open,
        deepLinking,
        frameUrl,
        gradebook,
        formatNumber: (value: number) => options.i18n.formatNumber(locale, value),
      },
      { cache: options.cacheView ?? false },
    );
    res.type('html').send(html);
  };
  emulator.app.get(['/', '/demo'], (req, res, next) => {
    render(req, res).catch(next);
  });

  return {
    url: `${url}/demo`,
    emulator,
    stop: () => emulator.stop(),
  };
}

/** Registers the demo platform in the tool (active) and records its deployment. */
export function registerDemoPlatformIn(
  launchStore: Pick<LaunchStore, 'addDeployment'>,
  now: () => Date,
): (platform: PlatformConfig['ltijsRegistration'], deploymentId: string) => Promise<void> {
  return async (platform, deploymentId) => {
    const registered = await ltiProvider().registerPlatform(platform);
    await registered.platformActive(true);
    await launchStore.addDeployment(
      { issuer: platform.url, clientId: platform.clientId, deploymentId, source: 'admin' },
      now(),
    );
  };
}
