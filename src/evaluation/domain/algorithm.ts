/** The positioning algorithms (docs/adr/0002-positioning-algorithm.md). */
export type PositioningAlgorithm = 'pix' | 'improved';
export const POSITIONING_ALGORITHMS: readonly PositioningAlgorithm[] = ['pix', 'improved'];
export const DEFAULT_POSITIONING_ALGORITHM: PositioningAlgorithm = 'improved';
