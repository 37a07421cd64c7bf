/**
 * zod schemas of the content files (see docs/content-authoring.md for the format).
 *
 * The schemas check shapes and spelling only; everything that needs more than one field or more
 * than one file (solutions against proposals, references, duplicates…) is checked by the pure
 * functions of src/framework/domain/content-validation.ts, which give clearer messages.
 * Objects are strict: an unknown field (often a misspelt one) is an error.
 */
import { z } from 'zod';
import { CHALLENGE_STATUSES, CHALLENGE_TYPES, LOCALES } from '../../domain/models.js';
import { joinPath, type FieldIssue } from '../../domain/content-validation.js';

// ---------------------------------------------------------------------------------------------
// Error messages
// ---------------------------------------------------------------------------------------------

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of fields',
  record: 'a mapping of fields',
};

/** Per-parse messages for the issues our schemas do not word themselves. */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${EXPECTED_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      if (issue.input === undefined) return 'is required';
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array') return `must list at least ${String(issue.minimum)} item(s)`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${String(issue.minimum)}`;
    default:
      return undefined;
  }
};

/** Parses with friendly messages; issue paths are prefixed with `basePath`. */
export function parseWith<T extends z.ZodType>(
  schema: T,
  data: unknown,
  basePath = '',
): { success: true; data: z.output<T> } | { success: false; issues: FieldIssue[] } {
  const result = schema.safeParse(data, { error: errorMap });
  if (result.success) return { success: true, data: result.data };
  const issues: FieldIssue[] = [];
  for (const issue of result.error.issues) {
    const path = joinPath(
      basePath,
      ...issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
    );
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ path: joinPath(path, key), message: 'unknown field (check its spelling)' });
      }
    } else {
      issues.push({ path, message: issue.message });
    }
  }
  return { success: false, issues };
}

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

/** YAML reads `1.1` and `3` as numbers; codes and variants are text, so numbers are turned into text. */
const numberToText = (value: unknown) => (typeof value === 'number' ? String(value) : value);

const text = z.string().trim().min(1, 'must not be empty');

export const localizedText = z.strictObject({ fr: text, en: text });

/** Both locales expected, but a missing or empty one is reported by the domain checks. */
const lenientLocalizedText = z.strictObject({
  fr: z.string().trim().optional(),
  en: z.string().trim().optional(),
});

