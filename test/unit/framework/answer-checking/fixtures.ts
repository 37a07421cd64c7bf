import type {
  LocalizedVariants,
  QrocmDepSolution,
  QrocmIndSolution,
  QrocSolution,
  TextInputSolution,
  Tolerances,
} from '../../../../src/framework/domain/models.js';

export const NO_TOLERANCE: Tolerances = { t1: false, t2: false, t3: false };
export const T1: Tolerances = { t1: true, t2: false, t3: false };
export const T2: Tolerances = { t1: false, t2: true, t3: false };
export const T3: Tolerances = { t1: false, t2: false, t3: true };
export const T1_T2: Tolerances = { t1: true, t2: true, t3: false };
export const ALL_TOLERANCES: Tolerances = { t1: true, t2: true, t3: true };

/** The same variants in both locales. */
export function same(...variants: string[]): LocalizedVariants {
  return { fr: variants, en: variants };
}

export function textInput(key: string, variants: LocalizedVariants, flags: Partial<TextInputSolution> = {}) {
  return { key, variants, numeric: false, select: false, ...flags } satisfies TextInputSolution;
}

export function qroc(
  variants: LocalizedVariants,
  tolerances: Tolerances = ALL_TOLERANCES,
  flags: Partial<TextInputSolution> = {},
): QrocSolution {
  return { type: 'QROC', input: textInput('p1', variants, flags), tolerances };
}

export function qrocmInd(
  inputs: readonly TextInputSolution[],
  tolerances: Tolerances = ALL_TOLERANCES,
): QrocmIndSolution {
  return { type: 'QROCM-ind', inputs, tolerances };
}

export function qrocmDep(
  inputKeys: readonly string[],
  groups: readonly LocalizedVariants[],
  tolerances: Tolerances = ALL_TOLERANCES,
): QrocmDepSolution {
  return { type: 'QROCM-dep', inputKeys, groups, tolerances };
}
