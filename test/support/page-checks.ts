import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/shared/infrastructure/embedded-db/engine-binary.js';

const AXE = path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js');

export interface AxeSummary {
  readonly serious: number;
  readonly critical: number;
  /** Every violation as `id(impact)`. */
  readonly ids: string[];
}

/** Runs axe-core on a frame's page (injected once per document) and counts its violations. */
export async function scanWithAxe(frame: Frame): Promise<AxeSummary> {
  // Page-side code is passed as strings: this project's TypeScript has no DOM types.
  if (!(await frame.evaluate<boolean>("'axe' in window"))) await frame.addScriptTag({ path: AXE });
  const violations = await frame.evaluate<Array<{ id: string; impact: string | null }>>(
    'axe.run().then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact })))',
  );
  return {
    serious: violations.filter((violation) => violation.impact === 'serious').length,
    critical: violations.filter((violation) => violation.impact === 'critical').length,
    ids: violations.map((violation) => `${violation.id}(${violation.impact})`),
  };
}

/**
 * How far the tool's page scrolls sideways at this viewport width (the LMS frame is narrower), and
 * the first elements that stick out (outside the tables' own scrolling frames), to say what to fix.
 */
export async function overflowAt(
  page: Page,
  frame: Frame,
  width: number,
): Promise<{ px: number; wide: string }> {
  await page.setViewportSize({ width, height: 900 });
  const px = await frame.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  const wide =
    px > 1
      ? await frame.evaluate<string>(
          `[...document.querySelectorAll('body *')]
            .filter((e) => !e.closest('.table-scroll') && e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .slice(0, 6).map((e) => e.tagName + '.' + e.className + '#' + e.id).join(', ')`,
        )
      : '';
  return { px, wide };
}
