import path from 'node:path';
import express, { type Router } from 'express';
import { checkAnswer, type AnswerValue } from '../domain/answer-checking/index.js';
import type { ContentIndex } from '../domain/content-index.js';
import type { Framework, Locale } from '../domain/models.js';
import { resolveLocale } from '../../shared/domain/locale.js';
import { setResponseLocale } from '../../shared/application/http.js';
import type { I18n } from '../../shared/infrastructure/i18n/i18n.js';
import { DomainError } from '../../shared/domain/errors.js';
import { presentChallenge, type ChallengeViewOptions } from './challenge-view.js';

export const FILES_BASE_URL = '/content/files';
export const SIMULATORS_BASE_URL = '/simulators';

export function challengeViewOptions(
  t: (key: string, options?: Record<string, unknown>) => string,
): ChallengeViewOptions {
  return {
    filesBaseUrl: FILES_BASE_URL,
    simulatorsBaseUrl: SIMULATORS_BASE_URL,
    defaultInputLabel: (position) => t('player.answerField', { position }),
  };
}

/**
 * The attached files of the challenge bank, served as downloads: `nosniff`, `attachment`, and only
 * the files the bank references (a request for anything else is a 404, whatever is in the folder).
 */
export function createContentFilesRouter(deps: { contentDir: string; framework: Framework }): Router {
  const router = express.Router();
  const referenced = new Set(
    deps.framework.challenges.flatMap((challenge) => [
      ...challenge.attachments.map((attachment) => attachment.path),
      ...(challenge.illustration ? [challenge.illustration.path] : []),
    ]),
  );
  const filesDir = path.join(deps.contentDir, 'files');
  router.get('/*', (req, res, next) => {
    const relative = decodeURIComponent(req.path.slice(1));
    if (!referenced.has(relative)) {
      next();
      return;
    }
    const isImage = /\.(png|jpe?g|gif|webp)$/i.test(relative);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'public, max-age=3600');
    if (!isImage) res.attachment(path.posix.basename(relative));
    res.sendFile(relative, { root: filesDir, dotfiles: 'deny' }, (error) => {
      if (error) next(error);
    });
  });
  return router;
}

/** The answer a form sends: `answer` (QCU, QCM as several values) or `answer[<key>]` (QROC/QROCM). */
export function answerFromForm(type: string, body: Record<string, unknown>): AnswerValue {
  const answer = body.answer;
  if (type === 'QCU' || type === 'QROC') {
    if (typeof answer === 'string') return answer;
    if (answer && typeof answer === 'object' && !Array.isArray(answer)) {
      const [first] = Object.values(answer as Record<string, unknown>);
      return typeof first === 'string' ? first : '';
    }
    return '';
  }
  if (type === 'QCM') {
    const values = Array.isArray(answer) ? answer : answer === undefined ? [] : [answer];
    return values.filter((value): value is string => typeof value === 'string').join(',');
  }
  if (answer && typeof answer === 'object' && !Array.isArray(answer)) {
    return Object.fromEntries(
      Object.entries(answer as Record<string, unknown>).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  }
  throw new DomainError('ANSWER_MALFORMED', 'The answer does not fit this challenge.');
}

/**
 * The authors' preview (development only): any challenge by id, in either language, rendered by the
 * same partial as the learner's player, with its answer checked on submit.
 */
export function createPreviewRouter(deps: { framework: Framework; index: ContentIndex; i18n: I18n }): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: true, limit: '16kb' }));

  router.get('/', (req, res) => {
    const competence = typeof req.query.competence === 'string' ? req.query.competence : '';
    const challenges = deps.framework.challenges
      .filter((challenge) => !competence || challenge.id.startsWith(`ch-${competence}-`))
      .map((challenge) => ({
        id: challenge.id,
        type: challenge.type,
        status: challenge.status,
        skillId: challenge.skillId,
      }));
    res.render('framework/preview-list', { challenges, competences: deps.framework.competences, competence });
  });

  const show =
    (status: number, verdict?: { correct: boolean; details?: Readonly<Record<string, boolean>> }) =>
    (req: express.Request, res: express.Response) => {
      const challenge = deps.index.challengesById.get(String(req.params.id));
      if (!challenge) {
        res.status(404).render('shared/error', { kind: 'notFound', message: '', correlationId: '' });
        return;
      }
      const locale: Locale = resolveLocale(
        typeof req.query.lang === 'string' ? req.query.lang : undefined,
        'fr',
      );
      setResponseLocale(res, deps.i18n, locale);
      const t = res.locals.t as (key: string, options?: Record<string, unknown>) => string;
      const view = presentChallenge(challenge, locale, challengeViewOptions(t));
      res.status(status).render('framework/preview', {
        challenge: view,
        meta: {
          status: challenge.status,
          skillId: challenge.skillId,
          author: challenge.author,
          reviewer: challenge.reviewer,
        },
        verdict,
        formAction: `/dev/challenges/${encodeURIComponent(challenge.id)}?lang=${locale}`,
      });
    };

  router.get('/:id', show(200));
  router.post('/:id', (req, res, next) => {
    const challenge = deps.index.challengesById.get(String(req.params.id));
    if (!challenge) {
      next();
      return;
    }
    try {
      const locale: Locale = resolveLocale(
        typeof req.query.lang === 'string' ? req.query.lang : undefined,
        'fr',
      );
      const value = answerFromForm(challenge.type, req.body as Record<string, unknown>);
      show(200, checkAnswer(challenge.solution, value, locale))(req, res);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