export const AREA_CODE_PATTERN = /^[1-9]$/;
export const COMPETENCE_CODE_PATTERN = /^[1-9]\.[1-9]$/;
/** camelCase, not ending with a digit (the skill level is appended to it). */
export const TUBE_ID_PATTERN = /^[a-z][A-Za-z0-9]*[A-Za-z]$/;
export const THEMATIC_ID_PATTERN = /^[1-9]\.[1-9]-[a-z][A-Za-z0-9]*$/;
export const TUTORIAL_ID_PATTERN = /^tut-[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const CHALLENGE_ID_PATTERN = /^ch-[A-Za-z0-9.]+(?:-[A-Za-z0-9.]+)*$/;
export const SIMULATOR_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A path under content/files/: letters, digits, '-', '_', '.', and '/' between folders. */
export const FILE_PATH_PATTERN = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9_-][A-Za-z0-9._/-]*$/;
export const HEX_COLOR_PATTERN = /^#[0-9A-F]{6}$/;
/** ISO 8601 durations such as PT5M, PT1H30M, PT45S. */
export const ISO_DURATION_PATTERN = /^P(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/;

const areaCode = z.preprocess(
  numberToText,
  z.string().regex(AREA_CODE_PATTERN, 'must be an area code from "1" to "9"'),
);
const competenceCode = z.preprocess(
  numberToText,
  z.string().regex(COMPETENCE_CODE_PATTERN, 'must be a competence code such as "1.1" (write it in quotes)'),
);
const filePath = z
  .string()
  .regex(
    FILE_PATH_PATTERN,
    'must be a path under content/files/ made of letters, digits, "-", "_", "." and "/" (no "..")',
  );
const positiveInteger = (what: string) =>
  z
    .number()
    .refine((value) => Number.isInteger(value) && value > 0, `must be a positive whole number${what}`);

// ---------------------------------------------------------------------------------------------
// content/framework/areas.yaml
// ---------------------------------------------------------------------------------------------

export const competenceEntrySchema = z.strictObject({
  code: competenceCode,
  name: localizedText,
  description: localizedText,
});

export const areaEntrySchema = z.strictObject({
  code: areaCode,
  color: z.string().regex(HEX_COLOR_PATTERN, 'must be a colour such as "#F24645" (upper-case hex)'),
  name: localizedText,
  competences: z.array(competenceEntrySchema).min(1),
});

export const areasFileSchema = z.strictObject({ areas: z.array(areaEntrySchema).min(1) });
export type AreasFile = z.output<typeof areasFileSchema>;

// ---------------------------------------------------------------------------------------------
// content/framework/tutorials.yaml
// ---------------------------------------------------------------------------------------------

const httpsUrl = z.string().refine((value) => {
  if (!value.startsWith('https://')) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}, 'must be a full https:// address');

export const tutorialEntrySchema = z.strictObject({
  id: z.string().regex(TUTORIAL_ID_PATTERN, 'must look like "tut-fr-cnil-passwords" (lower case, "-")'),
  title: text,
  url: httpsUrl,
  source: text,
  format: z.enum(['article', 'video', 'page', 'interactive', 'pdf']),
  duration: z.string().regex(ISO_DURATION_PATTERN, 'must be an ISO 8601 duration such as "PT5M"'),
  locale: z.enum(LOCALES),
});

export const tutorialsFileSchema = z.strictObject({ tutorials: z.array(tutorialEntrySchema).min(1) });
export type TutorialsFile = z.output<typeof tutorialsFileSchema>;

// ---------------------------------------------------------------------------------------------
// content/framework/competence-<code>.yaml
// ---------------------------------------------------------------------------------------------

export const skillEntrySchema = z.strictObject({
  id: z.string().regex(/^@/, 'must be "@" + tube id + level, e.g. "@searchOperators3"'),
  level: z.number().refine(Number.isInteger, 'must be a whole number from 1 to 8'),
  tutorials: z.array(z.string()).default([]),
});

export const tubeEntrySchema = z.strictObject({
  id: z.string().regex(TUBE_ID_PATTERN, 'must be camelCase and end with a letter, e.g. "searchOperators"'),
  thematic: z.string(),
  title: localizedText,
  description: localizedText,
  skills: z.array(skillEntrySchema).min(1),
});

export const thematicEntrySchema = z.strictObject({
  id: z
    .string()
    .regex(THEMATIC_ID_PATTERN, 'must be the competence code, "-", then camelCase, e.g. "1.1-searchEngines"'),
  name: localizedText,
});

export const competenceFileSchema = z.strictObject({
  competence: competenceCode,
  thematics: z.array(thematicEntrySchema).min(1),
  tubes: z.array(tubeEntrySchema).default([]),
});
export type CompetenceFile = z.output<typeof competenceFileSchema>;

// ---------------------------------------------------------------------------------------------
// content/challenges/<competence>/<tubeId>.yaml
// ---------------------------------------------------------------------------------------------

/** The file: a list of challenges, each parsed on its own so one broken challenge hides no other. */
export const challengeFileSchema = z.strictObject({ challenges: z.array(z.unknown()).default([]) });

export const challengeSchema = z.strictObject({
  id: z.string().regex(CHALLENGE_ID_PATTERN, 'must look like "ch-1.1-searchOperators-3-a"'),
  skill: z.string().regex(/^@/, 'must be a skill id such as "@searchOperators3"'),
  type: z.enum(CHALLENGE_TYPES),
  status: z.enum(CHALLENGE_STATUSES),
  author: text,
  reviewer: text.optional(),
  instruction: lenientLocalizedText,
  proposals: lenientLocalizedText,
  /** Parsed according to `type` with the schemas below. */
  solution: z.unknown().refine((value) => value !== undefined, 'is required'),
  attachments: z.array(filePath).default([]),
  illustration: z
    .strictObject({
      path: filePath,
      alt: z.strictObject({ fr: z.string().trim().optional(), en: z.string().trim().optional() }).default({}),
    })
    .optional(),
  embed: z
    .strictObject({
      simulator: z.string().regex(SIMULATOR_ID_PATTERN, 'must be a simulator id such as "mail-client"'),
      title: localizedText,
      height: positiveInteger(' of pixels'),
      autoReply: z.boolean().default(false),
    })
    .optional(),
  timer: positiveInteger(' of seconds').optional(),
  focused: z.boolean().default(false),
  accessibility: z.strictObject({ blind: z.boolean(), colorBlind: z.boolean() }),
  irt: z
    .strictObject({
      discrimination: z.number().refine((value) => value > 0, 'must be a positive number'),
      difficulty: z.number(),
      source: z.literal('calibrated').default('calibrated'),
    })
    .optional(),
});
export type ChallengeEntry = z.output<typeof challengeSchema>;

/**
 * One answer or a list of answers. YAML reads unquoted numbers as numbers: a whole number is turned
 * back into text; a decimal is kept as text only in a numeric input (compared as a number anyway),
 * and refused elsewhere, since YAML would silently turn 1.10 into 1.1.
 */
const variantText = z.string({
  error: 'write this accepted answer between quotes (YAML read it as a decimal number)',
});
const variantList = z.preprocess(
  (value) => (Array.isArray(value) || value === undefined ? value : [value]),
  z.array(variantText).min(1, 'must list at least one accepted answer'),
);

function numbersToText(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const record = input as Record<string, unknown>;
  const numeric = record.numeric === true;
  const convert = (value: unknown): unknown =>
    typeof value === 'number' && (numeric || Number.isInteger(value)) ? String(value) : value;
  const result: Record<string, unknown> = { ...record };
  for (const key of ['fr', 'en', 'answers']) {
    const value = record[key];
    if (value !== undefined) result[key] = Array.isArray(value) ? value.map(convert) : convert(value);
  }
  return result;
}

const variantsShape = {
  fr: variantList.optional(),
  en: variantList.optional(),
  /** The same accepted answers in every locale. */
  answers: variantList.optional(),
};

function checkVariantsShape(
  value: { fr?: string[] | undefined; en?: string[] | undefined; answers?: string[] | undefined },
  context: z.core.$RefinementCtx,
): void {
  if (value.answers !== undefined) {
    if (value.fr !== undefined || value.en !== undefined) {
      context.addIssue({
        code: 'custom',
        message: 'give either "answers" (every language) or "fr" and "en", not both',
      });
    }
  } else {
    for (const locale of LOCALES) {
      if (value[locale] === undefined) {
        context.addIssue({
          code: 'custom',
          path: [locale],
          message: `is required (or give "answers" for answers shared by every language)`,
        });
      }
    }
  }
}

export const textInputSchema = z.preprocess(
  numbersToText,
  z.strictObject({ ...variantsShape, numeric: z.boolean().default(false) }).superRefine(checkVariantsShape),
);
export const answerGroupSchema = z.preprocess(
  numbersToText,
  z.strictObject(variantsShape).superRefine(checkVariantsShape),
);

export const tolerancesSchema = z.strictObject({
  t1: z.boolean().optional(),
  t2: z.boolean().optional(),
  t3: z.boolean().optional(),
});

export const qcuSolutionSchema = z.strictObject({
  answer: z.number().refine(Number.isInteger, 'must be the number of the right option (1 for the first)'),
});

export const qcmSolutionSchema = z.strictObject({
  answers: z
    .array(z.number().refine(Number.isInteger, 'must be the number of a right option (1 for the first)'))
    .min(1, 'a QCM needs at least one right option'),
});

const inputsRecord = z.record(z.string(), textInputSchema);

export const qrocSolutionSchema = z.strictObject({
  inputs: inputsRecord.refine((inputs) => Object.keys(inputs).length === 1, 'a QROC has exactly one input'),
  tolerances: tolerancesSchema.optional(),
});

export const qrocmIndSolutionSchema = z.strictObject({
  inputs: inputsRecord.refine((inputs) => Object.keys(inputs).length >= 1, 'must list the inputs'),
  tolerances: tolerancesSchema.optional(),
});

export const qrocmDepSolutionSchema = z.strictObject({
  /** The input keys; their order is the display order of the proposals. */
  inputs: z.array(z.string()).min(1),
  groups: z.array(answerGroupSchema).min(1),
  tolerances: tolerancesSchema.optional(),
});

export const solutionSchemas = {
  QCU: qcuSolutionSchema,
  QCM: qcmSolutionSchema,
  QROC: qrocSolutionSchema,
  'QROCM-ind': qrocmIndSolutionSchema,
  'QROCM-dep': qrocmDepSolutionSchema,
} as const;
