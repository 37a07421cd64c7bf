import {
  PAYLOAD_MUTATIONS,
  SIGNATURE_FORGERIES,
  forgeSignature,
  signWithActiveKey,
  type ForgeryKeys,
  type PayloadMutation,
  type SignatureForgery,
} from './forgery.js';
import { generateSigningKey, type SigningKey } from './keys.js';
import { LaunchClient, type ToolResponse } from './launch-client.js';
import type { LaunchSpec, PlatformEmulator } from './platform-emulator.js';

/**
 * The security matrix: every way an authentication response can be bad, each runnable against a
 * tool through the emulator. The `ltijs` field records what ltijs 5.9.9 does on its own (checked
 * by test/integration/lti-platform/ltijs-against-emulator.test.ts): cases it accepts are checks
 * the tool must add itself.
 */

export type FlowCase = 'valid' | 'replayed-token' | 'no-state-cookie' | 'wrong-state' | 'not-a-jwt';
export type SecurityCaseId = SignatureForgery | PayloadMutation | FlowCase;

export type LtijsOutcome = { rejects: true; error: string } | { rejects: false; note: string };

export interface SecurityCase {
  id: SecurityCaseId;
  description: string;
  /** Whether a compliant tool must refuse the launch ('valid' is the control case). */
  mustReject: boolean;
  ltijs: LtijsOutcome;
}

const rejects = (error: string): LtijsOutcome => ({ rejects: true, error });
const accepts = (note: string): LtijsOutcome => ({ rejects: false, note });

const LTIJS_OUTCOMES: Record<SecurityCaseId, LtijsOutcome> = {
  valid: accepts('control case'),
  'replayed-token': rejects('NONCE_ALREADY_RECEIVED'),
  'no-state-cookie': rejects('MISSING_VALIDATION_COOKIE'),
  'wrong-state': rejects('MISSING_VALIDATION_COOKIE'),
  'not-a-jwt': rejects('INVALID_JWT_RECEIVED'),
  'alg-none': rejects('jwt signature is required'),
  'hs256-with-public-key': rejects('secretOrPublicKey must be a symmetric key when using HS256'),
  'tampered-signature': rejects('invalid signature'),
  'unknown-kid': rejects('KEY_NOT_FOUND'),
  'missing-kid': rejects('KID_NOT_FOUND'),
  'foreign-key-own-kid': rejects('KEY_NOT_FOUND'),
  'foreign-key-active-kid': rejects('invalid signature'),
  expired: rejects('jwt expired'),
  'iat-in-future': accepts('ltijs only bounds the age (now - iat > tokenMaxAge); a future iat passes'),
  'missing-exp': accepts('jsonwebtoken checks exp only when present'),
  'missing-iat': accepts('now - undefined is NaN, and NaN > tokenMaxAge is false'),
  'nonce-never-issued': accepts('ltijs does not remember the nonce it sent: only replays are caught'),
  'missing-nonce': accepts(
    'a token without nonce passes: ltijs only checks that the value was not seen before',
  ),
  'wrong-iss': rejects('ISS_CLAIM_DOES_NOT_MATCH'),
  'wrong-aud': rejects('UNREGISTERED_PLATFORM'),
  'aud-array-wrong-azp': rejects('AZP_DOES_NOT_MATCH_CLIENTID'),
  'aud-array-untrusted-audience': accepts('extra audiences are not rejected'),
  'missing-sub': rejects('NO_SUB_CLAIM'),
  'missing-roles': rejects('NO_ROLES_CLAIM'),
  'missing-resource-link': rejects('NO_RESOURCE_LINK_ID_CLAIM'),
  'missing-resource-link-id': rejects('NO_RESOURCE_LINK_ID_CLAIM'),
  'missing-message-type': rejects('NO_MESSAGE_TYPE_CLAIM'),
  'wrong-message-type': rejects('NO_MESSAGE_TYPE_CLAIM'),
  'missing-version': rejects('NO_LTI_VERSION_CLAIM'),
  'wrong-version': rejects('WRONG_LTI_VERSION_CLAIM'),
  'missing-deployment-id': rejects('NO_DEPLOYMENT_ID_CLAIM'),
  'missing-target-link-uri': rejects('NO_TARGET_LINK_URI_CLAIM'),
  'target-link-uri-elsewhere': accepts(
    'ltijs requires target_link_uri but never compares it with the URL reached',
  ),
  'unknown-deployment-id': accepts('registrations are keyed by (iss, client id): any deployment_id passes'),
  oversized: accepts('no size limit below body-parser’s 100 kB form limit'),
};

