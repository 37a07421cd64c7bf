/**
 * The learning-content model: Framework → Area → Competence → Thematic → Tube → Skill → Challenge.
 *
 * These are plain, immutable data shapes shared by the content loader, answer checking and the
 * adaptive engine. Behaviour lives in pure functions beside them, not in classes.
 */

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr';

/** A text given in every supported locale. */
export type LocalizedText = Readonly<Record<Locale, string>>;

/** Area codes are '1'…'5'; competence codes are '1.1'…'5.2' (never used as object keys in MongoDB). */
export interface Area {
  readonly code: string;
  readonly name: LocalizedText;
  /** Hex colour used by the profile picture and the dashboard. */
  readonly color: string;
  readonly competenceCodes: readonly string[];
}

export interface Competence {
  readonly code: string;
  readonly areaCode: string;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
}

export interface Thematic {
  readonly id: string;
  readonly competenceCode: string;
  readonly name: LocalizedText;
}

export interface Tube {
  /** Tube name without the leading '@', e.g. 'searchOperators'. */
  readonly id: string;
  readonly competenceCode: string;
  readonly thematicId: string;
  readonly practicalTitle: LocalizedText;
  readonly practicalDescription: LocalizedText;
}

export const MIN_SKILL_LEVEL = 1;
export const MAX_SKILL_LEVEL = 8;

export interface Skill {
  /** `@<tubeId><level>`, e.g. '@searchOperators3'. */
  readonly id: string;
  readonly tubeId: string;
  readonly competenceCode: string;
  /** 1…8; Pix calls this the skill's difficulty. */
  readonly level: number;
  readonly tutorialIds: readonly string[];
}

export type TutorialFormat = 'article' | 'video' | 'page' | 'interactive' | 'pdf';

export interface Tutorial {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly source: string;
  readonly format: TutorialFormat;
  /** ISO 8601 duration, e.g. 'PT5M'. */
  readonly duration: string;
  readonly locale: Locale;
}

export const CHALLENGE_TYPES = ['QCU', 'QCM', 'QROC', 'QROCM-ind', 'QROCM-dep'] as const;
export type ChallengeType = (typeof CHALLENGE_TYPES)[number];

export const CHALLENGE_STATUSES = ['validated', 'draft', 'archived'] as const;
export type ChallengeStatus = (typeof CHALLENGE_STATUSES)[number];

/** T1: spaces, case and accents; T2: punctuation; T3: edit distance (Levenshtein ratio ≤ 0.25). */
export interface Tolerances {
  readonly t1: boolean;
  readonly t2: boolean;
  readonly t3: boolean;
}

/** Accepted variants per locale; a numeric answer uses the same variants in every locale. */
export type LocalizedVariants = Readonly<Record<Locale, readonly string[]>>;

export interface QcuSolution {
  readonly type: 'QCU';
  /** 1-based index of the right proposal. */
  readonly answer: number;
}

export interface QcmSolution {
  readonly type: 'QCM';
  /** 1-based indexes of every right proposal; order does not matter. */
  readonly answers: readonly number[];
}

export interface TextInputSolution {
  readonly key: string;
  readonly variants: LocalizedVariants;
  /** Compare as numbers (after parsing '3,5' or '3.5'); tolerances do not apply. */
  readonly numeric: boolean;
  /** A select input: exact match, no tolerance. */
  readonly select: boolean;
}

export interface QrocSolution {
  readonly type: 'QROC';
  readonly input: TextInputSolution;
  readonly tolerances: Tolerances;
}

export interface QrocmIndSolution {
  readonly type: 'QROCM-ind';
  readonly inputs: readonly TextInputSolution[];
  readonly tolerances: Tolerances;
}

export interface QrocmDepSolution {
  readonly type: 'QROCM-dep';
  /** The input keys, in display order. */
  readonly inputKeys: readonly string[];
  /** Interchangeable groups: each input must match a distinct group. */
  readonly groups: readonly LocalizedVariants[];
  readonly tolerances: Tolerances;
}

export type Solution = QcuSolution | QcmSolution | QrocSolution | QrocmIndSolution | QrocmDepSolution;

export interface Attachment {
  /** Path relative to content/files/. */
  readonly path: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
}

export interface Embed {
  /** The simulator's id, served from public/simulators/<id>/. */
  readonly simulatorId: string;
  readonly title: LocalizedText;
  readonly height: number;
  /** The simulator supplies the answer through postMessage; the manual input is hidden. */
  readonly autoReply: boolean;
}

export interface Illustration {
  readonly path: string;
  readonly alt: LocalizedText;
}

export interface IrtParameters {
  readonly discrimination: number;
  readonly difficulty: number;
  /** 'derived' from the skill level, or 'calibrated' from real answers. */
  readonly source: 'derived' | 'calibrated';
}

export interface Challenge {
  readonly id: string;
  readonly skillId: string;
  readonly type: ChallengeType;
  readonly status: ChallengeStatus;
  readonly locales: readonly Locale[];
  /** Markdown. QROC/QROCM input blocks are written `${key}` in the proposals. */
  readonly instruction: LocalizedText;
  /** QCU/QCM: one proposal per line starting with '- '. QROC(M): text holding `${key}` blocks. */
  readonly proposals: LocalizedText;
  readonly solution: Solution;
  readonly attachments: readonly Attachment[];
  readonly illustration?: Illustration;
  readonly embed?: Embed;
  /** Seconds; the challenge is timed when set. */
  readonly timer?: number;
  readonly focused: boolean;
  readonly accessibility: { readonly blind: boolean; readonly colorBlind: boolean };
  readonly irt: IrtParameters;
  readonly author: string;
  readonly reviewer?: string;
}

export interface Framework {
  readonly areas: readonly Area[];
  readonly competences: readonly Competence[];
  readonly thematics: readonly Thematic[];
  readonly tubes: readonly Tube[];
  readonly skills: readonly Skill[];
  readonly tutorials: readonly Tutorial[];
  readonly challenges: readonly Challenge[];
}
