/**
 * Types of the simulators' pure ES modules under public/ (plain JavaScript, outside the
 * TypeScript build), for the unit tests in test/unit/simulators. See docs/simulators.md.
 */

type SimScenario = Record<string, unknown>;

declare module '*/simulators/shared/protocol.js' {
  export const MESSAGE_SOURCE: 'pix-lti-simulator';
  export const PROTOCOL_VERSION: 1;
  export const MESSAGE_TYPES: readonly ('ready' | 'height' | 'answer')[];
  export const MIN_HEIGHT: number;
  export const MAX_HEIGHT: number;
  export const MAX_ANSWER_BYTES: number;
  export interface SimulatorMessage {
    source: 'pix-lti-simulator';
    version: 1;
    simulator: string;
    challenge: string;
    type: 'ready' | 'height' | 'answer';
    height?: number;
    answer?: string;
  }
  export function utf8Length(text: string, limit?: number): number;
  export function isSimulatorId(value: unknown): boolean;
  export function isChallengeField(value: unknown): boolean;
  export function clampHeight(height: number): number;
  export function readQuery(href: string): {
    lang: 'fr' | 'en';
    challenge: string;
    scenario: string;
    origin: string;
  };
  export function createMessage(
    simulator: string,
    challenge: string,
    type: string,
    payload?: { height?: number; answer?: string },
  ): SimulatorMessage;
  export function selectScenario(
    file: unknown,
    query?: { challenge?: string; scenario?: string; lang?: string },
  ): { name: string; data: SimScenario } | null;
  export function translate(
    dictionary: Record<string, string> | undefined,
    key: string,
    vars?: Record<string, unknown>,
  ): string;
  export function fold(text: string): string;
}

declare module '*/js/simulator-bridge.js' {
  import type { SimulatorMessage } from '*/simulators/shared/protocol.js';
  export function acceptSimulatorMessage(
    event: unknown,
    iframeWindow: unknown,
    expected?: { simulator?: string; challenge?: string },
  ): Readonly<SimulatorMessage> | null;
  export function simulatorUrl(
    simulatorId: string,
    options?: { lang?: string; challenge?: string; scenario?: string },
  ): string;
}

declare module '*/simulators/spreadsheet/formula.js' {
  export class CellError {
    constructor(code: string);
    code: string;
  }
  export const ERRORS: Readonly<
    Record<'div0' | 'value' | 'ref' | 'name' | 'na' | 'cycle' | 'syntax', string>
  >;
  export class FormulaSyntaxError extends Error {}
  export type CellValue = number | string | boolean | null | CellError;
  export function parseRef(
    text: string,
  ): { col: number; row: number; absCol: boolean; absRow: boolean } | null;
  export function expandRange(text: string): string[];
  export function tokenize(body: string, options?: { decimalComma?: boolean }): unknown[];
  export function parseFormula(body: string, options?: { decimalComma?: boolean }): unknown;
  export function evaluate(
    ast: unknown,
    getCell: (col: number, row: number) => CellValue,
    options?: { decimalComma?: boolean },
  ): CellValue;
  export function criterionMatcher(
    criterion: CellValue,
    options?: { decimalComma?: boolean },
  ): (value: CellValue) => boolean;
  export function shiftFormula(
    formula: string,
    rows: number,
    cols: number,
    options?: { decimalComma?: boolean },
  ): string;
  export function valueText(value: CellValue, options?: { decimalComma?: boolean }): string;
  export const FUNCTION_NAMES: readonly string[];
}

declare module '*/simulators/spreadsheet/sheet.js' {
  import type { CellValue } from '*/simulators/spreadsheet/formula.js';
  export interface Sheet {
    cols: number;
    rows: number;
    cells: Record<string, string>;
    locked: string[];
  }
  export function createSheet(scenario: SimScenario): Sheet;
  export function setCell(sheet: Sheet, name: string, raw: string): Sheet;
  export function computeSheet(sheet: Sheet, options?: { decimalComma?: boolean }): Map<string, CellValue>;
  export function valueOf(sheet: Sheet, name: string, options?: { decimalComma?: boolean }): CellValue;
  export function displayValue(value: CellValue, lang?: string): string;
  export function copyCells(
    sheet: Sheet,
    source: string,
    target: string,
    options?: { decimalComma?: boolean },
  ): Sheet;
  export function parseConstant(raw: string): number | string | null;
  export function sheetAnswer(
    sheet: Sheet,
    report: string | string[] | { cells: string | string[]; probe?: Record<string, string> },
    options?: { decimalComma?: boolean },
  ): string;
}

