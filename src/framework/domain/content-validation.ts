/**
 * Pure checks of a content bank: proposal parsing, per-challenge consistency, duplicate ids,
 * cross-references and coverage of the framework.
 *
 * Nothing here reads files. The loader (src/framework/infrastructure/content/) parses the YAML,
 * builds the in-memory model and hands it over with the location of every item (`Sourced<T>`), so
 * that each issue can name its file, its item id and the field at fault. Issues are collected,
 * never thrown: a broken bank is refused with the full list.
 */
import { parseNumber } from './answer-checking/numeric.js';
import {
  LOCALES,
  MAX_SKILL_LEVEL,
  MIN_SKILL_LEVEL,
  type Area,
  type Challenge,
  type Competence,
  type Framework,
  type Locale,
  type LocalizedText,
  type LocalizedVariants,
  type Skill,
  type TextInputSolution,
  type Thematic,
  type Tube,
  type Tutorial,
} from './models.js';

// ---------------------------------------------------------------------------------------------
// Issues and sources
// ---------------------------------------------------------------------------------------------

/** Where an item was written: its file (relative to the content folder) and its path in that file. */
export interface SourceRef {
  readonly file: string;
  /**
   * Path of the item inside the file, e.g. `tubes[1].skills[0]`. Empty for challenges: the
   * field paths of a challenge's issues are relative to the challenge, which its id identifies.
   */
  readonly path: string;
}

export interface Sourced<T> {
  readonly value: T;
  readonly source: SourceRef;
}

/** A challenge with where it was written and the tube its file belongs to. */
export interface SourcedChallenge extends Sourced<Challenge> {
  /** The tube named by the file (`challenges/<competence>/<tubeId>.yaml`). */
  readonly fileTubeId?: string;
}

/** The bank as read from the files, before it is accepted. */
export interface ContentDraft {
  readonly areas: readonly Sourced<Area>[];
  readonly competences: readonly Sourced<Competence>[];
  readonly thematics: readonly Sourced<Thematic>[];
  readonly tubes: readonly Sourced<Tube>[];
  readonly skills: readonly Sourced<Skill>[];
  readonly tutorials: readonly Sourced<Tutorial>[];
  readonly challenges: readonly SourcedChallenge[];
}

/**
 * One problem of the bank. `id` is the challenge id, or the id of the framework item concerned
 * (tube, skill, tutorial…), or '' for a problem of the file as a whole. `path` is the field at
 * fault: relative to the challenge for challenges, from the file's root otherwise ('' when none).
 */
export interface ContentIssue {
  readonly file: string;
  readonly id: string;
  readonly path: string;
  readonly message: string;
}

/** An issue inside one item, before its file and id are known. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** Joins field path segments: `joinPath('tubes[0]', 'skills', 2, 'id')` → `tubes[0].skills[2].id`. */
export function joinPath(...segments: readonly (string | number)[]): string {
  let result = '';
  for (const segment of segments) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else if (segment !== '') result += result === '' ? segment : `.${segment}`;
  }
  return result;
}

/** `file: id: field: message`, with '-' for an empty id or field. */
export function formatContentIssue(issue: ContentIssue): string {
  return `${issue.file}: ${issue.id || '-'}: ${issue.path || '-'}: ${issue.message}`;
}

/** Stable order: by file, then id, then field. */
export function sortContentIssues(issues: readonly ContentIssue[]): ContentIssue[] {
  const collator = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...issues].sort(
    (a, b) => collator(a.file, b.file) || collator(a.id, b.id) || collator(a.path, b.path),
  );
}

const LANGUAGE_NAMES: Readonly<Record<Locale, string>> = { fr: 'French', en: 'English' };

// ---------------------------------------------------------------------------------------------
// Proposals: `- option` lists and `${key}` input blocks
// ---------------------------------------------------------------------------------------------

export interface ParsedOptions {
  /** The option texts, in order (1-based in answers and solutions). */
  readonly options: readonly string[];
  /** Problems with the list, e.g. text before the first option or an empty option. */
  readonly problems: readonly string[];
}

const OPTION_LINE = /^-[ \t]+(.*)$|^-$/;

/**
 * Parses QCU/QCM proposals: each line starting with `- ` starts an option; a following line that
 * does not start with `- ` continues the option above it (joined with a newline). Blank lines are
 * ignored. Text before the first option is a problem.
 */
