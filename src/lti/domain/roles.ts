/**
 * Who may do what, from the LTI `roles` claim. Teaching rights come only from roles we recognise;
 * anything unknown, empty or malformed gives the least privilege: learner.
 */
export type LaunchRole = 'learner' | 'instructor';

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
const MEMBERSHIP_SUB = 'http://purl.imsglobal.org/vocab/lis/v2/membership/';
const INSTITUTION = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#';
const SYSTEM = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#';

/** Context roles that teach: Instructor (and its sub-roles, TeachingAssistant included), Administrator. */
const TEACHING_CONTEXT_ROLES = new Set(['Instructor', 'Administrator', 'ContentDeveloper']);
/** Institution or system administrators manage the tool in every course. */
const ADMIN_GLOBAL_ROLES = new Set([
  `${INSTITUTION}Administrator`,
  `${SYSTEM}Administrator`,
  `${SYSTEM}SysAdmin`,
]);

/** The context role a claim value names, for full URIs, sub-role URIs and LTI 1.1-style short names. */
export function contextRoleOf(role: string): string | undefined {
  if (role.startsWith(MEMBERSHIP)) return role.slice(MEMBERSHIP.length);
  if (role.startsWith(MEMBERSHIP_SUB)) return role.slice(MEMBERSHIP_SUB.length).split('#')[0];
  // Short roles ("Instructor") are deprecated but allowed by LTI 1.3 for context roles.
  if (/^[A-Za-z]+$/.test(role)) return role;
  return undefined;
}

export function launchRoleOf(roles: unknown): LaunchRole {
  if (!Array.isArray(roles)) return 'learner';
  for (const role of roles) {
    if (typeof role !== 'string') continue;
    if (ADMIN_GLOBAL_ROLES.has(role)) return 'instructor';
    const contextRole = contextRoleOf(role);
    if (contextRole && TEACHING_CONTEXT_ROLES.has(contextRole)) return 'instructor';
  }
  return 'learner';
}

/** Canvas's Student View and similar test users are learners, whatever else they carry. */
export function isTestUser(roles: unknown): boolean {
  return Array.isArray(roles) && roles.includes('http://purl.imsglobal.org/vocab/lti/system/person#TestUser');
}
