/**
 * Sign-in with any OpenID Connect provider (Microsoft Entra ID, Google Workspace, Keycloak):
 * authorization code flow with PKCE, state and nonce. Discovery happens once, on first use.
 */
import * as client from 'openid-client'

export interface OidcSettings {
  issuer: string
  clientId: string
  clientSecret: string
  allowInsecure: boolean
  redirectUri: string
}

export interface PendingSignIn {
  verifier: string
  state: string
  nonce: string
}

export function createOidcClient(settings: OidcSettings) {
  let discovered: Promise<client.Configuration> | undefined
  const configuration = () => {
    discovered ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        settings.clientSecret,
        client.ClientSecretBasic(settings.clientSecret),
        // Only for a local test identity provider over http; config refuses it in production.
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        settings.allowInsecure ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        discovered = undefined
        throw err
      })
    return discovered
  }

  return {
    async start(): Promise<{ url: string; pending: PendingSignIn }> {
      const config = await configuration()
      const verifier = client.randomPKCECodeVerifier()
      const pending = { verifier, state: client.randomState(), nonce: client.randomNonce() }
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      })
      return { url: url.href, pending }
    },

    /** Exchanges the code and returns the verified email address, or undefined when the provider gave none. */
    async finish(callbackUrl: URL, pending: PendingSignIn): Promise<{ email: string | undefined; subject: string }> {
      const config = await configuration()
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      })
      const claims = tokens.claims()
      if (!claims) throw new Error('The identity provider returned no ID token')
      let email = typeof claims.email === 'string' ? claims.email : undefined
      if (!email) {
        // Some providers (and oidc-provider by default) put email only in userinfo.
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub)
        email = typeof info.email === 'string' ? info.email : undefined
      }
      return { email, subject: claims.sub }
    },
  }
}

export type OidcClient = ReturnType<typeof createOidcClient>