export function parseProposalOptions(text: string): ParsedOptions {
  const options: string[] = [];
  const problems: string[] = [];
  let stray = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trimEnd();
    if (line.trim() === '') continue;
    const match = OPTION_LINE.exec(line);
    if (match) {
      options.push((match[1] ?? '').trim());
    } else if (options.length === 0) {
      stray = true;
    } else {
      options[options.length - 1] = `${options[options.length - 1] ?? ''}\n${line.trim()}`;
    }
  }
  if (stray) problems.push('text before the first "- " option; every option must start with "- "');
  options.forEach((option, index) => {
    if (option === '') problems.push(`option ${index + 1} is empty`);
  });
  return { options, problems };
}

export type InputBlockKind = 'text' | 'select';

/**
 * An input block of QROC/QROCM proposals:
 * - `${key}`: a text input;
 * - `${key#placeholder}`: a text input with a placeholder;
 * - `${key#options=first|second|third}`: a select input (a drop-down list) with its options;
 * - any of them may end with `§label`, an accessible label read by screen readers.
 */
export interface InputBlock {
  readonly key: string;
  readonly kind: InputBlockKind;
  /** Select options, in display order; empty for a text input. */
  readonly options: readonly string[];
  readonly placeholder?: string;
  readonly label?: string;
  /** The block as written, `${…}` included. */
  readonly raw: string;
}

export interface ParsedInputBlocks {
  readonly blocks: readonly InputBlock[];
  readonly problems: readonly string[];
}

export const INPUT_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const SELECT_MARKER = 'options=';

/** Finds the `${…}` input blocks of QROC/QROCM proposals, in order. */
export function parseInputBlocks(text: string): ParsedInputBlocks {
  const blocks: InputBlock[] = [];
  const problems: string[] = [];
  let position = 0;
  for (;;) {
    const start = text.indexOf('${', position);
    if (start === -1) break;
    const end = text.indexOf('}', start + 2);
    const nextStart = text.indexOf('${', start + 2);
    if (end === -1 || (nextStart !== -1 && nextStart < end)) {
      problems.push(`input block "${text.slice(start, start + 20)}…" is not closed with "}"`);
      position = start + 2;
      continue;
    }
    const raw = text.slice(start, end + 1);
    position = end + 1;
    const body = text.slice(start + 2, end);
    const labelAt = body.indexOf('§');
    const main = labelAt === -1 ? body : body.slice(0, labelAt);
    const label = labelAt === -1 ? undefined : body.slice(labelAt + 1).trim();
    const hashAt = main.indexOf('#');
    const key = (hashAt === -1 ? main : main.slice(0, hashAt)).trim();
    const setting = hashAt === -1 ? undefined : main.slice(hashAt + 1).trim();
    if (!INPUT_KEY_PATTERN.test(key)) {
      problems.push(`input block ${raw} has an invalid key "${key}" (a letter, then letters, digits or "_")`);
      continue;
    }
    const optional = {
      ...(label !== undefined && label !== '' ? { label } : {}),
    };
    if (setting !== undefined && setting.startsWith(SELECT_MARKER)) {
      const options = setting
        .slice(SELECT_MARKER.length)
        .split('|')
        .map((option) => option.trim());
      if (options.length < 2 || options.some((option) => option === '')) {
        problems.push(`select block ${raw} needs at least two non-empty options separated by "|"`);
      }
      blocks.push({ key, kind: 'select', options, raw, ...optional });
    } else {
      blocks.push({
        key,
        kind: 'text',
        options: [],
        raw,
        ...optional,
        ...(setting !== undefined && setting !== '' ? { placeholder: setting } : {}),
      });
    }
  }
  return { blocks, problems };
}

// ---------------------------------------------------------------------------------------------
// One challenge
// ---------------------------------------------------------------------------------------------

function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

function checkLocalizedText(text: LocalizedText, path: string, issues: FieldIssue[]): void {
  for (const locale of LOCALES) {
    if (isBlank(text[locale])) {
      issues.push({ path: joinPath(path, locale), message: `missing ${LANGUAGE_NAMES[locale]} text` });
    }
  }
}

function setDifference(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return [...new Set(a)].filter((item) => !other.has(item));
}

function describeKeys(keys: readonly string[]): string {
  return keys.map((key) => `\${${key}}`).join(', ');
}

