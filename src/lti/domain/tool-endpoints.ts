/**
 * The tool's own URLs, as an LMS administrator enters them, all built from the public base URL
 * (PUBLIC_URL). ltijs is mounted under /lti (src/lti/infrastructure/lti-provider.ts): its login,
 * keyset and dynamic registration routes, and the launch URL that receives resource-link and
 * deep-linking launches alike.
 */

export const TOOL_NAME = 'Pix LTI';

export const TOOL_PATHS = {
  login: '/lti/login',
  launch: '/lti/launch',
  keyset: '/lti/keys',
  dynamicRegistration: '/lti/register',
  logo: '/img/logo.svg',
} as const;

export interface ToolEndpoints {
  /** OIDC login initiation URL ("Initiate login URL" in Moodle, `oidc_initiation_url` in Canvas). */
  readonly loginUrl: string;
  /** Where launches land: the redirect URI, the target link URI and the tool URL. */
  readonly launchUrl: string;
  /** Deep-linking requests use the launch URL too. */
  readonly deepLinkingUrl: string;
  /** The tool's public keys (JWKS): "Public keyset URL" in Moodle, `public_jwk_url` in Canvas. */
  readonly keysetUrl: string;
  /** The URL to paste into Moodle's "Tool URL" field for "Add LTI Advantage". */
  readonly dynamicRegistrationUrl: string;
  readonly logoUrl: string;
  /** Host (and port when not the default) of the public URL: the tool's domain. */
  readonly domain: string;
}

export function toolEndpoints(publicUrl: string): ToolEndpoints {
  const base = publicUrl.replace(/\/+$/, '');
  const launchUrl = `${base}${TOOL_PATHS.launch}`;
  return {
    loginUrl: `${base}${TOOL_PATHS.login}`,
    launchUrl,
    deepLinkingUrl: launchUrl,
    keysetUrl: `${base}${TOOL_PATHS.keyset}`,
    dynamicRegistrationUrl: `${base}${TOOL_PATHS.dynamicRegistration}`,
    logoUrl: `${base}${TOOL_PATHS.logo}`,
    domain: new URL(base).host,
  };
}
