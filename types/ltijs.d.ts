/**
 * Our own typings for ltijs 5.9.9 (the DefinitelyTyped package describes the v4 API).
 * Only what the application uses is declared; extend as the LTI context grows.
 */
declare module 'ltijs' {
  import type { Express, NextFunction, Request, Response } from 'express';

  export interface PlatformAuthConfig {
    method: 'JWK_SET' | 'JWK_KEY' | 'RSA_KEY';
    key: string;
  }

  export interface PlatformRegistration {
    url: string;
    name: string;
    clientId: string;
    authenticationEndpoint: string;
    accesstokenEndpoint: string;
    authorizationServer?: string;
    authConfig: PlatformAuthConfig;
  }

  export interface Platform {
    platformUrl(): Promise<string>;
    platformName(name?: string): Promise<string>;
    platformClientId(): Promise<string>;
    platformKid(): Promise<string>;
    platformActive(active?: boolean): Promise<boolean>;
    platformPublicKey(): Promise<string>;
    platformAuthConfig(): Promise<PlatformAuthConfig>;
    platformAuthEndpoint(): Promise<string>;
    platformAccessTokenEndpoint(): Promise<string>;
    platformJSON(): Promise<Record<string, unknown>>;
    delete(): Promise<boolean>;
  }

  export interface ProviderOptions {
    appRoute?: string;
    loginRoute?: string;
    keysetRoute?: string;
    dynRegRoute?: string;
    staticPath?: string;
    cors?: boolean;
    serverAddon?: (app: Express) => void;
    cookies?: { secure?: boolean; sameSite?: string; domain?: string };
    devMode?: boolean;
    ltiaas?: boolean;
    tokenMaxAge?: number | false;
    dynReg?: Record<string, unknown>;
  }

  export interface DatabaseOptions {
    url: string;
    connection?: Record<string, unknown>;
    debug?: boolean;
  }

  export type LaunchHandler = (
    token: Record<string, unknown>,
    req: Request,
    res: Response,
    next: NextFunction,
  ) => unknown;

  export interface ProviderInstance {
    app: Express;
    setup(encryptionKey: string, database: DatabaseOptions, options?: ProviderOptions): ProviderInstance;
    deploy(options?: { port?: number; silent?: boolean; serverless?: boolean }): Promise<true | undefined>;
    close(options?: { silent?: boolean }): Promise<true>;
    onConnect(handler: LaunchHandler): true;
    onDeepLinking(handler: LaunchHandler): true;
    onInvalidToken(handler: (req: Request, res: Response, next: NextFunction) => unknown): true;
    onSessionTimeout(handler: (req: Request, res: Response, next: NextFunction) => unknown): true;
    onUnregisteredPlatform(handler: (req: Request, res: Response, next: NextFunction) => unknown): true;
    onInactivePlatform(handler: (req: Request, res: Response, next: NextFunction) => unknown): true;
    registerPlatform(platform: PlatformRegistration): Promise<Platform>;
    getPlatform(url: string, clientId: string): Promise<Platform | false>;
    getPlatform(url: string): Promise<Platform[] | false>;
    getPlatformById(id: string): Promise<Platform | false>;
    getAllPlatforms(): Promise<Platform[]>;
    deletePlatform(url: string, clientId: string): Promise<boolean>;
    whitelist(...routes: Array<string | RegExp | { route: string | RegExp; method: string }>): true;
    redirect(
      res: Response,
      path: string,
      options?: { newResource?: boolean; query?: Record<string, string> },
    ): void;
  }

  const ltijs: { Provider: ProviderInstance };
  export default ltijs;
  export const Provider: ProviderInstance;
}
