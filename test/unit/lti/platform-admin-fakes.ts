import type {
  DeploymentStore,
  PlatformRegistrationInput,
  PlatformRegistry,
  RegisteredPlatform,
} from '../../../src/lti/application/platform-admin.js';
import type { Deployment } from '../../../src/lti/infrastructure/launch-store.js';

/** In-memory stand-ins for ltijs's registrations and our deployments registry (no database). */

const keyOf = (issuer: string, clientId: string) => `${issuer}\u0000${clientId}`;

export class InMemoryPlatformRegistry implements PlatformRegistry {
  readonly platforms = new Map<string, RegisteredPlatform>();
  #kids = 0;

  async find(issuer: string, clientId: string) {
    return this.platforms.get(keyOf(issuer, clientId));
  }

  async list() {
    return [...this.platforms.values()];
  }

  async register(input: PlatformRegistrationInput, options: { active: boolean }) {
    this.#kids += 1;
    const platform: RegisteredPlatform = {
      issuer: input.issuer,
      clientId: input.clientId,
      name: input.name,
      kid: `kid-${this.#kids}`,
      active: options.active,
      authenticationEndpoint: input.authenticationEndpoint,
      accessTokenEndpoint: input.accessTokenEndpoint,
      keyMethod: 'JWK_SET',
      jwksUrl: input.jwksUrl,
    };
    this.platforms.set(keyOf(input.issuer, input.clientId), platform);
    return platform;
  }

  async setActive(issuer: string, clientId: string, active: boolean) {
    const platform = this.platforms.get(keyOf(issuer, clientId));
    if (!platform) throw new Error('unknown platform');
    this.platforms.set(keyOf(issuer, clientId), { ...platform, active });
  }

  async remove(issuer: string, clientId: string) {
    this.platforms.delete(keyOf(issuer, clientId));
  }
}

export class InMemoryDeploymentStore implements DeploymentStore {
  readonly deployments: Deployment[] = [];
  readonly policies = new Map<string, boolean>();
  /** Makes the next addDeployment fail (to test roll-backs). */
  failNextAdd = false;

  async findDeployment(issuer: string, clientId: string, deploymentId: string) {
    return this.deployments.find(
      (d) => d.issuer === issuer && d.clientId === clientId && d.deploymentId === deploymentId,
    );
  }

  async addDeployment(deployment: Omit<Deployment, 'createdAt'>, at: Date) {
    if (this.failNextAdd) {
      this.failNextAdd = false;
      throw new Error('database unavailable');
    }
    const existing = await this.findDeployment(
      deployment.issuer,
      deployment.clientId,
      deployment.deploymentId,
    );
    if (existing) return existing;
    const stored = { ...deployment, createdAt: at };
    this.deployments.push(stored);
    return stored;
  }

  async removeDeployment(issuer: string, clientId: string, deploymentId: string) {
    const index = this.deployments.findIndex(
      (d) => d.issuer === issuer && d.clientId === clientId && d.deploymentId === deploymentId,
    );
    if (index < 0) return false;
    this.deployments.splice(index, 1);
    return true;
  }

  async listDeployments(issuer: string, clientId: string) {
    return this.deployments
      .filter((d) => d.issuer === issuer && d.clientId === clientId)
      .sort((a, b) => a.deploymentId.localeCompare(b.deploymentId));
  }

  async allowsDeploymentAutoRegistration(issuer: string, clientId: string) {
    return this.policies.get(keyOf(issuer, clientId)) === true;
  }

  async setDeploymentAutoRegistration(issuer: string, clientId: string, allowed: boolean) {
    this.policies.set(keyOf(issuer, clientId), allowed);
  }
}

/** Everything both fakes hold, to check that a refused command changed nothing. */
export function snapshotOf(registry: InMemoryPlatformRegistry, store: InMemoryDeploymentStore): string {
  return JSON.stringify({
    platforms: [...registry.platforms.entries()].sort(),
    deployments: store.deployments,
    policies: [...store.policies.entries()].sort(),
  });
}

export const MOODLE = {
  issuer: 'https://moodle.example.org',
  clientId: 'aBcD1234',
  name: 'Moodle de l’université',
  authenticationEndpoint: 'https://moodle.example.org/mod/lti/auth.php',
  accessTokenEndpoint: 'https://moodle.example.org/mod/lti/token.php',
  jwksUrl: 'https://moodle.example.org/mod/lti/certs.php',
} as const;