function checkOptionsProposals(challenge: Challenge, issues: FieldIssue[]): Record<Locale, number> {
  const counts = { fr: 0, en: 0 } as Record<Locale, number>;
  for (const locale of LOCALES) {
    const parsed = parseProposalOptions(challenge.proposals[locale]);
    counts[locale] = parsed.options.length;
    const path = joinPath('proposals', locale);
    for (const problem of parsed.problems) issues.push({ path, message: problem });
    if (parsed.options.length < 2 && !isBlank(challenge.proposals[locale])) {
      issues.push({ path, message: `a ${challenge.type} needs at least 2 "- " options` });
    }
  }
  if (counts.fr !== counts.en && counts.fr > 0 && counts.en > 0) {
    issues.push({
      path: 'proposals.en',
      message: `has ${counts.en} options but the French proposals have ${counts.fr}`,
    });
  }
  return counts;
}

function outOfRange(index: number, counts: Record<Locale, number>): boolean {
  return LOCALES.some((locale) => counts[locale] > 0 && (index < 1 || index > counts[locale]));
}

function describeCounts(counts: Record<Locale, number>): string {
  return counts.fr === counts.en
    ? `there are ${counts.fr} options`
    : `there are ${counts.fr} options in French and ${counts.en} in English`;
}

function checkVariants(
  variants: LocalizedVariants,
  path: string,
  numeric: boolean,
  issues: FieldIssue[],
): void {
  for (const locale of LOCALES) {
    const list = variants[locale];
    if (list.length === 0 || list.every((variant) => isBlank(variant))) {
      issues.push({ path, message: `no accepted answer in ${LANGUAGE_NAMES[locale]}` });
    } else if (list.some((variant) => isBlank(variant))) {
      issues.push({ path, message: `an accepted ${LANGUAGE_NAMES[locale]} answer is empty` });
    }
  }
  if (!numeric) return;
  const notNumbers = new Set(
    LOCALES.flatMap((locale) => variants[locale]).filter((variant) => parseNumber(variant) === undefined),
  );
  for (const variant of notNumbers) {
    issues.push({ path, message: `"${variant}" is not a number, but the input is numeric` });
  }
  const fr = variants.fr.map((variant) => parseNumber(variant)).filter((n) => n !== undefined);
  const en = variants.en.map((variant) => parseNumber(variant)).filter((n) => n !== undefined);
  if (fr.length === en.length && fr.some((value, index) => value !== en[index])) {
    issues.push({ path, message: 'numeric answers must be the same in French and English' });
  }
}

