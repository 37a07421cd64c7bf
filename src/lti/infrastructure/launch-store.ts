import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/infrastructure/database/database.js';
import {
  ensureModelIndexes,
  insertUnlessDuplicate,
} from '../../shared/infrastructure/database/mongo-helpers.js';

/**
 * What our launch checks persist, beside ltijs's own collections:
 * - the nonces our login step issued, bound to their state (lti_login_nonces);
 * - the nonces already used by a launch (lti_used_nonces): an insert under a unique key, so that a
 *   replay racing the original is refused atomically on every engine;
 * - the deployments known for each registration, and whether a registration lets new deployments
 *   register themselves (lti_deployments, lti_registration_policies).
 */

export interface IssuedNonce {
  nonce: string;
  state: string;
  issuer: string;
  clientId: string;
}

export interface Deployment {
  issuer: string;
  clientId: string;
  deploymentId: string;
  source: 'admin' | 'auto' | 'dynamic-registration';
  createdAt: Date;
}

export interface LaunchStore {
  recordIssuedNonce(nonce: IssuedNonce, at: Date): Promise<void>;
  /** Finds the nonce issued for this state; undefined when we never issued it. */
  findIssuedNonce(nonce: string): Promise<IssuedNonce | undefined>;
  /** True the first time a nonce is used; false for a replay. */
  markNonceUsed(nonce: string, at: Date): Promise<boolean>;
  findDeployment(issuer: string, clientId: string, deploymentId: string): Promise<Deployment | undefined>;
  addDeployment(deployment: Omit<Deployment, 'createdAt'>, at: Date): Promise<Deployment>;
  removeDeployment(issuer: string, clientId: string, deploymentId: string): Promise<boolean>;
  listDeployments(issuer: string, clientId: string): Promise<Deployment[]>;
  allowsDeploymentAutoRegistration(issuer: string, clientId: string): Promise<boolean>;
  setDeploymentAutoRegistration(issuer: string, clientId: string, allowed: boolean): Promise<void>;
  ensureIndexes(): Promise<void>;
}

export const LAUNCH_COLLECTIONS = {
  loginNonces: 'lti_login_nonces',
  usedNonces: 'lti_used_nonces',
  deployments: 'lti_deployments',
  registrationPolicies: 'lti_registration_policies',
} as const;

export function createMongoLaunchStore(connection: Connection): LaunchStore {
  const LoginNonce = modelOn(
    connection,
    'LtiLoginNonce',
    new Schema<{ _id: string; state: string; issuer: string; clientId: string; createdAt: Date }>(
      { _id: String, state: String, issuer: String, clientId: String, createdAt: Date },
      { versionKey: false, collection: LAUNCH_COLLECTIONS.loginNonces },
    ),
  );
  const UsedNonce = modelOn(
    connection,
    'LtiUsedNonce',
    new Schema<{ _id: string; createdAt: Date }>(
      { _id: String, createdAt: Date },
      { versionKey: false, collection: LAUNCH_COLLECTIONS.usedNonces },
    ),
  );
  const DeploymentModel = modelOn(
    connection,
    'LtiDeployment',
    new Schema<Deployment>(
      { issuer: String, clientId: String, deploymentId: String, source: String, createdAt: Date },
      { versionKey: false, collection: LAUNCH_COLLECTIONS.deployments },
    ).index({ issuer: 1, clientId: 1, deploymentId: 1 }, { unique: true }),
  );
  const Policy = modelOn(
    connection,
    'LtiRegistrationPolicy',
    new Schema<{ issuer: string; clientId: string; allowDeploymentAutoRegistration: boolean }>(
      { issuer: String, clientId: String, allowDeploymentAutoRegistration: Boolean },
      { versionKey: false, collection: LAUNCH_COLLECTIONS.registrationPolicies },
    ).index({ issuer: 1, clientId: 1 }, { unique: true }),
  );

  const toDeployment = (document: Deployment): Deployment => ({
    issuer: document.issuer,
    clientId: document.clientId,
    deploymentId: document.deploymentId,
    source: document.source,
    createdAt: document.createdAt,
  });

  return {
    async ensureIndexes() {
      await ensureModelIndexes([LoginNonce, UsedNonce, DeploymentModel, Policy]);
    },
    async recordIssuedNonce(nonce, at) {
      await LoginNonce.create({
        _id: nonce.nonce,
        state: nonce.state,
        issuer: nonce.issuer,
        clientId: nonce.clientId,
        createdAt: at,
      });
    },
    async findIssuedNonce(nonce) {
      const found = await LoginNonce.findById(nonce).lean();
      return found
        ? { nonce: found._id, state: found.state, issuer: found.issuer, clientId: found.clientId }
        : undefined;
    },
    async markNonceUsed(nonce, at) {
      return insertUnlessDuplicate(UsedNonce, { _id: nonce, createdAt: at });
    },
    async findDeployment(issuer, clientId, deploymentId) {
      const found = await DeploymentModel.findOne({ issuer, clientId, deploymentId }).lean();
      return found ? toDeployment(found) : undefined;
    },
    async addDeployment(deployment, at) {
      // Two launches registering the same new deployment at once: the first insert wins.
      await insertUnlessDuplicate(DeploymentModel, { ...deployment, createdAt: at });
      const stored = await DeploymentModel.findOne({
        issuer: deployment.issuer,
        clientId: deployment.clientId,
        deploymentId: deployment.deploymentId,
      }).lean();
      if (!stored) throw new Error('deployment vanished after insert');
      return toDeployment(stored);
    },
    async removeDeployment(issuer, clientId, deploymentId) {
      const result = await DeploymentModel.deleteOne({ issuer, clientId, deploymentId });
      return result.deletedCount === 1;
    },
    async listDeployments(issuer, clientId) {
      const found = await DeploymentModel.find({ issuer, clientId }).sort({ deploymentId: 1 }).lean();
      return found.map(toDeployment);
    },
    async allowsDeploymentAutoRegistration(issuer, clientId) {
      const policy = await Policy.findOne({ issuer, clientId }).lean();
      return policy?.allowDeploymentAutoRegistration === true;
    },
    async setDeploymentAutoRegistration(issuer, clientId, allowed) {
      // An upsert on a unique key: a concurrent duplicate insert fails loudly rather than silently.
      await Policy.updateOne(
        { issuer, clientId },
        { $set: { allowDeploymentAutoRegistration: allowed } },
        { upsert: true },
      );
    },
  };
}