declare module '*/simulators/search-engine/logic.js' {
  export interface Page {
    id: string;
    url: string;
    title: string;
    text: string;
    filetype?: string;
    date?: string;
    author?: string;
  }
  export interface Atom {
    kind: 'term' | 'phrase' | 'site' | 'filetype' | 'intitle' | 'or';
    value?: string | string[];
    negated?: boolean;
  }
  export function words(text: string): string[];
  export function tokenize(query: string): Atom[];
  export function parseQuery(query: string): { clauses: Atom[][]; excluded: Atom[] };
  export function searchPages(pages: Page[], query: string): Page[];
  export function snippet(page: Page, query: string, length?: number): string;
  export function searchAnswer(results: Page[]): string;
}

declare module '*/simulators/password-checker/logic.js' {
  export interface Estimate {
    bits: number;
    score: number;
    classes: { lower: boolean; upper: boolean; digit: boolean; symbol: boolean };
    length: number;
    patterns: { start: number; end: number; kind: string; bits: number }[];
    feedback: string[];
  }
  export const SCORE_THRESHOLDS: readonly number[];
  export function characterClasses(password: string): Estimate['classes'];
  export function findPatterns(password: string, userInputs?: string[]): Estimate['patterns'];
  export function estimateStrength(password: string, options?: { userInputs?: string[] }): Estimate;
  export function checkPolicy(
    password: string,
    policy: SimScenario,
    options?: { userInputs?: string[]; confirmation?: string },
  ): { id: string; met: boolean }[];
  export function passwordAnswer(rules: { id: string; met: boolean }[]): string;
}

declare module '*/simulators/code-runner/interpreter.js' {
  export class PyError extends Error {
    kind: string;
    detail: string;
    line: number;
  }
  export interface TestResult {
    label: string;
    passed: boolean;
    expected: string;
    got: string;
  }
  export function tokenize(source: string): unknown[];
  export function parse(source: string): unknown[];
  export function run(
    source: string,
    limits?: { maxSteps?: number; maxOutputLines?: number; maxDepth?: number; maxItems?: number },
  ): { output: string[]; error: PyError | null };
  export function runTests(
    source: string,
    tests: { call?: string; expected?: string; output?: string; label?: string }[],
    limits?: { maxSteps?: number },
  ): { output: string[]; error: PyError | null; results: TestResult[] };
  export function testsAnswer(results: TestResult[]): string;
  export function repr(value: unknown): string;
  export function str(value: unknown): string;
}

declare module '*/simulators/file-manager/logic.js' {
  export const ROOT: 'root';
  export const TRASH: 'trash';
  export class FileOpError extends Error {
    code: string;
  }
  export interface FileNode {
    id: string;
    name: string;
    kind: 'file' | 'folder';
    parent: string | null;
    size?: number;
    modified: string | null;
  }
  export interface FileState {
    nodes: Record<string, FileNode>;
    capacity: number | null;
  }
  export type FileReport = { scope?: string[]; trash?: boolean; space?: boolean };
  export function createFileState(scenario: SimScenario): FileState;
  export function getNode(state: FileState, id: string): FileNode;
  export function children(state: FileState, folderId: string): FileNode[];
  export function pathOf(state: FileState, id: string): string;
  export function findByPath(state: FileState, path: string): FileNode | undefined;
  export function sizeOf(state: FileState, id: string): number;
  export function modifiedOf(state: FileState, id: string): string | null;
  export function properties(state: FileState, id: string): Record<string, unknown>;
  export function listFolder(
    state: FileState,
    folderId: string,
    options?: { key?: string; direction?: 'asc' | 'desc'; lang?: string },
  ): FileNode[];
  export function search(
    state: FileState,
    query: string,
    options?: { key?: string; direction?: 'asc' | 'desc' },
  ): FileNode[];
  export function validateName(name: string): string | null;
  /** Whether an item is shown in the current view (a folder, or search results). */
  export function isListed(state: FileState, id: string, view?: { folder?: string; query?: string }): boolean;
  /** What a key pressed in the Move/Rename panel does. */
  export function panelKeyAction(event: {
    key: string;
    target?: { tagName: string } | null;
    altKey?: boolean;
    ctrlKey?: boolean;
    metaKey?: boolean;
    shiftKey?: boolean;
    isComposing?: boolean;
  }): 'cancel' | 'submit' | null;
  export function rename(state: FileState, id: string, name: string): FileState;
  export function move(state: FileState, id: string, destinationId: string): FileState;
  export function createFolder(
    state: FileState,
    parentId: string,
    name: string,
  ): { state: FileState; id: string };
  export function trashItem(state: FileState, id: string): FileState;
  export function restoreItem(state: FileState, id: string): FileState;
  export function deleteForever(state: FileState, id: string): FileState;
  export function emptyTrash(state: FileState): FileState;
  export function usedSpace(state: FileState): number;
  export function fileAnswer(state: FileState, report?: FileReport): string;
  export function formatSize(bytes: number, lang?: string): string;
}

