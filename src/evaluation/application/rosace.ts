/**
 * The "rosace": the 16 competences of a profile as sectors of a circle, grouped and coloured by
 * area, each filled from the centre in proportion to its level. Rendered on the server as SVG (no
 * client script); the results page gives the same figures in a table for screen readers.
 */
import type { Profile } from './profile.js';

const SIZE = 240;
const CENTER = SIZE / 2;
const INNER = 18;
const OUTER = 112;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function point(radius: number, angle: number): string {
  const x = CENTER + radius * Math.sin(angle);
  const y = CENTER - radius * Math.cos(angle);
  return `${x.toFixed(1)} ${y.toFixed(1)}`;
}

/** A ring sector from `inner` to `outer`, between two angles (radians, clockwise from the top). */
function sector(inner: number, outer: number, from: number, to: number): string {
  const large = to - from > Math.PI ? 1 : 0;
  return (
    `M${point(inner, from)}L${point(outer, from)}` +
    `A${outer} ${outer} 0 ${large} 1 ${point(outer, to)}` +
    `L${point(inner, to)}A${inner} ${inner} 0 ${large} 0 ${point(inner, from)}Z`
  );
}

export function renderRosace(
  profile: Pick<Profile, 'areas' | 'competences' | 'maxLevel'>,
  label: string,
): string {
  const colors = new Map(profile.areas.map((area) => [area.code, area.color]));
  const ordered = [...profile.competences].sort((a, b) =>
    a.code.localeCompare(b.code, 'en', { numeric: true }),
  );
  const count = Math.max(1, ordered.length);
  const step = (2 * Math.PI) / count;
  const gap = 0.02;
  const parts = ordered.map((competence, index) => {
    const from = index * step + gap;
    const to = (index + 1) * step - gap;
    const color = escapeXml(colors.get(competence.areaCode) ?? '#666666');
    const filled =
      INNER + ((OUTER - INNER) * Math.min(competence.level, profile.maxLevel)) / profile.maxLevel;
    const levelPath =
      competence.level > 0 ? `<path d="${sector(INNER, filled, from, to)}" fill="${color}"/>` : '';
    const labelAngle = (from + to) / 2;
    const [x, y] = point(OUTER - 10, labelAngle).split(' ');
    return (
      `<g><path d="${sector(INNER, OUTER, from, to)}" fill="${color}" fill-opacity="0.18" stroke="${color}"/>` +
      `${levelPath}<text x="${x}" y="${y}" font-size="8" text-anchor="middle" dominant-baseline="middle">` +
      `${escapeXml(competence.code)}</text></g>`
    );
  });
  return (
    `<svg class="rosace" viewBox="0 0 ${SIZE} ${SIZE}" width="${SIZE}" height="${SIZE}" role="img" ` +
    `aria-label="${escapeXml(label)}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`
  );
}