function checkInputBlocks(
  challenge: Challenge,
  solutionKeys: readonly string[],
  solutionPath: string,
  inputs: readonly TextInputSolution[],
  issues: FieldIssue[],
): void {
  const parsed = {} as Record<Locale, ParsedInputBlocks>;
  for (const locale of LOCALES) {
    parsed[locale] = parseInputBlocks(challenge.proposals[locale]);
    const path = joinPath('proposals', locale);
    for (const problem of parsed[locale].problems) issues.push({ path, message: problem });
    const keys = parsed[locale].blocks.map((block) => block.key);
    const repeated = keys.filter((key, index) => keys.indexOf(key) !== index);
    if (repeated.length > 0) {
      issues.push({ path, message: `input block ${describeKeys([...new Set(repeated)])} appears twice` });
    }
    if (isBlank(challenge.proposals[locale])) continue;
    if (challenge.type === 'QROC' && parsed[locale].blocks.length !== 1) {
      issues.push({
        path,
        message: `a QROC has exactly one \${key} input block, found ${parsed[locale].blocks.length}`,
      });
    }
    if (challenge.type !== 'QROC' && parsed[locale].blocks.length < 2) {
      issues.push({
        path,
        message: `a ${challenge.type} has at least two \${key} input blocks (use a QROC for one)`,
      });
    }
  }

  const frKeys = parsed.fr.blocks.map((block) => block.key);
  const enKeys = parsed.en.blocks.map((block) => block.key);
  if (!isBlank(challenge.proposals.fr) && !isBlank(challenge.proposals.en)) {
    const missing = setDifference(frKeys, enKeys);
    const extra = setDifference(enKeys, frKeys);
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        missing.length > 0 ? `missing ${describeKeys(missing)}` : '',
        extra.length > 0 ? `unexpected ${describeKeys(extra)}` : '',
      ].filter(Boolean);
      issues.push({
        path: 'proposals.en',
        message: `input blocks differ from the French proposals: ${parts.join('; ')}`,
      });
    }
  }

  // The solution must name exactly the input blocks of the proposals (the French ones; the
  // English ones are compared with the French just above).
  const referenceLocale: Locale = isBlank(challenge.proposals.fr) ? 'en' : 'fr';
  const blockKeys = parsed[referenceLocale].blocks.map((block) => block.key);
  if (!isBlank(challenge.proposals[referenceLocale])) {
    const missing = setDifference(blockKeys, solutionKeys);
    const unknown = setDifference(solutionKeys, blockKeys);
    if (missing.length > 0 || unknown.length > 0) {
      const parts = [
        missing.length > 0 ? `no answer for ${describeKeys(missing)}` : '',
        unknown.length > 0 ? `${describeKeys(unknown)} is not an input block of the proposals` : '',
      ].filter(Boolean);
      issues.push({
        path: solutionPath,
        message: `solution keys must match the input blocks of the proposals: ${parts.join('; ')}`,
      });
    }
  }

  // Select blocks: same kind in both locales, answers among the options, no numeric flag.
  for (const input of inputs) {
    const path = joinPath(solutionPath, input.key);
    const frBlock = parsed.fr.blocks.find((block) => block.key === input.key);
    const enBlock = parsed.en.blocks.find((block) => block.key === input.key);
    if (frBlock && enBlock && frBlock.kind !== enBlock.kind) {
      issues.push({
        path: 'proposals.en',
        message: `\${${input.key}} is a ${enBlock.kind} input in English but a ${frBlock.kind} input in French`,
      });
    }
    if (!input.select) continue;
    if (input.numeric) issues.push({ path, message: 'a select input cannot be numeric' });
    for (const locale of LOCALES) {
      const block = parsed[locale].blocks.find((candidate) => candidate.key === input.key);
      if (!block || block.kind !== 'select') continue;
      for (const variant of input.variants[locale]) {
        if (!block.options.includes(variant.trim())) {
          issues.push({
            path,
            message: `"${variant}" is not one of the ${LANGUAGE_NAMES[locale]} options of \${${input.key}}`,
          });
        }
      }
    }
  }
}

