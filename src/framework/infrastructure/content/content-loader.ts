/**
 * Reads the content bank (content/ by default), validates it and returns the in-memory
 * `Framework` with its immutable indexes.
 *
 * Layout (see docs/content-authoring.md):
 *   framework/areas.yaml              areas and their competences
 *   framework/tutorials.yaml          tutorials
 *   framework/competence-<code>.yaml  thematics, tubes and skills of one competence
 *   challenges/<code>/<tubeId>.yaml   the challenges of one tube (or <tubeId>.<part>.yaml: one tube, several files)
 *   files/…                           attachments and illustrations
 *
 * Every problem is collected (file, item id, field, message) and the bank is refused as a whole
 * with the full list; nothing is thrown one by one. The result is deeply frozen.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { JSON_SCHEMA, load as parseYaml, YAMLException } from 'js-yaml';
import { DomainError } from '../../../shared/domain/errors.js';
import { buildContentIndex, deepFreeze, type ContentIndex } from '../../domain/content-index.js';
import {
  formatContentIssue,
  isUnknownReference,
  joinPath,
  parseInputBlocks,
  sortContentIssues,
  validateContent,
  type ContentIssue,
  type FieldIssue,
  type Sourced,
  type SourcedChallenge,
} from '../../domain/content-validation.js';
import type {
  Area,
  Attachment,
  Challenge,
  Competence,
  Framework,
  Illustration,
  LocalizedVariants,
  Skill,
  Solution,
  TextInputSolution,
  Thematic,
  Tube,
  Tutorial,
} from '../../domain/models.js';
import { DEFAULT_TOLERANCES, deriveIrtParameters } from './defaults.js';
import { mediaTypeOf } from './media-types.js';
import {
  areasFileSchema,
  challengeFileSchema,
  challengeSchema,
  competenceFileSchema,
  parseWith,
  solutionSchemas,
  tutorialsFileSchema,
  type ChallengeEntry,
} from './schemas.js';

/** The repository's content/ folder. */
export const DEFAULT_CONTENT_DIR = fileURLToPath(new URL('../../../../content/', import.meta.url));

/** A problem of the bank: file (relative to the content folder), item id, field and message. */
export type ContentError = ContentIssue;

export interface LoadedContent {
  readonly framework: Framework;
  readonly index: ContentIndex;
}

/** How the load went: time taken and YAML files read. */
export interface ContentLoadMetrics {
  readonly durationMs: number;
  readonly fileCount: number;
}

export type ContentLoadResult =
  | ({ readonly ok: true; readonly content: LoadedContent } & ContentLoadMetrics)
  | ({ readonly ok: false; readonly errors: readonly ContentError[] } & ContentLoadMetrics);

export interface LoadContentOptions {
  /** The content folder; defaults to the repository's content/. */
  readonly dir?: string;
}

/** Thrown by {@link loadContentOrThrow}; `errors` holds every problem found. */
export class ContentValidationError extends DomainError {
  constructor(readonly errors: readonly ContentError[]) {
    super(
      'CONTENT_INVALID',
      `The content bank has ${errors.length} error(s):\n${errors.map(formatContentIssue).join('\n')}`,
      { errorCount: errors.length },
    );
  }
}

/** Loads and validates the bank; never throws for content problems (they are in `errors`). */
export async function loadContent(options: LoadContentOptions = {}): Promise<ContentLoadResult> {
  const started = performance.now();
  const dir = path.resolve(options.dir ?? DEFAULT_CONTENT_DIR);
  const loader = new BankLoader(dir);
  const outcome = await loader.load();
  const metrics: ContentLoadMetrics = {
    durationMs: performance.now() - started,
    fileCount: loader.fileCount,
  };
  return outcome.ok
    ? { ok: true, content: outcome.content, ...metrics }
    : { ok: false, errors: outcome.errors, ...metrics };
}

/** Loads and validates the bank, or throws a {@link ContentValidationError} listing every problem. */
export async function loadContentOrThrow(options: LoadContentOptions = {}): Promise<LoadedContent> {
  const result = await loadContent(options);
  if (!result.ok) throw new ContentValidationError(result.errors);
  return result.content;
}

// ---------------------------------------------------------------------------------------------

const COMPETENCE_FILE = /^competence-([1-9]\.[1-9])\.yaml$/;