const FLOW_DESCRIPTIONS: Record<FlowCase, string> = {
  valid: 'an honest token (control)',
  'replayed-token': 'a valid token posted again in a second login flow',
  'no-state-cookie': 'a valid token posted without the state cookie the tool set at login',
  'wrong-state': 'a valid token posted with a state the tool did not issue',
  'not-a-jwt': 'an id_token that is not a JWT',
};

export const SECURITY_CASES: readonly SecurityCase[] = [
  ...(Object.keys(FLOW_DESCRIPTIONS) as FlowCase[]).map((id) => ({
    id,
    description: FLOW_DESCRIPTIONS[id],
    mustReject: id !== 'valid',
    ltijs: LTIJS_OUTCOMES[id],
  })),
  ...(Object.keys(SIGNATURE_FORGERIES) as SignatureForgery[]).map((id) => ({
    id,
    description: SIGNATURE_FORGERIES[id],
    mustReject: true,
    ltijs: LTIJS_OUTCOMES[id],
  })),
  ...(Object.keys(PAYLOAD_MUTATIONS) as PayloadMutation[]).map((id) => ({
    id,
    description: PAYLOAD_MUTATIONS[id].description,
    mustReject: true,
    ltijs: LTIJS_OUTCOMES[id],
  })),
];

export function securityCase(id: SecurityCaseId): SecurityCase {
  const found = SECURITY_CASES.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`Unknown security case ${id}`);
  return found;
}

export interface SecurityCaseResult {
  id: SecurityCaseId;
  /** The decisive response of the tool (the last one). */
  response: ToolResponse;
  responses: ToolResponse[];
  tokens: string[];
}

let sharedForeignKey: SigningKey | undefined;

/**
 * Runs one case: starts a real login flow with the tool (so the state and its cookie are genuine),
 * then posts the bad authentication response in place of the platform's.
 */
export async function runSecurityCase(
  id: SecurityCaseId,
  context: { emulator: PlatformEmulator; spec: LaunchSpec; client?: LaunchClient; foreignKey?: SigningKey },
): Promise<SecurityCaseResult> {
  const { emulator, spec } = context;
  const client = context.client ?? new LaunchClient(emulator);
  sharedForeignKey ??= generateSigningKey({ kid: 'foreign-key' });
  const keys: ForgeryKeys = { active: emulator.keys.active, foreign: context.foreignKey ?? sharedForeignKey };
  const nowSeconds = Math.floor(emulator.now().getTime() / 1000);
  const flow = await client.startLaunch(spec);
  const payload = emulator.idTokenPayloadFor(flow.launch, { nonce: flow.nonce });
  const done = (responses: ToolResponse[], tokens: string[]): SecurityCaseResult => ({
    id,
    response: responses.at(-1) as ToolResponse,
    responses,
    tokens,
  });

  switch (id) {
    case 'valid': {
      const token = signWithActiveKey(payload, keys);
      return done([await client.postIdToken(flow, token)], [token]);
    }
    case 'replayed-token': {
      const token = signWithActiveKey(payload, keys);
      const first = await client.postIdToken(flow, token);
      const second = await client.postIdToken(await client.startLaunch(spec), token);
      return done([first, second], [token]);
    }
    case 'no-state-cookie': {
      const token = signWithActiveKey(payload, keys);
      return done([await client.postIdToken(flow, token, { withoutStateCookie: true })], [token]);
    }
    case 'wrong-state': {
      const token = signWithActiveKey(payload, keys);
      return done(
        [await client.postIdToken(flow, token, { state: `forged${flow.state.slice(6)}` })],
        [token],
      );
    }
    case 'not-a-jwt':
      return done([await client.postIdToken(flow, 'this-is-not-a-jwt')], ['this-is-not-a-jwt']);
    default:
      break;
  }
  if (id in SIGNATURE_FORGERIES) {
    const token = forgeSignature(id as SignatureForgery, payload, keys);
    return done([await client.postIdToken(flow, token)], [token]);
  }
  const mutation = PAYLOAD_MUTATIONS[id as PayloadMutation];
  const token = signWithActiveKey(mutation.mutate(payload, nowSeconds), keys);
  return done([await client.postIdToken(flow, token)], [token]);
}
