import type { Area, Competence, Locale } from '../../framework/domain/models.js';
import type { PositioningScope } from '../domain/activity.js';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * The title of a positioning activity in the page's language: the deep-linking line item's label,
 * the activity pages and the grade's label all use it.
 */
export function positioningTitle(
  scope: PositioningScope,
  framework: { readonly areas: readonly Area[]; readonly competences: readonly Competence[] },
  t: Translate,
  locale: Locale,
): string {
  if (scope.type === 'all') return t('lti.activity.positioningAll');
  if (scope.type === 'area') {
    const area = framework.areas.find((candidate) => candidate.code === scope.code);
    return t('lti.activity.positioningArea', { code: scope.code, name: area ? area.name[locale] : '' });
  }
  const competence = framework.competences.find((candidate) => candidate.code === scope.code);
  return t('lti.activity.positioningCompetence', {
    code: scope.code,
    name: competence ? competence.name[locale] : '',
  });
}