interface Draft {
  areas: Sourced<Area>[];
  competences: Sourced<Competence>[];
  thematics: Sourced<Thematic>[];
  tubes: Sourced<Tube>[];
  skills: Sourced<Skill>[];
  tutorials: Sourced<Tutorial>[];
  challenges: SourcedChallenge[];
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

class BankLoader {
  readonly issues: ContentIssue[] = [];
  readonly draft: Draft = {
    areas: [],
    competences: [],
    thematics: [],
    tubes: [],
    skills: [],
    tutorials: [],
    challenges: [],
  };
  fileCount = 0;
  /** Framework files that could not be read: references to their items are not reported. */
  private readonly broken = { areas: false, tutorials: false, competences: new Set<string>() };

  constructor(private readonly dir: string) {}

  private report(file: string, id: string, fieldPath: string, message: string): void {
    this.issues.push({ file, id, path: fieldPath, message });
  }

  private reportAll(file: string, id: string, issues: readonly FieldIssue[]): void {
    for (const issue of issues) this.report(file, id, issue.path, issue.message);
  }

  private absolute(relative: string): string {
    return path.join(this.dir, ...relative.split('/'));
  }

  private async list(relative: string): Promise<Dirent[] | undefined> {
    try {
      const entries = await readdir(this.absolute(relative), { withFileTypes: true });
      return entries.sort(byName);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Reads and parses a YAML file; syntax errors are reported and give `undefined`. */
  private async readYaml(relative: string): Promise<unknown> {
    this.fileCount += 1;
    const text = await readFile(this.absolute(relative), 'utf8');
    try {
      // js-yaml refuses duplicate keys; it parses a full bank about five times faster than `yaml`.
      // The JSON schema keeps 0x1b, 0o17, 007 and yes/no as text: only plain decimals are numbers.
      return parseYaml(text, { filename: relative, schema: JSON_SCHEMA });
    } catch (error) {
      if (!(error instanceof YAMLException)) throw error;
      const where = error.mark ? `line ${error.mark.line + 1}, column ${error.mark.column + 1}: ` : '';
      this.report(relative, '', '', `YAML syntax error at ${where}${error.reason}`);
      return undefined;
    }
  }

  async load(): Promise<{ ok: true; content: LoadedContent } | { ok: false; errors: ContentIssue[] }> {
    const top = await this.list('');
    if (!top) {
      this.report('.', '', '', `content folder not found: ${this.dir}`);
      return { ok: false, errors: this.issues };
    }
    await this.loadFramework();
    await this.loadChallenges();
    const all = sortContentIssues(this.withoutCascades([...this.issues, ...validateContent(this.draft)]));
    if (all.length > 0) return { ok: false, errors: all };
    const framework = this.buildFramework();
    return { ok: true, content: { framework, index: buildContentIndex(framework) } };
  }

  /**
   * When a framework file is broken, its items are missing and every reference to them would be
   * reported too; those follow-on issues are replaced by one note on the broken file.
   */
  private withoutCascades(issues: readonly ContentIssue[]): ContentIssue[] {
    const { areas, tutorials, competences } = this.broken;
    const notes = new Map<string, ContentIssue>();
    const note = (file: string, what: string) =>
      notes.set(file, {
        file,
        id: '',
        path: '',
        message: `${what} are not checked until this file is fixed`,
      });
    const kept = issues.filter((issue) => {
      if (tutorials && isUnknownReference(issue, 'tutorial')) {
        note('framework/tutorials.yaml', 'references to tutorials');
        return false;
      }
      const frameworkKinds = ['area', 'competence', 'thematic', 'tube', 'skill'] as const;
      if (areas && frameworkKinds.some((kind) => isUnknownReference(issue, kind))) {
        note('framework/areas.yaml', 'references to competences, tubes and skills');
        return false;
      }
      for (const code of competences) {
        const inCompetence = issue.file.startsWith(`challenges/${code}/`);
        if (inCompetence && (isUnknownReference(issue, 'tube') || isUnknownReference(issue, 'skill'))) {
          note(
            `framework/competence-${code}.yaml`,
            `references to the tubes and skills of competence ${code}`,
          );
          return false;
        }
      }
      return true;
    });
    return [...kept, ...notes.values()];
  }

  // -------------------------------------------------------------------------------------------
  // Framework
  // -------------------------------------------------------------------------------------------

  private async loadFramework(): Promise<void> {
    const entries = await this.list('framework');
    if (!entries) {
      this.report('framework', '', '', 'folder is missing');
      return;
    }
    const names = new Set(entries.filter((entry) => entry.isFile()).map((entry) => entry.name));
    for (const required of ['areas.yaml', 'tutorials.yaml']) {
      if (!names.has(required)) this.report(`framework/${required}`, '', '', 'file is missing');
    }
    const competenceFiles: string[] = [];
    for (const entry of entries) {
      if (entry.isDirectory()) {
        this.report(`framework/${entry.name}`, '', '', 'unexpected folder in framework/');
      } else if (/\.ya?ml$/.test(entry.name) && !['areas.yaml', 'tutorials.yaml'].includes(entry.name)) {
        if (COMPETENCE_FILE.test(entry.name)) competenceFiles.push(entry.name);
        else {
          this.report(
            `framework/${entry.name}`,
            '',
            '',
            'unexpected file: framework/ holds areas.yaml, tutorials.yaml and competence-<code>.yaml',
          );
        }
      }
    }

    const [areasData, tutorialsData, ...competenceData] = await Promise.all([
      names.has('areas.yaml') ? this.readYaml('framework/areas.yaml') : undefined,
      names.has('tutorials.yaml') ? this.readYaml('framework/tutorials.yaml') : undefined,
      ...competenceFiles.map((name) => this.readYaml(`framework/${name}`)),
    ]);

    if (areasData !== undefined) this.addAreas('framework/areas.yaml', areasData);
    else this.broken.areas = true;
    if (tutorialsData !== undefined) this.addTutorials('framework/tutorials.yaml', tutorialsData);
    else this.broken.tutorials = true;
    const knownCompetences = new Set(this.draft.competences.map((item) => item.value.code));
    competenceFiles.forEach((name, index) => {
      const data = competenceData[index];
      const added =
        data !== undefined && this.addCompetenceFile(`framework/${name}`, name, data, knownCompetences);
      const code = COMPETENCE_FILE.exec(name)?.[1];
      if (!added && code !== undefined) this.broken.competences.add(code);
    });
  }

  private addAreas(file: string, data: unknown): void {
    const parsed = parseWith(areasFileSchema, data);
    if (!parsed.success) {
      this.broken.areas = true;
      return this.reportAll(file, '', parsed.issues);
    }
    parsed.data.areas.forEach((area, areaIndex) => {
      this.draft.areas.push({
        value: {
          code: area.code,
          name: area.name,
          color: area.color,
          competenceCodes: area.competences.map((competence) => competence.code),
        },
        source: { file, path: joinPath('areas', areaIndex) },
      });
      area.competences.forEach((competence, competenceIndex) => {
        this.draft.competences.push({
          value: {
            code: competence.code,
            areaCode: area.code,
            name: competence.name,
            description: competence.description,
          },
          source: { file, path: joinPath('areas', areaIndex, 'competences', competenceIndex) },
        });
      });
    });
  }

  private addTutorials(file: string, data: unknown): void {
    const parsed = parseWith(tutorialsFileSchema, data);
    if (!parsed.success) {
      this.broken.tutorials = true;
      return this.reportAll(file, '', parsed.issues);
    }
    parsed.data.tutorials.forEach((tutorial, index) => {
      this.draft.tutorials.push({ value: tutorial, source: { file, path: joinPath('tutorials', index) } });
    });
  }

  /** Adds a competence file's items; false when the file is unusable (its problems are reported). */
  private addCompetenceFile(file: string, name: string, data: unknown, known: ReadonlySet<string>): boolean {
    const parsed = parseWith(competenceFileSchema, data);
    if (!parsed.success) {
      this.reportAll(file, '', parsed.issues);
      return false;
    }
    const { competence: code, thematics, tubes } = parsed.data;
    const fileCode = COMPETENCE_FILE.exec(name)?.[1];
    if (code !== fileCode) {
      this.report(file, code, 'competence', `must be ${fileCode ?? '?'}, the code in the file name`);
      return false;
    }
    if (!known.has(code)) {
      this.report(file, code, 'competence', `unknown competence "${code}": add it to framework/areas.yaml`);
      return false;
    }
    thematics.forEach((thematic, index) => {
      this.draft.thematics.push({
        value: { id: thematic.id, competenceCode: code, name: thematic.name },
        source: { file, path: joinPath('thematics', index) },
      });
    });
    tubes.forEach((tube, tubeIndex) => {
      this.draft.tubes.push({
        value: {
          id: tube.id,
          competenceCode: code,
          thematicId: tube.thematic,
          practicalTitle: tube.title,
          practicalDescription: tube.description,
        },
        source: { file, path: joinPath('tubes', tubeIndex) },
      });
      tube.skills.forEach((skill, skillIndex) => {
        this.draft.skills.push({
          value: {
            id: skill.id,
            tubeId: tube.id,
            competenceCode: code,
            level: skill.level,
            tutorialIds: skill.tutorials,
          },
          source: { file, path: joinPath('tubes', tubeIndex, 'skills', skillIndex) },
        });
      });
    });
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Challenges
  // -------------------------------------------------------------------------------------------

  private async loadChallenges(): Promise<void> {
    const folders = await this.list('challenges');
    if (!folders) return; // A bank without challenges yet is valid.
    const competenceCodes = new Set(this.draft.competences.map((item) => item.value.code));
    const tubes = new Map(this.draft.tubes.map((item) => [item.value.id, item.value]));
    const skillLevels = new Map(this.draft.skills.map((item) => [item.value.id, item.value.level]));

    const files: { relative: string; tubeId?: string }[] = [];
    for (const folder of folders) {
      const folderPath = `challenges/${folder.name}`;
      if (!folder.isDirectory()) {
        if (/\.ya?ml$/.test(folder.name)) {
          this.report(folderPath, '', '', 'challenge files go in challenges/<competence>/<tubeId>.yaml');
        }
        continue;
      }
      if (!competenceCodes.has(folder.name)) {
        this.report(
          folderPath,
          '',
          '',
          `unknown competence "${folder.name}": folders are named by competence code`,
        );
        continue;
      }
      for (const entry of (await this.list(folderPath)) ?? []) {
        const relative = `${folderPath}/${entry.name}`;
        if (entry.isDirectory()) {
          this.report(
            relative,
            '',
            '',
            'unexpected folder: challenge files are directly in the competence folder',
          );
        } else if (entry.name.endsWith('.yml')) {
          this.report(relative, '', '', 'rename the file with the .yaml extension');
        } else if (entry.name.endsWith('.yaml')) {
          // <tubeId>.yaml, or <tubeId>.<part>.yaml when one tube's challenges are split across files
          // (for example the challenges built on attachments or simulators).
          const tubeId = entry.name.slice(0, -'.yaml'.length).split('.')[0] ?? '';
          const tube = tubes.get(tubeId);
          if (!tube) {
            this.report(
              relative,
              '',
              '',
              `unknown tube "${tubeId}": the file must be named after a tube of competence ${folder.name}`,
            );
            files.push({ relative });
          } else if (tube.competenceCode !== folder.name) {
            this.report(
              relative,
              '',
              '',
              `tube "${tubeId}" belongs to competence ${tube.competenceCode}: move the file to challenges/${tube.competenceCode}/`,
            );
            files.push({ relative });
          } else {
            files.push({ relative, tubeId });
          }
        }
      }
    }

    const contents = await Promise.all(files.map((file) => this.readYaml(file.relative)));
    const perFile = await Promise.all(
      files.map(async (file, index) => {
        const data = contents[index];
        if (data === undefined) return [];
        const parsed = parseWith(challengeFileSchema, data);
        if (!parsed.success) {
          this.reportAll(file.relative, '', parsed.issues);
          return [];
        }
        const built = await Promise.all(
          parsed.data.challenges.map((raw, position) =>
            this.buildChallenge(file.relative, raw, position, skillLevels),
          ),
        );
        return built.flatMap((challenge): SourcedChallenge[] =>
          challenge
            ? [
                {
                  value: challenge,
                  source: { file: file.relative, path: '' },
                  ...(file.tubeId !== undefined ? { fileTubeId: file.tubeId } : {}),
                },
              ]
            : [],
        );
      }),
    );
    this.draft.challenges.push(...perFile.flat());
  }

  private async buildChallenge(
    file: string,
    raw: unknown,
    position: number,
    skillLevels: ReadonlyMap<string, number>,
  ): Promise<Challenge | undefined> {
    const rawId = (raw as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' ? rawId : '';
    const prefix = id === '' ? joinPath('challenges', position) : '';

    const parsed = parseWith(challengeSchema, raw, prefix);
    if (!parsed.success) {
      this.reportAll(file, id, parsed.issues);
      return undefined;
    }
    const entry = parsed.data;
    const instruction = { fr: entry.instruction.fr ?? '', en: entry.instruction.en ?? '' };
    const proposals = { fr: entry.proposals.fr ?? '', en: entry.proposals.en ?? '' };
    const solution = this.buildSolution(file, entry, proposals.fr || proposals.en);
    const [attachments, illustrationOk] = await Promise.all([
      this.buildAttachments(file, entry),
      this.checkIllustration(file, entry),
    ]);
    if (!solution || !attachments || !illustrationOk) return undefined;

    const level = skillLevels.get(entry.skill) ?? Number(/(\d)$/.exec(entry.skill)?.[1] ?? 1);
    const illustration: Illustration | undefined = entry.illustration && {
      path: entry.illustration.path,
      alt: { fr: entry.illustration.alt.fr ?? '', en: entry.illustration.alt.en ?? '' },
    };
    return {
      id: entry.id,
      skillId: entry.skill,
      type: entry.type,
      status: entry.status,
      locales: ['fr', 'en'],
      instruction,
      proposals,
      solution,
      attachments,
      ...(illustration ? { illustration } : {}),
      ...(entry.embed
        ? {
            embed: {
              simulatorId: entry.embed.simulator,
              title: entry.embed.title,
              height: entry.embed.height,
              autoReply: entry.embed.autoReply,
            },
          }
        : {}),
      ...(entry.timer !== undefined ? { timer: entry.timer } : {}),
      focused: entry.focused,
      accessibility: entry.accessibility,
      irt: entry.irt ?? deriveIrtParameters(level),
      author: entry.author,
      ...(entry.reviewer !== undefined ? { reviewer: entry.reviewer } : {}),
    };
  }

  /** Builds the solution of the challenge's type; select flags come from the proposals' blocks. */
  private buildSolution(file: string, entry: ChallengeEntry, proposals: string): Solution | undefined {
    const fail = (issues: readonly FieldIssue[]) => {
      this.reportAll(file, entry.id, issues);
      return undefined;
    };
    const blocks = parseInputBlocks(proposals).blocks;
    const variantsOf = (value: { fr?: string[]; en?: string[]; answers?: string[] }): LocalizedVariants => ({
      fr: value.answers ?? value.fr ?? [],
      en: value.answers ?? value.en ?? [],
    });
    const tolerancesOf = (value: { t1?: boolean; t2?: boolean; t3?: boolean } | undefined) => ({
      t1: value?.t1 ?? DEFAULT_TOLERANCES.t1,
      t2: value?.t2 ?? DEFAULT_TOLERANCES.t2,
      t3: value?.t3 ?? DEFAULT_TOLERANCES.t3,
    });
    const inputsOf = (
      inputs: Record<string, { fr?: string[]; en?: string[]; answers?: string[]; numeric: boolean }>,
    ) =>
      Object.entries(inputs).map(([key, input]): TextInputSolution => ({
        key,
        variants: variantsOf(input),
        numeric: input.numeric,
        select: blocks.some((block) => block.key === key && block.kind === 'select'),
      }));

    switch (entry.type) {
      case 'QCU': {
        const parsed = parseWith(solutionSchemas.QCU, entry.solution, 'solution');
        return parsed.success ? { type: 'QCU', answer: parsed.data.answer } : fail(parsed.issues);
      }
      case 'QCM': {
        const parsed = parseWith(solutionSchemas.QCM, entry.solution, 'solution');
        return parsed.success ? { type: 'QCM', answers: parsed.data.answers } : fail(parsed.issues);
      }
      case 'QROC': {
        const parsed = parseWith(solutionSchemas.QROC, entry.solution, 'solution');
        if (!parsed.success) return fail(parsed.issues);
        const [input] = inputsOf(parsed.data.inputs);
        if (!input) return fail([{ path: 'solution.inputs', message: 'a QROC has exactly one input' }]);
        return { type: 'QROC', input, tolerances: tolerancesOf(parsed.data.tolerances) };
      }
      case 'QROCM-ind': {
        const parsed = parseWith(solutionSchemas['QROCM-ind'], entry.solution, 'solution');
        if (!parsed.success) return fail(parsed.issues);
        return {
          type: 'QROCM-ind',
          inputs: inputsOf(parsed.data.inputs),
          tolerances: tolerancesOf(parsed.data.tolerances),
        };
      }
      case 'QROCM-dep': {
        const parsed = parseWith(solutionSchemas['QROCM-dep'], entry.solution, 'solution');
        if (!parsed.success) return fail(parsed.issues);
        const listed = parsed.data.inputs;
        const displayed = blocks.map((block) => block.key);
        const sameKeys = listed.length === displayed.length && displayed.every((key) => listed.includes(key));
        return {
          type: 'QROCM-dep',
          inputKeys: sameKeys ? displayed : listed,
          groups: parsed.data.groups.map(variantsOf),
          tolerances: tolerancesOf(parsed.data.tolerances),
        };
      }
    }
  }

  /** Checks each attachment exists under files/ and reads its size and media type. */
  private async buildAttachments(file: string, entry: ChallengeEntry): Promise<Attachment[] | undefined> {
    let ok = true;
    const attachments = await Promise.all(
      entry.attachments.map(async (relative, index): Promise<Attachment | undefined> => {
        const fieldPath = joinPath('attachments', index);
        const mediaType = mediaTypeOf(relative);
        if (!mediaType) {
          ok = false;
          this.report(
            file,
            entry.id,
            fieldPath,
            `unsupported file type "${relative}" (see docs/content-authoring.md)`,
          );
          return undefined;
        }
        const size = await this.fileSize(relative);
        if (size === undefined) {
          ok = false;
          this.report(file, entry.id, fieldPath, `file not found: files/${relative}`);
          return undefined;
        }
        return { path: relative, mediaType, sizeBytes: size };
      }),
    );
    return ok ? attachments.filter((attachment) => attachment !== undefined) : undefined;
  }

  private async checkIllustration(file: string, entry: ChallengeEntry): Promise<boolean> {
    if (!entry.illustration) return true;
    const relative = entry.illustration.path;
    if (!mediaTypeOf(relative)?.startsWith('image/')) {
      this.report(
        file,
        entry.id,
        'illustration.path',
        `must be an image (png, jpg, gif, webp or svg): "${relative}"`,
      );
      return false;
    }
    if ((await this.fileSize(relative)) === undefined) {
      this.report(file, entry.id, 'illustration.path', `file not found: files/${relative}`);
      return false;
    }
    return true;
  }

  /** Size in bytes of a file under files/, or undefined when it is not a file. */
  private async fileSize(relative: string): Promise<number | undefined> {
    try {
      const stats = await stat(this.absolute(`files/${relative}`));
      return stats.isFile() ? stats.size : undefined;
    } catch {
      return undefined;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Result
  // -------------------------------------------------------------------------------------------

  private buildFramework(): Framework {
    const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const compareCodes = (a: { code: string }, b: { code: string }) => compareText(a.code, b.code);
    /** Sorted by competence code; the file order is kept within a competence (the sort is stable). */
    const byCompetence = <T extends { competenceCode: string }>(items: readonly T[]) =>
      [...items].sort((a, b) => compareText(a.competenceCode, b.competenceCode));
    const values = <T>(items: readonly Sourced<T>[]) => items.map((item) => item.value);

    const tubes = byCompetence(values(this.draft.tubes));
    const tubeRank = new Map(tubes.map((tube, index) => [tube.id, index]));
    const skills = [...values(this.draft.skills)].sort(
      (a, b) => (tubeRank.get(a.tubeId) ?? 0) - (tubeRank.get(b.tubeId) ?? 0) || a.level - b.level,
    );
    const challenges = [...this.draft.challenges]
      .sort((a, b) => compareText(a.source.file, b.source.file))
      .map((item) => item.value);

    return deepFreeze({
      areas: [...values(this.draft.areas)].sort(compareCodes),
      competences: [...values(this.draft.competences)].sort(compareCodes),
      thematics: byCompetence(values(this.draft.thematics)),
      tubes,
      skills,
      tutorials: values(this.draft.tutorials),
      challenges,
    });
  }
}