/** Consistency of one challenge on its own: texts, proposals against solution, review, timer… */
export function validateChallenge(challenge: Challenge): FieldIssue[] {
  const issues: FieldIssue[] = [];
  checkLocalizedText(challenge.instruction, 'instruction', issues);
  checkLocalizedText(challenge.proposals, 'proposals', issues);

  const solution = challenge.solution;
  if (solution.type !== challenge.type) {
    issues.push({ path: 'solution', message: `is a ${solution.type} solution for a ${challenge.type}` });
  } else if (solution.type === 'QCU') {
    const counts = checkOptionsProposals(challenge, issues);
    if (!Number.isInteger(solution.answer) || outOfRange(solution.answer, counts)) {
      issues.push({
        path: 'solution.answer',
        message: `${solution.answer} is out of range: ${describeCounts(counts)}`,
      });
    }
  } else if (solution.type === 'QCM') {
    const counts = checkOptionsProposals(challenge, issues);
    if (solution.answers.length === 0) {
      issues.push({ path: 'solution.answers', message: 'a QCM needs at least one right option' });
    }
    solution.answers.forEach((answer, index) => {
      if (!Number.isInteger(answer) || outOfRange(answer, counts)) {
        issues.push({
          path: joinPath('solution.answers', index),
          message: `${answer} is out of range: ${describeCounts(counts)}`,
        });
      }
    });
    if (new Set(solution.answers).size !== solution.answers.length) {
      issues.push({ path: 'solution.answers', message: 'an option is listed twice' });
    }
  } else if (solution.type === 'QROC' || solution.type === 'QROCM-ind') {
    const inputs = solution.type === 'QROC' ? [solution.input] : solution.inputs;
    checkInputBlocks(
      challenge,
      inputs.map((input) => input.key),
      'solution.inputs',
      inputs,
      issues,
    );
    for (const input of inputs) {
      checkVariants(input.variants, joinPath('solution.inputs', input.key), input.numeric, issues);
    }
  } else {
    checkInputBlocks(challenge, solution.inputKeys, 'solution.inputs', [], issues);
    for (const locale of LOCALES) {
      const selects = parseInputBlocks(challenge.proposals[locale]).blocks.filter(
        (block) => block.kind === 'select',
      );
      if (selects.length > 0) {
        issues.push({
          path: joinPath('proposals', locale),
          message: 'a QROCM-dep cannot have select inputs (use a QROCM-ind)',
        });
      }
    }
    if (solution.groups.length < solution.inputKeys.length) {
      issues.push({
        path: 'solution.groups',
        message: `${solution.groups.length} answer groups for ${solution.inputKeys.length} inputs: each input needs its own group`,
      });
    }
    solution.groups.forEach((group, index) => {
      checkVariants(group, joinPath('solution.groups', index), false, issues);
    });
  }

  if (challenge.timer !== undefined && (!Number.isInteger(challenge.timer) || challenge.timer <= 0)) {
    issues.push({
      path: 'timer',
      message: `must be a positive whole number of seconds, got ${challenge.timer}`,
    });
  }
  if (challenge.status === 'validated') {
    if (isBlank(challenge.reviewer)) {
      issues.push({ path: 'reviewer', message: 'a validated challenge must name its reviewer' });
    } else if (challenge.reviewer?.trim().toLowerCase() === challenge.author.trim().toLowerCase()) {
      issues.push({ path: 'reviewer', message: 'the reviewer must be someone other than the author' });
    }
  }
  if (isBlank(challenge.author)) issues.push({ path: 'author', message: 'must name the author' });
  if (challenge.illustration) {
    for (const locale of LOCALES) {
      if (isBlank(challenge.illustration.alt[locale])) {
        issues.push({
          path: joinPath('illustration.alt', locale),
          message: `an illustration needs an alternative text in ${LANGUAGE_NAMES[locale]}`,
        });
      }
    }
  }
  if (challenge.embed) {
    checkLocalizedText(challenge.embed.title, 'embed.title', issues);
    if (!Number.isInteger(challenge.embed.height) || challenge.embed.height <= 0) {
      issues.push({ path: 'embed.height', message: 'must be a positive whole number of pixels' });
    }
  }
  if (!(challenge.irt.discrimination > 0) || !Number.isFinite(challenge.irt.discrimination)) {
    issues.push({ path: 'irt.discrimination', message: 'must be a positive number' });
  }
  if (!Number.isFinite(challenge.irt.difficulty)) {
    issues.push({ path: 'irt.difficulty', message: 'must be a number' });
  }
  for (const locale of LOCALES) {
    if (!challenge.locales.includes(locale)) {
      issues.push({ path: 'locales', message: `must include ${locale}` });
    }
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// The whole bank
// ---------------------------------------------------------------------------------------------

export type ReferenceKind = 'area' | 'competence' | 'thematic' | 'tube' | 'skill' | 'tutorial';

/** True for an issue reporting a reference to an unknown item of that kind (`unknown <kind> "…"`). */
export function isUnknownReference(issue: { readonly message: string }, kind: ReferenceKind): boolean {
  return issue.message.startsWith(`unknown ${kind} "`);
}

/** `@` + tube id + level, e.g. `@searchOperators3`. */
export function skillIdOf(tubeId: string, level: number): string {
  return `@${tubeId}${level}`;
}

function issueAt(item: Sourced<unknown>, id: string, field: string, message: string): ContentIssue {
  return { file: item.source.file, id, path: joinPath(item.source.path, field), message };
}

/**
 * Keeps the first item of each id and reports every later one. Returns the map of first items.
 */
function indexUnique<T>(
  items: readonly Sourced<T>[],
  idOf: (value: T) => string,
  idField: string,
  kind: string,
  issues: ContentIssue[],
): Map<string, Sourced<T>> {
  const byId = new Map<string, Sourced<T>>();
  for (const item of items) {
    const id = idOf(item.value);
    const first = byId.get(id);
    if (first) {
      const where =
        first.source.file === item.source.file
          ? `earlier in the same file${first.source.path ? `, at ${first.source.path}` : ''}`
          : `in ${first.source.file}`;
      issues.push(issueAt(item, id, idField, `duplicate ${kind} id "${id}" (first defined ${where})`));
    } else {
      byId.set(id, item);
    }
  }
  return byId;
}

/**
 * Every check of the bank: duplicate ids, unknown references, skill names and levels, tubes and
 * thematics of the right competence, challenges in the file of their tube, and each challenge's
 * own consistency ({@link validateChallenge}). Returns the issues, sorted; empty means valid.
 */
export function validateContent(draft: ContentDraft): ContentIssue[] {
  const issues: ContentIssue[] = [];

  const areas = indexUnique(draft.areas, (area) => area.code, 'code', 'area', issues);
  const competences = indexUnique(draft.competences, (c) => c.code, 'code', 'competence', issues);
  const thematics = indexUnique(draft.thematics, (t) => t.id, 'id', 'thematic', issues);
  const tubes = indexUnique(draft.tubes, (t) => t.id, 'id', 'tube', issues);
  const skills = indexUnique(draft.skills, (s) => s.id, 'id', 'skill', issues);
  const tutorials = indexUnique(draft.tutorials, (t) => t.id, 'id', 'tutorial', issues);
  indexUnique(draft.challenges, (c) => c.id, 'id', 'challenge', issues);

  for (const item of draft.competences) {
    if (!areas.has(item.value.areaCode)) {
      issues.push(issueAt(item, item.value.code, 'area', `unknown area "${item.value.areaCode}"`));
    }
  }
  for (const item of draft.thematics) {
    if (!competences.has(item.value.competenceCode)) {
      issues.push(issueAt(item, item.value.id, '', `unknown competence "${item.value.competenceCode}"`));
    }
  }
  for (const item of draft.tubes) {
    const tube = item.value;
    if (!competences.has(tube.competenceCode)) {
      issues.push(issueAt(item, tube.id, '', `unknown competence "${tube.competenceCode}"`));
    }
    const thematic = thematics.get(tube.thematicId)?.value;
    if (!thematic) {
      issues.push(issueAt(item, tube.id, 'thematic', `unknown thematic "${tube.thematicId}"`));
    } else if (thematic.competenceCode !== tube.competenceCode) {
      issues.push(
        issueAt(
          item,
          tube.id,
          'thematic',
          `thematic "${thematic.id}" belongs to competence ${thematic.competenceCode}, not ${tube.competenceCode}`,
        ),
      );
    }
  }
  for (const item of draft.skills) {
    const skill = item.value;
    if (!Number.isInteger(skill.level) || skill.level < MIN_SKILL_LEVEL || skill.level > MAX_SKILL_LEVEL) {
      issues.push(
        issueAt(
          item,
          skill.id,
          'level',
          `must be a whole number from ${MIN_SKILL_LEVEL} to ${MAX_SKILL_LEVEL}`,
        ),
      );
    } else if (skill.id !== skillIdOf(skill.tubeId, skill.level)) {
      issues.push(
        issueAt(
          item,
          skill.id,
          'id',
          `must be "${skillIdOf(skill.tubeId, skill.level)}" ("@" + tube id + level)`,
        ),
      );
    }
    const tube = tubes.get(skill.tubeId)?.value;
    if (!tube) {
      issues.push(issueAt(item, skill.id, '', `unknown tube "${skill.tubeId}"`));
    } else if (tube.competenceCode !== skill.competenceCode) {
      issues.push(
        issueAt(item, skill.id, '', `tube "${tube.id}" belongs to competence ${tube.competenceCode}`),
      );
    }
    skill.tutorialIds.forEach((tutorialId, index) => {
      if (!tutorials.has(tutorialId)) {
        issues.push(
          issueAt(item, skill.id, joinPath('tutorials', index), `unknown tutorial "${tutorialId}"`),
        );
      }
    });
  }
  // A tube and its skills with the same level twice would be caught as duplicate skill ids.

  for (const item of draft.challenges) {
    const challenge = item.value;
    const skill = skills.get(challenge.skillId)?.value;
    if (!skill) {
      issues.push(issueAt(item, challenge.id, 'skill', `unknown skill "${challenge.skillId}"`));
    } else if (item.fileTubeId !== undefined && skill.tubeId !== item.fileTubeId) {
      issues.push(
        issueAt(
          item,
          challenge.id,
          'skill',
          `skill "${skill.id}" belongs to tube "${skill.tubeId}": move the challenge to that tube's file`,
        ),
      );
    }
    for (const issue of validateChallenge(challenge)) {
      issues.push(issueAt(item, challenge.id, issue.path, issue.message));
    }
  }
  return sortContentIssues(issues);
}

// ---------------------------------------------------------------------------------------------
// Coverage of the framework (advice, not errors)
// ---------------------------------------------------------------------------------------------

/** The shape the framework and the bank must reach. */
export const COVERAGE_TARGETS = Object.freeze({
  minTubesPerCompetence: 3,
  /** Levels every competence must offer, each with at least `minSkillsPerLevel` skills. */
  coreLevels: [1, 2, 3, 4, 5, 6] as readonly number[],
  minSkillsPerLevel: 2,
  minValidatedChallengesPerSkill: 2,
  minValidatedChallengesPerCompetence: 36,
  minValidatedChallenges: 640,
});

export interface CoverageNote {
  /** 'framework': the structure (tubes, skills, tutorials); 'bank': the challenges. */
  readonly scope: 'framework' | 'bank';
  /** The competence, skill or '' for the whole bank. */
  readonly id: string;
  readonly message: string;
}

/**
 * What the framework and the bank still lack against {@link COVERAGE_TARGETS}: tubes and skills
 * per level of each competence, a French and an English tutorial per competence, a tutorial per
 * skill, skills at levels 7 and 8, and enough validated challenges. These are not errors: the
 * bank still loads; `content:check --strict` refuses it.
 */
export function computeCoverageNotes(framework: Framework): CoverageNote[] {
  const notes: CoverageNote[] = [];
  const t = COVERAGE_TARGETS;
  const tutorialLocale = new Map(framework.tutorials.map((tutorial) => [tutorial.id, tutorial.locale]));
  const validatedBySkill = new Map<string, number>();
  for (const challenge of framework.challenges) {
    if (challenge.status === 'validated') {
      validatedBySkill.set(challenge.skillId, (validatedBySkill.get(challenge.skillId) ?? 0) + 1);
    }
  }

  for (const competence of framework.competences) {
    const code = competence.code;
    const tubes = framework.tubes.filter((tube) => tube.competenceCode === code);
    const skills = framework.skills.filter((skill) => skill.competenceCode === code);
    if (tubes.length < t.minTubesPerCompetence) {
      notes.push({
        scope: 'framework',
        id: code,
        message: `has ${tubes.length} tubes; at least ${t.minTubesPerCompetence} are expected`,
      });
    }
    for (const level of t.coreLevels) {
      const count = skills.filter((skill) => skill.level === level).length;
      if (count < t.minSkillsPerLevel) {
        notes.push({
          scope: 'framework',
          id: code,
          message: `has ${count} skills at level ${level}; at least ${t.minSkillsPerLevel} are expected`,
        });
      }
    }
    const locales = new Set(skills.flatMap((skill) => skill.tutorialIds.map((id) => tutorialLocale.get(id))));
    for (const locale of LOCALES) {
      if (!locales.has(locale)) {
        notes.push({
          scope: 'framework',
          id: code,
          message: `has no ${LANGUAGE_NAMES[locale]} tutorial attached to its skills`,
        });
      }
    }
    const validated = skills.reduce((sum, skill) => sum + (validatedBySkill.get(skill.id) ?? 0), 0);
    if (validated < t.minValidatedChallengesPerCompetence) {
      notes.push({
        scope: 'bank',
        id: code,
        message: `has ${validated} validated challenges; at least ${t.minValidatedChallengesPerCompetence} are expected`,
      });
    }
  }
  for (const skill of framework.skills) {
    if (skill.tutorialIds.length === 0) {
      notes.push({ scope: 'framework', id: skill.id, message: 'has no tutorial' });
    }
    const validated = validatedBySkill.get(skill.id) ?? 0;
    if (validated < t.minValidatedChallengesPerSkill) {
      notes.push({
        scope: 'bank',
        id: skill.id,
        message: `has ${validated} validated challenges; at least ${t.minValidatedChallengesPerSkill} are expected`,
      });
    }
  }
  for (const level of [7, 8]) {
    if (!framework.skills.some((skill) => skill.level === level)) {
      notes.push({ scope: 'framework', id: '', message: `no skill at level ${level}` });
    }
  }
  const total = framework.challenges.filter((challenge) => challenge.status === 'validated').length;
  if (total < t.minValidatedChallenges) {
    notes.push({
      scope: 'bank',
      id: '',
      message: `${total} validated challenges; at least ${t.minValidatedChallenges} are expected`,
    });
  }
  return notes;
}