declare module '*/simulators/mail-client/logic.js' {
  export interface MailState {
    mails: {
      id: string;
      folder: string;
      reported: boolean;
      read: boolean;
      body: string;
      from: { address: string };
    }[];
  }
  export function createMailState(scenario: SimScenario): MailState;
  export function mailsInFolder(state: MailState, folder: string): MailState['mails'];
  export function reportPhishing(state: MailState, id: string): MailState;
  export function unreport(state: MailState, id: string): MailState;
  export function deleteMail(state: MailState, id: string): MailState;
  export function restoreMail(state: MailState, id: string): MailState;
  export function markRead(state: MailState, id: string): MailState;
  export function domainOf(address: string): string;
  export function hostOf(url: string): string;
  export function parseBody(body: string): { text: string; href?: string }[][];
  export function linksOf(mail: { body: string }): { text: string; href?: string }[];
  export function mailAnswer(state: MailState): string;
}

declare module '*/simulators/privacy-settings/logic.js' {
  export interface PrivacyState {
    settings: Record<string, string | boolean>;
    posts: { id: string; audience: string }[];
    apps: { id: string; permissions: string[] }[];
  }
  export function createPrivacyState(scenario: SimScenario): PrivacyState;
  export function setSetting(state: PrivacyState, id: string, value: string | boolean): PrivacyState;
  export function setPostAudience(state: PrivacyState, postId: string, audience: string): PrivacyState;
  export function limitPastPosts(state: PrivacyState, audience: string): PrivacyState;
  export function removeApp(state: PrivacyState, appId: string): PrivacyState;
  export function canSee(viewer: string, audience: string): boolean;
  export function visibleTo(state: PrivacyState, viewer: string): { profile: string[]; posts: string[] };
  export function privacyAnswer(state: PrivacyState, report?: string[]): string;
}

declare module '*/simulators/cookie-consent/logic.js' {
  export interface ConsentState {
    saved: boolean;
    consent: Record<string, boolean>;
    objections: Record<string, boolean>;
  }
  export function createConsentState(scenario: SimScenario): ConsentState;
  export function setConsent(state: ConsentState, id: string, value: boolean): ConsentState;
  export function setObjection(state: ConsentState, id: string, value: boolean): ConsentState;
  export function acceptAll(state: ConsentState): ConsentState;
  export function refuseAll(state: ConsentState): ConsentState;
  export function save(state: ConsentState): ConsentState;
  export function reopen(state: ConsentState): ConsentState;
  export function isActive(state: ConsentState, id: string): boolean;
  export function activeVendorCount(state: ConsentState): number;
  export function consentAnswer(state: ConsentState): string;
}

declare module '*/simulators/share-dialog/logic.js' {
  export class ShareError extends Error {
    code: string;
  }
  export interface ShareState {
    file: string;
    people: { email: string; name: string; role: string }[];
    access: string;
    linkRole: string;
    expiry: string;
    download: boolean;
  }
  export function createShareState(scenario: SimScenario): ShareState;
  export function addPerson(state: ShareState, email: string, role?: string, name?: string): ShareState;
  export function setRole(state: ShareState, email: string, role: string): ShareState;
  export function removePerson(state: ShareState, email: string): ShareState;
  export function setAccess(state: ShareState, access: string): ShareState;
  export function setLinkRole(state: ShareState, role: string): ShareState;
  export function setExpiry(state: ShareState, expiry: string): ShareState;
  export function setDownload(state: ShareState, download: boolean): ShareState;
  export function shareAnswer(state: ShareState, report?: string[]): string;
}

declare module '*/simulators/troubleshooting-console/logic.js' {
  export interface Machine {
    hostname: string;
    interfaces: {
      name: string;
      connected: boolean;
      dhcp: boolean;
      ip: string;
      mask: string;
      gateway: string;
      dns: string[];
    }[];
    services: { name: string; status: string }[];
  }
  export function createMachine(scenario: SimScenario): Machine;
  export function ipToInt(ip: string): number | null;
  export function route(state: Machine, ip: string): { ok: boolean; reason?: string; latency?: number };
  export function resolve(
    state: Machine,
    name: string,
  ): { ip?: string; error?: string; server?: string | null };
  export function runCommand(
    state: Machine,
    line: string,
    t: (key: string, vars?: Record<string, unknown>) => string,
  ): { state: Machine; lines: string[]; clear?: boolean };
  export function consoleAnswer(state: Machine, report?: string[]): string;
}
