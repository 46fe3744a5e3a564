/**
 * A real OpenID Connect provider for the browser tests (oidc-provider, dev dependency only).
 * Any login name is accepted at its dev interaction page; the account's email is the login name,
 * so a test signs in as a provisioned (or unknown) user by typing their email.
 */
import Provider from 'oidc-provider'

export const IDP_PORT = Number(process.env.E2E_PORT ?? '3900') + 1

export async function startTestIdentityProvider(redirectUri: string): Promise<void> {
  const provider = new Provider(`http://127.0.0.1:${String(IDP_PORT)}`, {
    clients: [
      {
        client_id: 'onroll-e2e',
        client_secret: 'onroll-e2e-secret',
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id, email_verified: true, name: id }),
    }),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['onroll-e2e-cookie-key'] },
  })
  await new Promise<void>(resolve => {
    provider.listen(IDP_PORT, '127.0.0.1', resolve)
  })
}
